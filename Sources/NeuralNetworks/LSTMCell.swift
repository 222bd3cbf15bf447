// LSTMCell: the generic long short-term memory cell in torch.nn.LSTMCell's layout (gate order
// i, f, g, o; two biases). ncps' mixed-memory LSTM has a different layout and lives in
// NeuralCircuits.
//
//   z  = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh          Shape: [batch, 4·hidden]
//   i, f, g, o = split(z, 4)
//   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
//   h' = σ(o) ⊙ tanh(c')

import Randomness
import TensorCore

/// A long short-term memory cell (torch.nn.LSTMCell).
///
/// State-dict names: `weight_ih` (Shape: [4·hiddenSize, inputSize]), `weight_hh`
/// (Shape: [4·hiddenSize, hiddenSize]), `bias_ih`, `bias_hh` (Shape: [4·hiddenSize]).
public struct LSTMCell: Layer, Sendable {
  /// The recurrent state: hidden output and cell memory, each Shape: [batch, hiddenSize].
  public struct State: Sendable {
    public var hidden: Tensor
    public var cell: Tensor
    public init(hidden: Tensor, cell: Tensor) {
      self.hidden = hidden
      self.cell = cell
    }
  }

  public var weightIH: Tensor
  public var weightHH: Tensor
  public var biasIH: Tensor?
  public var biasHH: Tensor?

  /// A cell with PyTorch's initialisation: every tensor U(−1/√hiddenSize, 1/√hiddenSize), drawn in
  /// state-dict order.
  public init(inputSize: Int, hiddenSize: Int, bias: Bool = true, using generator: inout RandomStream) {
    let bound = 1 / Float(hiddenSize).squareRoot()
    let init_ = Initializer.uniform(lower: -bound, upper: bound)
    weightIH = init_([4 * hiddenSize, inputSize], using: &generator)
    weightHH = init_([4 * hiddenSize, hiddenSize], using: &generator)
    biasIH = bias ? init_([4 * hiddenSize], using: &generator) : nil
    biasHH = bias ? init_([4 * hiddenSize], using: &generator) : nil
  }

  public var inputSize: Int { weightIH.shape[1] }
  public var hiddenSize: Int { weightHH.shape[1] }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try body("weight_ih", .parameter, &weightIH)
    try body("weight_hh", .parameter, &weightHH)
    if biasIH != nil { try body("bias_ih", .parameter, &biasIH!) }
    if biasHH != nil { try body("bias_hh", .parameter, &biasHH!) }
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  /// The all-zero state for `batchSize` sequences.
  public func zeroState(batchSize: Int) -> State {
    State(hidden: Tensor(zeros: [batchSize, hiddenSize]), cell: Tensor(zeros: [batchSize, hiddenSize]))
  }

  /// Advances the cell by one step.
  ///
  /// - Parameters:
  ///   - input: Shape: [batch, inputSize].
  ///   - state: The previous state, or ``zeroState(batchSize:)``.
  /// - Returns: The new state; its `hidden` is the output.
  public func callAsFunction(_ input: Tensor, state: State) -> State {
    precondition(
      input.rank == 2 && input.shape[1] == inputSize,
      "LSTMCell: input shape \(input.shape) is not [batch, \(inputSize)]")
    var z = matmul(input, weightIH, transposeB: true) + matmul(state.hidden, weightHH, transposeB: true)
    if let biasIH { z = z + biasIH }
    if let biasHH { z = z + biasHH }
    let gates = z.split(count: 4, alongAxis: 1)
    let cell = sigmoid(gates[1]) * state.cell + sigmoid(gates[0]) * tanh(gates[2])
    let hidden = sigmoid(gates[3]) * tanh(cell)
    return State(hidden: hidden, cell: cell)
  }
}

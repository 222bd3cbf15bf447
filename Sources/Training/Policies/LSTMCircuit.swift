import NeuralNetworks
import Randomness
import TensorCore

/// The recurrent baseline: one LSTM cell in `torch.nn.LSTMCell`'s layout and initialization
/// (gate order input, forget, cell, output; every tensor U(−1/√units, 1/√units)).
/// Parameter names are torch's: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`.
///
/// State layout: `[h | c]`, shape [batch, 2·units]; the output is `h`.
public struct LSTMCircuit: PolicyCircuit {
  /// Shape: [4·units, inputSize].
  public var inputWeight: Tensor
  /// Shape: [4·units, units].
  public var hiddenWeight: Tensor
  /// Shape: [4·units] each.
  public var inputBias, hiddenBias: Tensor

  public init(inputSize: Int, units: Int, using generator: inout RandomStream) {
    precondition(inputSize > 0 && units > 0, "LSTMCircuit: sizes must be positive")
    let bound = 1 / Float(units).squareRoot()
    let range = -bound...bound
    inputWeight = Tensor(uniform: [4 * units, inputSize], in: range, using: &generator)
    hiddenWeight = Tensor(uniform: [4 * units, units], in: range, using: &generator)
    inputBias = Tensor(uniform: [4 * units], in: range, using: &generator)
    hiddenBias = Tensor(uniform: [4 * units], in: range, using: &generator)
  }

  public var units: Int { hiddenWeight.shape[1] }
  public var inputSize: Int { inputWeight.shape[1] }
  public var outputSize: Int { units }
  public var stateSize: Int { 2 * units }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try body("weight_ih", .parameter, &inputWeight)
    try body("weight_hh", .parameter, &hiddenWeight)
    try body("bias_ih", .parameter, &inputBias)
    try body("bias_hh", .parameter, &hiddenBias)
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  /// `elapsedTimes` is ignored: an LSTM counts steps, not seconds.
  public func step(_ input: Tensor, state: Tensor, elapsedTimes: Tensor) -> (output: Tensor, state: Tensor) {
    let n = units
    let h = state.slice(axis: 1, range: 0..<n)
    let c = state.slice(axis: 1, range: n..<(2 * n))
    // Shape: [batch, 4·units].
    let gates =
      matmul(input, inputWeight, transposeB: true) + inputBias + matmul(h, hiddenWeight, transposeB: true) + hiddenBias
    let i = sigmoid(gates.slice(axis: 1, range: 0..<n))
    let f = sigmoid(gates.slice(axis: 1, range: n..<(2 * n)))
    let g = tanh(gates.slice(axis: 1, range: (2 * n)..<(3 * n)))
    let o = sigmoid(gates.slice(axis: 1, range: (3 * n)..<(4 * n)))
    let nextC = f * c + i * g
    let nextH = o * tanh(nextC)
    return (nextH, concat([nextH, nextC], axis: 1))
  }
}

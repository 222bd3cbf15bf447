import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore

/// ncps' `mixed_memory=True` (reference/ncps.md §5) around a CfC or LTC policy circuit: at every
/// step ncps' mixed-memory LSTM reads the input and the circuit's state `h`, its output `h'`
/// becomes the state the circuit starts the step from, and the circuit's next state is the next
/// step's `h`; the LSTM's cell state `c` is the added memory (a gated identity path, which a
/// CfC's state lacks).
///
/// State layout: `[h | c]`, shape [batch, 2·cell.stateSize], `h` in the cell's own layout (so
/// `h`'s element `k` is the cell's neuron `k`). Episode starts zero both. Parameter names are
/// ncps' state dict: the cell's (`rnn_cell.*`), then `lstm.input_map.weight`,
/// `lstm.input_map.bias`, `lstm.recurrent_map.weight`.
public struct MixedMemoryCircuit: PolicyCircuit {
  /// The CfC or LTC circuit the memory feeds.
  public var cell: any PolicyCircuit
  public var lstm: MixedMemoryLSTM

  /// Wraps `cell` (created first, as ncps creates `rnn_cell` before `lstm`); the LSTM is
  /// initialized as ncps' (xavier-uniform input weight, bias U(−0.1, 0.1), orthogonal recurrent
  /// weight).
  public init(cell: any PolicyCircuit, using generator: inout RandomStream) {
    precondition(cell.stateSize > 0, "MixedMemoryCircuit: the cell needs a recurrent state")
    self.cell = cell
    lstm = MixedMemoryLSTM(inputSize: cell.inputSize, hiddenSize: cell.stateSize, using: &generator)
  }

  public var inputSize: Int { cell.inputSize }
  public var outputSize: Int { cell.outputSize }
  public var stateSize: Int { 2 * cell.stateSize }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try cell.visitTensors(body)
    try body("lstm.input_map.weight", .parameter, &lstm.inputMap.weight)
    try body("lstm.input_map.bias", .parameter, &lstm.inputMap.bias)
    try body("lstm.recurrent_map.weight", .parameter, &lstm.recurrentWeight)
  }

  public mutating func setTraining(_ isTraining: Bool) { cell.setTraining(isTraining) }

  /// One step: the LSTM on the raw input, then the cell from the LSTM's `h'`. Updates replay
  /// sequences with the protocol's step-by-step `sequence`, which zeroes `[h | c]` at episode
  /// starts.
  public func step(_ input: Tensor, state: Tensor, elapsedTimes: Tensor) -> (output: Tensor, state: Tensor) {
    let n = cell.stateSize
    let h = state.slice(axis: 1, range: 0..<n)
    let c = state.slice(axis: 1, range: n..<(2 * n))
    let memory = lstm(input, state: h, cell: c)
    let (output, next) = cell.step(input, state: memory.state, elapsedTimes: elapsedTimes)
    return (output, concat([next, memory.cell], axis: 1))
  }
}

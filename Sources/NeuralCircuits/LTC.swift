// LTC: ncps' LTC sequence layer (reference/ncps.md §4.2): an LTCCell over a wiring (an int
// `units` means FullyConnected(units)), optional mixed memory, batch-first or time-major,
// per-sample timespans for any batch size (the Q1 fix, as for CfC). State layout is ncps'
// neuron-id order [motor | command | inter]; the readout is the mapped motor neurons.
// Names: `rnn_cell.<LTCCell keys>`, then `lstm.*`.

import Randomness
import TensorCore

/// An LTC sequence layer.
public struct LTC: Sendable, ParameterVisitable {
  public var cell: LTCCell
  public var lstm: MixedMemoryLSTM?
  public var batchFirst: Bool
  public var returnSequences: Bool

  public var inputSize: Int { cell.sensoryCount }
  public var stateSize: Int { cell.units }
  public var outputSize: Int { cell.motorCount }

  /// `LTC(input_size, wiring, ...)` with ncps' defaults (note `implicit_param_constraints=True`
  /// here, unlike LTCCell, quirk Q11).
  public init(
    wiring: Wiring, returnSequences: Bool = true, batchFirst: Bool = true, mixedMemory: Bool = false,
    inputMapping: LTCCell.Mapping = .affine, outputMapping: LTCCell.Mapping = .affine, odeUnfolds: Int = 6,
    epsilon: Float = 1e-8, implicitConstraints: Bool = true, seed: UInt64 = 0
  ) {
    var g = RandomStream(seed: seed)
    cell = LTCCell(
      wiring: wiring, inputMapping: inputMapping, outputMapping: outputMapping, odeUnfolds: odeUnfolds,
      epsilon: epsilon, implicitConstraints: implicitConstraints, using: &g)
    lstm = mixedMemory ? MixedMemoryLSTM(inputSize: wiring.inputCount, hiddenSize: wiring.units, using: &g) : nil
    self.batchFirst = batchFirst
    self.returnSequences = returnSequences
  }

  public mutating func visitParameters(
    prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows {
    try cell.visitParameters(prefix: prefix + "rnn_cell.", body)
    if lstm != nil { try lstm!.visitParameters(prefix: prefix + "lstm.", body) }
  }

  /// Runs the layer like ncps' `forward(input, hx, timespans)`; shapes as ``CfC``'s, with
  /// readout width ``outputSize`` (motor neurons) and state width ``stateSize``.
  public func callAsFunction(
    _ input: Tensor, initialState: Tensor? = nil, initialCell: Tensor? = nil, timespans: Tensor? = nil
  ) -> (output: Tensor, state: Tensor, cell: Tensor?) {
    let layout = SequenceLayout(input: input, batchFirst: batchFirst)
    let x = layout.timeMajor(input)
    let ts = timespans.map { layout.timeMajorTimespans($0) }
    let (length, batch) = (x.shape[0], x.shape[1])
    var h = initialState.map { $0.reshaped(to: [batch, stateSize]) } ?? Tensor(zeros: [batch, stateSize])
    var c: Tensor? = nil
    let states: Tensor
    if let lstm {
      var cellState = initialCell.map { $0.reshaped(to: [batch, stateSize]) } ?? Tensor(zeros: [batch, stateSize])
      var steps: [Tensor] = []
      for t in 0..<length {
        let xt = x[t]
        (h, cellState) = lstm(xt, state: h, cell: cellState)
        let step = cell.sequence(
          xt.reshaped(to: [1, batch, inputSize]), initialState: h, timespans: ts?[t].reshaped(to: [1, batch]))
        h = step.reshaped(to: [batch, stateSize])
        steps.append(step)
      }
      states = concat(steps, axis: 0)
      c = cellState
    } else {
      states = cell.sequence(x, initialState: h, timespans: ts)
      h = states[length - 1]
    }
    let readout = cell.readout(returnSequences ? states : states[length - 1])
    return (layout.restore(readout, isSequence: returnSequences), layout.restoreState(h), c.map { layout.restoreState($0) })
  }
}

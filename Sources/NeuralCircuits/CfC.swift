// CfC: ncps' sequence layer (reference/ncps.md §2, §3). Fully connected (one CfCCell with a
// backbone) or wired (one masked CfCCell per wiring layer, state layout [inter | command | motor]).
// Parameter names are torch's state_dict keys: `rnn_cell.…`, `lstm.…`, `fc.…`.
//
// Deliberate fix of ncps' quirk Q1: timespans work per sample for every batch size
// (shape [batch, length] or [batch, length, 1]; time-major [length, batch]); ncps only handles
// batch 1. Without mixed memory each cell runs the whole sequence as one fused op; with mixed
// memory the LSTM and the cells alternate step by step (each cell step is a fused op of length 1).

import Randomness
import TensorCore

/// A CfC sequence layer.
public struct CfC: Sendable, ParameterVisitable {
  public let inputSize: Int
  /// All neurons (the state size).
  public let stateSize: Int
  /// Width of the cell output before projection: units, or the last wiring layer's size (Q3).
  public let outputSize: Int
  public let isWired: Bool
  public var batchFirst: Bool
  public var returnSequences: Bool
  /// One cell (fully connected) or one per wiring layer, input side first.
  public var cells: [CfCCell]
  public var lstm: MixedMemoryLSTM?
  /// `fc` (proj_size): weight [projSize, outputSize], bias [projSize].
  public var projection: AffineParameters?

  /// `CfC(input_size, units: int, ...)` with ncps' defaults.
  public init(
    inputSize: Int, units: Int, projectionSize: Int? = nil, returnSequences: Bool = true, batchFirst: Bool = true,
    mixedMemory: Bool = false, mode: CfCMode = .standard, activation: BackboneActivation = .lecunTanh,
    backboneUnits: Int = 128, backboneLayers: Int = 1, backboneDropout: Float = 0, seed: UInt64 = 0
  ) {
    var g = RandomStream(seed: seed)
    let cell = CfCCell(
      inputSize: inputSize, hiddenSize: units, mode: mode, activation: activation, backboneUnits: backboneUnits,
      backboneLayers: backboneLayers, backboneDropout: backboneDropout, using: &g)
    self.init(
      inputSize: inputSize, cells: [cell], wired: false, outputSize: units, projectionSize: projectionSize,
      returnSequences: returnSequences, batchFirst: batchFirst, mixedMemory: mixedMemory, using: &g)
  }

  /// `CfC(input_size, wiring, ...)`: one masked cell per wiring layer (no backbone, lecun_tanh).
  public init(
    wiring: Wiring, projectionSize: Int? = nil, returnSequences: Bool = true, batchFirst: Bool = true,
    mixedMemory: Bool = false, mode: CfCMode = .standard, seed: UInt64 = 0
  ) {
    var g = RandomStream(seed: seed)
    var cells: [CfCCell] = []
    for (l, neurons) in wiring.layers.enumerated() {
      let sources = l == 0 ? Array(0..<wiring.inputCount) : wiring.layers[l - 1]
      let inputMatrix = l == 0 ? wiring.sensoryAdjacencyMatrix : wiring.adjacencyMatrix
      // mask [units_l, sources + units_l] = abs([inp; ones]ᵀ)
      var mask = [Float]()
      for target in neurons {
        for source in sources { mask.append(Float(abs(inputMatrix[source][target]))) }
        for _ in neurons { mask.append(1) }
      }
      cells.append(CfCCell(
        inputSize: sources.count, hiddenSize: neurons.count, mode: mode, backboneLayers: 0,
        sparsityMask: Tensor(mask, shape: [neurons.count, sources.count + neurons.count]), using: &g))
    }
    self.init(
      inputSize: wiring.inputCount, cells: cells, wired: true, outputSize: wiring.layers.last!.count,
      projectionSize: projectionSize, returnSequences: returnSequences, batchFirst: batchFirst,
      mixedMemory: mixedMemory, using: &g)
  }

  init(
    inputSize: Int, cells: [CfCCell], wired: Bool, outputSize: Int, projectionSize: Int?, returnSequences: Bool,
    batchFirst: Bool, mixedMemory: Bool, using g: inout RandomStream
  ) {
    self.inputSize = inputSize
    self.cells = cells
    self.isWired = wired
    self.stateSize = cells.reduce(0) { $0 + $1.hiddenSize }
    self.outputSize = outputSize
    self.returnSequences = returnSequences
    self.batchFirst = batchFirst
    lstm = mixedMemory ? MixedMemoryLSTM(inputSize: inputSize, hiddenSize: stateSize, using: &g) : nil
    projection = projectionSize.map {
      AffineParameters.torchLinear(inputSize: outputSize, outputSize: $0, xavier: false, using: &g)
    }
  }

  public mutating func visitParameters(
    prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows {
    for l in cells.indices {
      try cells[l].visitParameters(prefix: prefix + (isWired ? "rnn_cell.layer_\(l)." : "rnn_cell."), body)
    }
    if lstm != nil { try lstm!.visitParameters(prefix: prefix + "lstm.", body) }
    if projection != nil { try projection!.visit(prefix + "fc.", body) }
  }

  /// Width of the readout: the projection size, else ``outputSize``.
  public var readoutSize: Int { projection?.weight.shape[0] ?? outputSize }

  /// Runs the layer like ncps' `forward(input, hx, timespans)`.
  ///
  /// - Parameters:
  ///   - input: Shape: [batch, length, inputSize] (batch-first), [length, batch, inputSize]
  ///     (time-major) or [length, inputSize] (unbatched).
  ///   - initialState: Shape: [batch, stateSize] (`[stateSize]` unbatched); zeros when `nil`.
  ///   - initialCell: Mixed memory only: the LSTM cell state, same shape; zeros when `nil`.
  ///   - timespans: Per step and sample: [batch, length] or [batch, length, 1] (time-major:
  ///     [length, batch]); `nil` means 1.
  ///   - dropoutGenerator: Draws backbone dropout masks (training mode); `nil` is eval mode.
  /// - Returns: The readout ([batch, length, readout], or [batch, readout] for the last step
  ///   only), the final state [batch, stateSize] and (mixed memory) the final LSTM cell state.
  public func callAsFunction(
    _ input: Tensor, initialState: Tensor? = nil, initialCell: Tensor? = nil, timespans: Tensor? = nil,
    dropoutGenerator: inout RandomStream?
  ) -> (output: Tensor, state: Tensor, cell: Tensor?) {
    let layout = SequenceLayout(input: input, batchFirst: batchFirst)
    // Batch-first input without mixed memory runs in place (the kernels read and write
    // [batch, length, ·] directly); everything else runs time-major.
    if lstm == nil, layout.isBatched, batchFirst {
      return batchFirstForward(input, initialState: initialState, timespans: timespans, dropoutGenerator: &dropoutGenerator)
    }
    let x = layout.timeMajor(input)
    let ts = timespans.map { layout.timeMajorTimespans($0) }
    let (length, batch) = (x.shape[0], x.shape[1])
    var h = initialState.map { $0.reshaped(to: [batch, stateSize]) } ?? Tensor(zeros: [batch, stateSize])
    var c = lstm == nil ? nil : (initialCell.map { $0.reshaped(to: [batch, stateSize]) } ?? Tensor(zeros: [batch, stateSize]))
    let sizes = cells.map(\.hiddenSize)
    var outputs: Tensor
    if let lstm, var cell = c {
      var steps: [Tensor] = []
      for t in 0..<length {
        let xt = x[t]
        (h, cell) = lstm(xt, state: h, cell: cell)
        let states = cells.count == 1 ? [h] : h.split(sizes: sizes, alongAxis: 1)
        var current = xt.reshaped(to: [1, batch, inputSize])
        var finals: [Tensor] = []
        for (l, layer) in cells.enumerated() {
          current = layer.sequence(
            current, initialState: states[l], timespans: ts?[t].reshaped(to: [1, batch]), dropoutGenerator: &dropoutGenerator)
          finals.append(current.reshaped(to: [batch, layer.hiddenSize]))
        }
        h = finals.count == 1 ? finals[0] : concat(finals, axis: 1)
        steps.append(current)
      }
      outputs = concat(steps, axis: 0)
      c = cell
    } else {
      let states = cells.count == 1 ? [h] : h.split(sizes: sizes, alongAxis: 1)
      var current = x
      var finals: [Tensor] = []
      for (l, layer) in cells.enumerated() {
        current = layer.sequence(current, initialState: states[l], timespans: ts, dropoutGenerator: &dropoutGenerator)
        finals.append(current[length - 1])
      }
      h = finals.count == 1 ? finals[0] : concat(finals, axis: 1)
      outputs = current
    }
    // outputs: [length, batch, outputSize]
    var readout = returnSequences ? outputs : outputs[length - 1]
    if let projection {
      let flat = readout.reshaped(to: [readout.count / outputSize, outputSize])
      let projected = matmul(flat, projection.weight, transposeB: true) + projection.bias
      readout = projected.reshaped(to: Array(readout.shape.dropLast()) + [projection.weight.shape[0]])
    }
    return (layout.restore(readout, isSequence: returnSequences), layout.restoreState(h), c.map { layout.restoreState($0) })
  }

  /// ``callAsFunction(_:initialState:initialCell:timespans:dropoutGenerator:)`` for batch-first
  /// input [batch, length, inputSize] without mixed memory: no permuted copies.
  func batchFirstForward(
    _ x: Tensor, initialState: Tensor?, timespans: Tensor?, dropoutGenerator: inout RandomStream?
  ) -> (output: Tensor, state: Tensor, cell: Tensor?) {
    let (batch, length) = (x.shape[0], x.shape[1])
    let ts = timespans.map { $0.reshaped(to: [batch, length]) }
    let h0 = initialState.map { $0.reshaped(to: [batch, stateSize]) } ?? Tensor(zeros: [batch, stateSize])
    let states = cells.count == 1 ? [h0] : h0.split(sizes: cells.map(\.hiddenSize), alongAxis: 1)
    var current = x
    var finals: [Tensor] = []
    for (l, layer) in cells.enumerated() {
      current = layer.sequence(
        current, initialState: states[l], timespans: ts, batchFirst: true, dropoutGenerator: &dropoutGenerator)
      finals.append(current.slice(axis: 1, range: (length - 1)..<length).reshaped(to: [batch, layer.hiddenSize]))
    }
    let h = finals.count == 1 ? finals[0] : concat(finals, axis: 1)
    // current: [batch, length, outputSize]
    var readout = returnSequences ? current : finals[finals.count - 1]
    if let projection {
      let flat = readout.reshaped(to: [readout.count / outputSize, outputSize])
      let projected = matmul(flat, projection.weight, transposeB: true) + projection.bias
      readout = projected.reshaped(to: Array(readout.shape.dropLast()) + [projection.weight.shape[0]])
    }
    return (readout, h, nil)
  }

  /// Eval-mode convenience: no dropout.
  public func callAsFunction(
    _ input: Tensor, initialState: Tensor? = nil, initialCell: Tensor? = nil, timespans: Tensor? = nil
  ) -> (output: Tensor, state: Tensor, cell: Tensor?) {
    var none: RandomStream? = nil
    return self(input, initialState: initialState, initialCell: initialCell, timespans: timespans, dropoutGenerator: &none)
  }
}

/// Converts between the user's layout (batch-first, time-major, unbatched) and time-major.
struct SequenceLayout {
  let batchFirst: Bool
  let isBatched: Bool

  init(input: Tensor, batchFirst: Bool) {
    precondition(input.rank == 2 || input.rank == 3, "sequence input must have rank 2 or 3, got shape \(input.shape)")
    self.batchFirst = batchFirst
    isBatched = input.rank == 3
  }

  /// Shape: [length, batch, features].
  func timeMajor(_ x: Tensor) -> Tensor {
    if !isBatched { return x.reshaped(to: [x.shape[0], 1, x.shape[1]]) }
    return batchFirst ? x.permuted([1, 0, 2]) : x
  }

  /// Shape: [length, batch].
  func timeMajorTimespans(_ t: Tensor) -> Tensor {
    if !isBatched { return t.reshaped(to: [t.count, 1]) }
    let (a, b) = (t.shape[0], t.shape[1])
    let flat = t.reshaped(to: [a, b])
    return batchFirst ? flat.transposed() : flat
  }

  /// The readout back in the user's layout. `y`: [length, batch, f] or [batch, f].
  func restore(_ y: Tensor, isSequence: Bool) -> Tensor {
    if isSequence {
      if !isBatched { return y.reshaped(to: [y.shape[0], y.shape[2]]) }
      return batchFirst ? y.permuted([1, 0, 2]) : y
    }
    if !isBatched { return batchFirst ? y.reshaped(to: [y.shape[1]]) : y }  // Q5: (1, O) time-major
    return y
  }

  func restoreState(_ h: Tensor) -> Tensor { isBatched ? h : h.reshaped(to: [h.shape[1]]) }
}

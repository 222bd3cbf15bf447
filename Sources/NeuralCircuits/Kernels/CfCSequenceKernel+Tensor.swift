// The fused CfC sequence as a differentiable TensorCore op: one recorded node whose pullback runs
// the kernel's backward over the whole sequence. Layers call this; tests compare it with the
// composed TensorCore ops of CfCCell+Composed.swift and with finite differences.

import TensorCore

/// A weight matrix and bias vector in torch's `nn.Linear` layout.
public struct AffineParameters: Sendable {
  /// Shape: [outputSize, inputSize].
  public var weight: Tensor
  /// Shape: [outputSize].
  public var bias: Tensor

  public init(weight: Tensor, bias: Tensor) {
    self.weight = weight
    self.bias = bias
  }
}

/// The parameters of one CfC cell as tensors in torch layout (reference/ncps.md §1.2).
public struct CfCWeights: Sendable {
  /// Backbone layer k: weight [backboneUnits, fanIn_k], bias [backboneUnits].
  public var backbone: [AffineParameters]
  public var ff1: AffineParameters
  /// Standard and no_gate modes only.
  public var ff2: AffineParameters?
  public var timeA: AffineParameters?
  public var timeB: AffineParameters?
  /// Pure mode only: w_τ and A. Shape: [1, hidden].
  public var tau: Tensor?
  public var amplitude: Tensor?
  /// Frozen mask on ff1/ff2 weights (wired cells). Shape: [hidden, input + hidden].
  public var sparsityMask: Tensor?

  public init(
    backbone: [AffineParameters], ff1: AffineParameters, ff2: AffineParameters? = nil,
    timeA: AffineParameters? = nil, timeB: AffineParameters? = nil, tau: Tensor? = nil, amplitude: Tensor? = nil,
    sparsityMask: Tensor? = nil
  ) {
    self.backbone = backbone
    self.ff1 = ff1
    self.ff2 = ff2
    self.timeA = timeA
    self.timeB = timeB
    self.tau = tau
    self.amplitude = amplitude
    self.sparsityMask = sparsityMask
  }

  /// The trainable tensors in a fixed order (the op's inputs after input and state).
  var trainable: [Tensor] {
    var list = backbone.flatMap { [$0.weight, $0.bias] } + [ff1.weight, ff1.bias]
    for head in [ff2, timeA, timeB] { if let head { list += [head.weight, head.bias] } }
    if let tau, let amplitude { list += [tau, amplitude] }
    return list
  }

  /// The kernel's layout; `mergedTimespan` merges the gate heads for that constant Δt.
  func packed(_ c: CfCKernelConfiguration, mergedTimespan: Float? = nil) -> CfCPackedWeights {
    func pair(_ p: AffineParameters?) -> (weight: [Float], bias: [Float])? { p.map { ($0.weight.scalars, $0.bias.scalars) } }
    return CfCPackedWeights(
      c, backbone: backbone.map { ($0.weight.scalars, $0.bias.scalars) }, ff1: pair(ff1)!, ff2: pair(ff2),
      timeA: pair(timeA), timeB: pair(timeB), tau: tau?.scalars, amplitude: amplitude?.scalars,
      mask: sparsityMask?.scalars, mergedTimespan: mergedTimespan)
  }
}

/// Runs a CfC cell over a whole sequence as one differentiable op.
///
/// - Parameters:
///   - input: Shape: [length, batch, inputSize] (time-major), or [batch, length, inputSize] when
///     `batchFirst` (read in place: no permuted copy).
///   - initialState: Shape: [batch, hiddenSize].
///   - timespans: Δt per step and sample. Shape: [length, batch] ([batch, length] when
///     `batchFirst`); `nil` means 1. Differentiated when it records (e.g. a learned time step).
///   - dropout: Multipliers for backbone layers k ≥ 1 (0 or 1/(1−p)).
///     Shape: [length, backboneLayers, batch, backboneUnits]; `nil` means no dropout.
///   - resets: Episode starts: where `resets[t, b] != 0` the state of sample `b` is set to zero
///     before step `t` (so `initialState` row `b` is ignored when `resets[0, b] != 0`), and no
///     gradient flows back across that step. Shape: [length, batch] ([batch, length] when
///     `batchFirst`); `nil` means none. Not differentiated.
///   - batchFirst: Whether `input`, `timespans`, `resets` and the result have the batch axis first.
///     `dropout` keeps its shape.
/// - Returns: h_t for every step. Shape: [length, batch, hiddenSize] ([batch, length, hiddenSize]
///   when `batchFirst`).
public func cfcSequence(
  _ input: Tensor, initialState: Tensor, weights: CfCWeights, configuration c: CfCKernelConfiguration,
  timespans: Tensor? = nil, dropout: Tensor? = nil, resets: Tensor? = nil, batchFirst: Bool = false
) -> Tensor {
  precondition(input.rank == 3 && input.shape[2] == c.inputSize, "cfcSequence: input shape \(input.shape) is not [\(batchFirst ? "batch, length" : "length, batch"), \(c.inputSize)]")
  let (length, batch) = batchFirst ? (input.shape[1], input.shape[0]) : (input.shape[0], input.shape[1])
  let steps = batchFirst ? "[\(batch), \(length)]" : "[\(length), \(batch)]"
  precondition(initialState.shape == [batch, c.hiddenSize], "cfcSequence: initial state shape \(initialState.shape) is not [\(batch), \(c.hiddenSize)]")
  precondition(timespans == nil || timespans!.count == length * batch, "cfcSequence: timespans shape \(timespans!.shape) is not \(steps)")
  precondition(resets == nil || resets!.count == length * batch, "cfcSequence: resets shape \(resets!.shape) is not \(steps)")
  let order: SequenceRowOrder = batchFirst ? .batchFirst(length: length) : .timeMajor(batch: batch)
  /// Per-(step, sample) values in the kernel's time-major order.
  func timeMajor(_ values: [Float]) -> [Float] { batchFirst ? transposedRows(values, rows: batch, columns: length) : values }
  let trainable = weights.trainable
  let timespansRecord = timespans?.isRecording ?? false
  let inputs = [input, initialState] + trainable + (timespansRecord ? [timespans!] : [])
  let recording = inputs.contains { $0.isRecording }
  // One Δt for everything (no timespans, or all equal): merge the gate heads and drop the timespans.
  let given = timespans.map { timeMajor($0.scalars) }
  let uniform: Float? = c.mode == .pure || timespansRecord ? nil : given.map { t in t.allSatisfy { $0 == t.first } ? (t.first ?? 1) : nil } ?? 1
  let ts = uniform == nil ? given : nil
  let packed = weights.packed(c, mergedTimespan: uniform)
  let tape = CfCTape(c, slots: length, batch: batch)
  let outputCount = length * batch * c.hiddenSize
  var output = [Float](unsafeUninitializedCapacity: outputCount) { _, count in count = outputCount }  // the kernel writes all
  let drop = dropout?.scalars, cut = resets.map { timeMajor($0.scalars) }
  let xs = input.scalars
  xs.withUnsafeBufferPointer { x in
    initialState.scalars.withUnsafeBufferPointer { h0 in
      output.withUnsafeMutableBufferPointer { out in
        withOptionalPointer(ts) { tsp in
          withOptionalPointer(drop) { dp in
            withOptionalPointer(cut) { rp in
              CfCSequenceKernel.forward(
                c, packed, length: length, batch: batch, input: x.baseAddress!, initialState: h0.baseAddress!,
                timespans: tsp, dropout: dp, resets: rp, output: out.baseAddress!, order: order, tape: tape)
            }
          }
        }
      }
    }
  }
  let result = Tensor(output, shape: batchFirst ? [batch, length, c.hiddenSize] : [length, batch, c.hiddenSize])
  guard recording else { return result }
  let shapes = inputs.map(\.shape)
  let mask = weights.sparsityMask?.scalars
  let hasPure = c.mode == .pure
  let needsInputGradient = input.isRecording
  return result.recorded(from: inputs) { dOutput in
    let g = dOutput.scalars.withUnsafeBufferPointer { dy in
      xs.withUnsafeBufferPointer { x in
        withOptionalPointer(ts) { tsp in
          withOptionalPointer(cut) { rp in
            CfCSequenceKernel.backward(
              c, packed, length: length, batch: batch, input: x.baseAddress!, timespans: tsp, resets: rp, tape: tape,
              outputGradient: dy.baseAddress!, order: order, needsInputGradient: needsInputGradient,
              needsTimespanGradient: timespansRecord)
          }
        }
      }
    }
    var grads = [g.initialState]
    for k in 0..<c.backboneLayers { grads += [g.backboneWeights[k], g.backboneBiases[k]] }
    let (h, width) = (c.hiddenSize, c.headInputSize)
    func block(_ index: Int) -> (weight: [Float], bias: [Float]) {
      (Array(g.headWeight[(index * h * width)..<((index + 1) * h * width)]), Array(g.headBias[(index * h)..<((index + 1) * h)]))
    }
    for head in 0..<(hasPure ? 1 : 2) {
      var (weight, bias) = block(head)
      if let mask { for i in weight.indices { weight[i] *= mask[i] } }
      grads += [weight, bias]
    }
    if let dt = packed.mergedTimespan {
      let gate = block(2)  // time_a = Δt·G, time_b = G
      grads += [gate.weight.map { dt * $0 }, gate.bias.map { dt * $0 }, gate.weight, gate.bias]
    } else if !hasPure {
      for head in 2..<4 { let b = block(head); grads += [b.weight, b.bias] }
    }
    if hasPure { grads += [g.tau, g.amplitude] }
    if timespansRecord { grads.append(batchFirst ? transposedRows(g.timespans, rows: length, columns: batch) : g.timespans) }
    // The input's gradient is never read when the input does not record: a placeholder then.
    let inputGradient = needsInputGradient ? Tensor(g.input, shape: shapes[0]) : Tensor(zeros: [0])
    return [inputGradient] + zip(grads, shapes.dropFirst()).map { Tensor($0, shape: $1) }
  }
}

/// The [columns, rows] transpose of a row-major [rows, columns] matrix.
func transposedRows(_ values: [Float], rows: Int, columns: Int) -> [Float] {
  var result = [Float](repeating: 0, count: values.count)
  for r in 0..<rows { for c in 0..<columns { result[c * rows + r] = values[r * columns + c] } }
  return result
}

/// Calls `body` with the base address of `array`, or `nil` when there is no array.
@inline(__always)
func withOptionalPointer<R>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
  guard let array else { return body(nil) }
  return array.withUnsafeBufferPointer { body($0.baseAddress) }
}

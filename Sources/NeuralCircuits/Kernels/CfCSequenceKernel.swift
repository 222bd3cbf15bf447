// The fused CfC sequence kernel: a whole sequence of one CfC cell (any mode, backbone depth and
// activation, optional sparsity mask, per-sample timespans) forward in one call, with the values
// its backward needs saved in a tape. The backward is in CfCSequenceKernel+Backward.swift.
//
// Math per step t (reference/ncps.md §1.3), batch rows b, units j:
//   z      = [x_t | h_{t−1}]                               Shape: [batch, input + hidden]
//   z_k+1  = act(z_k·W_kᵀ + b_k) (⊙ dropout mask, k ≥ 1)   backbone, k = 0..<layers
//   [f1|f2|ta|tb] = z_n·Wᵀ + b    with W = [ff1⊙M; ff2⊙M; time_a; time_b] (one GEMM)
//   standard: h = tanh f1·(1 − g) + g·tanh f2,  g = σ(ta·Δt + tb);  no_gate: h = tanh f1 + g·tanh f2
//   pure:     h = −A·e·f1 + A,  e = exp(−Δt·(|w_τ| + |f1|))
// The tape is time-major: [length, batch, features]; the input, the output and the output
// gradient are time-major or batch-first (``SequenceRowOrder``), so a batch-first layer needs no
// permuted copies. The input side of the first layer
// (backbone layer 0, or the heads without a backbone) is one GEMM over all length·batch rows;
// (one per step for batch-first input) only the recurrent side h_{t−1}·W_hᵀ and what depends on
// it run per step. Element-wise math uses
// the vectorized tanh/sigmoid/exp; activations' derivatives are saved in the forward pass, so the
// backward evaluates no transcendental function.

import CCircuitKernels

/// The dimensions and choices of one CfC cell as the fused kernel sees them.
public struct CfCKernelConfiguration: Sendable, Hashable {
  public var inputSize: Int
  public var hiddenSize: Int
  public var mode: CfCMode
  public var activation: BackboneActivation
  /// Width of every backbone layer (ignored when `backboneLayers == 0`).
  public var backboneUnits: Int
  public var backboneLayers: Int

  public init(
    inputSize: Int, hiddenSize: Int, mode: CfCMode = .standard, activation: BackboneActivation = .lecunTanh,
    backboneUnits: Int = 128, backboneLayers: Int = 1
  ) {
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.mode = mode
    self.activation = activation
    self.backboneUnits = backboneLayers == 0 ? 0 : backboneUnits
    self.backboneLayers = backboneLayers
  }

  /// Width of `[input | hidden]`.
  var concatenatedSize: Int { inputSize + hiddenSize }
  /// Width of what the heads read: the last backbone layer, or `[input | hidden]` without one.
  var headInputSize: Int { backboneLayers == 0 ? concatenatedSize : backboneUnits }
  /// Number of stacked heads: ff1 only (pure) or ff1, ff2, time_a, time_b.
  var headCount: Int { mode == .pure ? 1 : 4 }
  /// Input width of backbone layer `k`.
  func backboneFanIn(_ k: Int) -> Int { k == 0 ? concatenatedSize : backboneUnits }
}

/// The weights of one CfC cell, packed the way the kernel reads them.
///
/// With one Δt for every sample and step (no timespans, or all equal), the gate's two heads merge:
/// ta·Δt + tb = (Δt·W_a + W_b)·z + Δt·b_a + b_b, so the heads are `[ff1; ff2; gate]` (3·hidden rows
/// instead of 4) and every per-step head GEMM is a quarter smaller.
struct CfCPackedWeights: @unchecked Sendable {
  /// Layer k: Shape: [backboneUnits, fanIn_k].
  var backboneWeights: [FloatBuffer]
  /// Layer k: Shape: [backboneUnits].
  var backboneBiases: [FloatBuffer]
  /// `[ff1⊙mask; ff2⊙mask; time_a; time_b]`, merged `[ff1⊙mask; ff2⊙mask; Δt·time_a + time_b]`, or
  /// (pure) `ff1⊙mask`. Shape: [headRows, headInput].
  var headWeight: FloatBuffer
  /// Shape: [headRows].
  var headBias: FloatBuffer
  /// Rows of the stacked heads: 4·hidden, 3·hidden (merged gate) or hidden (pure).
  var headRows: Int
  /// The Δt folded into the merged gate head; `nil` when time_a and time_b are separate rows.
  var mergedTimespan: Float?
  /// Pure mode: w_τ and A. Shape: [hidden].
  var tau: FloatBuffer?
  var amplitude: FloatBuffer?

  /// Packs row-major weights (torch layouts: weight [out, in]); `mask` [hidden, input + hidden]
  /// multiplies ff1 and ff2 (not time_a/time_b, as in ncps). `mergedTimespan` merges the gate
  /// heads for that constant Δt (ignored in pure mode).
  init(
    _ c: CfCKernelConfiguration, backbone: [(weight: [Float], bias: [Float])],
    ff1: (weight: [Float], bias: [Float]), ff2: (weight: [Float], bias: [Float])?,
    timeA: (weight: [Float], bias: [Float])?, timeB: (weight: [Float], bias: [Float])?,
    tau: [Float]?, amplitude: [Float]?, mask: [Float]?, mergedTimespan: Float? = nil
  ) {
    backboneWeights = backbone.map { FloatBuffer($0.weight) }
    backboneBiases = backbone.map { FloatBuffer($0.bias) }
    let h = c.hiddenSize, width = c.headInputSize
    var heads = [(weight: [Float], bias: [Float])]()
    heads.append(ff1)
    let merged: Float? = c.mode == .pure ? nil : mergedTimespan
    if c.mode != .pure {
      heads += [ff2!]
      if let dt = merged {
        let (a, b) = (timeA!, timeB!)
        heads.append((zip(a.weight, b.weight).map { dt * $0 + $1 }, zip(a.bias, b.bias).map { dt * $0 + $1 }))
      } else {
        heads += [timeA!, timeB!]
      }
    }
    let weight = FloatBuffer(count: heads.count * h * width)
    let bias = FloatBuffer(count: heads.count * h)
    for (index, head) in heads.enumerated() {
      let masked = index < 2 && mask != nil
      for i in 0..<(h * width) {
        weight.base[index * h * width + i] = masked ? head.weight[i] * mask![i] : head.weight[i]
      }
      for i in 0..<h { bias.base[index * h + i] = head.bias[i] }
    }
    headWeight = weight
    headBias = bias
    headRows = heads.count * h
    self.mergedTimespan = merged
    self.tau = tau.map(FloatBuffer.init)
    self.amplitude = amplitude.map(FloatBuffer.init)
  }

  /// Where g sits in a row of head values: after ff1, ff2 (and time_a unless merged).
  func gateOffset(_ h: Int) -> Int { mergedTimespan == nil ? 3 * h : 2 * h }
}

/// What the forward pass saves for the backward pass. One slot per step: the kernel always runs
/// with `slots == length` (the acting stepper keeps a 1-slot tape for its length-1 calls).
final class CfCTape: @unchecked Sendable {
  let slots: Int
  let batch: Int
  /// h_{t−1} as the step read it (zero after a reset). Shape: [slots, batch, hidden].
  let previous: FloatBuffer
  /// Backbone layer k: act'(pre_k) ⊙ dropout (pre_k itself while a step runs). Shape: [slots, batch, units].
  let backboneDerivative: [FloatBuffer]
  /// Backbone layer k after its activation and dropout. Shape: [slots, batch, units].
  let backboneOut: [FloatBuffer]
  /// Head values: tanh f1, tanh f2, (time_a,) g (pure: f1). Shape: [slots, batch, headRows]
  /// (allocated for the unmerged 4·hidden).
  let heads: FloatBuffer
  /// Pure mode: e = exp(−Δt·(|w_τ| + |f1|)). Shape: [slots, batch, hidden].
  let decay: FloatBuffer

  init(_ c: CfCKernelConfiguration, slots: Int, batch: Int) {
    self.slots = slots
    self.batch = batch
    let rows = slots * batch
    previous = FloatBuffer(uninitializedCount: rows * c.hiddenSize)
    backboneDerivative = (0..<c.backboneLayers).map { _ in FloatBuffer(uninitializedCount: rows * c.backboneUnits) }
    backboneOut = (0..<c.backboneLayers).map { _ in FloatBuffer(uninitializedCount: rows * c.backboneUnits) }
    heads = FloatBuffer(uninitializedCount: rows * c.headCount * c.hiddenSize)
    decay = FloatBuffer(uninitializedCount: c.mode == .pure ? rows * c.hiddenSize : 0)
  }
}

/// Where row (t, b) of a sequence buffer lies: time-major [length, batch, ·] or batch-first
/// [batch, length, ·]. Row (t, b) starts at `(t·time + b·batch)·width`.
struct SequenceRowOrder: Sendable, Hashable {
  /// Rows between steps t and t+1 of one sample.
  let time: Int
  /// Rows between samples b and b+1 of one step.
  let batch: Int

  /// [length, batch, ·].
  static func timeMajor(batch: Int) -> SequenceRowOrder { SequenceRowOrder(time: batch, batch: 1) }
  /// [batch, length, ·].
  static func batchFirst(length: Int) -> SequenceRowOrder { SequenceRowOrder(time: 1, batch: length) }

  /// Whether step t's rows are one contiguous block (then all steps are one [length·batch] matrix).
  var isTimeMajor: Bool { batch == 1 }

  @inline(__always)
  func row(_ t: Int, _ b: Int) -> Int { t * time + b * batch }
}

enum CfCSequenceKernel {
  /// Runs the cell over a whole sequence.
  ///
  /// - Parameters:
  ///   - input: Shape: [length, batch, inputSize], or [batch, length, inputSize] in `order`.
  ///   - initialState: Shape: [batch, hiddenSize].
  ///   - timespans: Δt per step and sample, Shape: [length, batch]; `nil` means 1. Must be `nil`
  ///     when `w` has the gate merged (its Δt is folded into the weights).
  ///   - dropout: Backbone dropout multipliers (0 or 1/(1−p)) for layers k ≥ 1,
  ///     Shape: [length, backboneLayers, batch, backboneUnits]; `nil` means none.
  ///   - resets: Non-zero where the state of sample b is set to zero before step t (episode
  ///     starts). Shape: [length, batch]; `nil` means none.
  ///   - output: Receives h_t for every step. Shape: [length, batch, hiddenSize] in `order`.
  ///   - order: The row order of `input` and `output` (default time-major).
  ///   - tape: Receives every step's saved values; `tape.slots == length`.
  static func forward(
    _ c: CfCKernelConfiguration, _ w: CfCPackedWeights, length: Int, batch: Int,
    input: UnsafePointer<Float>, initialState: UnsafePointer<Float>, timespans: UnsafePointer<Float>?,
    dropout: UnsafePointer<Float>?, resets: UnsafePointer<Float>? = nil, output: UnsafeMutablePointer<Float>,
    order: SequenceRowOrder? = nil, tape: CfCTape
  ) {
    let order = order ?? .timeMajor(batch: batch)
    precondition(tape.slots == length && tape.batch == batch, "CfC kernel: tape holds \(tape.slots)×\(tape.batch) for \(length)×\(batch)")
    precondition(timespans == nil || w.mergedTimespan == nil, "CfC kernel: timespans with a merged gate")
    let (n, h, width, layers) = (c.inputSize, c.hiddenSize, c.concatenatedSize, c.backboneLayers)
    let (units, heads, gate) = (c.backboneUnits, w.headRows, w.gateOffset(c.hiddenSize))
    // The first layer: pre = bias + x·W_xᵀ for all steps now, + h_{t−1}·W_hᵀ per step.
    let first = layers > 0 ? tape.backboneDerivative[0].base : tape.heads.base
    let firstWeight = layers > 0 ? w.backboneWeights[0].base : w.headWeight.base
    let firstBias = layers > 0 ? w.backboneBiases[0].base : w.headBias.base
    let firstWidth = layers > 0 ? units : heads
    fillRows(first, rows: length * batch, with: firstBias, count: firstWidth)
    if order.isTimeMajor {
      sgemm(
        false, true, m: length * batch, n: firstWidth, k: n, input, lda: n, firstWeight, ldb: width, beta: 1,
        first, ldc: firstWidth)
    } else {
      for t in 0..<length {
        sgemm(
          false, true, m: batch, n: firstWidth, k: n, input + order.row(t, 0) * n, lda: order.batch * n, firstWeight,
          ldb: width, beta: 1, first + t * batch * firstWidth, ldc: firstWidth)
      }
    }
    for t in 0..<length {
      let previous = tape.previous.base + t * batch * h
      for b in 0..<batch {
        if let resets, resets[t * batch + b] != 0 {
          (previous + b * h).update(repeating: 0, count: h)
        } else {
          let source = t == 0 ? initialState + b * h : UnsafePointer(output + order.row(t - 1, b) * h)
          (previous + b * h).update(from: source, count: h)
        }
      }
      sgemm(
        false, true, m: batch, n: firstWidth, k: h, previous, lda: h, firstWeight + n, ldb: width, beta: 1,
        first + t * batch * firstWidth, ldc: firstWidth)
      let head = tape.heads.base + t * batch * heads
      if layers > 0 {
        for k in 0..<layers {
          let pre = tape.backboneDerivative[k].base + t * batch * units
          let out = tape.backboneOut[k].base + t * batch * units
          if k > 0 {
            fillRows(pre, rows: batch, with: w.backboneBiases[k].base, count: units)
            sgemm(
              false, true, m: batch, n: units, k: units, tape.backboneOut[k - 1].base + t * batch * units, lda: units,
              w.backboneWeights[k].base, ldb: units, beta: 1, pre, ldc: units)
          }
          c.activation.apply(pre, output: out, count: batch * units)
          if k >= 1, let dropout {
            let mask = dropout + (t * layers + k) * batch * units
            for i in 0..<(batch * units) { out[i] *= mask[i]; pre[i] *= mask[i] }
          }
        }
        fillRows(head, rows: batch, with: w.headBias.base, count: heads)
        sgemm(
          false, true, m: batch, n: heads, k: units, tape.backboneOut[layers - 1].base + t * batch * units, lda: units,
          w.headWeight.base, ldb: units, beta: 1, head, ldc: heads)
      }
      if c.mode == .pure {
        let tau = w.tau!.base, amplitude = w.amplitude!.base
        let decay = tape.decay.base + t * batch * h
        for b in 0..<batch {
          let dt = timespans?[t * batch + b] ?? 1
          for j in 0..<h { decay[b * h + j] = -dt * (Swift.abs(tau[j]) + Swift.abs(head[b * h + j])) }
        }
        vectorExp(decay, decay, batch * h)
        for b in 0..<batch {
          let y = output + order.row(t, b) * h
          for j in 0..<h { y[j] = -amplitude[j] * decay[b * h + j] * head[b * h + j] + amplitude[j] }
        }
      } else {
        for b in 0..<batch {
          let dt = timespans?[t * batch + b] ?? 1
          let row = head + b * heads
          vectorTanh(row, row, 2 * h)
          if w.mergedTimespan == nil { for j in 0..<h { row[3 * h + j] += row[2 * h + j] * dt } }
          let g = row + gate
          vectorSigmoid(g, g, h)
        }
        // h = tanh f1·(1 − g) + g·tanh f2 (no_gate: tanh f1 + g·tanh f2), vectorized in C.
        ncps_cfc_gate_forward(
          head, heads, gate, output + order.row(t, 0) * h, order.batch * h, batch, h, c.mode == .standard ? 1 : 0)
      }
    }
  }

  /// Copies `values` (`count` floats) into each of `rows` consecutive rows of `buffer`.
  @inline(__always)
  static func fillRows(_ buffer: UnsafeMutablePointer<Float>, rows: Int, with values: UnsafePointer<Float>, count: Int) {
    for r in 0..<rows { (buffer + r * count).update(from: values, count: count) }
  }
}

import Foundation

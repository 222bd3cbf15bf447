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
// All buffers are time-major: [length, batch, features]. GEMMs run over the whole batch per step.

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
struct CfCPackedWeights: @unchecked Sendable {
  /// Layer k: Shape: [backboneUnits, fanIn_k].
  var backboneWeights: [FloatBuffer]
  /// Layer k: Shape: [backboneUnits].
  var backboneBiases: [FloatBuffer]
  /// `[ff1⊙mask; ff2⊙mask; time_a; time_b]` (pure: ff1⊙mask). Shape: [headCount·hidden, headInput].
  var headWeight: FloatBuffer
  /// Shape: [headCount·hidden].
  var headBias: FloatBuffer
  /// Pure mode: w_τ and A. Shape: [hidden].
  var tau: FloatBuffer?
  var amplitude: FloatBuffer?

  /// Packs row-major weights (torch layouts: weight [out, in]); `mask` [hidden, input + hidden]
  /// multiplies ff1 and ff2 (not time_a/time_b, as in ncps).
  init(
    _ c: CfCKernelConfiguration, backbone: [(weight: [Float], bias: [Float])],
    ff1: (weight: [Float], bias: [Float]), ff2: (weight: [Float], bias: [Float])?,
    timeA: (weight: [Float], bias: [Float])?, timeB: (weight: [Float], bias: [Float])?,
    tau: [Float]?, amplitude: [Float]?, mask: [Float]?
  ) {
    backboneWeights = backbone.map { FloatBuffer($0.weight) }
    backboneBiases = backbone.map { FloatBuffer($0.bias) }
    let h = c.hiddenSize, width = c.headInputSize
    var heads = [(weight: [Float], bias: [Float])]()
    heads.append(ff1)
    if c.mode != .pure { heads += [ff2!, timeA!, timeB!] }
    let weight = FloatBuffer(count: c.headCount * h * width)
    let bias = FloatBuffer(count: c.headCount * h)
    for (index, head) in heads.enumerated() {
      let masked = index < 2 && mask != nil
      for i in 0..<(h * width) {
        weight.base[index * h * width + i] = masked ? head.weight[i] * mask![i] : head.weight[i]
      }
      for i in 0..<h { bias.base[index * h + i] = head.bias[i] }
    }
    headWeight = weight
    headBias = bias
    self.tau = tau.map(FloatBuffer.init)
    self.amplitude = amplitude.map(FloatBuffer.init)
  }
}

/// What the forward pass saves for the backward pass (or scratch space for one step).
final class CfCTape: @unchecked Sendable {
  /// Number of time slots held (the sequence length when saving, else 1).
  let slots: Int
  let batch: Int
  /// `[x_t | h_{t−1}]`. Shape: [slots, batch, input + hidden].
  let cellInput: FloatBuffer
  /// Backbone layer k before / after its activation (and dropout). Shape: [slots, batch, units].
  let backbonePre: [FloatBuffer]
  let backboneOut: [FloatBuffer]
  /// Head values: tanh f1, tanh f2, time_a, g (pure: f1). Shape: [slots, batch, headCount·hidden].
  let heads: FloatBuffer
  /// Pure mode: e = exp(−Δt·(|w_τ| + |f1|)). Shape: [slots, batch, hidden].
  let decay: FloatBuffer

  init(_ c: CfCKernelConfiguration, slots: Int, batch: Int) {
    self.slots = slots
    self.batch = batch
    let rows = slots * batch
    cellInput = FloatBuffer(count: rows * c.concatenatedSize)
    backbonePre = (0..<c.backboneLayers).map { _ in FloatBuffer(count: rows * c.backboneUnits) }
    backboneOut = (0..<c.backboneLayers).map { _ in FloatBuffer(count: rows * c.backboneUnits) }
    heads = FloatBuffer(count: rows * c.headCount * c.hiddenSize)
    decay = FloatBuffer(count: c.mode == .pure ? rows * c.hiddenSize : 0)
  }
}

enum CfCSequenceKernel {
  /// Runs the cell over a whole sequence.
  ///
  /// - Parameters:
  ///   - input: Shape: [length, batch, inputSize].
  ///   - initialState: Shape: [batch, hiddenSize].
  ///   - timespans: Δt per step and sample, Shape: [length, batch]; `nil` means 1.
  ///   - dropout: Backbone dropout multipliers (0 or 1/(1−p)) for layers k ≥ 1,
  ///     Shape: [length, backboneLayers, batch, backboneUnits]; `nil` means none.
  ///   - resets: Non-zero where the state of sample b is set to zero before step t (episode
  ///     starts). Shape: [length, batch]; `nil` means none.
  ///   - output: Receives h_t for every step. Shape: [length, batch, hiddenSize].
  ///   - tape: Saves every step when `tape.slots == length`; a 1-slot tape is scratch space.
  static func forward(
    _ c: CfCKernelConfiguration, _ w: CfCPackedWeights, length: Int, batch: Int,
    input: UnsafePointer<Float>, initialState: UnsafePointer<Float>, timespans: UnsafePointer<Float>?,
    dropout: UnsafePointer<Float>?, resets: UnsafePointer<Float>? = nil, output: UnsafeMutablePointer<Float>,
    tape: CfCTape
  ) {
    let (n, h, width) = (c.inputSize, c.hiddenSize, c.concatenatedSize)
    let (units, heads) = (c.backboneUnits, c.headCount * c.hiddenSize)
    let saving = tape.slots == length
    precondition(saving || tape.slots == 1, "CfC kernel: tape holds \(tape.slots) steps for a sequence of \(length)")
    for t in 0..<length {
      let slot = saving ? t : 0
      let z = tape.cellInput.base + slot * batch * width
      let previous = t == 0 ? initialState : UnsafePointer(output + (t - 1) * batch * h)
      for b in 0..<batch {
        (z + b * width).update(from: input + (t * batch + b) * n, count: n)
        if let resets, resets[t * batch + b] != 0 {
          (z + b * width + n).update(repeating: 0, count: h)
        } else {
          (z + b * width + n).update(from: previous + b * h, count: h)
        }
      }
      var current = UnsafePointer(z)
      var currentWidth = width
      for k in 0..<c.backboneLayers {
        let pre = tape.backbonePre[k].base + slot * batch * units
        let out = tape.backboneOut[k].base + slot * batch * units
        sgemm(
          false, true, m: batch, n: units, k: currentWidth, current, lda: currentWidth,
          w.backboneWeights[k].base, ldb: currentWidth, pre, ldc: units)
        let bias = w.backboneBiases[k].base
        let mask = k >= 1 ? dropout.map { $0 + (t * c.backboneLayers + k) * batch * units } : nil
        for b in 0..<batch {
          for u in 0..<units {
            let i = b * units + u
            let p = pre[i] + bias[u]
            pre[i] = p
            let a = c.activation.value(p)
            out[i] = mask.map { a * $0[i] } ?? a
          }
        }
        current = UnsafePointer(out)
        currentWidth = units
      }
      let head = tape.heads.base + slot * batch * heads
      sgemm(
        false, true, m: batch, n: heads, k: currentWidth, current, lda: currentWidth,
        w.headWeight.base, ldb: currentWidth, head, ldc: heads)
      let bias = w.headBias.base
      let out = output + t * batch * h
      if c.mode == .pure {
        let tau = w.tau!.base, amplitude = w.amplitude!.base
        let decay = tape.decay.base + slot * batch * h
        for b in 0..<batch {
          let dt = timespans?[t * batch + b] ?? 1
          for j in 0..<h {
            let f1 = head[b * h + j] + bias[j]
            head[b * h + j] = f1
            let e = Foundation.exp(-dt * (Swift.abs(tau[j]) + Swift.abs(f1)))
            decay[b * h + j] = e
            out[b * h + j] = -amplitude[j] * e * f1 + amplitude[j]
          }
        }
      } else {
        let gated = c.mode == .standard
        for b in 0..<batch {
          let dt = timespans?[t * batch + b] ?? 1
          let row = head + b * heads
          for j in 0..<h {
            let f1 = Foundation.tanh(row[j] + bias[j])
            let f2 = Foundation.tanh(row[h + j] + bias[h + j])
            let ta = row[2 * h + j] + bias[2 * h + j]
            let g = logistic(ta * dt + row[3 * h + j] + bias[3 * h + j])
            row[j] = f1
            row[h + j] = f2
            row[2 * h + j] = ta
            row[3 * h + j] = g
            out[b * h + j] = gated ? f1 * (1 - g) + g * f2 : f1 + g * f2
          }
        }
      }
    }
  }
}

import Foundation

// Backward of the fused CfC sequence kernel: reverse through time over the saved tape (only the
// recurrent path runs per step), then the input gradient and every weight gradient at once (one
// GEMM each over length·batch rows).
//
// Per step, with dh = upstream dh_t + the carry from step t+1:
//   standard: d tanh f1 = dh·(1 − g), d tanh f2 = dh·g, dg = dh·(tanh f2 − tanh f1)
//   no_gate:  d tanh f1 = dh,         d tanh f2 = dh·g, dg = dh·tanh f2
//   d(ta·Δt + tb) = dg·g·(1 − g)  ->  d ta = that·Δt, d tb = that (merged gate head: that)
//   pure: h = A·(1 − e·f1), e = exp(−Δt·(|w_τ| + |f1|)):
//     dA = dh·(1 − e·f1), d f1 = −A·dh·e + s·sign(f1), d w_τ = s·sign(w_τ), s = A·dh·f1·e·Δt
//   d z_n = d heads · W; backbone: d pre_k = d out_k ⊙ (act'(pre_k) ⊙ dropout, saved), d z_k = d pre_k · W_k
//   the first layer's W = [W_x | W_h]: carry into step t−1 = d pre · W_h; d x_t = d pre · W_x (after the loop)
// Timespans (unmerged gate only): d Δt = Σ_j d(ta·Δt + tb)·ta; pure: d Δt = Σ_j dh·A·f1·e·(|w_τ| + |f1|).
// A reset before step t (episode start) cuts the
// carry: the sample's h_{t−1} was not read, so it gets no gradient from step t.

import CBLAS
import CCircuitKernels

/// Gradients of one fused CfC sequence (packed layouts, like ``CfCPackedWeights``).
struct CfCKernelGradients {
  /// Shape: [length, batch, inputSize]; empty when not requested.
  var input: [Float]
  /// Shape: [batch, hiddenSize].
  var initialState: [Float]
  var backboneWeights: [[Float]]
  var backboneBiases: [[Float]]
  /// Unmasked: the caller multiplies the ff1/ff2 blocks by the mask and splits a merged gate
  /// block G into time_a = Δt·G, time_b = G. Shape: [headRows, headInput].
  var headWeight: [Float]
  var headBias: [Float]
  var tau: [Float]
  var amplitude: [Float]
  /// Shape: [length, batch]; empty when not requested.
  var timespans: [Float]
}

extension CfCSequenceKernel {
  /// The gradients of Σ dOutput ⊙ output with respect to every input of ``forward``.
  ///
  /// - Parameters:
  ///   - input: The forward's input. Shape: [length, batch, inputSize] in `order`.
  ///   - tape: The tape filled by ``forward`` for this sequence.
  ///   - outputGradient: Shape: [length, batch, hiddenSize] in `order`.
  ///   - order: The row order of `input`, `outputGradient` and the input gradient (default time-major).
  static func backward(
    _ c: CfCKernelConfiguration, _ w: CfCPackedWeights, length: Int, batch: Int, input: UnsafePointer<Float>,
    timespans: UnsafePointer<Float>?, resets: UnsafePointer<Float>? = nil, tape: CfCTape,
    outputGradient: UnsafePointer<Float>, order: SequenceRowOrder? = nil, needsInputGradient: Bool = true,
    needsTimespanGradient: Bool = false
  ) -> CfCKernelGradients {
    let order = order ?? .timeMajor(batch: batch)
    precondition(!needsTimespanGradient || w.mergedTimespan == nil, "CfC kernel: timespan gradients need the unmerged gate")
    precondition(tape.slots == length && tape.batch == batch, "CfC kernel backward: the tape did not save the sequence")
    let (n, h, width) = (c.inputSize, c.hiddenSize, c.concatenatedSize)
    let (units, heads, layers) = (c.backboneUnits, w.headRows, c.backboneLayers)
    let (gate, merged) = (w.gateOffset(c.hiddenSize), w.mergedTimespan != nil)
    let rows = length * batch
    let dHeads = FloatBuffer(uninitializedCount: rows * heads)
    let dPre = (0..<layers).map { _ in FloatBuffer(uninitializedCount: rows * units) }
    let dOut = FloatBuffer(uninitializedCount: batch * units)
    var carry = [Float](repeating: 0, count: batch * h)
    var dTau = [Float](repeating: 0, count: c.mode == .pure ? h : 0)
    var dAmplitude = [Float](repeating: 0, count: c.mode == .pure ? h : 0)
    var dTimespans = [Float](repeating: 0, count: needsTimespanGradient ? rows : 0)
    // What feeds the carry: the first layer's pre-activation gradient and its W_h block.
    let dFirst = layers > 0 ? dPre[0].base : dHeads.base
    let firstWeight = layers > 0 ? w.backboneWeights[0].base : w.headWeight.base
    let firstWidth = layers > 0 ? units : heads

    carry.withUnsafeMutableBufferPointer { carryBuffer in
      let carry = carryBuffer.baseAddress!
      for t in stride(from: length - 1, through: 0, by: -1) {
        let head = tape.heads.base + t * batch * heads
        let dHead = dHeads.base + t * batch * heads
        if c.mode == .pure {
          let tau = w.tau!.base, amplitude = w.amplitude!.base
          let decay = tape.decay.base + t * batch * h
          for b in 0..<batch {
            let dt = timespans?[t * batch + b] ?? 1
            var dSpan: Float = 0
            let up = outputGradient + order.row(t, b) * h
            for j in 0..<h {
              let i = b * h + j
              let dh = up[j] + carry[i]
              let (f1, e, a) = (head[i], decay[i], amplitude[j])
              dAmplitude[j] += dh * (1 - e * f1)
              let s = a * dh * f1 * e * dt  // gradient of |w_τ| + |f1|
              dTau[j] += s * signum(tau[j])
              dHead[i] = -a * dh * e + s * signum(f1)
              dSpan += a * dh * f1 * e * (Swift.abs(tau[j]) + Swift.abs(f1))
            }
            if needsTimespanGradient { dTimespans[t * batch + b] = dSpan }
          }
        } else {
          // d(pre f1), d(pre f2) and d(gate pre-activation) = dg·g·(1 − g) for every sample
          // (CCircuitKernels: vectorized; the upstream rows are strided for batch-first output).
          ncps_cfc_gate_backward(
            outputGradient + order.row(t, 0) * h, order.batch * h, carry, head, dHead, heads, gate, batch, h,
            c.mode == .standard ? 1 : 0)
          if !merged {  // ta·Δt + tb: d ta = dg·Δt; d Δt = Σ dg·ta
            for b in 0..<batch {
              let row = head + b * heads, dRow = dHead + b * heads
              let dg = dRow + gate
              let dt = timespans?[t * batch + b] ?? 1
              var dSpan: Float = 0
              for j in 0..<h {
                dSpan += dg[j] * row[2 * h + j]
                dRow[2 * h + j] = dg[j] * dt
              }
              if needsTimespanGradient { dTimespans[t * batch + b] = dSpan }
            }
          }
        }
        if layers > 0 {
          // d out_last = d heads · W  [batch, units]
          sgemm(
            false, false, m: batch, n: units, k: heads, dHead, lda: heads, w.headWeight.base, ldb: units,
            dOut.base, ldc: units)
          for k in stride(from: layers - 1, through: 0, by: -1) {
            let derivative = tape.backboneDerivative[k].base + t * batch * units
            let dp = dPre[k].base + t * batch * units
            ncps_multiply(dOut.base, derivative, dp, batch * units)
            if k > 0 {
              sgemm(
                false, false, m: batch, n: units, k: units, dp, lda: units, w.backboneWeights[k].base, ldb: units,
                dOut.base, ldc: units)
            }
          }
        }
        // carry into step t−1 = d first · W_h  [batch, hidden]
        sgemm(
          false, false, m: batch, n: h, k: firstWidth, dFirst + t * batch * firstWidth, lda: firstWidth,
          firstWeight + n, ldb: width, carry, ldc: h)
        if let resets {
          for b in 0..<batch where resets[t * batch + b] != 0 { (carry + b * h).update(repeating: 0, count: h) }
        }
      }
    }

    // d x = d first · W_x over all rows (empty when the caller does not need it).
    var dInput = [Float](repeating: 0, count: needsInputGradient ? rows * n : 0)
    if needsInputGradient {
      dInput.withUnsafeMutableBufferPointer {
        let dx = $0.baseAddress!
        if order.isTimeMajor {
          sgemm(false, false, m: rows, n: n, k: firstWidth, dFirst, lda: firstWidth, firstWeight, ldb: width, dx, ldc: n)
        } else {
          for t in 0..<length {
            sgemm(
              false, false, m: batch, n: n, k: firstWidth, dFirst + t * batch * firstWidth, lda: firstWidth, firstWeight,
              ldb: width, dx + order.row(t, 0) * n, ldc: order.batch * n)
          }
        }
      }
    }
    let ones = [Float](repeating: 1, count: rows)
    /// dW = dOutᵀ · in and db = dOutᵀ · 1 over all rows; `in` is one buffer or the split [x | h_{t−1}].
    func weightGradient(_ d: UnsafePointer<Float>, outWidth: Int, layer k: Int?) -> (weight: [Float], bias: [Float]) {
      let inWidth = k == 0 ? width : c.headInputSize
      var weight = [Float](repeating: 0, count: outWidth * inWidth)
      weight.withUnsafeMutableBufferPointer { dw in
        let dw = dw.baseAddress!
        if k == 0 {
          if order.isTimeMajor {
            sgemm(true, false, m: outWidth, n: n, k: rows, d, lda: outWidth, input, ldb: n, dw, ldc: width)
          } else {
            for t in 0..<length {
              sgemm(
                true, false, m: outWidth, n: n, k: batch, d + t * batch * outWidth, lda: outWidth,
                input + order.row(t, 0) * n, ldb: order.batch * n, beta: t == 0 ? 0 : 1, dw, ldc: width)
            }
          }
          sgemm(true, false, m: outWidth, n: h, k: rows, d, lda: outWidth, tape.previous.base, ldb: h, dw + n, ldc: width)
        } else {
          let source = tape.backboneOut[(k ?? layers) - 1].base
          sgemm(true, false, m: outWidth, n: inWidth, k: rows, d, lda: outWidth, source, ldb: inWidth, dw, ldc: inWidth)
        }
      }
      var bias = [Float](repeating: 0, count: outWidth)
      ones.withUnsafeBufferPointer { one in
        bias.withUnsafeMutableBufferPointer { db in
          cblas_sgemv(
            CblasRowMajor, CblasTrans, Int32(rows), Int32(outWidth), 1, d, Int32(outWidth), one.baseAddress!, 1, 0,
            db.baseAddress!, 1)
        }
      }
      return (weight, bias)
    }
    // The heads read the last backbone layer, or [x | h_{t−1}] (layer index 0's split) without one.
    let headGradient = weightGradient(dHeads.base, outWidth: heads, layer: layers > 0 ? nil : 0)
    var backboneWeights = [[Float]](), backboneBiases = [[Float]]()
    for k in 0..<layers {
      let g = weightGradient(dPre[k].base, outWidth: units, layer: k)
      backboneWeights.append(g.weight)
      backboneBiases.append(g.bias)
    }
    return CfCKernelGradients(
      input: dInput, initialState: carry, backboneWeights: backboneWeights, backboneBiases: backboneBiases,
      headWeight: headGradient.weight, headBias: headGradient.bias, tau: dTau, amplitude: dAmplitude,
      timespans: dTimespans)
  }
}

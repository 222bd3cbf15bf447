// Backward of the fused CfC sequence kernel: reverse through time over the saved tape, then the
// weight gradients of every step at once (one GEMM per weight over length·batch rows).
//
// Per step, with dh = upstream dh_t + the carry from step t+1:
//   standard: d tanh f1 = dh·(1 − g), d tanh f2 = dh·g, dg = dh·(tanh f2 − tanh f1)
//   no_gate:  d tanh f1 = dh,         d tanh f2 = dh·g, dg = dh·tanh f2
//   d(ta·Δt + tb) = dg·g·(1 − g)  ->  d ta = that·Δt, d tb = that
//   pure: h = A·(1 − e·f1), e = exp(−Δt·(|w_τ| + |f1|)):
//     dA = dh·(1 − e·f1), d f1 = −A·dh·e + s·sign(f1), d w_τ = s·sign(w_τ), s = A·dh·f1·e·Δt
//   d z_n = d heads · W; backbone: d pre_k = d out_k ⊙ dropout ⊙ act'(pre_k), d z_k = d pre_k · W_k
//   d z = [d x_t | carry into step t−1]
// Timespans are data: no gradient flows to them. A reset before step t (episode start) cuts the
// carry: the sample's h_{t−1} was not read, so it gets no gradient from step t.

/// Gradients of one fused CfC sequence (packed layouts, like ``CfCPackedWeights``).
struct CfCKernelGradients {
  /// Shape: [length, batch, inputSize].
  var input: [Float]
  /// Shape: [batch, hiddenSize].
  var initialState: [Float]
  var backboneWeights: [[Float]]
  var backboneBiases: [[Float]]
  /// Unmasked: the caller multiplies the ff1/ff2 blocks by the mask. Shape: [headCount·hidden, headInput].
  var headWeight: [Float]
  var headBias: [Float]
  var tau: [Float]
  var amplitude: [Float]
}

extension CfCSequenceKernel {
  /// The gradients of Σ dOutput ⊙ output with respect to every input of ``forward``.
  ///
  /// - Parameters:
  ///   - tape: The tape filled by ``forward`` for this sequence (`tape.slots == length`).
  ///   - outputGradient: Shape: [length, batch, hiddenSize].
  static func backward(
    _ c: CfCKernelConfiguration, _ w: CfCPackedWeights, length: Int, batch: Int,
    timespans: UnsafePointer<Float>?, dropout: UnsafePointer<Float>?, resets: UnsafePointer<Float>? = nil,
    tape: CfCTape, outputGradient: UnsafePointer<Float>
  ) -> CfCKernelGradients {
    precondition(tape.slots == length, "CfC kernel backward: the tape did not save the sequence")
    let (n, h, width) = (c.inputSize, c.hiddenSize, c.concatenatedSize)
    let (units, heads, layers) = (c.backboneUnits, c.headCount * c.hiddenSize, c.backboneLayers)
    let rows = length * batch
    let dHeads = FloatBuffer(count: rows * heads)
    let dPre = (0..<layers).map { _ in FloatBuffer(count: rows * units) }
    let scratchWidth = max(width, units, 1)
    let scratchA = FloatBuffer(count: batch * scratchWidth)
    let scratchB = FloatBuffer(count: batch * scratchWidth)
    let carry = FloatBuffer(count: batch * h)
    var dInput = [Float](repeating: 0, count: rows * n)
    var dTau = [Float](repeating: 0, count: c.mode == .pure ? h : 0)
    var dAmplitude = [Float](repeating: 0, count: c.mode == .pure ? h : 0)

    for t in stride(from: length - 1, through: 0, by: -1) {
      let head = tape.heads.base + t * batch * heads
      let dHead = dHeads.base + t * batch * heads
      let upstream = outputGradient + t * batch * h
      if c.mode == .pure {
        let tau = w.tau!.base, amplitude = w.amplitude!.base
        let decay = tape.decay.base + t * batch * h
        for b in 0..<batch {
          let dt = timespans?[t * batch + b] ?? 1
          for j in 0..<h {
            let i = b * h + j
            let dh = upstream[i] + carry.base[i]
            let (f1, e, a) = (head[i], decay[i], amplitude[j])
            dAmplitude[j] += dh * (1 - e * f1)
            let s = a * dh * f1 * e * dt  // gradient of |w_τ| + |f1|
            dTau[j] += s * signum(tau[j])
            dHead[i] = -a * dh * e + s * signum(f1)
          }
        }
      } else {
        let gated = c.mode == .standard
        for b in 0..<batch {
          let dt = timespans?[t * batch + b] ?? 1
          let row = head + b * heads, dRow = dHead + b * heads
          for j in 0..<h {
            let dh = upstream[b * h + j] + carry.base[b * h + j]
            let (f1, f2, g) = (row[j], row[h + j], row[3 * h + j])
            let df1 = gated ? dh * (1 - g) : dh
            let dg = gated ? dh * (f2 - f1) : dh * f2
            let dGate = dg * g * (1 - g)
            dRow[j] = df1 * (1 - f1 * f1)
            dRow[h + j] = dh * g * (1 - f2 * f2)
            dRow[2 * h + j] = dGate * dt
            dRow[3 * h + j] = dGate
          }
        }
      }
      // d z_n = d heads · W  -> scratchA [batch, headInput]
      var dCurrent = scratchA.base, spare = scratchB.base
      sgemm(
        false, false, m: batch, n: c.headInputSize, k: heads, dHead, lda: heads,
        w.headWeight.base, ldb: c.headInputSize, dCurrent, ldc: c.headInputSize)
      for k in stride(from: layers - 1, through: 0, by: -1) {
        let pre = tape.backbonePre[k].base + t * batch * units
        let dp = dPre[k].base + t * batch * units
        let mask = k >= 1 ? dropout.map { $0 + (t * layers + k) * batch * units } : nil
        for i in 0..<(batch * units) {
          let g = dCurrent[i] * c.activation.derivative(pre[i])
          dp[i] = mask.map { g * $0[i] } ?? g
        }
        let fanIn = c.backboneFanIn(k)
        sgemm(
          false, false, m: batch, n: fanIn, k: units, dp, lda: units,
          w.backboneWeights[k].base, ldb: fanIn, spare, ldc: fanIn)
        swap(&dCurrent, &spare)
      }
      for b in 0..<batch {
        for i in 0..<n { dInput[(t * batch + b) * n + i] = dCurrent[b * width + i] }
        if let resets, resets[t * batch + b] != 0 {
          (carry.base + b * h).update(repeating: 0, count: h)
        } else {
          for j in 0..<h { carry.base[b * h + j] = dCurrent[b * width + n + j] }
        }
      }
    }

    // Weight gradients over all steps at once: dW = dPreᵀ · in over length·batch rows.
    func weightGradient(_ dOut: UnsafePointer<Float>, outWidth: Int, _ input: UnsafePointer<Float>, inWidth: Int)
      -> (weight: [Float], bias: [Float])
    {
      var weight = [Float](repeating: 0, count: outWidth * inWidth)
      weight.withUnsafeMutableBufferPointer {
        sgemm(true, false, m: outWidth, n: inWidth, k: rows, dOut, lda: outWidth, input, ldb: inWidth, $0.baseAddress!, ldc: inWidth)
      }
      var bias = [Float](repeating: 0, count: outWidth)
      for r in 0..<rows { for o in 0..<outWidth { bias[o] += dOut[r * outWidth + o] } }
      return (weight, bias)
    }
    let headInput = layers == 0 ? tape.cellInput.base : tape.backboneOut[layers - 1].base
    let headGradient = weightGradient(dHeads.base, outWidth: heads, headInput, inWidth: c.headInputSize)
    var backboneWeights = [[Float]](), backboneBiases = [[Float]]()
    for k in 0..<layers {
      let input = k == 0 ? tape.cellInput.base : tape.backboneOut[k - 1].base
      let g = weightGradient(dPre[k].base, outWidth: units, input, inWidth: c.backboneFanIn(k))
      backboneWeights.append(g.weight)
      backboneBiases.append(g.bias)
    }
    return CfCKernelGradients(
      input: dInput, initialState: carry.array, backboneWeights: backboneWeights, backboneBiases: backboneBiases,
      headWeight: headGradient.weight, headBias: headGradient.bias, tau: dTau, amplitude: dAmplitude)
  }
}

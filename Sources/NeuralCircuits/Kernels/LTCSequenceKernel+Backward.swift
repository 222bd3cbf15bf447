// Backward of the fused LTC sequence kernel. Reverse through time and through the unfolds,
// recomputing each unfold's synaptic activations from the saved state instead of storing them.
//
// For one unfold, v' = P / D with P = cm_t·v + g·vleak + num, D = cm_t + g + den + ε:
//   dP = dv'/D,  dD = −dv'·v'/D
//   d cm_t = dP·v + dD,  d g = dP·vleak + dD,  d vleak = dP·g,  dv (direct) = dP·cm_t
//   per synapse a = W·s, s = σ(σ_ij·(v_i − μ)), W = f(w)·mask:
//     da = dP_j·erev + dD_j;  d erev = dP_j·a;  d f(w) = da·s·mask
//     d pre = da·W·s·(1 − s);  dσ_ij = dpre·(v_i − μ);  dμ = −dpre·σ_ij;  dv_i += dpre·σ_ij
//   num_s and den_s get dP and dD summed over the unfolds; the sensory synapses then backpropagate
//   to the (mapped) input the same way. cm_t = f(cm)·unfolds/Δt; constraints chain f'(raw).
// Timespans: cm_t = f(cm)·unfolds/Δt, so d Δt = −Σ_unfolds Σ_j d cm_t·f(cm_j)·unfolds/Δt².
// A reset before step t (episode start) zeroes the gradient reaching the sample's previous state.

/// Gradients of one fused LTC sequence; matrices dense [source, target] like torch.
struct LTCKernelGradients {
  /// Shape: [length, batch, sensoryCount].
  var input: [Float]
  /// Shape: [batch, units].
  var initialState: [Float]
  var gleak, vleak, cm: [Float]
  var sigma, mu, w, erev: [Float]
  var sensorySigma, sensoryMu, sensoryW, sensoryErev: [Float]
  /// Shape: [length, batch]; empty when not requested.
  var timespans: [Float] = []
}

extension LTCSequenceKernel {
  /// The gradients of Σ dOutput ⊙ output with respect to the inputs and raw parameters.
  ///
  /// - Parameter outputGradient: Shape: [length, batch, units].
  static func backward(
    _ c: LTCKernelConfiguration, _ w: LTCPackedWeights, length: Int, batch: Int,
    timespans: UnsafePointer<Float>?, resets: UnsafePointer<Float>? = nil, tape: LTCTape,
    outputGradient: UnsafePointer<Float>, needsTimespanGradient: Bool = false
  ) -> LTCKernelGradients {
    precondition(tape.slots == length, "LTC kernel backward: the tape did not save the sequence")
    let (units, sensoryCount, unfolds) = (c.units, c.sensoryCount, c.odeUnfolds)
    let plane = units * batch
    let dv = FloatBuffer(count: plane), dvNext = FloatBuffer(count: plane)
    let dP = FloatBuffer(count: plane), dD = FloatBuffer(count: plane)
    let dNumS = FloatBuffer(count: plane), dDenS = FloatBuffer(count: plane)
    let dx = FloatBuffer(count: sensoryCount * batch)
    let cmt = FloatBuffer(count: plane)
    let activations = FloatBuffer(uninitializedCount: max(w.recurrent.count, w.sensory.count) * batch)
    var dInput = [Float](repeating: 0, count: length * batch * sensoryCount)
    var dLeak = [Float](repeating: 0, count: units), dLeakPotential = dLeak, dCapacitance = dLeak
    var recurrent = SynapseGradients(count: w.recurrent.count)
    var sensory = SynapseGradients(count: w.sensory.count)
    var dTimespans = [Float](repeating: 0, count: needsTimespanGradient ? length * batch : 0)

    for t in stride(from: length - 1, through: 0, by: -1) {
      let states = tape.states.base + t * (unfolds + 1) * plane
      let upstream = outputGradient + t * plane
      for b in 0..<batch { for j in 0..<units { dv.base[j * batch + b] += upstream[b * units + j] } }
      for j in 0..<units {
        for b in 0..<batch { cmt.base[j * batch + b] = w.capacitance[j] / ((timespans?[t * batch + b] ?? 1) / Float(unfolds)) }
      }
      dNumS.zero()
      dDenS.zero()
      for k in stride(from: unfolds - 1, through: 0, by: -1) {
        let v = states + k * plane, next = states + (k + 1) * plane
        let inverse = tape.inverseDenominators.base + (t * unfolds + k) * plane
        for j in 0..<units {
          let (g, vleak) = (w.leak[j], w.leakPotential[j])
          var (dcm, dg, dvl) = (Float(0), Float(0), Float(0))
          for b in 0..<batch {
            let i = j * batch + b
            let p = dv.base[i] * inverse[i]
            let d = -dv.base[i] * next[i] * inverse[i]
            dP.base[i] = p
            dD.base[i] = d
            dNumS.base[i] += p
            dDenS.base[i] += d
            let dcmt = p * v[i] + d
            let dt = timespans?[t * batch + b] ?? 1
            dcm += dcmt * Float(unfolds) / dt
            if needsTimespanGradient { dTimespans[t * batch + b] -= dcmt * w.capacitance[j] * Float(unfolds) / (dt * dt) }
            dg += p * vleak + d
            dvl += p * g
            dvNext.base[i] = p * cmt.base[i]
          }
          dCapacitance[j] += dcm
          dLeak[j] += dg
          dLeakPotential[j] += dvl
        }
        backpropagateSynapses(
          w.recurrent, presynaptic: v, batch: batch, dNumerator: dP.base, dDenominator: dD.base,
          dPresynaptic: dvNext.base, gradients: &recurrent, scratch: activations.base)
        dv.base.update(from: dvNext.base, count: plane)
      }
      if let resets {
        for b in 0..<batch where resets[t * batch + b] != 0 {
          for j in 0..<units { dv.base[j * batch + b] = 0 }
        }
      }
      let x = tape.inputs.base + t * sensoryCount * batch
      dx.zero()
      backpropagateSynapses(
        w.sensory, presynaptic: x, batch: batch, dNumerator: dNumS.base, dDenominator: dDenS.base,
        dPresynaptic: dx.base, gradients: &sensory, scratch: activations.base)
      for b in 0..<batch { for i in 0..<sensoryCount { dInput[(t * batch + b) * sensoryCount + i] = dx.base[i * batch + b] } }
    }

    var initial = [Float](repeating: 0, count: plane)
    for b in 0..<batch { for j in 0..<units { initial[b * units + j] = dv.base[j * batch + b] } }
    let r = recurrent.dense(w.recurrent, rawWeight: w.rawWeight, c, count: units * units)
    let s = sensory.dense(w.sensory, rawWeight: w.rawSensoryWeight, c, count: sensoryCount * units)
    return LTCKernelGradients(
      input: dInput, initialState: initial,
      gleak: zip(dLeak, w.rawLeak).map { $0 * c.constraintDerivative($1) }, vleak: dLeakPotential,
      cm: zip(dCapacitance, w.rawCapacitance).map { $0 * c.constraintDerivative($1) },
      sigma: r.sigma, mu: r.mu, w: r.weight, erev: r.reversal,
      sensorySigma: s.sigma, sensoryMu: s.mu, sensoryW: s.weight, sensoryErev: s.reversal, timespans: dTimespans)
  }

  /// Per-synapse gradient sums (d f(w)·mask-free weight, dσ, dμ, d erev).
  struct SynapseGradients {
    var weight, sigma, mu, reversal: [Float]
    init(count: Int) {
      weight = [Float](repeating: 0, count: count)
      sigma = weight; mu = weight; reversal = weight
    }

    /// Scatters into dense [source, target] matrices; the weight gradient goes through f'(raw w).
    func dense(_ s: LTCSynapseList, rawWeight: [Float], _ c: LTCKernelConfiguration, count: Int)
      -> (weight: [Float], sigma: [Float], mu: [Float], reversal: [Float])
    {
      var result = (
        weight: [Float](repeating: 0, count: count), sigma: [Float](repeating: 0, count: count),
        mu: [Float](repeating: 0, count: count), reversal: [Float](repeating: 0, count: count))
      for k in 0..<s.count {
        let f = s.flatIndex[k]
        result.weight[f] = weight[k] * c.constraintDerivative(rawWeight[f])
        result.sigma[f] = sigma[k]
        result.mu[f] = mu[k]
        result.reversal[f] = reversal[k]
      }
      return result
    }
  }

  /// Backpropagates num_j = Σ a·erev, den_j = Σ a through the listed synapses. `scratch` (at
  /// least synapses·batch floats) receives the recomputed activations.
  @inline(__always)
  static func backpropagateSynapses(
    _ s: LTCSynapseList, presynaptic: UnsafePointer<Float>, batch: Int,
    dNumerator: UnsafePointer<Float>, dDenominator: UnsafePointer<Float>,
    dPresynaptic: UnsafeMutablePointer<Float>, gradients: inout SynapseGradients, scratch: UnsafeMutablePointer<Float>
  ) {
    synapseActivations(s, presynaptic: presynaptic, batch: batch, into: scratch)
    for k in 0..<s.count {
      let activation = scratch + k * batch
      let v = presynaptic + s.source[k] * batch
      let dv = dPresynaptic + s.source[k] * batch
      let (dn, dd) = (dNumerator + s.target[k] * batch, dDenominator + s.target[k] * batch)
      let (weight, sigma, mu, reversal, mask) = (s.weight[k], s.sigma[k], s.mu[k], s.reversal[k], s.mask[k])
      var (gw, gs, gm, ge) = (Float(0), Float(0), Float(0), Float(0))
      for b in 0..<batch {
        let centered = v[b] - mu
        let sg = activation[b]
        let a = weight * sg
        let da = dn[b] * reversal + dd[b]
        ge += dn[b] * a
        gw += da * sg * mask
        let dpre = da * a * (1 - sg)
        gs += dpre * centered
        gm -= dpre * sigma
        dv[b] += dpre * sigma
      }
      gradients.weight[k] += gw
      gradients.sigma[k] += gs
      gradients.mu[k] += gm
      gradients.reversal[k] += ge
    }
  }
}

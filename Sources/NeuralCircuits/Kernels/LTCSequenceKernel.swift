// The fused LTC sequence kernel: a whole sequence of an LTC cell (ode_unfolds semi-implicit Euler
// steps per input, softplus or identity constraints, per-sample timespans) forward in one call.
// The backward is in LTCSequenceKernel+Backward.swift.
//
// Math per step (reference/ncps.md §4.1), source neuron i, target j, batch b, f = softplus or id:
//   sensory (once per step): a = f(sw)·σ(sσ·(x_i − sμ))·smask;  num_s_j = Σ_i a·serev, den_s_j = Σ_i a
//   cm_t = f(cm) / (Δt / unfolds);  then `unfolds` times:
//     a = f(w)·σ(σ_ij·(v_i − μ_ij))·mask;  num_j = Σ_i a·erev + num_s,  den_j = Σ_i a + den_s
//     v_j ← (cm_t·v_j + f(gleak)·vleak + num_j) / (cm_t + f(gleak) + den_j + ε)
// Masked synapses contribute nothing and get zero gradient, so the kernel loops over the synapses
// whose mask is non-zero (all of them for FullyConnected; a few percent for NCP wirings) and never
// builds [batch, units, units] activations. Inside a step the state is neuron-major ([units,
// batch]) so the inner loop runs over the batch. The tape keeps only the state entering each
// unfold and 1/denominator ([length, unfolds, units, batch]); the backward recomputes the rest.

/// The dimensions and choices of an LTC cell as the fused kernel sees them.
public struct LTCKernelConfiguration: Sendable, Hashable {
  /// N: all neurons of the wiring.
  public var units: Int
  /// S: input features (sensory neurons).
  public var sensoryCount: Int
  public var odeUnfolds: Int
  public var epsilon: Float
  /// Softplus on gleak, cm, w and sensory_w (ncps `implicit_param_constraints=True`); else identity.
  public var usesSoftplusConstraints: Bool

  public init(units: Int, sensoryCount: Int, odeUnfolds: Int = 6, epsilon: Float = 1e-8, usesSoftplusConstraints: Bool) {
    self.units = units
    self.sensoryCount = sensoryCount
    self.odeUnfolds = odeUnfolds
    self.epsilon = epsilon
    self.usesSoftplusConstraints = usesSoftplusConstraints
  }

  @inline(__always) func constrained(_ x: Float) -> Float { usesSoftplusConstraints ? softplusValue(x) : x }
  @inline(__always) func constraintDerivative(_ x: Float) -> Float { usesSoftplusConstraints ? softplusDerivative(x) : 1 }
}

/// The synapses with a non-zero mask, with their parameters gathered into flat arrays.
struct LTCSynapseList: @unchecked Sendable {
  var source: [Int]
  var target: [Int]
  /// Flat index `source·targets + target` into the dense parameter matrix.
  var flatIndex: [Int]
  /// f(w)·mask, σ, μ, erev, mask per synapse.
  var weight: [Float]
  var sigma: [Float]
  var mu: [Float]
  var reversal: [Float]
  var mask: [Float]
  var count: Int { source.count }

  /// Gathers the synapses of dense row-major matrices of shape [sources, targets].
  init(
    sources: Int, targets: Int, mask: [Float], weight: [Float], sigma: [Float], mu: [Float], reversal: [Float],
    constrain: (Float) -> Float
  ) {
    source = []; target = []; flatIndex = []
    self.weight = []; self.sigma = []; self.mu = []; self.reversal = []; self.mask = []
    for i in 0..<sources {
      for j in 0..<targets where mask[i * targets + j] != 0 {
        let f = i * targets + j
        source.append(i); target.append(j); flatIndex.append(f)
        self.mask.append(mask[f])
        self.weight.append(constrain(weight[f]) * mask[f])
        self.sigma.append(sigma[f]); self.mu.append(mu[f]); self.reversal.append(reversal[f])
      }
    }
  }
}

/// The parameters of an LTC cell in the kernel's layout (raw values kept for constraint derivatives).
struct LTCPackedWeights: @unchecked Sendable {
  var recurrent: LTCSynapseList
  var sensory: LTCSynapseList
  /// f(gleak), vleak, f(cm) and the raw gleak, cm. Shape: [units].
  var leak: [Float]
  var leakPotential: [Float]
  var capacitance: [Float]
  var rawLeak: [Float]
  var rawCapacitance: [Float]
  /// Raw w and sensory_w (dense), for the constraint derivative.
  var rawWeight: [Float]
  var rawSensoryWeight: [Float]

  /// Packs torch-layout parameters: matrices are [source, target] row-major.
  init(
    _ c: LTCKernelConfiguration, gleak: [Float], vleak: [Float], cm: [Float],
    sigma: [Float], mu: [Float], w: [Float], erev: [Float], mask: [Float],
    sensorySigma: [Float], sensoryMu: [Float], sensoryW: [Float], sensoryErev: [Float], sensoryMask: [Float]
  ) {
    recurrent = LTCSynapseList(
      sources: c.units, targets: c.units, mask: mask, weight: w, sigma: sigma, mu: mu, reversal: erev,
      constrain: c.constrained)
    sensory = LTCSynapseList(
      sources: c.sensoryCount, targets: c.units, mask: sensoryMask, weight: sensoryW, sigma: sensorySigma,
      mu: sensoryMu, reversal: sensoryErev, constrain: c.constrained)
    leak = gleak.map(c.constrained)
    leakPotential = vleak
    capacitance = cm.map(c.constrained)
    rawLeak = gleak
    rawCapacitance = cm
    rawWeight = w
    rawSensoryWeight = sensoryW
  }
}

/// What the LTC forward saves for the backward (or scratch space for one step).
final class LTCTape: @unchecked Sendable {
  let slots: Int
  let batch: Int
  /// The state entering unfold k, and after the last one (k = unfolds). Shape: [slots, unfolds + 1, units, batch].
  let states: FloatBuffer
  /// 1 / (cm_t + f(gleak) + den + ε) of unfold k. Shape: [slots, unfolds, units, batch].
  let inverseDenominators: FloatBuffer
  /// The step's input, feature-major. Shape: [slots, sensoryCount, batch].
  let inputs: FloatBuffer
  /// Scratch: sensory numerator/denominator, numerator/denominator, cm_t. Shape: [units, batch] each.
  let sensoryNumerator, sensoryDenominator, numerator, denominator, capacitance: FloatBuffer
  /// Scratch: σ(σ·(v − μ)) of every listed synapse. Shape: [synapses, batch].
  let activations: FloatBuffer

  init(_ c: LTCKernelConfiguration, _ w: LTCPackedWeights, slots: Int, batch: Int) {
    self.slots = slots
    self.batch = batch
    let plane = c.units * batch
    states = FloatBuffer(count: slots * (c.odeUnfolds + 1) * plane)
    inverseDenominators = FloatBuffer(count: slots * c.odeUnfolds * plane)
    inputs = FloatBuffer(count: slots * c.sensoryCount * batch)
    sensoryNumerator = FloatBuffer(count: plane)
    sensoryDenominator = FloatBuffer(count: plane)
    numerator = FloatBuffer(count: plane)
    denominator = FloatBuffer(count: plane)
    capacitance = FloatBuffer(count: plane)
    activations = FloatBuffer(uninitializedCount: max(w.recurrent.count, w.sensory.count) * batch)
  }
}

enum LTCSequenceKernel {
  /// Runs the cell over a whole sequence.
  ///
  /// - Parameters:
  ///   - input: Already mapped (input_w, input_b). Shape: [length, batch, sensoryCount].
  ///   - initialState: Shape: [batch, units].
  ///   - timespans: Δt per step and sample, Shape: [length, batch]; `nil` means 1.
  ///   - resets: Non-zero where the state of sample b is set to zero before step t (episode
  ///     starts). Shape: [length, batch]; `nil` means none.
  ///   - output: Receives the state after every step. Shape: [length, batch, units].
  ///   - tape: Saves every step when `tape.slots == length`; a 1-slot tape is scratch space.
  static func forward(
    _ c: LTCKernelConfiguration, _ w: LTCPackedWeights, length: Int, batch: Int,
    input: UnsafePointer<Float>, initialState: UnsafePointer<Float>, timespans: UnsafePointer<Float>?,
    resets: UnsafePointer<Float>? = nil, output: UnsafeMutablePointer<Float>, tape: LTCTape
  ) {
    let (units, sensoryCount, unfolds) = (c.units, c.sensoryCount, c.odeUnfolds)
    let plane = units * batch
    let saving = tape.slots == length
    precondition(saving || tape.slots == 1, "LTC kernel: tape holds \(tape.slots) steps for a sequence of \(length)")
    let numS = tape.sensoryNumerator.base, denS = tape.sensoryDenominator.base
    let num = tape.numerator.base, den = tape.denominator.base, cmt = tape.capacitance.base
    for t in 0..<length {
      let slot = saving ? t : 0
      let x = tape.inputs.base + slot * sensoryCount * batch
      for b in 0..<batch { for i in 0..<sensoryCount { x[i * batch + b] = input[(t * batch + b) * sensoryCount + i] } }
      let states = tape.states.base + slot * (unfolds + 1) * plane
      let previous = t == 0 ? initialState : UnsafePointer(output + (t - 1) * plane)
      for b in 0..<batch {
        let keep: Float = resets.map { $0[t * batch + b] != 0 ? 0 : 1 } ?? 1
        for j in 0..<units { states[j * batch + b] = keep * previous[b * units + j] }
      }

      numS.update(repeating: 0, count: plane)
      denS.update(repeating: 0, count: plane)
      accumulateSynapses(
        w.sensory, presynaptic: x, batch: batch, numerator: numS, denominator: denS, scratch: tape.activations.base)
      for j in 0..<units {
        for b in 0..<batch { cmt[j * batch + b] = w.capacitance[j] / ((timespans?[t * batch + b] ?? 1) / Float(unfolds)) }
      }
      for k in 0..<unfolds {
        let v = states + k * plane, next = states + (k + 1) * plane
        let inverse = tape.inverseDenominators.base + (slot * unfolds + k) * plane
        num.update(from: numS, count: plane)
        den.update(from: denS, count: plane)
        accumulateSynapses(
          w.recurrent, presynaptic: v, batch: batch, numerator: num, denominator: den, scratch: tape.activations.base)
        for j in 0..<units {
          let (g, gv) = (w.leak[j], w.leak[j] * w.leakPotential[j])
          for b in 0..<batch {
            let i = j * batch + b
            let d = 1 / (cmt[i] + g + den[i] + c.epsilon)
            inverse[i] = d
            next[i] = (cmt[i] * v[i] + gv + num[i]) * d
          }
        }
      }
      let final = states + unfolds * plane
      let out = output + t * plane
      for b in 0..<batch { for j in 0..<units { out[b * units + j] = final[j * batch + b] } }
    }
  }

  /// num_j += Σ_i a·erev, den_j += Σ_i a with a = weight·σ(σ·(v_i − μ)), over the listed synapses.
  /// `presynaptic`: Shape: [sources, batch]; numerator, denominator: Shape: [targets, batch].
  /// `scratch` (at least synapses·batch floats) receives σ(σ·(v_i − μ)), computed for all synapses
  /// by one vectorized sigmoid.
  @inline(__always)
  static func accumulateSynapses(
    _ s: LTCSynapseList, presynaptic: UnsafePointer<Float>, batch: Int,
    numerator: UnsafeMutablePointer<Float>, denominator: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>
  ) {
    synapseActivations(s, presynaptic: presynaptic, batch: batch, into: scratch)
    for k in 0..<s.count {
      let (n, d) = (numerator + s.target[k] * batch, denominator + s.target[k] * batch)
      let (weight, reversal) = (s.weight[k], s.reversal[k])
      let sg = scratch + k * batch
      for b in 0..<batch {
        let a = weight * sg[b]
        n[b] += a * reversal
        d[b] += a
      }
    }
  }

  /// σ(σ_k·(v[source_k] − μ_k)) for every listed synapse k and sample b. Shape: [synapses, batch].
  @inline(__always)
  static func synapseActivations(
    _ s: LTCSynapseList, presynaptic: UnsafePointer<Float>, batch: Int, into scratch: UnsafeMutablePointer<Float>
  ) {
    for k in 0..<s.count {
      let v = presynaptic + s.source[k] * batch
      let (sigma, mu) = (s.sigma[k], s.mu[k])
      let z = scratch + k * batch
      for b in 0..<batch { z[b] = sigma * (v[b] - mu) }
    }
    vectorSigmoid(scratch, scratch, s.count * batch)
  }
}

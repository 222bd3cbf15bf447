// Episode-start resets inside the fused CfC and LTC sequence kernels (`resets:` of cfcSequence and
// ltcSequence). Two independent checks per kernel: (1) the fused op with resets equals a
// step-by-step composition (one fused step per t, the state multiplied by 1 − reset in between,
// as PolicyCircuit's default replay does), in value and in every gradient; (2) its gradients
// equal central differences of the Double reference with the same resets.

import Foundation
import Randomness
import Testing
import TensorCore
@testable import NeuralCircuits

/// Resets for length 5, batch 3: sample 1 starts an episode at step 0 (its initial state is
/// ignored), sample 0 at steps 2 and 4, sample 2 at step 3. Shape: [5, 3].
let resetPattern = Tensor([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0], shape: [5, 3])

/// Random CfC weights in `CfCWeights.trainable` order, and a way to rebuild them from leaves.
struct RandomCfC {
  var c: CfCKernelConfiguration
  var weights: CfCWeights

  init(_ c: CfCKernelConfiguration, masked: Bool, using g: inout RandomStream) {
    self.c = c
    func affine(_ o: Int, _ i: Int) -> AffineParameters {
      AffineParameters(weight: randomTensor([o, i], -0.8...0.8, &g), bias: randomTensor([o], -0.5...0.5, &g))
    }
    let (h, width) = (c.hiddenSize, c.headInputSize)
    weights = CfCWeights(backbone: (0..<c.backboneLayers).map { affine(c.backboneUnits, c.backboneFanIn($0)) }, ff1: affine(h, width))
    if c.mode == .pure {
      weights.tau = randomTensor([1, h], -1...1, &g)
      weights.amplitude = randomTensor([1, h], -1...1, &g)
    } else {
      weights.ff2 = affine(h, width); weights.timeA = affine(h, width); weights.timeB = affine(h, width)
    }
    if masked { weights.sparsityMask = Tensor((0..<(h * width)).map { Float($0 % 3 == 0 ? 0 : 1) }, shape: [h, width]) }
  }

  /// The weights with their trainable tensors replaced by `leaves` (same order).
  func rebound(_ leaves: [Tensor]) -> CfCWeights {
    var w = weights
    var p = 0
    for k in 0..<c.backboneLayers { w.backbone[k] = AffineParameters(weight: leaves[p], bias: leaves[p + 1]); p += 2 }
    w.ff1 = AffineParameters(weight: leaves[p], bias: leaves[p + 1]); p += 2
    if c.mode == .pure {
      w.tau = leaves[p]; w.amplitude = leaves[p + 1]
    } else {
      w.ff2 = AffineParameters(weight: leaves[p], bias: leaves[p + 1])
      w.timeA = AffineParameters(weight: leaves[p + 2], bias: leaves[p + 3])
      w.timeB = AffineParameters(weight: leaves[p + 4], bias: leaves[p + 5])
    }
    return w
  }
}

/// Compares two lists of gradients element-wise: |a − b| ≤ 1e-5 + 1e-4·|b|.
func expectSameGradients(_ a: [Tensor], _ b: [Tensor], _ label: String) {
  for (index, (x, y)) in zip(a, b).enumerated() {
    let worst = zip(x.scalars, y.scalars).map { abs($0 - $1) / (1e-5 + 1e-4 * abs($1)) }.max() ?? 0
    #expect(worst <= 1, "\(label): gradient \(index) differs by \(worst)× the tolerance")
  }
}

/// The state multiplied by 1 − reset before each fused step of length 1.
func composedSteps(
  length: Int, batch: Int, state: Tensor, resets: Tensor, _ step: (_ t: Int, _ state: Tensor) -> Tensor
) -> Tensor {
  let keeps = (1 - resets).split(count: length, alongAxis: 0).map { $0.reshaped(to: [batch, 1]) }
  var h = state
  var outputs: [Tensor] = []
  for t in 0..<length {
    h = step(t, h * keeps[t])
    outputs.append(h)
  }
  return stack(outputs, axis: 0)
}

struct CfCResetCase: CustomStringConvertible, Sendable {
  var mode: CfCMode
  var layers: Int
  var masked = false
  var timespans = false
  var description: String { "\(mode) layers \(layers)\(masked ? " masked" : "")\(timespans ? " timespans" : "")" }
}

let cfcResetCases = [
  CfCResetCase(mode: .standard, layers: 1), CfCResetCase(mode: .pure, layers: 2, timespans: true),
  CfCResetCase(mode: .noGate, layers: 0, masked: true, timespans: true),
]

@Test(arguments: cfcResetCases)
func cfcResetsMatchStepByStepCompositionAndFiniteDifferences(_ test: CfCResetCase) {
  let (n, h, length, batch) = (3, 4, 5, 3)
  let c = CfCKernelConfiguration(inputSize: n, hiddenSize: h, mode: test.mode, backboneUnits: 5, backboneLayers: test.layers)
  var g = RandomStream(seed: 21)
  let model = RandomCfC(c, masked: test.masked, using: &g)
  let input = randomTensor([length, batch, n], -1...1, &g)
  let h0 = randomTensor([batch, h], -0.5...0.5, &g)
  let ts = test.timespans ? randomTensor([length, batch], 0.2...2, &g) : nil
  let r = randomTensor([length, batch, h], 0.5...1.5, &g)
  let leaves = ([input, h0] + model.weights.trainable).map { $0.requiringGradient() }
  let w = model.rebound(Array(leaves[2...]))

  let fused = cfcSequence(leaves[0], initialState: leaves[1], weights: w, configuration: c, timespans: ts, resets: resetPattern)
  let fusedGradients = (fused * r).sum().gradients(for: leaves)
  let steps = leaves[0].split(count: length, alongAxis: 0)
  let stepTimes = ts?.split(count: length, alongAxis: 0)
  let composed = composedSteps(length: length, batch: batch, state: leaves[1], resets: resetPattern) { t, state in
    cfcSequence(steps[t], initialState: state, weights: w, configuration: c, timespans: stepTimes?[t]).reshaped(to: [batch, h])
  }
  let composedGradients = (composed * r).sum().gradients(for: leaves)
  let worst = zip(fused.scalars, composed.scalars).map { abs($0 - $1) }.max()!
  #expect(worst < 1e-6, "\(test): fused and composed outputs differ by \(worst)")
  expectSameGradients(fusedGradients, composedGradients, "\(test) vs composed")
  // Sample 1 is reset before step 0: its initial state gets no gradient.
  #expect(fusedGradients[1].scalars[h..<(2 * h)].allSatisfy { $0 == 0 })

  let rd = r.scalars.map(Double.init)
  let points = ([input, h0] + model.weights.trainable).map { $0.scalars.map(Double.init) }
  let tsd = ts.map { nested($0.scalars.map(Double.init), length, batch) }
  let resetsd = nested(resetPattern.scalars.map(Double.init), length, batch)
  func reference(_ p: [[Double]]) -> [Double] {
    let ref = CfCReference(c: c, parameters: Array(p[2...]), mask: model.weights.sparsityMask?.scalars.map(Double.init))
    return ref.run(nested(p[0], length, batch, n), nested(p[1], batch, h), tsd, resets: resetsd).flatMap { $0.flatMap { $0 } }
  }
  let forward = zip(fused.scalars, reference(points)).map { abs(Double($0) - $1) }.max()!
  #expect(forward < 1e-5, "\(test): forward differs from the Double reference by \(forward)")
  let numeric = points.indices.map { i in
    numericGradient(points, index: i) { p in zip(reference(p), rd).reduce(0) { $0 + $1.0 * $1.1 } }
  }
  expectGradientsMatch(fusedGradients, numeric, "\(test) vs finite differences")
}

@Test(arguments: [false, true])
func ltcResetsMatchStepByStepCompositionAndFiniteDifferences(_ timespans: Bool) {
  let (units, sensory, length, batch) = (4, 3, 5, 3)
  let c = LTCKernelConfiguration(units: units, sensoryCount: sensory, odeUnfolds: 2, usesSoftplusConstraints: true)
  var g = RandomStream(seed: 23)
  let erev = Tensor((0..<(units * units)).map { Float([-1, 0, 1][$0 % 3]) }, shape: [units, units])
  let serev = Tensor((0..<(sensory * units)).map { Float([1, -1, 0, 1][$0 % 4]) }, shape: [sensory, units])
  let weights = LTCWeights(
    gleak: randomTensor([units], 0.001...1, &g), vleak: randomTensor([units], -0.2...0.2, &g),
    cm: randomTensor([units], 0.4...0.6, &g), sigma: randomTensor([units, units], 3...8, &g),
    mu: randomTensor([units, units], 0.3...0.8, &g), w: randomTensor([units, units], 0.001...1, &g), erev: erev,
    sensorySigma: randomTensor([sensory, units], 3...8, &g), sensoryMu: randomTensor([sensory, units], 0.3...0.8, &g),
    sensoryW: randomTensor([sensory, units], 0.001...1, &g), sensoryErev: serev,
    sparsityMask: abs(erev), sensorySparsityMask: abs(serev))
  let input = randomTensor([length, batch, sensory], -1...1.5, &g)
  let h0 = randomTensor([batch, units], -0.5...0.5, &g)
  let ts = timespans ? randomTensor([length, batch], 0.3...2, &g) : nil
  let r = randomTensor([length, batch, units], 0.5...1.5, &g)
  let leaves = ([input, h0] + weights.trainable).map { $0.requiringGradient() }
  let w = LTCWeights(
    gleak: leaves[2], vleak: leaves[3], cm: leaves[4], sigma: leaves[5], mu: leaves[6], w: leaves[7], erev: leaves[8],
    sensorySigma: leaves[9], sensoryMu: leaves[10], sensoryW: leaves[11], sensoryErev: leaves[12],
    sparsityMask: weights.sparsityMask, sensorySparsityMask: weights.sensorySparsityMask)

  let fused = ltcSequence(leaves[0], initialState: leaves[1], weights: w, configuration: c, timespans: ts, resets: resetPattern)
  let fusedGradients = (fused * r).sum().gradients(for: leaves)
  let steps = leaves[0].split(count: length, alongAxis: 0)
  let stepTimes = ts?.split(count: length, alongAxis: 0)
  let composed = composedSteps(length: length, batch: batch, state: leaves[1], resets: resetPattern) { t, state in
    ltcSequence(steps[t], initialState: state, weights: w, configuration: c, timespans: stepTimes?[t]).reshaped(to: [batch, units])
  }
  let composedGradients = (composed * r).sum().gradients(for: leaves)
  let worst = zip(fused.scalars, composed.scalars).map { abs($0 - $1) }.max()!
  #expect(worst < 1e-6, "LTC: fused and composed outputs differ by \(worst)")
  expectSameGradients(fusedGradients, composedGradients, "LTC vs composed")
  #expect(fusedGradients[1].scalars[units..<(2 * units)].allSatisfy { $0 == 0 })

  let rd = r.scalars.map(Double.init)
  let points = ([input, h0] + weights.trainable).map { $0.scalars.map(Double.init) }
  let tsd = ts.map { nested($0.scalars.map(Double.init), length, batch) }
  let resetsd = nested(resetPattern.scalars.map(Double.init), length, batch)
  func reference(_ p: [[Double]]) -> [Double] {
    let ref = LTCReference(
      c: c, parameters: Array(p[2...]), mask: weights.sparsityMask.scalars.map(Double.init),
      sensoryMask: weights.sensorySparsityMask.scalars.map(Double.init))
    return ref.run(nested(p[0], length, batch, sensory), nested(p[1], batch, units), tsd, resets: resetsd)
      .flatMap { $0.flatMap { $0 } }
  }
  let forward = zip(fused.scalars, reference(points)).map { abs(Double($0) - $1) }.max()!
  #expect(forward < 1e-5, "LTC: forward differs from the Double reference by \(forward)")
  let numeric = points.indices.map { i in
    numericGradient(points, index: i) { p in zip(reference(p), rd).reduce(0) { $0 + $1.0 * $1.1 } }
  }
  expectGradientsMatch(fusedGradients, numeric, "LTC vs finite differences")
}

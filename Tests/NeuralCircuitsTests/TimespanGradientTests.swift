// Gradients with respect to timespans (a Δt that records, e.g. a learned time step) through the
// fused CfC and LTC kernels, against central differences of the Double references.

import Foundation
import Randomness
import Testing
import TensorCore
@testable import NeuralCircuits

@Test(arguments: [
  CfCResetCase(mode: .standard, layers: 1), CfCResetCase(mode: .pure, layers: 0, masked: true),
  CfCResetCase(mode: .noGate, layers: 2),
])
func cfcTimespanGradientMatchesFiniteDifferences(_ test: CfCResetCase) {
  let (n, h, length, batch) = (3, 4, 4, 2)
  let c = CfCKernelConfiguration(inputSize: n, hiddenSize: h, mode: test.mode, backboneUnits: 5, backboneLayers: test.layers)
  var g = RandomStream(seed: 31)
  let model = RandomCfC(c, masked: test.masked, using: &g)
  let input = randomTensor([length, batch, n], -1...1, &g)
  let h0 = randomTensor([batch, h], -0.5...0.5, &g)
  let ts = randomTensor([length, batch], 0.3...2, &g)
  let r = randomTensor([length, batch, h], 0.5...1.5, &g)
  let span = ts.requiringGradient()
  let output = cfcSequence(input, initialState: h0, weights: model.weights, configuration: c, timespans: span)
  let analytic = (output * r).sum().gradients(for: [span])[0]

  let rd = r.scalars.map(Double.init)
  let ref = CfCReference(
    c: c, parameters: model.weights.trainable.map { $0.scalars.map(Double.init) },
    mask: model.weights.sparsityMask?.scalars.map(Double.init))
  let (x, state) = (nested(input.scalars.map(Double.init), length, batch, n), nested(h0.scalars.map(Double.init), batch, h))
  let numeric = numericGradient([ts.scalars.map(Double.init)], index: 0) { p in
    zip(ref.run(x, state, nested(p[0], length, batch)).flatMap { $0.flatMap { $0 } }, rd).reduce(0) { $0 + $1.0 * $1.1 }
  }
  expectGradientsMatch([analytic], [numeric], "\(test) timespans")
}

@Test(arguments: [true, false])
func ltcTimespanGradientMatchesFiniteDifferences(_ softplus: Bool) {
  let (units, sensory, length, batch) = (4, 3, 3, 2)
  let c = LTCKernelConfiguration(units: units, sensoryCount: sensory, odeUnfolds: 3, usesSoftplusConstraints: softplus)
  var g = RandomStream(seed: 37)
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
  let ts = randomTensor([length, batch], 0.3...2, &g)
  let r = randomTensor([length, batch, units], 0.5...1.5, &g)
  let span = ts.requiringGradient()
  let output = ltcSequence(input, initialState: h0, weights: weights, configuration: c, timespans: span)
  let analytic = (output * r).sum().gradients(for: [span])[0]

  let rd = r.scalars.map(Double.init)
  let ref = LTCReference(
    c: c, parameters: weights.trainable.map { $0.scalars.map(Double.init) },
    mask: weights.sparsityMask.scalars.map(Double.init), sensoryMask: weights.sensorySparsityMask.scalars.map(Double.init))
  let (x, state) = (
    nested(input.scalars.map(Double.init), length, batch, sensory), nested(h0.scalars.map(Double.init), batch, units)
  )
  let numeric = numericGradient([ts.scalars.map(Double.init)], index: 0) { p in
    zip(ref.run(x, state, nested(p[0], length, batch)).flatMap { $0.flatMap { $0 } }, rd).reduce(0) { $0 + $1.0 * $1.1 }
  }
  expectGradientsMatch([analytic], [numeric], "LTC \(softplus ? "softplus" : "identity") timespans")
}

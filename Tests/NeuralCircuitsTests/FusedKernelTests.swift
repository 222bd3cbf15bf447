// The fused CfC and LTC sequence kernels against the Double-precision references of
// ReferenceMath.swift: forward values, and gradients of Σ r ⊙ output (fixed random r) with respect
// to every parameter, the inputs and the initial state, checked by central differences in Double.

import Foundation
import Randomness
import Testing
import TensorCore
@testable import NeuralCircuits

/// Uniform random Float tensor.
func randomTensor(_ shape: [Int], _ range: ClosedRange<Float>, _ g: inout RandomStream) -> Tensor {
  Tensor(uniform: shape, in: range, using: &g)
}

/// Compares analytic Float gradients with Double central differences: |a − n| ≤ 1e-4 + 1e-3·|n|.
func expectGradientsMatch(_ analytic: [Tensor], _ numeric: [[Double]], _ label: String) {
  for (index, (a, n)) in zip(analytic, numeric).enumerated() {
    var worst = 0.0
    for (x, y) in zip(a.scalars, n) { worst = max(worst, abs(Double(x) - y) / (1e-4 + 1e-3 * abs(y)) ) }
    #expect(worst <= 1, "\(label): input \(index) gradient off by \(worst)× the tolerance")
  }
}

struct CfCCase: CustomStringConvertible, Sendable {
  var mode: CfCMode
  var activation: BackboneActivation = .lecunTanh
  var layers = 1
  var masked = false
  var timespans = false
  var dropout = false
  /// One Δt for every step and sample (the kernel merges the gate heads for it).
  var constantTimespan: Float? = nil
  var description: String {
    "\(mode) \(activation) layers \(layers)\(masked ? " masked" : "")\(timespans ? " timespans" : "")\(dropout ? " dropout" : "")"
      + (constantTimespan.map { " Δt \($0)" } ?? "")
  }
}

let cfcCases: [CfCCase] = [
  CfCCase(mode: .standard), CfCCase(mode: .pure), CfCCase(mode: .noGate),
  CfCCase(mode: .standard, activation: .silu, layers: 2), CfCCase(mode: .standard, activation: .relu, layers: 2, dropout: true),
  CfCCase(mode: .noGate, activation: .tanh, timespans: true), CfCCase(mode: .pure, activation: .gelu, layers: 2, timespans: true),
  CfCCase(mode: .standard, layers: 0, masked: true, timespans: true), CfCCase(mode: .pure, layers: 0, masked: true),
  CfCCase(mode: .noGate, layers: 0), CfCCase(mode: .standard, layers: 2, constantTimespan: 0.7),
  CfCCase(mode: .noGate, layers: 0, masked: true, constantTimespan: 1.6), CfCCase(mode: .pure, constantTimespan: 0.7),
]

@Test(arguments: cfcCases)
func fusedCfCSequenceMatchesDoubleReferenceAndFiniteDifferences(_ test: CfCCase) {
  let (n, h, units, length, batch) = (3, 4, 5, 4, 3)
  let c = CfCKernelConfiguration(
    inputSize: n, hiddenSize: h, mode: test.mode, activation: test.activation, backboneUnits: units,
    backboneLayers: test.layers)
  var g = RandomStream(seed: 7)
  func affine(_ o: Int, _ i: Int) -> AffineParameters {
    AffineParameters(weight: randomTensor([o, i], -0.8...0.8, &g), bias: randomTensor([o], -0.5...0.5, &g))
  }
  let backbone = (0..<test.layers).map { affine(units, c.backboneFanIn($0)) }
  let width = c.headInputSize
  var weights = CfCWeights(backbone: backbone, ff1: affine(h, width))
  if test.mode == .pure {
    weights.tau = randomTensor([1, h], -1...1, &g)
    weights.amplitude = randomTensor([1, h], -1...1, &g)
  } else {
    weights.ff2 = affine(h, width); weights.timeA = affine(h, width); weights.timeB = affine(h, width)
  }
  if test.masked { weights.sparsityMask = Tensor((0..<(h * width)).map { Float(($0 * 7 + 3) % 3 == 0 ? 0 : 1) }, shape: [h, width]) }
  let input = randomTensor([length, batch, n], -1...1, &g)
  let h0 = randomTensor([batch, h], -0.5...0.5, &g)
  let ts = test.timespans
    ? randomTensor([length, batch], 0.2...2, &g) : test.constantTimespan.map { Tensor(repeating: $0, shape: [length, batch]) }
  var dropout: Tensor? = nil
  if test.dropout {
    let count = length * c.backboneLayers * batch * units
    dropout = Tensor((0..<count).map { _ in g.nextFloat() < 0.3 ? 0 : 1 / 0.7 }, shape: [length, c.backboneLayers, batch, units])
  }
  let r = randomTensor([length, batch, h], 0.5...1.5, &g)

  // Fused kernel: forward and reverse mode.
  let leaves = ([input, h0] + weights.trainable).map { $0.requiringGradient() }
  var w = weights
  var p = 2
  for k in 0..<test.layers { w.backbone[k] = AffineParameters(weight: leaves[p], bias: leaves[p + 1]); p += 2 }
  w.ff1 = AffineParameters(weight: leaves[p], bias: leaves[p + 1]); p += 2
  if test.mode == .pure {
    w.tau = leaves[p]; w.amplitude = leaves[p + 1]
  } else {
    w.ff2 = AffineParameters(weight: leaves[p], bias: leaves[p + 1])
    w.timeA = AffineParameters(weight: leaves[p + 2], bias: leaves[p + 3])
    w.timeB = AffineParameters(weight: leaves[p + 4], bias: leaves[p + 5])
  }
  let output = cfcSequence(leaves[0], initialState: leaves[1], weights: w, configuration: c, timespans: ts, dropout: dropout)
  let analytic = (output * r).sum().gradients(for: leaves)

  // Double reference: forward and central differences.
  let rd = r.scalars.map(Double.init)
  let points = ([input, h0] + weights.trainable).map { $0.scalars.map(Double.init) }
  let tsd = ts.map { nested($0.scalars.map(Double.init), length, batch) }
  let dropd = dropout.map { d in
    (0..<length).map { t in (0..<c.backboneLayers).map { k in (0..<batch).map { b in
      (0..<units).map { u in Double(d.scalars[((t * c.backboneLayers + k) * batch + b) * units + u]) } } } }
  }
  func reference(_ p: [[Double]]) -> [Double] {
    let ref = CfCReference(c: c, parameters: Array(p[2...]), mask: weights.sparsityMask?.scalars.map(Double.init))
    return ref.run(nested(p[0], length, batch, n), nested(p[1], batch, h), tsd, dropd).flatMap { $0.flatMap { $0 } }
  }
  let expected = reference(points)
  let worstForward = zip(output.scalars, expected).map { abs(Double($0) - $1) }.max()!
  #expect(worstForward < 1e-5, "\(test): forward differs by \(worstForward)")
  let numeric = points.indices.map { i in
    numericGradient(points, index: i) { p in zip(reference(p), rd).reduce(0) { $0 + $1.0 * $1.1 } }
  }
  expectGradientsMatch(analytic, numeric, test.description)
}

struct LTCCase: CustomStringConvertible, Sendable {
  var softplus: Bool
  var sparse: Bool
  var timespans: Bool
  var unfolds = 3
  var description: String { "LTC \(softplus ? "softplus" : "identity")\(sparse ? " sparse" : " dense")\(timespans ? " timespans" : "") unfolds \(unfolds)" }
}

@Test(arguments: [
  LTCCase(softplus: true, sparse: false, timespans: false), LTCCase(softplus: false, sparse: true, timespans: true),
  LTCCase(softplus: true, sparse: true, timespans: true, unfolds: 6), LTCCase(softplus: false, sparse: false, timespans: false, unfolds: 1),
])
func fusedLTCSequenceMatchesDoubleReferenceAndFiniteDifferences(_ test: LTCCase) {
  let (units, sensory, length, batch) = (5, 3, 3, 2)
  let c = LTCKernelConfiguration(units: units, sensoryCount: sensory, odeUnfolds: test.unfolds, epsilon: 1e-8, usesSoftplusConstraints: test.softplus)
  var g = RandomStream(seed: 11)
  func polarity(_ count: Int) -> Tensor {
    Tensor((0..<count).map { _ in
      let u = g.nextFloat()
      return test.sparse && u < 0.4 ? 0 : (u < 0.7 ? -1 : 1)
    }, shape: [count])
  }
  let erev = polarity(units * units).reshaped(to: [units, units])
  let serev = polarity(sensory * units).reshaped(to: [sensory, units])
  let weights = LTCWeights(
    gleak: randomTensor([units], 0.001...1, &g), vleak: randomTensor([units], -0.2...0.2, &g),
    cm: randomTensor([units], 0.4...0.6, &g), sigma: randomTensor([units, units], 3...8, &g),
    mu: randomTensor([units, units], 0.3...0.8, &g), w: randomTensor([units, units], 0.001...1, &g), erev: erev,
    sensorySigma: randomTensor([sensory, units], 3...8, &g), sensoryMu: randomTensor([sensory, units], 0.3...0.8, &g),
    sensoryW: randomTensor([sensory, units], 0.001...1, &g), sensoryErev: serev,
    sparsityMask: abs(erev), sensorySparsityMask: abs(serev))
  let input = randomTensor([length, batch, sensory], -1...1.5, &g)
  let h0 = randomTensor([batch, units], -0.5...0.5, &g)
  let ts = test.timespans ? randomTensor([length, batch], 0.3...2, &g) : nil
  let r = randomTensor([length, batch, units], 0.5...1.5, &g)

  let leaves = ([input, h0] + weights.trainable).map { $0.requiringGradient() }
  let w = LTCWeights(
    gleak: leaves[2], vleak: leaves[3], cm: leaves[4], sigma: leaves[5], mu: leaves[6], w: leaves[7], erev: leaves[8],
    sensorySigma: leaves[9], sensoryMu: leaves[10], sensoryW: leaves[11], sensoryErev: leaves[12],
    sparsityMask: weights.sparsityMask, sensorySparsityMask: weights.sensorySparsityMask)
  let output = ltcSequence(leaves[0], initialState: leaves[1], weights: w, configuration: c, timespans: ts)
  let analytic = (output * r).sum().gradients(for: leaves)

  let rd = r.scalars.map(Double.init)
  let points = ([input, h0] + weights.trainable).map { $0.scalars.map(Double.init) }
  let tsd = ts.map { nested($0.scalars.map(Double.init), length, batch) }
  func reference(_ p: [[Double]]) -> [Double] {
    let ref = LTCReference(
      c: c, parameters: Array(p[2...]), mask: weights.sparsityMask.scalars.map(Double.init),
      sensoryMask: weights.sensorySparsityMask.scalars.map(Double.init))
    return ref.run(nested(p[0], length, batch, sensory), nested(p[1], batch, units), tsd).flatMap { $0.flatMap { $0 } }
  }
  let expected = reference(points)
  let worstForward = zip(output.scalars, expected).map { abs(Double($0) - $1) }.max()!
  #expect(worstForward < 1e-5, "\(test): forward differs by \(worstForward)")
  let numeric = points.indices.map { i in
    numericGradient(points, index: i) { p in zip(reference(p), rd).reduce(0) { $0 + $1.0 * $1.1 } }
  }
  expectGradientsMatch(analytic, numeric, test.description)
}

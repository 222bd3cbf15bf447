import Foundation
import Testing
import TensorCore
@testable import Training

private let oldLogProbabilities: [Float] = [-0.7, -1.2, -0.3, -2.0]
private let oldValues: [Float] = [0.5, -0.2, 1.0, 0.1]
private let advantages: [Float] = [1.0, -0.5, 0.25, -2.0]
private let returns: [Float] = [1.2, -0.4, 0.9, 0.6]

private func loss(_ logP: Tensor, _ entropy: Tensor, _ values: Tensor, clipValue: Bool = true) -> PPOLoss {
  ppoLoss(
    logProbabilities: logP, entropy: entropy, values: values, oldLogProbabilities: oldLogProbabilities,
    oldValues: oldValues, advantages: advantages, returns: returns, clipRange: 0.2,
    clipValueLoss: clipValue, valueCoefficient: 0.5, entropyCoefficient: 0.01, normalizeAdvantages: true)
}

@Test func unchangedPolicyHasRatioOneAndNoKL() {
  let terms = loss(Tensor(oldLogProbabilities), Tensor([1, 1, 1, 1]), Tensor(oldValues))
  // With r = 1 the surrogate is −mean(normalized A) = 0.
  #expect(abs(terms.policy) < 1e-6)
  #expect(terms.approximateKL == 0)
  #expect(terms.clipFraction == 0)
}

@Test func gradientsMatchFiniteDifferencesInsideTheClipRange() {
  // Log-probabilities within ±0.1 of the old ones keep every ratio inside 1 ± 0.2.
  let logP = Tensor(zip(oldLogProbabilities, [0.05, -0.08, 0.02, 0.09]).map { $0 + $1 })
  let check = checkGradients(at: [logP, Tensor([0.6, 0.9, 1.1, 0.3]), Tensor([0.45, -0.1, 0.95, 0.2])], step: 1e-3) {
    loss($0[0], $0[1], $0[2]).total
  }
  #expect(check.isPassing, "\(check)")
}

@Test func clippedSamplesGiveNoPolicyGradient() {
  // Sample 0 has A > 0 and ratio e^0.5 > 1.2: the clipped term is the maximum, so its gradient is 0.
  var moved = oldLogProbabilities
  moved[0] += 0.5
  let logP = Tensor(moved).requiringGradient()
  let terms = loss(logP, Tensor([0, 0, 0, 0]), Tensor(oldValues), clipValue: false)
  let gradient = terms.total.gradients(for: [logP])[0]
  #expect(gradient.scalars[0] == 0)
  #expect(gradient.scalars[1] != 0)
  #expect(terms.clipFraction == 0.25)
}

@Test func approximateKLIsTheMeanOfRatioMinusOneMinusLogRatio() {
  let shift: [Float] = [0.1, -0.1, 0.3, 0]
  let terms = loss(Tensor(zip(oldLogProbabilities, shift).map { $0 + $1 }), Tensor([0, 0, 0, 0]), Tensor(oldValues))
  let expected = shift.map { Foundation.exp($0) - 1 - $0 }.reduce(0, +) / 4
  #expect(abs(terms.approximateKL - expected) < 1e-6)
}

@Test func advantageNormalizationUsesTheUnbiasedStandardDeviation() {
  let x = normalized([1, 2, 3, 4])
  // mean 2.5, unbiased std √(5/3)
  #expect(abs(x[0] - (-1.5 / (5.0 / 3).squareRoot())) < 1e-5)
  #expect(abs(x.reduce(0, +)) < 1e-5)
}

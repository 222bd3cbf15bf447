import Testing
@testable import Training

/// A direct transcription of the definition: A_t = Σ_k (γλ)^k δ_{t+k} within the episode.
private func referenceAdvantages(
  rewards: [Float], values: [Float], nextValues: [Float], ends: [Bool], discount: Float, lambda: Float
) -> [Float] {
  let deltas = (0..<rewards.count).map { rewards[$0] + discount * nextValues[$0] - values[$0] }
  return (0..<rewards.count).map { t in
    var total: Float = 0
    var weight: Float = 1
    for k in t..<rewards.count {
      total += weight * deltas[k]
      if ends[k] { break }
      weight *= discount * lambda
    }
    return total
  }
}

@Test func advantagesOfOneEnvironmentMatchTheDefinition() {
  let rewards: [Float] = [1, 0.5, -1, 2, 0, 1]
  let values: [Float] = [0.3, -0.2, 0.9, 0.1, 0.4, -0.5]
  let terminal = [false, false, true, false, false, false]
  let truncated = [false, false, false, false, true, false]
  let truncationValues: [Float] = [0, 0, 0, 0, 0.7, 0]
  let last: Float = 0.25
  let advantages = generalizedAdvantages(
    rewards: rewards, values: values, isTerminal: terminal, isTruncated: truncated,
    truncationValues: truncationValues, lastValues: [last], discount: 0.9, gaeLambda: 0.8)
  // Step t's successor value: 0 after termination, the truncation value after truncation,
  // otherwise the next step's value (the bootstrap value after the last step).
  let nextValues: [Float] = [-0.2, 0.9, 0, 0.4, 0.7, last]
  let ends = zip(terminal, truncated).map { $0 || $1 }
  let expected = referenceAdvantages(
    rewards: rewards, values: values, nextValues: nextValues, ends: ends, discount: 0.9, lambda: 0.8)
  for (a, b) in zip(advantages, expected) { #expect(abs(a - b) < 1e-5) }
}

@Test func environmentsAreIndependentInTheStepMajorLayout() {
  // Two environments interleaved step-major must give what each gives alone.
  let rewardsA: [Float] = [1, 2, 3], rewardsB: [Float] = [-1, 0, 1]
  let valuesA: [Float] = [0.5, 0.1, 0.2], valuesB: [Float] = [0, 0.3, -0.4]
  let terminalA = [false, true, false], terminalB = [false, false, false]
  func alone(_ r: [Float], _ v: [Float], _ d: [Bool], _ last: Float) -> [Float] {
    generalizedAdvantages(
      rewards: r, values: v, isTerminal: d, isTruncated: [false, false, false],
      truncationValues: [0, 0, 0], lastValues: [last], discount: 0.99, gaeLambda: 0.95)
  }
  let together = generalizedAdvantages(
    rewards: zip(rewardsA, rewardsB).flatMap { [$0, $1] },
    values: zip(valuesA, valuesB).flatMap { [$0, $1] },
    isTerminal: zip(terminalA, terminalB).flatMap { [$0, $1] },
    isTruncated: [Bool](repeating: false, count: 6), truncationValues: [Float](repeating: 0, count: 6),
    lastValues: [0.7, -0.3], discount: 0.99, gaeLambda: 0.95)
  let a = alone(rewardsA, valuesA, terminalA, 0.7), b = alone(rewardsB, valuesB, terminalB, -0.3)
  #expect(together == zip(a, b).flatMap { [$0, $1] })
}

@Test func lambdaOneGivesDiscountedReturnsMinusValues() {
  let rewards: [Float] = [1, 1, 1, 1]
  let values: [Float] = [0.5, 0.5, 0.5, 0.5]
  let advantages = generalizedAdvantages(
    rewards: rewards, values: values, isTerminal: [false, false, false, true],
    isTruncated: [false, false, false, false], truncationValues: [0, 0, 0, 0], lastValues: [9],
    discount: 0.5, gaeLambda: 1)
  let returns: [Float] = [1.875, 1.75, 1.5, 1]
  for t in 0..<4 { #expect(abs(advantages[t] - (returns[t] - values[t])) < 1e-6) }
}

@Test func explainedVarianceIsOneForPerfectAndZeroForTheMean() {
  let targets: [Float] = [1, 2, 3, 4]
  #expect(abs(explainedVariance(predictions: targets, targets: targets) - 1) < 1e-6)
  #expect(abs(explainedVariance(predictions: [2.5, 2.5, 2.5, 2.5], targets: targets)) < 1e-6)
}

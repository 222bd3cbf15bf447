import Environments
import Randomness
import TensorCore
import Testing
@testable import Training

private func cartPolePolicy(seed: UInt64) -> ActorCritic {
  var generator = RandomStream(seed: seed)
  return ActorCritic(
    encoder: nil, circuit: FeedForwardCircuit(inputSize: 4, units: [16], using: &generator),
    observationShape: [4], actionSpace: .discrete(count: 2), using: &generator)
}

private func collect(workers: Int, steps: Int = 40, maxEpisodeSteps: Int = 500) throws -> RolloutBuffer {
  let environments = (0..<6).map { _ in TimeLimit(CartPole(), maxEpisodeSteps: maxEpisodeSteps) }
  var collector = RolloutCollector(environments: environments, seed: 3, stateSize: 0, chunkSize: 2, workerCount: workers)
  var buffer = RolloutBuffer(steps: steps, environmentCount: 6, observationSize: 4, actionSize: 1, stateSize: 0)
  collector.collect(policy: cartPolePolicy(seed: 1), into: &buffer, bootstrapTruncation: true)
  return buffer
}

@Test func rolloutsAreTheSameForAnyWorkerCount() throws {
  let one = try collect(workers: 1), two = try collect(workers: 2), three = try collect(workers: 3)
  #expect(one.observations == two.observations && two.observations == three.observations)
  #expect(one.actions == two.actions && one.logProbabilities == three.logProbabilities)
}

@Test func theStepAfterAnEpisodeEndIsFlaggedAsAStart() throws {
  let buffer = try collect(workers: 1)
  let n = buffer.environmentCount
  #expect((0..<n).allSatisfy { buffer.episodeStarts[$0] == 1 })  // the first observations
  var endings = 0
  for t in 0..<(buffer.steps - 1) {
    for e in 0..<n where buffer.isTerminal[t * n + e] || buffer.isTruncated[t * n + e] {
      endings += 1
      #expect(buffer.episodeStarts[(t + 1) * n + e] == 1)
    }
  }
  #expect(endings > 0)  // a random CartPole policy fails within 40 steps
}

@Test func truncatedEpisodesAreValuedByTheCritic() throws {
  let buffer = try collect(workers: 2, steps: 12, maxEpisodeSteps: 5)
  let truncated = buffer.isTruncated.indices.filter { buffer.isTruncated[$0] && !buffer.isTerminal[$0] }
  #expect(!truncated.isEmpty)
  #expect(truncated.allSatisfy { buffer.truncationValues[$0] != 0 })
  #expect(buffer.truncationValues.indices.filter { !buffer.isTruncated[$0] }.allSatisfy { buffer.truncationValues[$0] == 0 })
}

@Test func logProbabilitiesAreThoseOfTheActionsTaken() throws {
  let buffer = try collect(workers: 1, steps: 3)
  let policy = cartPolePolicy(seed: 1)
  let (distribution, _, _) = policy.step(
    observations: Tensor(Array(buffer.observations[0..<24]), shape: [6, 4]), state: Tensor(zeros: [6, 0]),
    episodeStarts: Tensor(ones: [6]), elapsedTimes: Tensor(ones: [6]))
  let expected = distribution.logProbability(of: Array(buffer.actions[0..<6])).scalars
  #expect(zip(expected, buffer.logProbabilities[0..<6]).allSatisfy { abs($0 - $1) < 1e-6 })
}

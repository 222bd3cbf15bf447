import Environments
import Foundation
import NeuralNetworks
import Testing
@testable import Training

/// Emits a scripted reward sequence with scripted terminations (one observation element, 0).
private struct ScriptedRewards: Environment {
  var rewards: [Double]
  var terminal: [Bool]
  var t = 0
  var observationSpace: ObservationSpace { ObservationSpace(shape: [1], low: 0, high: 1) }
  var actionSpace: ActionSpace { .discrete(count: 1) }
  mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) { observation[0] = 0 }
  mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    defer { t += 1 }
    observation[0] = 0
    return StepOutcome(reward: rewards[t], isTerminal: terminal[t])
  }
  func render() -> Frame { Frame(width: 1, height: 1, color: .black) }
}

@Test func rewardNormalizerIsGymnasiumsNormalizeRewardPerEnvironment() {
  let (steps, environments) = (40, 3)
  var generator = SystemRandomNumberGenerator()
  // Small-integer rewards survive the Float buffer exactly, so both sides see the same values.
  let rewards = (0..<steps * environments).map { _ in Float(Int.random(in: -3...5, using: &generator)) }
  let terminal = (0..<steps * environments).map { _ in Int.random(in: 0..<7, using: &generator) == 0 }
  var normalizer = RewardNormalizer(environmentCount: environments, discount: 0.97, clip: 1000)
  // Two rollouts in a row: the discounted returns and statistics carry over.
  var first = Array(rewards[..<(steps / 2 * environments)]), second = Array(rewards[(steps / 2 * environments)...])
  normalizer.normalize(&first, isTerminal: Array(terminal[..<(steps / 2 * environments)]))
  normalizer.normalize(&second, isTerminal: Array(terminal[(steps / 2 * environments)...]))
  let normalized = first + second
  for e in 0..<environments {
    let column = stride(from: e, to: steps * environments, by: environments)
    var reference = NormalizeReward(
      ScriptedRewards(rewards: column.map { Double(rewards[$0]) }, terminal: column.map { terminal[$0] }), discount: 0.97)
    _ = reference.reset(seed: 0)
    for index in column {
      #expect(normalized[index] == Float(reference.step(.discrete(0)).reward), "environment \(e), index \(index)")
    }
    #expect(normalizer.statistics[e] == reference.statistics)
    #expect(normalizer.discountedReturns[e] == reference.discountedReturn)
  }
}

@Test func normalizedRewardsAreClipped() {
  var normalizer = RewardNormalizer(environmentCount: 1, discount: 0.99, clip: 2)
  var rewards: [Float] = [0, 0, 0, 1000, -1000]
  normalizer.normalize(&rewards, isTerminal: [false, false, false, false, false])
  #expect(rewards.allSatisfy { abs($0) <= 2 })
  #expect(rewards[3] == 2 && rewards[4] == -2)
}

@Test func observationNormalizingClipsAndFreezes() {
  var environment = ObservationNormalizing(CartPole(), clip: 0.5)
  var observations = [environment.reset(seed: 3)]
  for t in 0..<30 { observations.append(environment.step(.discrete(t % 2)).observation) }
  #expect(observations.joined().allSatisfy { abs($0) <= 0.5 })
  #expect(observations.joined().contains { abs($0) == 0.5 })
  environment.updatesStatistics = false
  let frozen = environment.statistics
  _ = environment.step(.discrete(0))
  #expect(environment.statistics == frozen)
}

private func normalizedRun() -> PPORunConfiguration {
  var configuration = smallPPORun()
  configuration.normalizeObservations = true
  configuration.normalizeRewards = true
  return configuration
}

@Test func resumeRestoresTheNormalizerStatisticsBitForBit() throws {
  let whole = try temporaryRunDirectory(), pieces = try temporaryRunDirectory()
  defer {
    try? FileManager.default.removeItem(at: whole.url)
    try? FileManager.default.removeItem(at: pieces.url)
  }
  let runs = try trainWholeAndInPieces(normalizedRun(), whole: whole, pieces: pieces)
  let summary = try #require(runs.uninterrupted)
  #expect(runs.interrupted == nil)
  let resumed = try #require(runs.resumed)

  let a = try SafeTensorsFile(contentsOf: whole.file(PPORun.checkpointName))
  let b = try SafeTensorsFile(contentsOf: pieces.file(PPORun.checkpointName))
  for name in a.orderedNames { #expect(try a.tensor(named: name).scalars == b.tensor(named: name).scalars, "\(name)") }
  let observations = try #require(a.metadata["observation_statistics"])
  let rewards = try #require(a.metadata["reward_normalizer"])
  #expect(observations == b.metadata["observation_statistics"])
  #expect(rewards == b.metadata["reward_normalizer"])
  #expect(summary.evalMeanReturn == resumed.evalMeanReturn)

  // The statistics moved away from their initial values and survive JSON exactly.
  let statistics = try JSONDecoder().decode([RunningMeanVariance<Float>].self, from: Data(observations.utf8))
  #expect(statistics.count == 4 && statistics.allSatisfy { $0.count > 100 && $0.mean != [0, 0, 0, 0] })
  let normalizer = try JSONDecoder().decode(RewardNormalizer.self, from: Data(rewards.utf8))
  #expect(normalizer.statistics.allSatisfy { $0.count == 1e-4 + 6 * 16 })
  let encoder = JSONEncoder()
  encoder.outputFormatting = .sortedKeys
  #expect(String(decoding: try encoder.encode(statistics), as: UTF8.self) == observations)
  #expect(String(decoding: try encoder.encode(normalizer), as: UTF8.self) == rewards)
}

@Test func aCheckpointWithoutNormalizerStatisticsIsRefusedByName() throws {
  let directory = try temporaryRunDirectory()
  defer { try? FileManager.default.removeItem(at: directory.url) }
  var first = PPORun(configuration: normalizedRun(), directory: directory)
  first.showsProgress = false
  first.iterationLimit = 2
  _ = try first.run(resume: false)
  let url = directory.file(PPORun.checkpointName)
  var file = try SafeTensorsFile(contentsOf: url)
  file.metadata["observation_statistics"] = nil
  try file.write(to: url)
  var second = PPORun(configuration: normalizedRun(), directory: directory)
  second.showsProgress = false
  let error = try #require(throws: ConfigurationError.self) { try second.run(resume: true) }
  #expect(error.field == "observation_statistics")
}

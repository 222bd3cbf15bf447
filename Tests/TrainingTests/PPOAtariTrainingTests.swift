import Environments
import Foundation
import Randomness
import TensorCore
import Testing
@testable import Training

// The pieces an Atari PPO run is made of: capped and sampled evaluation, life-loss training
// episodes, reward clipping, a narrower Nature CNN and the policy built once.

/// A small CfC policy for `environment`.
private func smallPolicy<Env: Environment>(for environment: Env, seed: UInt64 = 1) throws -> ActorCritic {
  var architecture = PolicyConfiguration()
  architecture.units = 8
  architecture.backboneUnits = 8
  architecture.criticUnits = [8]
  return try ActorCritic(
    configuration: architecture, observationSpace: environment.observationSpace, actionSpace: environment.actionSpace,
    seed: seed)
}

@Test func evaluationStopsEpisodesAtTheStepLimit() throws {
  let cartPole = try Catalog.make("CartPole-v1") as! TimeLimit<CartPole>
  let policy = try smallPolicy(for: cartPole)
  let free = evaluate(policy: policy, makeEnvironment: { cartPole }, episodes: 6, seed: 5)
  let capped = evaluate(policy: policy, makeEnvironment: { cartPole }, episodes: 6, seed: 5, maxSteps: 4)
  // An untrained policy keeps the pole up for more than 4 steps; each capped episode is the
  // first 4 steps of the free one (CartPole gives 1 a step).
  #expect(free.lengths.allSatisfy { $0 > 4 })
  #expect(capped.lengths == [Int](repeating: 4, count: 6))
  #expect(capped.returns == [Double](repeating: 4, count: 6))
}

@Test func sampledEvaluationIsReproducibleForAnyWorkerCountAndDiffersFromGreedy() throws {
  let cartPole = try Catalog.make("CartPole-v1") as! TimeLimit<CartPole>
  let policy = try smallPolicy(for: cartPole)
  let one = evaluate(
    policy: policy, makeEnvironment: { cartPole }, episodes: 8, seed: 9, workerCount: 1, chunkSize: 2, sampled: true)
  let two = evaluate(
    policy: policy, makeEnvironment: { cartPole }, episodes: 8, seed: 9, workerCount: 2, chunkSize: 2, sampled: true)
  let greedy = evaluate(policy: policy, makeEnvironment: { cartPole }, episodes: 8, seed: 9, chunkSize: 2)
  #expect(one == two)
  #expect(one.lengths != greedy.lengths)
}

@Test func terminalOnLifeLossEndsBreakoutEpisodesPerLifeAndContinuesTheGame() throws {
  var env = try Catalog.make("Arcade/Breakout-v0", options: Catalog.Options(terminalOnLifeLoss: true))
    as! FrameStack<AtariPreprocessing<Breakout>>
  _ = env.reset(seed: 3)
  var random = RandomStream(seed: 4)
  var episodes = 0, steps = 0
  // A random player loses its 5 lives in about 90 steps: 5 episodes, then a new game.
  while episodes < 5 && steps < 5000 {
    let step = env.step(.discrete(random.nextInt(below: 4)))
    steps += 1
    guard step.isTerminal || step.isTruncated else { continue }
    episodes += 1
    #expect(step.isTerminal)
    #expect(env.base.base.game.lives == 5 - episodes)
    _ = env.reset(seed: nil)
  }
  #expect(episodes == 5)
  #expect(env.base.base.game.lives == 5, "the reset after the last life starts a new game")
}

@Test func terminalOnLifeLossIsRefusedForEnvironmentsWithoutLives() {
  #expect(throws: Catalog.Error.self) { try Catalog.make("CartPole-v1", options: Catalog.Options(terminalOnLifeLoss: true)) }
  #expect(throws: Catalog.Error.self) {
    try Catalog.make("MinAtar/Breakout-v1", options: Catalog.Options(terminalOnLifeLoss: true))
  }
}

@Test func clippedRewardsTrainOnSignsButReportRawReturns() throws {
  // The bandit probe pays 1 per correct answer; scaled by 3 the raw returns are multiples of 3.
  var ppo = PPOConfiguration()
  ppo.environmentCount = 2
  ppo.stepsPerRollout = 8
  ppo.epochs = 1
  ppo.totalSteps = 16
  ppo.workerCount = 1
  let bandit = ScaledReward(BanditProbe(), scale: 3)
  var trainer = PPOTrainer(
    configuration: ppo, policy: try smallPolicy(for: bandit), environments: [bandit, bandit], seed: 1)
  trainer.clipsRewards = true
  let metrics = trainer.iterate()
  #expect(!metrics.episodes.isEmpty)
  #expect(metrics.episodes.allSatisfy { $0.episodeReturn.truncatingRemainder(dividingBy: 3) == 0 })
  #expect(metrics.episodes.contains { $0.episodeReturn == 3 })
}

@Test func narrowNatureCNNHasTheRequestedChannels() throws {
  var generator = RandomStream(seed: 1)
  let cnn = NatureCNN(observationShape: [4, 84, 84], channels: [8, 16, 16], features: 32, using: &generator)
  var copy = cnn
  var shapes: [[Int]] = []
  copy.visitTensors { _, _, tensor in shapes.append(tensor.shape) }
  #expect(shapes.contains([8, 4, 8, 8]) && shapes.contains([16, 8, 4, 4]) && shapes.contains([16, 16, 3, 3]))
  #expect(shapes.contains { $0.count == 2 && $0.contains(16 * 7 * 7) && $0.contains(32) })
  #expect(cnn(Tensor(zeros: [2, 4, 84, 84])).shape == [2, 32])
}

@Test func ppoRunStartsFromTheCheckedPolicy() throws {
  var configuration = smallPPORun()
  configuration.ppo.totalSteps = 2 * 64
  configuration.ppo.evaluationMaxSteps = 7
  configuration.ppo.sampledEvaluationEpisodes = 2
  configuration.ppo.evaluationInterval = 1
  configuration.ppo.periodicEvaluationEpisodes = 2
  let checked = try PPORun.check(configuration)
  let fresh = try ActorCritic(
    configuration: configuration.policy, observationSpace: CartPole().observationSpace,
    actionSpace: CartPole().actionSpace, seed: configuration.seed)
  #expect(checked.stateDict().mapValues(\.scalars) == fresh.stateDict().mapValues(\.scalars))

  let (a, b) = (try temporaryRunDirectory(), try temporaryRunDirectory())
  defer { for d in [a, b] { try? FileManager.default.removeItem(at: d.url) } }
  var given = quietRun(configuration, in: a)
  given.initialPolicy = checked
  let withChecked = try #require(try given.run(resume: false))
  let built = try #require(try quietRun(configuration, in: b).run(resume: false))
  #expect(withChecked.evalMeanReturn == built.evalMeanReturn && withChecked.sampledEvalMeanReturn == built.sampledEvalMeanReturn)
  #expect(withChecked.evalMeanLength == 7 && withChecked.sampledEvalEpisodes == 2)
  #expect(withChecked.evalEpisodesAtStepLimit == 3 && withChecked.sampledEvalEpisodesAtStepLimit == 2)
  let metrics = try String(contentsOf: a.file("metrics.csv"), encoding: .utf8)
  #expect(metrics.split(separator: "\n").count == 3 && metrics.contains("eval/greedy_return"))
}

/// `wrapped` with every reward multiplied by `scale`.
private struct ScaledReward<Wrapped: Environment>: Environment {
  typealias Scalar = Wrapped.Scalar
  var wrapped: Wrapped
  let scale: Double
  init(_ wrapped: Wrapped, scale: Double) {
    self.wrapped = wrapped
    self.scale = scale
  }
  var observationSpace: ObservationSpace { wrapped.observationSpace }
  var actionSpace: ActionSpace { wrapped.actionSpace }
  mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    wrapped.reset(seed: seed, into: observation)
  }
  mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    var outcome = wrapped.step(action, into: observation)
    outcome.reward *= scale
    return outcome
  }
  func render() -> Frame { wrapped.render() }
}

@Test func trainingStopsAtTheTimeBudgetAndStillEvaluates() throws {
  var configuration = smallPPORun()
  configuration.ppo.totalSteps = 1_000_000
  configuration.ppo.maxTrainingSeconds = 1e-6  // out of time after the first iteration
  let directory = try temporaryRunDirectory()
  defer { try? FileManager.default.removeItem(at: directory.url) }
  let summary = try #require(try quietRun(configuration, in: directory).run(resume: false))
  #expect(summary.iterations == 1 && summary.envSteps == 64 && summary.evalEpisodes == 3)
  #expect(FileManager.default.fileExists(atPath: directory.file(PPORun.checkpointName).path))
  #expect(FileManager.default.fileExists(atPath: directory.file("curve.png").path))
}

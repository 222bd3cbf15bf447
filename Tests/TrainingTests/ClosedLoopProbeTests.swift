import Environments
import Foundation
import TensorCore
import Testing

@testable import Training

@Suite struct ClosedLoopProbeTests {
  static let envID = "MinAtar/Breakout-v1"
  /// The environment of `envID`, as its concrete type for stepping.
  static func environment() -> MinAtarEnvironment<MinAtarBreakout> { MinAtarEnvironment(MinAtarBreakout(), usesMinimalActionSet: true) }

  static func policy(circuit: PolicyConfiguration.Circuit = .cfc) throws -> ActorCritic {
    var configuration = BCRunConfiguration().policy
    configuration.circuit = circuit
    configuration.actorGain = 1
    let environment = try Catalog.make(envID)
    return try ActorCritic(
      configuration: configuration, observationSpace: environment.observationSpace, actionSpace: environment.actionSpace, seed: 5)
  }

  /// The expert is asked in each state the clone visits before it steps: replaying the trace's
  /// actions from the same reset and asking the scripted expert gives the trace's expert actions,
  /// the same return and length, and the confusion counts tally those pairs.
  @Test func traceMatchesAReplayOfItsActions() throws {
    let probe = ClosedLoopProbe(policy: try Self.policy(), maxSteps: 60)
    let trace = try probe.play(try Catalog.make(Self.envID), seed: 11)
    #expect(trace.length == trace.actions.count && trace.length == trace.expertActions.count)
    #expect(trace.length <= 60 && trace.length > 0)
    var environment = Self.environment()
    _ = environment.reset(seed: 11)
    var expert = ScriptedExpert()
    var expertActions = ""
    var total = 0.0
    let count = trace.confusion.count
    var pairs = Array(repeating: Array(repeating: 0, count: count), count: count)
    for (chosen, expected) in zip(trace.actions, trace.expertActions) {
      guard case .discrete(let e) = expert.action(in: environment, observation: []) else { Issue.record("not discrete"); return }
      expertActions.append(String(e))
      pairs[Int(String(expected))!][Int(String(chosen))!] += 1
      total += environment.step(.discrete(Int(String(chosen))!)).reward
    }
    #expect(expertActions == trace.expertActions)
    #expect(total == trace.episodeReturn)
    #expect(trace.confusion.flatMap { $0 }.reduce(0, +) == trace.length)
    #expect(trace.confusion == pairs)
    let diagonal = trace.confusion.indices.reduce(0) { $0 + trace.confusion[$1][$1] }
    #expect(trace.agreement == Double(diagonal) / Double(trace.length))
  }

  /// With an assisted action, every state in which the expert chooses it is played with it, and
  /// the steps where that overrode the clone are counted.
  @Test func assistedActionReplacesTheClonesChoice() throws {
    let policy = try Self.policy()
    let environment = try Catalog.make(Self.envID)
    guard case .discrete(let count) = environment.actionSpace else { Issue.record("not discrete"); return }
    for assisted in 0..<count {
      let trace = try ClosedLoopProbe(policy: policy, maxSteps: 40, expertAction: assisted).play(environment, seed: 3)
      for (taken, expert) in zip(trace.actions, trace.expertActions) where expert == Character(String(assisted)) {
        #expect(taken == expert)
      }
      let overridden = (0..<count).filter { $0 != assisted }.reduce(0) { $0 + trace.confusion[assisted][$1] }
      #expect(trace.expertSteps == overridden)
    }
  }

  /// Zeroing the state every step makes each action a function of the observation alone: the
  /// greedy action of a step from the zero state.
  @Test func stateResetIntervalOneMatchesFreshStateSteps() throws {
    let policy = try Self.policy()
    let trace = try ClosedLoopProbe(policy: policy, maxSteps: 30, stateResetInterval: 1).play(try Catalog.make(Self.envID), seed: 2)
    var environment = Self.environment()
    var observation = environment.reset(seed: 2).map(\.floatValue)
    for chosen in trace.actions {
      let (distribution, _, _) = policy.step(
        observations: Tensor(observation, shape: [1] + policy.observationShape),
        state: Tensor(zeros: [1, policy.stateSize]), episodeStarts: Tensor(zeros: [1]), elapsedTimes: Tensor(ones: [1]))
      #expect(Int(distribution.mode[0]) == Int(String(chosen))!)
      observation = environment.step(.discrete(Int(String(chosen))!)).observation.map(\.floatValue)
    }
  }

  @Test func environmentWithoutExpertIsAnError() throws {
    let probe = ClosedLoopProbe(policy: try Self.policy(), maxSteps: 5)
    #expect(throws: ConfigurationError.self) { try probe.play(try Catalog.make("Pendulum-v1"), seed: 0) }
  }
}

@Suite struct NoisyRecordingTests {
  /// Under action noise the labels stay the expert's action in each recorded state (CartPole's
  /// expert reads only the observation, so it can be asked again), while the executed bursts
  /// take the episodes off the expert's path: shorter than its 500 steps.
  @Test func labelsStayTheExpertsWhileExecutedActionsArePerturbed() throws {
    let noise = ActionNoise(probability: 0.3, maxLength: 4)
    let noisy = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 3, seed: 2, noise: noise)
    let clean = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 3, seed: 2)
    #expect(clean.episodes.allSatisfy { $0.steps == 500 })
    #expect(noisy.episodes.contains { $0.steps < 500 })
    #expect(noisy.index.source == "expert, action noise 0.3, bursts of 1...4 steps")
    let environment = try Catalog.make("CartPole-v1")
    let size = environment.observationSpace.elementCount
    let makeExpert = try #require(try Catalog.entry("CartPole-v1").makeExpert)
    var expert = makeExpert()
    var mismatches = 0
    for episode in noisy.episodes {
      for t in 0..<episode.steps {
        let observation = Array(episode.observations[t * size..<(t + 1) * size])
        let action = expert.action(in: environment, observation: observation)
        if action != Action.discrete(Int(episode.actions[t])) { mismatches += 1 }
      }
    }
    #expect(mismatches == 0)
  }

  /// Probability 0 records the expert's own episodes.
  @Test func zeroNoiseRecordsTheCleanEpisodes() throws {
    let noisy = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 2, seed: 5, noise: ActionNoise(probability: 0, maxLength: 3))
    let clean = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 2, seed: 5)
    #expect(noisy.episodes == clean.episodes)
  }

  @Test func invalidNoiseIsAnError() {
    #expect(throws: ConfigurationError.self) {
      try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 1, seed: 0, noise: ActionNoise(probability: 1.5, maxLength: 3))
    }
    #expect(throws: ConfigurationError.self) {
      try DemonstrationDataset.recordExpert(envID: "Pendulum-v1", episodes: 1, seed: 0, noise: ActionNoise(probability: 0.1, maxLength: 3))
    }
  }
}

@Suite struct DemonstrationReplayTests {
  /// Replaying with the state zeroed every step scores each step from the zero state, which is
  /// what `BCTrainer.measure` does with windows of one step: the same accuracy and loss.
  @Test func replayWithStateResetEveryStepMatchesOneStepWindows() throws {
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 3, seed: 1)
    var settings = BCRunConfiguration()
    settings.policy.actorGain = 1
    let environment = try Catalog.make("CartPole-v1")
    let policy = try ActorCritic(
      configuration: settings.policy, observationSpace: environment.observationSpace, actionSpace: environment.actionSpace, seed: 2)
    var configuration = BCConfiguration()
    configuration.windowLength = 1
    let trainer = BCTrainer(configuration: configuration, policy: policy, dataset: dataset, seed: 0)
    let measured = trainer.measure(episodes: [0, 2])
    let replayed = try ClosedLoopProbe(policy: policy, stateResetInterval: 1).replay(dataset, episodes: [0, 2])
    #expect(replayed.steps == measured.steps && replayed.steps == 1000)
    #expect(replayed.actionMatches == measured.actionMatches && replayed.actionSteps == measured.actionSteps)
    #expect(abs(replayed.loss - measured.loss) < 1e-4)
    let carried = try ClosedLoopProbe(policy: policy).replay(dataset, episodes: [0, 2])
    #expect(carried.steps == 1000 && carried.loss != replayed.loss)
    #expect(throws: ConfigurationError.self) { try ClosedLoopProbe(policy: policy).replay(dataset, episodes: [3]) }
  }
}

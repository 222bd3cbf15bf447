import Environments
import Foundation
import Randomness
import TensorCore

/// Recording demonstrations: from the catalog's scripted experts, from a trained policy (a
/// `ppo-train` or `bc-train` checkpoint), or from any `Expert` (the viewer records a human
/// player through ``DemonstrationRecorder``).
extension DemonstrationDataset {
  /// Records `episodes` episodes of the catalog environment `envID` played by its scripted
  /// expert; episode `k` starts from `reset(seed: seed + k)`.
  ///
  /// - Throws: an unknown id, or an environment without a scripted expert.
  ///
  /// With `noise`, the executed actions are perturbed (``ActionNoise``) while the recorded labels
  /// stay the expert's.
  public static func recordExpert(envID: String, episodes: Int, seed: UInt64, noise: ActionNoise? = nil) throws -> DemonstrationDataset {
    guard let makeExpert = try Catalog.entry(envID).makeExpert else {
      let withExperts = Catalog.entries.filter { $0.makeExpert != nil }.map(\.id).joined(separator: ", ")
      throw ConfigurationError(field: "record", problem: "\(envID) has no scripted expert (envs with one: \(withExperts))")
    }
    guard let noise else { return try record(envID: envID, episodes: episodes, seed: seed, source: "expert", makeExpert: makeExpert) }
    try noise.validate()
    guard case .discrete(let count) = try Catalog.make(envID).actionSpace else {
      throw ConfigurationError(field: "record_noise", problem: "perturbs discrete actions; \(envID)'s are continuous")
    }
    return try record(envID: envID, episodes: episodes, seed: seed, source: "expert, \(noise)") { k in
      NoisyExpert(expert: makeExpert(), noise: noise, actionCount: count, seed: seed &+ UInt64(k))
    }
  }

  /// Records `episodes` episodes of `envID` played by a trained policy, with the recurrent state
  /// reset at every episode start: greedy (the most likely action) unless `sampling`, which
  /// draws each episode's actions from its own stream (`seed + k`).
  public static func recordPolicy(
    _ policy: ActorCritic, envID: String, episodes: Int, seed: UInt64, sampling: Bool = false, source: String
  ) throws -> DemonstrationDataset {
    let shape = try Catalog.make(envID).observationSpace.shape
    guard policy.observationShape == shape else {
      throw ConfigurationError(
        field: "policy",
        problem: "reads observations of shape \(policy.observationShape), but \(envID) gives \(shape) "
          + "(a frame-stacked clone?); recording needs a policy of the environment's own observations")
    }
    return try record(envID: envID, episodes: episodes, seed: seed, source: source) { k in
      PolicyExpert(policy: policy, sampling: sampling, seed: seed &+ UInt64(k))
    }
  }

  /// Records `episodes` episodes of `envID`, episode `k` reset with `seed + k` and played by
  /// `makeExpert()` (a fresh expert per episode).
  public static func record(
    envID: String, episodes: Int, seed: UInt64, source: String, makeExpert: @escaping () -> any Expert
  ) throws -> DemonstrationDataset {
    try record(envID: envID, episodes: episodes, seed: seed, source: source) { _ in makeExpert() }
  }

  static func record(
    envID: String, episodes: Int, seed: UInt64, source: String, makeExpert: (Int) -> any Expert
  ) throws -> DemonstrationDataset {
    guard episodes > 0 else {
      throw ConfigurationError(field: "record", problem: "must be a positive number of episodes, got \(episodes)")
    }
    let environment = try Catalog.make(envID)
    var recorder = DemonstrationRecorder(
      envID: envID, observationSpace: environment.observationSpace, actionSpace: environment.actionSpace, source: source)
    for k in 0..<episodes {
      var expert = makeExpert(k)
      recorder.append(record(environment, expert: &expert, seed: seed &+ UInt64(k)))
    }
    return recorder.dataset
  }

  /// Plays one episode of `environment` (a copy) with `expert`; a ``NoisyExpert`` executes its
  /// perturbed action and records the expert's.
  static func record<Env: Environment>(_ prototype: Env, expert: inout any Expert, seed: UInt64) -> DemonstrationEpisode {
    var environment = prototype
    var recorder = EpisodeRecorder(firstObservation: environment.reset(seed: seed).map(\.floatValue), seed: seed)
    while true {
      let action = expert.action(in: environment, observation: recorder.lastObservation)
      let executed = (expert as? NoisyExpert)?.executedAction ?? action
      let step = environment.step(executed)
      recorder.append(action: action, observation: step.observation.map(\.floatValue), reward: step.reward,
                      isTerminal: step.isTerminal, isTruncated: step.isTruncated)
      if step.isTerminal || step.isTruncated { return recorder.episode }
    }
  }
}

/// A trained policy acting as an expert: greedy or sampled actions, its recurrent state carried
/// from step to step (a fresh expert starts from the zero state).
public struct PolicyExpert: Expert {
  public let policy: ActorCritic
  public let sampling: Bool
  private var state: [Float]
  private var generators: [RandomStream]

  public init(policy: ActorCritic, sampling: Bool = false, seed: UInt64 = 0) {
    self.policy = policy
    self.sampling = sampling
    state = [Float](repeating: 0, count: policy.stateSize)
    generators = [RandomStream(seed: seed, stream: 0x5EC0)]
  }

  public mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    let (distribution, _, next) = policy.step(
      observations: Tensor(observation, shape: [1] + policy.observationShape), state: Tensor(state, shape: [1, policy.stateSize]),
      episodeStarts: Tensor(zeros: [1]), elapsedTimes: Tensor(ones: [1]))
    state = next.scalars
    let vector = sampling ? distribution.sample(using: &generators) : distribution.mode
    if case .discrete = policy.actionSpace { return .discrete(Int(vector[0])) }
    return .continuous(vector)
  }
}

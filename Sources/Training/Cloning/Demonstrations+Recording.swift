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
  public static func recordExpert(envID: String, episodes: Int, seed: UInt64) throws -> DemonstrationDataset {
    guard let makeExpert = try scriptedExpert(for: envID) else {
      let withExperts = Catalog.ids.filter { (try? scriptedExpert(for: $0)) != nil }.joined(separator: ", ")
      throw ConfigurationError(field: "record", problem: "\(envID) has no scripted expert (envs with one: \(withExperts))")
    }
    return try record(envID: envID, episodes: episodes, seed: seed, source: "expert", makeExpert: makeExpert)
  }

  /// The scripted expert of `envID`: the catalog entry's, or, for environments whose expert the
  /// catalog does not name yet, one of ours (``ProbeMemoryExpert``, ``GridTaskExpert``); `nil`
  /// when there is none.
  public static func scriptedExpert(for envID: String) throws -> (@Sendable () -> any Expert)? {
    let entry = try Catalog.entry(envID)
    if let makeExpert = entry.makeExpert { return makeExpert }
    let environment = entry.make()
    if environment.unwrapped(as: MemoryProbe.self) != nil { return { ProbeMemoryExpert() } }
    if GridTaskExpert.plansFor(environment) { return { GridTaskExpert() } }
    return nil
  }

  /// Records `episodes` episodes of `envID` played by a trained policy, with the recurrent state
  /// reset at every episode start: greedy (the most likely action) unless `sampling`, which
  /// draws each episode's actions from its own stream (`seed + k`).
  public static func recordPolicy(
    _ policy: ActorCritic, envID: String, episodes: Int, seed: UInt64, sampling: Bool = false, source: String
  ) throws -> DemonstrationDataset {
    try record(envID: envID, episodes: episodes, seed: seed, source: source) { k in
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

  /// Plays one episode of `environment` (a copy) with `expert`.
  static func record<Env: Environment>(_ prototype: Env, expert: inout any Expert, seed: UInt64) -> DemonstrationEpisode {
    var environment = prototype
    var recorder = EpisodeRecorder(firstObservation: environment.reset(seed: seed).map(\.floatValue), seed: seed)
    while true {
      let action = expert.action(in: environment, observation: recorder.lastObservation)
      let step = environment.step(action)
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

/// The perfect player of `Probe-Memory-v0`: names the cue it saw in the first observation.
public struct ProbeMemoryExpert: Expert {
  private var cue = 0
  private var step = 0

  public init() {}

  public mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    if step == 0, let shown = observation.dropLast().firstIndex(of: 1) { cue = shown }
    step += 1
    return .discrete(cue)
  }
}

/// ``GridExpert`` (a breadth-first planner over the task's rules) as an `Expert` for the grid
/// tasks of the catalog, whose entries name no expert yet (`MiniGrid-MemoryS7-v0`, DoorKey,
/// Empty, FourRooms).
public struct GridTaskExpert: Expert {
  private var planner = GridExpert()

  public init() {}

  /// Whether `environment` is (or wraps) a grid task this expert plans for.
  public static func plansFor(_ environment: any Environment) -> Bool {
    environment.unwrapped(as: MiniGridMemory.self) != nil || environment.unwrapped(as: MiniGridDoorKey.self) != nil
      || environment.unwrapped(as: MiniGridEmpty.self) != nil || environment.unwrapped(as: MiniGridFourRooms.self) != nil
  }

  public mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    .discrete((plannedAction(in: environment) ?? .done).rawValue)
  }

  private mutating func plannedAction(in environment: any Environment) -> GridAction? {
    if let task = environment.unwrapped(as: MiniGridMemory.self) { return planner.action(for: task) }
    if let task = environment.unwrapped(as: MiniGridDoorKey.self) { return planner.action(for: task) }
    if let task = environment.unwrapped(as: MiniGridEmpty.self) { return planner.action(for: task) }
    if let task = environment.unwrapped(as: MiniGridFourRooms.self) { return planner.action(for: task) }
    return nil
  }
}

import Environments
import Foundation

extension DemonstrationDataset {
  /// Records `episodes` episodes of the catalog environment `envID` played by its scripted
  /// expert; episode `k` starts from `reset(seed: seed + k)`.
  ///
  /// - Throws: an unknown id, or an environment without a scripted expert.
  public static func recordExpert(envID: String, episodes: Int, seed: UInt64) throws -> DemonstrationDataset {
    guard episodes > 0 else {
      throw ConfigurationError(field: "record", problem: "must be a positive number of episodes, got \(episodes)")
    }
    let entry = try Catalog.entry(envID)
    guard let makeExpert = entry.makeExpert else {
      let withExperts = Catalog.entries.filter { $0.makeExpert != nil }.map(\.id).joined(separator: ", ")
      throw ConfigurationError(field: "record", problem: "\(envID) has no scripted expert (envs with one: \(withExperts))")
    }
    let environment = try Catalog.make(envID)
    var recorded: [DemonstrationEpisode] = []
    for k in 0..<episodes {
      var expert = makeExpert()
      recorded.append(record(environment, expert: &expert, seed: seed &+ UInt64(k)))
    }
    return DemonstrationDataset(
      envID: envID, observationSpace: environment.observationSpace, actionSpace: environment.actionSpace,
      source: "expert", episodes: recorded)
  }

  /// Plays one episode of `environment` (a copy) with `expert`.
  static func record<Env: Environment>(_ prototype: Env, expert: inout any Expert, seed: UInt64) -> DemonstrationEpisode {
    var environment = prototype
    var observation = environment.reset(seed: seed).map(\.floatValue)
    var episode = DemonstrationEpisode(
      observations: observation, actions: [], rewards: [], terminated: [], truncated: [], seed: seed)
    while true {
      let action = expert.action(in: environment, observation: observation)
      switch action {
      case .discrete(let index): episode.actions.append(Float(index))
      case .continuous(let vector): episode.actions += vector
      }
      let step = environment.step(action)
      observation = step.observation.map(\.floatValue)
      episode.observations += observation
      episode.rewards.append(Float(step.reward))
      episode.terminated.append(step.isTerminal)
      episode.truncated.append(step.isTruncated)
      if step.isTerminal || step.isTruncated { return episode }
    }
  }
}

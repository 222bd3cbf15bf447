import ArgumentParser
import Environments
import Randomness

/// A policy that plays whole episodes for `evaluate --policy`.
protocol EpisodePolicy {
  /// Called before the first step of every episode (recurrent policies clear their state).
  mutating func beginEpisode()
  mutating func action(in environment: any Environment, observation: [Float]) -> Action
}

/// The policies `--policy` accepts. A checkpoint policy (from Training) is one more case here
/// and one more `EpisodePolicy` conformance.
enum PolicyChoice: String, ExpressibleByArgument, CaseIterable {
  case random, expert

  func make(for id: String, actionSpace: ActionSpace, seed: UInt64) throws -> any EpisodePolicy {
    switch self {
    case .random:
      return RandomPolicy(space: actionSpace, random: RandomStream(seed: seed, stream: 1))
    case .expert:
      guard let makeExpert = try Catalog.entry(id).makeExpert else {
        throw CLIError("\(id) has no scripted expert; use --policy random")
      }
      return ExpertPolicy(expert: makeExpert())
    }
  }
}

/// Uniform actions from the action space.
struct RandomPolicy: EpisodePolicy {
  var space: ActionSpace
  var random: RandomStream

  mutating func beginEpisode() {}

  mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    switch space {
    case .discrete(let count):
      return .discrete(random.nextInt(below: count))
    case .continuous(let low, let high):
      return .continuous(zip(low, high).map { low, high in low + (high - low) * random.nextFloat() })
    }
  }
}

/// A catalog entry's scripted expert.
struct ExpertPolicy: EpisodePolicy {
  var expert: any Expert

  mutating func beginEpisode() {}

  mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    expert.action(in: environment, observation: observation)
  }
}

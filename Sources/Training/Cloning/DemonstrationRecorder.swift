import Environments
import Foundation

/// Builds one demonstration episode step by step: the first observation after reset, then one
/// `append` per action. The recording loops of this module use it, and so does the viewer when a
/// human plays.
///
/// ```swift
/// var episode = EpisodeRecorder(firstObservation: env.reset(seed: 3).map(\.floatValue), seed: 3)
/// let step = env.step(action)
/// episode.append(action: action, observation: step.observation.map(\.floatValue), reward: step.reward,
///                isTerminal: step.isTerminal, isTruncated: step.isTruncated)
/// ```
public struct EpisodeRecorder: Sendable {
  /// The episode so far.
  public private(set) var episode: DemonstrationEpisode
  /// The most recent observation (what the next action answers).
  public private(set) var lastObservation: [Float]

  /// - Parameters:
  ///   - firstObservation: Shape: observation shape, flat; the observation after reset.
  ///   - seed: The reset seed, if known (kept in the index).
  public init(firstObservation: [Float], seed: UInt64?) {
    episode = DemonstrationEpisode(
      observations: firstObservation, actions: [], rewards: [], terminated: [], truncated: [], seed: seed)
    lastObservation = firstObservation
  }

  /// Records one step: the action taken and what the environment returned for it.
  public mutating func append(action: Action, observation: [Float], reward: Double, isTerminal: Bool, isTruncated: Bool) {
    switch action {
    case .discrete(let index): episode.actions.append(Float(index))
    case .continuous(let vector): episode.actions += vector
    }
    episode.observations += observation
    episode.rewards.append(Float(reward))
    episode.terminated.append(isTerminal)
    episode.truncated.append(isTruncated)
    lastObservation = observation
  }

  /// Steps taken so far.
  public var steps: Int { episode.steps }
}

/// Collects finished episodes of one environment into a dataset and writes it (index.json +
/// safetensors shards, atomically): the public entry point for recorders outside this module.
///
/// ```swift
/// var recorder = DemonstrationRecorder(envID: "CartPole-v1", observationSpace: env.observationSpace,
///                                      actionSpace: env.actionSpace, source: "human")
/// recorder.append(episode.episode)          // an EpisodeRecorder's episode
/// try recorder.write(to: URL(fileURLWithPath: "demos/cartpole-human"))
/// ```
public struct DemonstrationRecorder: Sendable {
  /// The episodes recorded so far, as a dataset.
  public private(set) var dataset: DemonstrationDataset

  /// - Parameter source: Who acted: `expert`, `human`, a checkpoint path, ...
  public init(envID: String, observationSpace: ObservationSpace, actionSpace: ActionSpace, source: String) {
    dataset = DemonstrationDataset(
      envID: envID, observationSpace: observationSpace, actionSpace: actionSpace, source: source, episodes: [])
  }

  /// Adds a finished episode (it need not have ended: a human may stop half-way; the last step
  /// is then neither terminated nor truncated). Episodes of pixel environments are kept as bytes,
  /// those of frame-stacked ones with each frame once.
  public mutating func append(_ episode: DemonstrationEpisode) {
    guard episode.steps > 0 else { return }
    dataset.episodes.append(dataset.kept(episode))
  }

  /// Episodes recorded so far.
  public var episodeCount: Int { dataset.episodes.count }

  /// Writes the dataset into `directory` (created if needed), replacing a dataset there.
  ///
  /// - Throws: when there is no episode yet, or the folder cannot be written.
  public func write(to directory: URL) throws {
    guard !dataset.episodes.isEmpty else {
      throw DemonstrationError(file: directory.path, problem: "nothing to write: no episode was recorded")
    }
    var copy = dataset
    try copy.write(to: directory)
  }
}

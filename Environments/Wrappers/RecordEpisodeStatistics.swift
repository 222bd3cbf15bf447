/// The return and length of one finished episode.
public struct EpisodeStatistics: Hashable, Sendable, Codable {
  /// Sum of the episode's rewards (Gymnasium's `info["episode"]["r"]`).
  public var totalReward: Double
  /// Steps in the episode (`info["episode"]["l"]`).
  public var length: Int

  public init(totalReward: Double, length: Int) {
    self.totalReward = totalReward
    self.length = length
  }
}

/// Records each episode's return and length: Gymnasium's `RecordEpisodeStatistics`.
///
/// On the step that ends an episode (terminated or truncated) ``finishedEpisode`` holds its
/// statistics (Gymnasium's `info["episode"]`); on every other step it is `nil`. The last
/// `bufferLength` episodes are kept in ``recentEpisodes`` (Gymnasium's `return_queue` and
/// `length_queue`). Wall-clock time is not recorded, so runs stay deterministic.
public struct RecordEpisodeStatistics<Wrapped: Environment>: Environment {
  public typealias Scalar = Wrapped.Scalar

  public var environment: Wrapped
  /// How many finished episodes ``recentEpisodes`` keeps.
  public var bufferLength: Int
  /// The return of the running episode so far.
  public private(set) var episodeReturn = 0.0
  /// Steps of the running episode so far.
  public private(set) var episodeLength = 0
  /// The episode that ended on the last step, if one did.
  public private(set) var finishedEpisode: EpisodeStatistics?
  /// The last `bufferLength` finished episodes, oldest first.
  public private(set) var recentEpisodes: [EpisodeStatistics] = []
  /// Episodes finished since creation.
  public private(set) var episodeCount = 0

  public init(_ environment: Wrapped, bufferLength: Int = 100) {
    precondition(bufferLength > 0, "bufferLength must be positive, got \(bufferLength)")
    self.environment = environment
    self.bufferLength = bufferLength
  }

  public var observationSpace: ObservationSpace { environment.observationSpace }
  public var actionSpace: ActionSpace { environment.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    environment.reset(seed: seed, into: observation)
    episodeReturn = 0
    episodeLength = 0
    finishedEpisode = nil
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    let outcome = environment.step(action, into: observation)
    episodeReturn += outcome.reward
    episodeLength += 1
    finishedEpisode = nil
    if outcome.isDone {
      let episode = EpisodeStatistics(totalReward: episodeReturn, length: episodeLength)
      finishedEpisode = episode
      recentEpisodes.append(episode)
      if recentEpisodes.count > bufferLength { recentEpisodes.removeFirst(recentEpisodes.count - bufferLength) }
      episodeCount += 1
    }
    return outcome
  }

  public func render() -> Frame { environment.render() }
}

// Recording what a person plays as a bc-train demonstration dataset.
//
// Contract: only steps a person chose are recorded (keyboard play, or takeover from an agent).
// A recorded stretch starts at the observation the person acted on and ends when the episode
// ends, or is cut short (recording stopped, the agent took back control, reset, quit); flags are
// the environment's, so a cut stretch ends neither terminated nor truncated (the cloning
// module's convention for a person who stops half-way). A stretch that starts at a reset keeps
// the reset's seed. Episodes are built and written by the cloning module's public recorders
// (`EpisodeRecorder`, `DemonstrationRecorder`: shards, then index.json, each atomically) every
// time a stretch closes, so a crash loses at most the open stretch; a folder that already holds
// a dataset of the same environment is appended to.
import Environments
import Foundation
import Training

public final class PlayRecorder {
  public let directory: URL
  public let environmentID: String
  /// Whether a person's steps are being recorded now.
  public private(set) var isRecording = false
  /// The finished stretches (those already in the folder first).
  private var dataset: DemonstrationRecorder
  /// The stretch being recorded, if any.
  private var current: EpisodeRecorder?
  /// Stretches finished since the last save.
  private var unsaved = 0

  /// A recorder writing to `directory`; an existing dataset there must be of the same
  /// environment and spaces (its episodes are kept, new ones appended).
  ///
  /// - Throws: `DemonstrationError` naming the folder's file when it holds a dataset that is
  ///   unreadable or of another environment.
  public init(directory: URL, environmentID: String, observationSpace: ObservationSpace, actionSpace: ActionSpace) throws {
    self.directory = directory
    self.environmentID = environmentID
    dataset = DemonstrationRecorder(
      envID: environmentID, observationSpace: observationSpace, actionSpace: actionSpace, source: "human")
    if FileManager.default.fileExists(atPath: directory.appendingPathComponent("index.json").path) {
      let existing = try DemonstrationDataset(contentsOf: directory)
      try existing.checkCompatible(
        with: observationSpace, actionSpace: actionSpace, envID: environmentID, directory: directory.path)
      guard existing.index.envId == environmentID else {
        throw DemonstrationError(
          file: directory.appendingPathComponent("index.json").path,
          problem: "env_id is \(existing.index.envId), not \(environmentID)")
      }
      for episode in existing.episodes { dataset.append(episode) }
    }
  }

  /// Starts recording; the next step a person takes opens a stretch.
  public func start() { isRecording = true }

  /// Stops recording, closing the open stretch.
  public func stop() {
    cut()
    isRecording = false
  }

  /// Records one step a person took: `action` on `observation` gave `outcome` and `next`.
  /// `seed` is the reset seed when `observation` is the episode's first.
  func record(observation: [Float], seed: UInt64?, action: Action, outcome: StepOutcome, next: [Float]) {
    guard isRecording else { return }
    if current == nil { current = EpisodeRecorder(firstObservation: observation, seed: seed) }
    current!.append(
      action: action, observation: next, reward: outcome.reward, isTerminal: outcome.isTerminal,
      isTruncated: outcome.isTruncated)
    if outcome.isDone { cut() }
  }

  /// Closes the open stretch, if any.
  func cut() {
    guard let current else { return }
    dataset.append(current.episode)
    self.current = nil
    unsaved += 1
  }

  /// The finished stretches (the folder's earlier episodes first).
  public var episodes: [DemonstrationEpisode] { dataset.dataset.episodes }

  /// Steps recorded so far, the open stretch included.
  public var recordedSteps: Int { episodes.reduce(0) { $0 + $1.steps } + (current?.steps ?? 0) }

  /// Writes every finished stretch to ``directory`` (atomically), if any is new.
  /// - Returns: Whether the folder was written.
  @discardableResult
  public func save() throws -> Bool {
    guard unsaved > 0 else { return false }
    try dataset.write(to: directory)
    unsaved = 0
    return true
  }
}

import Environments
import Foundation

/// One recorded episode: T steps, T + 1 observations (the first after reset, then one after
/// every action, the last being the final observation).
public struct DemonstrationEpisode: Hashable, Sendable {
  /// Shape: [T + 1] + observation shape, flat. Empty when the episode keeps its observations
  /// as bytes (`pixels`).
  public var observations: [Float]
  /// Shape: [T + 1] + observation shape, flat: the observations of a pixel environment (UInt8
  /// space) as bytes, a quarter of the memory; empty for float environments. Datasets of UInt8
  /// environments keep their episodes this way (``compacted()``). When ``stackDepth`` is k > 1
  /// each frame of a frame-stacked episode is kept once instead: Shape: [T + k] + frame shape.
  public var pixels: [UInt8] = []
  /// Frames per observation when `pixels` holds every frame once: observation `t` is then the
  /// frames `t ..< t + k`, contiguous (a 4-frame stack takes a quarter of the bytes). 1 when
  /// `pixels` holds whole observations. See ``unstacked(depth:)``.
  public private(set) var stackDepth = 1
  /// Shape: [T, 1] (discrete indices) or [T, actionSize] (continuous vectors), flat.
  public var actions: [Float]
  /// Shape: [T].
  public var rewards: [Float]
  /// Shape: [T]; the task ended the episode at this step.
  public var terminated: [Bool]
  /// Shape: [T]; a limit outside the task ended the episode at this step.
  public var truncated: [Bool]
  /// The seed the episode's environment was reset with, if known.
  public var seed: UInt64?

  public init(
    observations: [Float], actions: [Float], rewards: [Float], terminated: [Bool], truncated: [Bool],
    seed: UInt64? = nil
  ) {
    self.observations = observations
    self.actions = actions
    self.rewards = rewards
    self.terminated = terminated
    self.truncated = truncated
    self.seed = seed
  }

  /// The episode with its observations as bytes (`pixels`), values rounded and clamped to
  /// 0...255; unchanged when already compact.
  public func compacted() -> DemonstrationEpisode {
    guard pixels.isEmpty else { return self }
    var copy = self
    copy.pixels = observations.map { UInt8(clamping: Int($0.rounded())) }
    copy.observations = []
    return copy
  }

  /// The episode with each frame of its byte observations (Shape: [T + 1, k] + frame shape)
  /// kept once, ``stackDepth`` `depth`, when every observation is the one before shifted by one
  /// frame, as ``FrameStack`` makes them; otherwise (or when already unstacked, or not bytes)
  /// unchanged. Lossless either way: ``stackedPixels()`` gives the observations back.
  public func unstacked(depth: Int) -> DemonstrationEpisode {
    guard depth > 1, stackDepth == 1, !pixels.isEmpty, pixels.count % ((steps + 1) * depth) == 0 else { return self }
    let size = pixels.count / (steps + 1), frame = size / depth
    let isShifted = pixels.withUnsafeBytes { p in
      (1..<steps + 1).allSatisfy { t in memcmp(p.baseAddress! + t * size, p.baseAddress! + (t - 1) * size + frame, size - frame) == 0 }
    }
    guard isShifted else { return self }
    var frames = [UInt8]()
    frames.reserveCapacity((steps + depth) * frame)
    frames += pixels[0..<size]
    for t in 1..<steps + 1 { frames += pixels[(t + 1) * size - frame..<(t + 1) * size] }
    var copy = self
    copy.pixels = frames
    copy.stackDepth = depth
    return copy
  }

  /// Shape: [T + 1] + observation shape, flat: the byte observations whole (the inverse of
  /// ``unstacked(depth:)``).
  public func stackedPixels() -> [UInt8] {
    guard stackDepth > 1 else { return pixels }
    let frame = pixels.count / (steps + stackDepth), size = frame * stackDepth
    var result = [UInt8]()
    result.reserveCapacity((steps + 1) * size)
    for t in 0..<steps + 1 { result += pixels[t * frame..<t * frame + size] }
    return result
  }

  /// An episode whose `pixels` hold each frame once (Shape: [T + depth] + frame shape).
  init(frames: [UInt8], depth: Int, actions: [Float], rewards: [Float], terminated: [Bool], truncated: [Bool]) {
    self.init(observations: [], actions: actions, rewards: rewards, terminated: terminated, truncated: truncated)
    pixels = frames
    stackDepth = depth
  }

  /// Appends observation `step` (of `size` elements) to `buffer` as floats.
  func appendObservation(_ step: Int, size: Int, to buffer: inout [Float]) {
    if pixels.isEmpty {
      buffer += observations[step * size..<(step + 1) * size]
      return
    }
    let start = step * (size / stackDepth)
    let count = buffer.count
    buffer += repeatElement(0, count: size)
    buffer.withUnsafeMutableBufferPointer { out in
      pixels.withUnsafeBufferPointer { bytes in
        for i in 0..<size { out[count + i] = Float(bytes[start + i]) }
      }
    }
  }

  /// Steps (actions) in the episode.
  public var steps: Int { rewards.count }
  /// The undiscounted return.
  public var episodeReturn: Double { rewards.reduce(0) { $0 + Double($1) } }
}

/// The action space as it is written in `index.json`:
/// `{"kind": "discrete", "count": 2}` or `{"kind": "continuous", "low": [-2], "high": [2]}`.
public struct DemonstrationActionSpace: Codable, Hashable, Sendable {
  public var kind: String
  public var count: Int?
  public var low: [Float]?
  public var high: [Float]?

  public init(_ space: ActionSpace) {
    switch space {
    case .discrete(let count): (kind, self.count) = ("discrete", count)
    case .continuous(let low, let high): (kind, self.low, self.high) = ("continuous", low, high)
    }
  }

  /// The space, or `nil` when the fields do not describe one.
  public var space: ActionSpace? {
    switch kind {
    case "discrete": count.flatMap { $0 > 0 ? .discrete(count: $0) : nil }
    case "continuous":
      if let low, let high, low.count == high.count, !low.isEmpty { .continuous(low: low, high: high) } else { nil }
    default: nil
    }
  }
}

/// `index.json` of a demonstration dataset (keys in snake_case on disk).
///
/// ```json
/// {"format": "swift-ncps demonstrations 1", "env_id": "CartPole-v1",
///  "observation_shape": [4], "observation_element_type": "float32",
///  "action_space": {"kind": "discrete", "count": 2}, "episode_count": 50, "total_steps": 25000,
///  "source": "expert", "seeds": [0, 1, ...],
///  "shards": [{"file": "shard-00000.safetensors", "episodes": 50, "steps": 25000}]}
/// ```
public struct DemonstrationIndex: Codable, Hashable, Sendable {
  public static let currentFormat = "swift-ncps demonstrations 1"

  /// One shard file: a run of consecutive episodes, concatenated.
  public struct Shard: Codable, Hashable, Sendable {
    public var file: String
    public var episodes: Int
    public var steps: Int
  }

  public var format = DemonstrationIndex.currentFormat
  public var envId: String
  public var observationShape: [Int]
  public var observationElementType: ObservationSpace.ElementType
  public var actionSpace: DemonstrationActionSpace
  public var episodeCount: Int
  public var totalSteps: Int
  /// Who acted: `expert` (the env's scripted expert), a checkpoint path, `human`, ...
  public var source: String
  /// When k (> 1), the shards hold each frame of the frame-stacked observations (Shape: [k] +
  /// frame shape) once: `observations` Shape: [Σ(T + k)] + frame shape, a quarter of the bytes
  /// for 4-frame Atari stacks. Absent (`nil`): whole observations, Shape: [Σ(T + 1)] + shape.
  public var frameStack: Int?
  /// The reset seed of every episode, in order.
  public var seeds: [UInt64?]
  public var shards: [Shard]
  /// Per-episode returns, for summaries.
  public var returns: [Double]
}

/// A demonstration dataset: its index and its episodes, in order.
public struct DemonstrationDataset: Sendable {
  public var index: DemonstrationIndex
  public var episodes: [DemonstrationEpisode]

  /// Assembles a dataset for an environment's spaces (the index is derived from the episodes).
  public init(
    envID: String, observationSpace: ObservationSpace, actionSpace: ActionSpace, source: String,
    episodes: [DemonstrationEpisode]
  ) {
    self.episodes = []
    index = DemonstrationIndex(
      envId: envID, observationShape: observationSpace.shape,
      observationElementType: observationSpace.elementType, actionSpace: DemonstrationActionSpace(actionSpace),
      episodeCount: episodes.count, totalSteps: episodes.reduce(0) { $0 + $1.steps }, source: source,
      seeds: episodes.map(\.seed), shards: [], returns: episodes.map(\.episodeReturn))
    self.episodes = episodes.map(kept)
  }

  init(index: DemonstrationIndex, episodes: [DemonstrationEpisode]) {
    self.index = index
    self.episodes = episodes
  }

  /// Elements of one observation.
  public var observationSize: Int { index.observationShape.reduce(1, *) }

  /// k when the observations look like a channels-first stack of k byte frames ([k, h, w] with
  /// 1 < k < h, w, as `Arcade/*-v0`'s [4, 84, 84]): episodes then keep each frame once when
  /// their observations shift by one frame a step (``DemonstrationEpisode/unstacked(depth:)``).
  var stackableDepth: Int? {
    let shape = index.observationShape
    guard index.observationElementType == .uint8, shape.count == 3, shape[0] > 1, shape[0] < shape[1], shape[0] < shape[2]
    else { return nil }
    return shape[0]
  }

  /// The episode as this dataset keeps it: bytes for UInt8 observations, each frame once for
  /// frame stacks.
  func kept(_ episode: DemonstrationEpisode) -> DemonstrationEpisode {
    guard index.observationElementType == .uint8 else { return episode }
    return episode.compacted().unstacked(depth: stackableDepth ?? 1)
  }

  /// Throws one line naming `directory` when the dataset's spaces differ from the environment's.
  public func checkCompatible(
    with observationSpace: ObservationSpace, actionSpace: ActionSpace, envID: String, directory: String
  ) throws {
    if index.observationShape != observationSpace.shape {
      throw DemonstrationError(
        file: directory + "/index.json", problem: "observation_shape \(index.observationShape) does not match \(envID)'s \(observationSpace.shape)")
    }
    if index.observationElementType != observationSpace.elementType {
      throw DemonstrationError(
        file: directory + "/index.json",
        problem: "observation_element_type \(index.observationElementType.rawValue) does not match \(envID)'s \(observationSpace.elementType.rawValue)")
    }
    if index.actionSpace.space != actionSpace {
      throw DemonstrationError(
        file: directory + "/index.json", problem: "action_space \(describe(index.actionSpace)) does not match \(envID)'s \(describe(DemonstrationActionSpace(actionSpace)))")
    }
  }

  /// A few lines describing the dataset (`bc-train --demos DIR --summary`).
  public func summary() -> String {
    let lengths = episodes.map(\.steps)
    let returns = episodes.map(\.episodeReturn)
    let mean = returns.reduce(0, +) / Double(max(1, returns.count))
    let std = (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, returns.count))).squareRoot()
    let terminatedCount = episodes.filter { $0.terminated.last == true }.count
    let truncatedCount = episodes.filter { $0.truncated.last == true }.count
    return """
      env: \(index.envId)  source: \(index.source)
      observations: \(index.observationShape) \(index.observationElementType.rawValue)  actions: \(describe(index.actionSpace))
      episodes: \(index.episodeCount)  steps: \(index.totalSteps)  shards: \(index.shards.count)
      length: min \(lengths.min() ?? 0), max \(lengths.max() ?? 0), mean \(String(format: "%.1f", Double(index.totalSteps) / Double(max(1, episodes.count))))
      return: \(String(format: "%.2f ± %.2f (min %.2f, max %.2f)", mean, std, returns.min() ?? .nan, returns.max() ?? .nan))
      endings: \(terminatedCount) terminated, \(truncatedCount) truncated
      """
  }
}

extension DemonstrationDataset {
  /// The dataset of the first `count` episodes (all when there are fewer), for training on part
  /// of a recording (`bc-train --episodes N`).
  public func prefix(_ count: Int) -> DemonstrationDataset {
    guard count < episodes.count else { return self }
    var part = self
    part.episodes = Array(episodes.prefix(count))
    part.index.episodeCount = part.episodes.count
    part.index.totalSteps = part.episodes.reduce(0) { $0 + $1.steps }
    part.index.seeds = part.episodes.map(\.seed)
    part.index.returns = part.episodes.map(\.episodeReturn)
    return part
  }

  /// One line per episode: index, reset seed, steps, return and how it ended
  /// (`bc-train --demos DIR --list`).
  public func episodeTable() -> String {
    var lines = ["episode   seed      steps   return  end"]
    for (k, episode) in episodes.enumerated() {
      let end = episode.terminated.last == true ? "terminated" : episode.truncated.last == true ? "truncated" : "open"
      let seed = episode.seed.map { String($0) } ?? "-"
      lines.append(
        String(format: "%7d  ", k) + String(repeating: " ", count: max(0, 5 - seed.count)) + seed
          + String(format: "  %7d  %7.2f  ", episode.steps, episode.episodeReturn) + end)
    }
    return lines.joined(separator: "\n")
  }
}

func describe(_ space: DemonstrationActionSpace) -> String {
  switch space.space {
  case .discrete(let count): "Discrete(\(count))"
  case .continuous(let low, _): "Box(\(low.count))"
  case nil: "invalid (\(space.kind))"
  }
}

/// A problem with a dataset, naming the file: one line.
public struct DemonstrationError: Error, CustomStringConvertible, Equatable {
  public var file: String
  public var problem: String

  public init(file: String, problem: String) {
    self.file = file
    self.problem = problem
  }

  public var description: String { "\(file): \(problem)" }
}

import Environments
import Foundation
import NeuralNetworks

/// Reading and writing a dataset folder: `index.json` plus safetensors shards, each holding a run
/// of consecutive episodes concatenated:
///
/// - `observations` Shape: [Σ(T+1)] + observation shape (F32, or U8 for pixel envs); for
///   frame stacks of k byte frames (`frame_stack` k in `index.json`) each frame once instead,
///   Shape: [Σ(T+k)] + frame shape, episode by episode: the first observation's k frames, then
///   the newest frame of every later one
/// - `actions` Shape: [ΣT] (I64 indices) or [ΣT, actionSize] (F32)
/// - `rewards` Shape: [ΣT] (F32); `terminated`, `truncated` Shape: [ΣT] (U8, 0/1)
/// - `episode_steps` Shape: [episodes] (I64): T of each episode, which locates them.
///
/// Shards are written first, `index.json` last, each atomically (temp file + rename), so a
/// folder with an index always holds complete shards.
extension DemonstrationDataset {
  /// Episodes per shard file.
  public static let episodesPerShard = 100

  /// Writes the dataset into `directory` (created if needed).
  public mutating func write(to directory: URL) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    episodes = episodes.map(kept)
    let depth = stackableDepth ?? 1
    index.frameStack = depth > 1 && episodes.allSatisfy({ $0.stackDepth == depth }) ? depth : nil
    var shards: [DemonstrationIndex.Shard] = []
    for (n, start) in stride(from: 0, to: episodes.count, by: Self.episodesPerShard).enumerated() {
      let part = Array(episodes[start..<min(start + Self.episodesPerShard, episodes.count)])
      let name = String(format: "shard-%05d.safetensors", n)
      try shardFile(part).write(to: directory.appendingPathComponent(name))
      shards.append(.init(file: name, episodes: part.count, steps: part.reduce(0) { $0 + $1.steps }))
    }
    index.shards = shards
    index.episodeCount = episodes.count
    index.totalSteps = episodes.reduce(0) { $0 + $1.steps }
    index.seeds = episodes.map(\.seed)
    index.returns = episodes.map(\.episodeReturn)
    try writeAtomically(try ConfigurationFile.encoder().encode(index), to: directory.appendingPathComponent("index.json"))
  }

  private func shardFile(_ part: [DemonstrationEpisode]) throws -> SafeTensorsFile {
    let steps = part.reduce(0) { $0 + $1.steps }
    var file = SafeTensorsFile(metadata: ["format": DemonstrationIndex.currentFormat, "env_id": index.envId])
    if let depth = index.frameStack {
      file.entries["observations"] = try .init(
        part.flatMap(\.pixels), shape: [steps + part.count * depth] + index.observationShape.dropFirst())
    } else {
      let observationShape = [steps + part.count] + index.observationShape
      file.entries["observations"] =
        index.observationElementType == .uint8
        ? try .init(part.flatMap { $0.compacted().stackedPixels() }, shape: observationShape)
        : try .init(part.flatMap(\.observations), shape: observationShape)
    }
    let actions = part.flatMap(\.actions)
    if case .discrete = index.actionSpace.space {
      file.entries["actions"] = try .init(actions.map { Int64($0) }, shape: [steps])
    } else {
      file.entries["actions"] = try .init(actions, shape: [steps, index.actionSpace.low?.count ?? 0])
    }
    file.entries["rewards"] = try .init(part.flatMap(\.rewards), shape: [steps])
    file.entries["terminated"] = try .init(part.flatMap(\.terminated).map { UInt8($0 ? 1 : 0) }, shape: [steps])
    file.entries["truncated"] = try .init(part.flatMap(\.truncated).map { UInt8($0 ? 1 : 0) }, shape: [steps])
    file.entries["episode_steps"] = try .init(part.map { Int64($0.steps) }, shape: [part.count])
    return file
  }

  /// Reads and validates the dataset in `directory`: every problem (no index, invalid JSON, a
  /// missing or corrupt shard, counts that disagree, an empty dataset) throws one line naming
  /// the file.
  public init(contentsOf directory: URL) throws {
    let indexURL = directory.appendingPathComponent("index.json")
    guard FileManager.default.fileExists(atPath: indexURL.path) else {
      throw DemonstrationError(file: indexURL.path, problem: "not found; is \(directory.path) a demonstration dataset?")
    }
    let index = try ConfigurationFile.load(DemonstrationIndex.self, from: indexURL)
    func fail(_ problem: String) -> DemonstrationError { DemonstrationError(file: indexURL.path, problem: problem) }
    guard index.format == DemonstrationIndex.currentFormat else { throw fail("format '\(index.format)' is not '\(DemonstrationIndex.currentFormat)'") }
    guard index.actionSpace.space != nil else { throw fail("action_space is not a valid space") }
    guard !index.observationShape.isEmpty, index.observationShape.allSatisfy({ $0 > 0 }) else {
      throw fail("observation_shape \(index.observationShape) is not a valid shape")
    }
    guard index.episodeCount > 0, !index.shards.isEmpty else { throw fail("the dataset is empty (no episodes)") }
    var dataset = DemonstrationDataset(index: index, episodes: [])
    if let depth = index.frameStack, depth != dataset.stackableDepth {
      throw fail("frame_stack \(depth) does not fit observation_shape \(index.observationShape) (a stack of k UInt8 frames [k, h, w] with 1 < k < h, w)")
    }
    for shard in index.shards {
      guard !shard.file.contains("/") else { throw fail("shard file '\(shard.file)' must be a plain name") }
      dataset.episodes += try dataset.readShard(directory.appendingPathComponent(shard.file), expected: shard)
    }
    guard dataset.episodes.count == index.episodeCount else {
      throw fail("episode_count is \(index.episodeCount) but the shards hold \(dataset.episodes.count) episodes")
    }
    let steps = dataset.episodes.reduce(0) { $0 + $1.steps }
    guard steps == index.totalSteps else { throw fail("total_steps is \(index.totalSteps) but the shards hold \(steps) steps") }
    guard steps > 0 else { throw fail("the dataset is empty (no steps)") }
    if index.seeds.count == dataset.episodes.count {
      for i in dataset.episodes.indices { dataset.episodes[i].seed = index.seeds[i] }
    }
    self = dataset
  }

  private func readShard(_ url: URL, expected: DemonstrationIndex.Shard) throws -> [DemonstrationEpisode] {
    func fail(_ problem: String) -> DemonstrationError { DemonstrationError(file: url.path, problem: problem) }
    guard FileManager.default.fileExists(atPath: url.path) else { throw fail("shard is missing") }
    do {
      let file = try SafeTensorsFile(contentsOf: url)
      let lengths = try file.entry(named: "episode_steps").values(as: Int64.self).map(Int.init)
      guard lengths.count == expected.episodes, lengths.allSatisfy({ $0 > 0 }) else {
        throw fail("episode_steps holds \(lengths.count) episodes (expected \(expected.episodes), each at least one step)")
      }
      let steps = lengths.reduce(0, +)
      guard steps == expected.steps else { throw fail("holds \(steps) steps, index.json says \(expected.steps)") }
      let size = observationSize
      let observationEntry = try file.entry(named: "observations")
      let depth = index.frameStack ?? 1
      let expectedShape =
        depth > 1 ? [steps + lengths.count * depth] + index.observationShape.dropFirst() : [steps + lengths.count] + index.observationShape
      guard observationEntry.shape == expectedShape else {
        throw fail("observations has shape \(observationEntry.shape), expected \(expectedShape)")
      }
      let isPixels = index.observationElementType == .uint8
      let pixels = isPixels ? try observationEntry.values(as: UInt8.self) : []
      let observations = isPixels ? [] : try observationEntry.values(as: Float.self)
      let actionEntry = try file.entry(named: "actions")
      let actions: [Float]
      let actionWidth: Int
      switch index.actionSpace.space! {
      case .discrete(let count):
        guard actionEntry.shape == [steps] else { throw fail("actions has shape \(actionEntry.shape), expected [\(steps)]") }
        let indices = try actionEntry.values(as: Int64.self)
        guard indices.allSatisfy({ (0..<Int64(count)).contains($0) }) else { throw fail("actions holds an index outside 0..<\(count)") }
        (actions, actionWidth) = (indices.map(Float.init), 1)
      case .continuous(let low, _):
        guard actionEntry.shape == [steps, low.count] else {
          throw fail("actions has shape \(actionEntry.shape), expected [\(steps), \(low.count)]")
        }
        (actions, actionWidth) = (try actionEntry.values(as: Float.self), low.count)
      }
      func flags(_ name: String) throws -> [Bool] {
        let entry = try file.entry(named: name)
        guard entry.shape == [steps] else { throw fail("\(name) has shape \(entry.shape), expected [\(steps)]") }
        return try entry.values(as: UInt8.self).map { $0 != 0 }
      }
      let rewardEntry = try file.entry(named: "rewards")
      guard rewardEntry.shape == [steps] else { throw fail("rewards has shape \(rewardEntry.shape), expected [\(steps)]") }
      let rewards = try rewardEntry.values(as: Float.self)
      let (terminated, truncated) = (try flags("terminated"), try flags("truncated"))
      guard observations.allSatisfy(\.isFinite), actions.allSatisfy(\.isFinite) else {
        throw fail("holds non-finite observations or actions")
      }
      var episodes: [DemonstrationEpisode] = []
      var (step, row) = (0, 0)
      let frameSize = size / depth
      for length in lengths {
        let part = (
          actions: Array(actions[step * actionWidth..<(step + length) * actionWidth]), rewards: Array(rewards[step..<step + length]),
          terminated: Array(terminated[step..<step + length]), truncated: Array(truncated[step..<step + length]))
        if depth > 1 {
          episodes.append(DemonstrationEpisode(
            frames: Array(pixels[row * frameSize..<(row + length + depth) * frameSize]), depth: depth, actions: part.actions,
            rewards: part.rewards, terminated: part.terminated, truncated: part.truncated))
          row += length + depth
        } else {
          var episode = DemonstrationEpisode(
            observations: isPixels ? [] : Array(observations[row * size..<(row + length + 1) * size]), actions: part.actions,
            rewards: part.rewards, terminated: part.terminated, truncated: part.truncated)
          if isPixels { episode.pixels = Array(pixels[row * size..<(row + length + 1) * size]) }
          episodes.append(kept(episode))
          row += length + 1
        }
        step += length
      }
      return episodes
    } catch let error as DemonstrationError {
      throw error
    } catch let error as SafeTensorsError {
      throw fail("is not a valid shard: \(error.tensor.map { "tensor '\($0)' " } ?? "")\(error.problem)")
    }
  }
}

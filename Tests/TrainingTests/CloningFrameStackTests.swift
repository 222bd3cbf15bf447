import Environments
import Foundation
import TensorCore
import Testing

@testable import Training

/// Frame-stacked pixel datasets keep each frame once (in memory and on disk), and action weights
/// and per-action recall.
@Suite struct CloningFrameStackTests {
  /// Shape: [2, 4, 4] byte observations: a stack of two 4×4 frames, the newest last.
  static let space = ObservationSpace(shape: [2, 4, 4], low: 0, high: 255, elementType: .uint8)

  /// An episode of `steps` steps whose observation t is frames t, t + 1 (frame f filled with
  /// bytes 10 f + i), as `FrameStack` would give; `broken` changes one byte of the last one so
  /// the observations no longer shift by one frame.
  static func episode(steps: Int, broken: Bool = false) -> DemonstrationEpisode {
    func frame(_ f: Int) -> [Float] { (0..<16).map { Float((10 * f + $0) % 256) } }
    var observations = (0...steps).flatMap { frame($0) + frame($0 + 1) }
    if broken { observations[observations.count - 20] += 1 }
    return DemonstrationEpisode(
      observations: observations, actions: (0..<steps).map { Float($0 % 3) }, rewards: Array(repeating: 1, count: steps),
      terminated: Array(repeating: false, count: steps - 1) + [true], truncated: Array(repeating: false, count: steps))
  }

  @Test func stackedEpisodesKeepEachFrameOnceAndRoundTrip() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloning-stack-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let whole = [Self.episode(steps: 5), Self.episode(steps: 3)]
    var dataset = DemonstrationDataset(
      envID: "Arcade/Breakout-v0", observationSpace: Self.space, actionSpace: .discrete(count: 4), source: "test",
      episodes: whole)
    #expect(dataset.episodes.map(\.stackDepth) == [2, 2])
    #expect(dataset.episodes.map(\.pixels.count) == [(5 + 2) * 16, (3 + 2) * 16])
    for (kept, original) in zip(dataset.episodes, whole) {
      #expect(kept.stackedPixels() == original.observations.map { UInt8($0) })
    }
    try dataset.write(to: folder)
    #expect(dataset.index.frameStack == 2)
    let loaded = try DemonstrationDataset(contentsOf: folder)
    #expect(loaded.episodes == dataset.episodes)
    #expect(loaded.index == dataset.index)
    // Windows read the observations whole, as the environment gave them.
    let batch = WindowBatch(
      [DemonstrationWindow(episode: 0, start: 1, length: 4)], dataset: loaded, length: 4, actionWidth: 1)
    #expect(batch.observations == Array(whole[0].observations[32..<32 * 5]))
  }

  @Test func episodesThatDoNotShiftStayWhole() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloning-stack-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var dataset = DemonstrationDataset(
      envID: "Arcade/Breakout-v0", observationSpace: Self.space, actionSpace: .discrete(count: 4), source: "test",
      episodes: [Self.episode(steps: 4), Self.episode(steps: 4, broken: true)])
    #expect(dataset.episodes.map(\.stackDepth) == [2, 1])
    try dataset.write(to: folder)
    #expect(dataset.index.frameStack == nil)  // one whole episode: the shards hold whole observations
    let loaded = try DemonstrationDataset(contentsOf: folder)
    #expect(loaded.episodes == dataset.episodes)
    // A frame_stack that does not fit the observation shape is one line naming index.json.
    let indexURL = folder.appendingPathComponent("index.json")
    let text = try String(contentsOf: indexURL, encoding: .utf8)
    try text.replacingOccurrences(of: "\"format\"", with: "\"frame_stack\" : 3,\n  \"format\"").write(
      to: indexURL, atomically: true, encoding: .utf8)
    let error = #expect(throws: DemonstrationError.self) { try DemonstrationDataset(contentsOf: folder) }
    #expect(error?.file == indexURL.path)
    #expect(error?.description.contains("frame_stack 3") == true)
    #expect(error.map { !$0.description.contains("\n") } == true)
  }

  @Test func actionWeightsAreCheckedAndRecallIsPerAction() throws {
    var settings = BCRunConfiguration()
    settings.bc.actionWeights = [1, -1]
    #expect(throws: ConfigurationError.self) { try settings.validate() }
    settings.bc.actionWeights = [1, 2, 3]  // CartPole has two actions
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 2, seed: 0)
    let error = #expect(throws: ConfigurationError.self) { try BCRun.check(settings, dataset: dataset, demonstrations: "d") }
    #expect(error?.description.contains("action_weights") == true)
    settings.bc.actionWeights = nil
    settings.bc.windowsPerEpoch = 0
    #expect(throws: ConfigurationError.self) { try settings.validate() }
    var metrics = BCMetrics()
    (metrics.actionSteps, metrics.actionMatches) = ([4, 0, 10], [3, 0, 10])
    #expect(metrics.recall == [0.75, nil, 1])
    #expect(metrics.recallDescription == "recall 0.75/-/1.00")
  }

  /// `windows_per_epoch` trains on that many windows an epoch (here 8 whole windows of 20 steps).
  @Test func windowsPerEpochShortensEpochs() throws {
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 3, seed: 0)
    var configuration = BCConfiguration()
    (configuration.windowLength, configuration.windowsPerEpoch) = (20, 8)  // 500-step episodes: whole windows
    let environment = try Catalog.make("CartPole-v1")
    let policy = try ActorCritic(
      configuration: BCRunConfiguration().policy, observationSpace: environment.observationSpace,
      actionSpace: environment.actionSpace, seed: 0)
    var trainer = BCTrainer(configuration: configuration, policy: policy, dataset: dataset, seed: 0)
    let metrics = trainer.trainEpoch()
    #expect(metrics.steps == 8 * 20)
    #expect(metrics.actionSteps.reduce(0, +) == 8 * 20)
  }

  /// With `encoder_batch_norm` (ncps' PyTorch Atari block), a cloning epoch trains with batch
  /// statistics and updates the running ones; the policy acts with the running statistics
  /// before and after, so an observation's action does not depend on the rest of the batch.
  @Test func batchNormTrainsWithBatchStatisticsAndActsWithRunningOnes() throws {
    var configuration = BCRunConfiguration().policy
    (configuration.encoder, configuration.encoderBatchNorm, configuration.units) = (.ncpsAtari, true, 8)
    try configuration.validate()
    let dataset = DemonstrationDataset(
      envID: "Arcade/Breakout-v0", observationSpace: Self.space, actionSpace: .discrete(count: 4), source: "test",
      episodes: [Self.episode(steps: 12), Self.episode(steps: 9)])
    let policy = try ActorCritic(configuration: configuration, observationSpace: Self.space, actionSpace: .discrete(count: 4), seed: 3)
    func runningMean(_ policy: ActorCritic) -> [Float] {
      policy.stateDict().first { $0.key.hasSuffix("bn2.running_mean") }?.value.scalars ?? []
    }
    func logits(_ policy: ActorCritic, _ observations: [Float], count: Int) -> [Float] {
      policy.step(
        observations: Tensor(observations, shape: [count, 2, 4, 4]), state: Tensor(zeros: [count, policy.stateSize]),
        episodeStarts: Tensor(zeros: [count]), elapsedTimes: Tensor(ones: [count])
      ).0.logProbability(of: Array(repeating: 0, count: count)).scalars
    }
    #expect(runningMean(policy) == Array(repeating: 0, count: 128))
    var bc = BCConfiguration()
    (bc.windowLength, bc.batchSize, bc.validationFraction) = (4, 2, 0)
    var trainer = BCTrainer(configuration: bc, policy: policy, dataset: dataset, seed: 0)
    _ = trainer.trainEpoch()
    #expect(runningMean(trainer.policy).contains { $0 != 0 })
    let observation = Array(Self.episode(steps: 1).observations[0..<32])
    let alone = logits(trainer.policy, observation, count: 1)
    let pair = logits(trainer.policy, observation + observation.map { 255 - $0 }, count: 2)
    #expect(abs(pair[0] - alone[0]) < 1e-5)
  }
}

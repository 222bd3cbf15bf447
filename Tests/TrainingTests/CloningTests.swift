import Environments
import Foundation
import NeuralNetworks
import TensorCore
import Testing

@testable import Training

/// A fresh temporary folder for one test.
private func temporaryFolder(_ name: String) -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("cloning-\(name)-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct CloningTests {
  @Test func recordedDatasetRoundTripsThroughShards() throws {
    let folder = temporaryFolder("roundtrip")
    defer { try? FileManager.default.removeItem(at: folder) }
    var dataset = try DemonstrationDataset.recordExpert(envID: "Pendulum-v1", episodes: 3, seed: 7)
    try dataset.write(to: folder)
    let loaded = try DemonstrationDataset(contentsOf: folder)
    #expect(loaded.episodes == dataset.episodes)
    #expect(loaded.index == dataset.index)
    #expect(loaded.index.totalSteps == 600)  // Pendulum-v1 episodes are truncated at 200 steps
    #expect(loaded.episodes.allSatisfy { $0.observations.count == ($0.steps + 1) * 3 && $0.truncated.last == true })
    #expect(loaded.index.seeds == [7, 8, 9])
  }

  /// Datasets of UInt8 environments keep their observations as bytes, on disk and in memory,
  /// and windows read them back as the floats the environment gives.
  @Test func pixelDatasetsKeepBytes() throws {
    let folder = temporaryFolder("pixels")
    defer { try? FileManager.default.removeItem(at: folder) }
    var dataset = try DemonstrationDataset.recordExpert(envID: "MiniGrid-Empty-5x5-v0", episodes: 2, seed: 1)
    #expect(dataset.episodes.allSatisfy { $0.observations.isEmpty && $0.pixels.count == ($0.steps + 1) * dataset.observationSize })
    try dataset.write(to: folder)
    let loaded = try DemonstrationDataset(contentsOf: folder)
    #expect(loaded.episodes == dataset.episodes)
    var environment = try Catalog.make("MiniGrid-Empty-5x5-v0")
    let first = environment.reset(seed: 1).map(\.floatValue)
    let batch = WindowBatch(
      [DemonstrationWindow(episode: 0, start: 0, length: 1)], dataset: loaded, length: 1, actionWidth: 1)
    #expect(batch.observations == first)
  }

  @Test func brokenDatasetsFailWithOneLineNamingTheFile() throws {
    let folder = temporaryFolder("broken")
    defer { try? FileManager.default.removeItem(at: folder) }
    var dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 2, seed: 0)
    try dataset.write(to: folder)
    let shard = folder.appendingPathComponent("shard-00000.safetensors")
    let bytes = try Data(contentsOf: shard)

    // Spaces that differ from the environment's.
    let cartPole = try DemonstrationDataset(contentsOf: folder)
    let pendulum = try Catalog.make("Pendulum-v1")
    #expect(throws: DemonstrationError.self) {
      try cartPole.checkCompatible(
        with: pendulum.observationSpace, actionSpace: pendulum.actionSpace, envID: "Pendulum-v1", directory: folder.path)
    }
    // A corrupt shard (truncated), then a missing one.
    try bytes.prefix(bytes.count / 2).write(to: shard)
    let corrupt = #expect(throws: DemonstrationError.self) { try DemonstrationDataset(contentsOf: folder) }
    #expect(corrupt?.file == shard.path)
    try FileManager.default.removeItem(at: shard)
    let missing = #expect(throws: DemonstrationError.self) { try DemonstrationDataset(contentsOf: folder) }
    #expect(missing?.description == "\(shard.path): shard is missing")
    // An empty dataset.
    var empty = DemonstrationDataset(
      envID: "CartPole-v1", observationSpace: pendulum.observationSpace, actionSpace: .discrete(count: 2), source: "test",
      episodes: [])
    try empty.write(to: folder)
    let emptyError = #expect(throws: DemonstrationError.self) { try DemonstrationDataset(contentsOf: folder) }
    #expect(emptyError?.description.contains("empty") == true)
    #expect(emptyError.map { !$0.description.contains("\n") } == true)
    // No dataset at all.
    #expect(throws: DemonstrationError.self) { try DemonstrationDataset(contentsOf: folder.appendingPathComponent("none")) }
  }

  /// Stacked windows (`frame_stack`) show the policy what `ChannelStack` shows it in the
  /// environment: the episode replayed through the stacked env gives the same inputs.
  @Test func stackedWindowsEqualTheStackedEnvironment() throws {
    let dataset = try DemonstrationDataset.recordExpert(envID: "MiniGrid-MemoryS7-v0", episodes: 1, seed: 5)
    let episode = dataset.episodes[0]
    func replay<Env: Environment>(_ base: Env) -> [Float] {
      var environment = ChannelStack(base, stackSize: 3)
      var inputs = environment.reset(seed: 5).map(\.floatValue)
      for action in episode.actions.dropLast() { inputs += environment.step(.discrete(Int(action))).observation.map(\.floatValue) }
      return inputs
    }
    let batch = WindowBatch(
      [DemonstrationWindow(episode: 0, start: 0, length: episode.steps)], dataset: dataset, length: episode.steps,
      actionWidth: 1, frameStack: 3)
    #expect(episode.steps > 3)
    #expect(batch.observations == replay(try Catalog.make("MiniGrid-MemoryS7-v0")))
    var settings = BCRunConfiguration()
    settings.frameStack = 3
    #expect(settings.policyObservationSpace(try Catalog.make("MiniGrid-MemoryS7-v0").observationSpace).shape == [7, 7, 12])
  }

  @Test func windowsStartEpisodesAndCoverEveryStepOnce() throws {
    let dataset = try DemonstrationDataset.recordExpert(envID: "Pendulum-v1", episodes: 2, seed: 0)
    var configuration = BCConfiguration()
    configuration.windowLength = 64  // 200 steps: windows of 64, 64, 64, 8
    let policy = try ActorCritic(
      configuration: BCRunConfiguration().policy, observationSpace: try Catalog.make("Pendulum-v1").observationSpace,
      actionSpace: try Catalog.make("Pendulum-v1").actionSpace, seed: 0)
    let trainer = BCTrainer(configuration: configuration, policy: policy, dataset: dataset, seed: 0)
    let windows = trainer.windows(of: [0, 1])
    #expect(windows.map(\.length) == [64, 64, 64, 8, 64, 64, 64, 8])
    let batch = WindowBatch(windows, dataset: dataset, length: 64, actionWidth: 1)
    #expect(batch.mask.reduce(0, +) == 400)
    #expect(batch.episodeStarts.enumerated().allSatisfy { $0.element == ($0.offset % 64 == 0 ? 1 : 0) })
    #expect(trainer.validationEpisodes.count == 1 && trainer.trainingEpisodes.count == 1)
  }

  /// Clones 20 expert CartPole episodes (two held out) in at most five epochs. The expert is a linear
  /// threshold on the observation, so a policy fits it up to the few steps near the threshold:
  /// validation accuracy ≥ 90%; and a clone that solves the task keeps the pole up for
  /// Gymnasium's reward threshold, 475, as the expert (500 on every seed) does.
  @Test func clonesTheCartPoleExpert() throws {
    let folder = temporaryFolder("cartpole")
    defer { try? FileManager.default.removeItem(at: folder) }
    var settings = BCRunConfiguration()
    settings.bc.epochs = 5
    settings.bc.evaluationEpisodes = 4
    settings.bc.workerCount = 2
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 20, seed: 0)
    var run = BCRun(
      configuration: settings, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
    run.showsProgress = false
    run.log = { _ in }
    let summary = try #require(try run.run())
    #expect(summary.demoMeanReturn == 500)
    #expect(summary.valAccuracy >= 0.9)
    #expect(try #require(summary.evalMeanReturn) >= 475)
    for name in ["config.json", "metrics.csv", "checkpoint.safetensors", "curve.png", "summary.json"] {
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
    }
    // The checkpoint loads as a PPO checkpoint (the viewer's and evaluate's loader) and acts as
    // the kept policy did.
    let (config, policy) = try PPOCheckpoint.load(from: folder.appendingPathComponent("checkpoint.safetensors"))
    #expect(config.env == "CartPole-v1" && config.policy == settings.policy)
    let replayed = evaluate(
      policy: policy, makeEnvironment: { TimeLimit(CartPole(), maxEpisodeSteps: 500) }, episodes: 4, seed: settings.seed &+ 1_000_000)
    #expect(replayed.meanReturn == summary.evalMeanReturn)
    // Recording from the checkpoint (greedy, episode k reset with seed + k) plays the same
    // episodes as that evaluation.
    let recorded = try DemonstrationDataset.recordPolicy(
      policy, envID: "CartPole-v1", episodes: 4, seed: settings.seed &+ 1_000_000, source: "checkpoint")
    #expect(recorded.episodes.map(\.episodeReturn) == replayed.returns)
    #expect(recorded.index.source == "checkpoint")
  }

  /// A clone trained on stacked observations (`frame_stack`) loads through the checkpoint loader
  /// that `evaluate` and `watch` use, sees the environment stacked as in training, and plays the
  /// run's own evaluation episodes again.
  @Test func frameStackedCheckpointLoadsAndPlaysAsTrained() throws {
    let folder = temporaryFolder("stacked")
    defer { try? FileManager.default.removeItem(at: folder) }
    var settings = BCRunConfiguration()
    settings.frameStack = 3
    settings.bc.epochs = 1
    settings.bc.evaluationEpisodes = 2
    settings.bc.workerCount = 1
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 4, seed: 0)
    var run = BCRun(configuration: settings, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
    (run.showsProgress, run.log) = (false, { _ in })
    let summary = try #require(try run.run())
    let url = folder.appendingPathComponent("checkpoint.safetensors")
    let (configuration, policy) = try PPOCheckpoint.load(from: url)
    #expect(policy.observationShape == [12])
    let environment = try PPOCheckpoint.environment(from: url, configuration: configuration)
    #expect(environment.observationSpace.shape == [12])
    func replay<Env: Environment>(_ prototype: Env) -> EvaluationResult {
      evaluate(policy: policy, makeEnvironment: { prototype }, episodes: 2, seed: settings.seed &+ 1_000_000)
    }
    #expect(replay(environment).meanReturn == summary.evalMeanReturn)
    // Recording plays the catalog's own observations, which this policy cannot read.
    #expect(throws: ConfigurationError.self) {
      try DemonstrationDataset.recordPolicy(policy, envID: "CartPole-v1", episodes: 1, seed: 0, source: "checkpoint")
    }
  }

  /// A run interrupted after each of its first two epochs and resumed each time ends with the
  /// same tensors (best checkpoint, policy and Adam moments), metrics and summary as the run
  /// that was never interrupted.
  @Test func resumedRunEqualsTheUninterruptedRunBitForBit() throws {
    let (whole, parts) = (temporaryFolder("whole"), temporaryFolder("parts"))
    defer { for folder in [whole, parts] { try? FileManager.default.removeItem(at: folder) } }
    var settings = BCRunConfiguration()
    settings.bc.epochs = 3
    settings.bc.evaluationEpisodes = 2
    settings.bc.patience = 0
    settings.bc.workerCount = 1
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 4, seed: 3)
    func makeRun(_ folder: URL, limit: Int?) throws -> BCRun {
      var run = BCRun(configuration: settings, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
      (run.showsProgress, run.log, run.epochLimit) = (false, { _ in }, limit)
      return run
    }
    let expected = try #require(try makeRun(whole, limit: nil).run())
    #expect(try makeRun(parts, limit: 1).run() == nil)
    #expect(try makeRun(parts, limit: 1).run(resume: true) == nil)
    let resumed = try #require(try makeRun(parts, limit: nil).run(resume: true))
    var (a, b) = (expected, resumed)
    (a.wallSeconds, b.wallSeconds) = (0, 0)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys  // Foundation on Linux writes keys in no fixed order
    #expect(try encoder.encode(a) == encoder.encode(b))
    #expect(resumed.epochs == 3)
    for name in [BCRun.checkpointName, BCRun.stateName] {
      let x = try SafeTensorsFile(contentsOf: whole.appendingPathComponent(name)).tensors()
      let y = try SafeTensorsFile(contentsOf: parts.appendingPathComponent(name)).tensors()
      #expect(x.keys.sorted() == y.keys.sorted() && x.keys.contains { $0.hasPrefix("optimizer.") } == (name == BCRun.stateName))
      for (key, tensor) in x { #expect(tensor.scalars == y[key]?.scalars, "\(name) \(key)") }
    }
    // The metrics agree row for row, apart from the epoch's wall time.
    func rows(_ folder: URL) throws -> [[Substring]] {
      let text = try String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8)
      let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
      let timeColumn = try #require(lines[0].firstIndex(of: "charts/epoch_seconds"))
      return lines.map { line in line.enumerated().filter { $0.offset != timeColumn }.map(\.element) }
    }
    #expect(try rows(whole) == rows(parts))
    #expect(try rows(parts).count == 4)
  }

  @Test func resumeWithoutStateOrWithAnotherConfigurationFails() throws {
    let folder = temporaryFolder("resume-errors")
    defer { try? FileManager.default.removeItem(at: folder) }
    var settings = BCRunConfiguration()
    (settings.bc.epochs, settings.bc.evaluationEpisodes) = (2, 0)
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 2, seed: 0)
    var run = BCRun(configuration: settings, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
    (run.showsProgress, run.log) = (false, { _ in })
    let missing = #expect(throws: ConfigurationError.self) { try run.run(resume: true) }
    #expect(missing?.description.contains("state.safetensors") == true)
    run.epochLimit = 1
    #expect(try run.run() == nil)
    settings.seed = 2
    var other = BCRun(configuration: settings, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
    (other.showsProgress, other.log) = (false, { _ in })
    let differs = #expect(throws: ConfigurationError.self) { try other.run(resume: true) }
    #expect(differs?.field == "config")
  }

  /// A resumed run may lower its learning rate and run more epochs: the change is logged, kept
  /// in the progress and in `config.json`; the epochs before it stay as they were, and the epoch
  /// after it differs from the run that kept the old rate. Other settings still may not change.
  @Test func resumeMayChangeTheLearningRateAndEpochs() throws {
    let (kept, changed) = (temporaryFolder("lr-kept"), temporaryFolder("lr-changed"))
    defer { for folder in [kept, changed] { try? FileManager.default.removeItem(at: folder) } }
    var settings = BCRunConfiguration()
    (settings.bc.epochs, settings.bc.evaluationEpisodes, settings.bc.patience, settings.bc.workerCount) = (1, 0, 0, 1)
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 3, seed: 4)
    var logged: [String] = []
    func makeRun(_ folder: URL, _ configuration: BCRunConfiguration) throws -> BCRun {
      var run = BCRun(configuration: configuration, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
      (run.showsProgress, run.log) = (false, { logged.append($0) })
      return run
    }
    for folder in [kept, changed] { _ = try #require(try makeRun(folder, settings).run()) }
    var longer = settings
    longer.bc.epochs = 2
    _ = try #require(try makeRun(kept, longer).run(resume: true))
    var lower = longer
    lower.bc.learningRate = 3e-4  // the default is 3e-3
    logged = []
    let summary = try #require(try makeRun(changed, lower).run(resume: true))
    #expect(summary.epochs == 2)
    #expect(logged.contains { $0.contains("changed after epoch 1: learning_rate 0.003 -> 0.0003") })
    let config = try ConfigurationFile.load(BCRunConfiguration.self, from: changed.appendingPathComponent("config.json"))
    #expect(config == lower)
    let state = try SafeTensorsFile(contentsOf: changed.appendingPathComponent(BCRun.stateName))
    #expect(state.metadata["progress"]?.contains("after epoch 1: learning_rate 0.003 -> 0.0003") == true)
    func rows(_ folder: URL) throws -> [Substring] {
      try String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")
    }
    let (a, b) = (try rows(kept), try rows(changed))
    #expect(a.count == 3 && b.count == 3)
    let loss = { (row: Substring) in row.split(separator: ",")[3] }  // losses/train_loss
    #expect(loss(a[1]) == loss(b[1]) && loss(a[2]) != loss(b[2]))
    var other = lower
    other.bc.batchSize += 1
    let differs = #expect(throws: ConfigurationError.self) { try makeRun(changed, other).run(resume: true) }
    #expect(differs?.field == "config")
  }

  /// `bc.validation_episodes` holds out exactly the named episodes; indices outside the
  /// dataset, or all of its episodes, are errors naming the field.
  @Test func validationEpisodesChooseTheHeldOutEpisodes() throws {
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 4, seed: 6)
    var settings = BCRunConfiguration()
    settings.bc.validationEpisodes = [3, 0]
    let environment = try Catalog.make("CartPole-v1")
    let policy = try ActorCritic(
      configuration: settings.policy, observationSpace: environment.observationSpace, actionSpace: environment.actionSpace, seed: 0)
    let trainer = BCTrainer(configuration: settings.bc, policy: policy, dataset: dataset, seed: 1)
    #expect(trainer.validationEpisodes == [0, 3] && trainer.trainingEpisodes == [1, 2])
    try BCRun.check(settings, dataset: dataset, demonstrations: "memory")
    for bad in [[4], [0, 1, 2, 3]] {
      settings.bc.validationEpisodes = bad
      let error = #expect(throws: ConfigurationError.self) { try BCRun.check(settings, dataset: dataset, demonstrations: "memory") }
      #expect(error?.field == "bc.validation_episodes")
    }
    settings.bc.validationEpisodes = [1, 1]
    #expect(throws: ConfigurationError.self) { try settings.validate() }
  }

  /// `init_from` starts a run from a checkpoint's policy: with a vanishing learning rate the new
  /// run's checkpoint keeps those tensors; a checkpoint of another policy shape is an error.
  @Test func initFromStartsFromTheCheckpointsPolicy() throws {
    let (first, second, third) = (temporaryFolder("init-a"), temporaryFolder("init-b"), temporaryFolder("init-c"))
    defer { for folder in [first, second, third] { try? FileManager.default.removeItem(at: folder) } }
    let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 3, seed: 2)
    var settings = BCRunConfiguration()
    (settings.bc.epochs, settings.bc.evaluationEpisodes, settings.bc.workerCount) = (1, 0, 1)
    func run(_ configuration: BCRunConfiguration, _ folder: URL) throws -> BCRunSummary? {
      var run = BCRun(configuration: configuration, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
      (run.showsProgress, run.log) = (false, { _ in })
      return try run.run()
    }
    _ = try run(settings, first)
    let checkpoint = first.appendingPathComponent(BCRun.checkpointName).path
    var continued = settings
    (continued.seed, continued.initFrom, continued.bc.learningRate) = (9, checkpoint, 1e-12)
    _ = try run(continued, second)
    let a = try SafeTensorsFile(contentsOf: first.appendingPathComponent(BCRun.checkpointName)).tensors()
    let b = try SafeTensorsFile(contentsOf: second.appendingPathComponent(BCRun.checkpointName)).tensors()
    #expect(a.keys.sorted() == b.keys.sorted())
    for (key, tensor) in a where key.hasPrefix("policy.") {
      let difference = zip(tensor.scalars, b[key]!.scalars).map { abs($0 - $1) }.max() ?? 0
      #expect(difference < 1e-6, "\(key)")
    }
    var other = continued
    other.policy.units += 4
    let error = #expect(throws: ConfigurationError.self) { try run(other, third) }
    #expect(error?.file == checkpoint)
  }

  /// `curve.png` plots the return when the run evaluates, else the accuracy it measured: on the
  /// held-out episodes, or on the training windows when there is no validation split.
  @Test func curveAxisNamesWhatItPlots() {
    let settings = BCRunConfiguration()
    let points = [[1.0, 0.5], [2.0, 0.75]]
    #expect(BCRun.curvePlot(settings, returns: points, accuracy: points, isValidation: true).yLabel == "closed-loop mean return")
    #expect(BCRun.curvePlot(settings, returns: [], accuracy: points, isValidation: true).yLabel == "validation accuracy")
    let training = BCRun.curvePlot(settings, returns: [], accuracy: points, isValidation: false)
    #expect(training.yLabel == "training accuracy")
    #expect(training.series.map { $0.points.map(\.y) } == [[0.5, 0.75]])
  }

  /// The CI cloning test: `Probe-Memory-v0` shows a cue, then blank steps, then asks for it.
  /// A CfC clone of the perfect player must name the cue, which no memoryless policy can do
  /// better than chance (`1 / cueCount`); the margin asked is half the way from chance to the
  /// expert's return, and the accuracy over all steps (the expert names the cue at every step)
  /// must clear the same margin over chance.
  @Test func clonesTheMemoryProbeWithACfC() throws {
    let folder = temporaryFolder("probe")
    defer { try? FileManager.default.removeItem(at: folder) }
    let probe = MemoryProbe()
    let chance = 1 / Double(probe.cueCount)
    let expertReturn = 1.0
    let margin = (expertReturn - chance) / 2
    var settings = BCRunConfiguration()
    settings.env = "Probe-Memory-v0"
    settings.policy.units = 16
    settings.policy.backboneUnits = 32
    settings.bc.epochs = 4
    settings.bc.evaluationEpisodes = 40
    settings.bc.workerCount = 1
    let dataset = try DemonstrationDataset.recordExpert(envID: "Probe-Memory-v0", episodes: 200, seed: 0)
    #expect(dataset.episodes.allSatisfy { $0.episodeReturn == expertReturn })
    var run = BCRun(configuration: settings, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
    (run.showsProgress, run.log) = (false, { _ in })
    let summary = try #require(try run.run())
    #expect(try #require(summary.evalMeanReturn) >= chance + margin)
    #expect(summary.valAccuracy >= chance + margin)
  }
}

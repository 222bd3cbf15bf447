import Environments
import Foundation
import NeuralNetworks
import Randomness
import TensorCore

/// What `summary.json` holds at the end of a cloning run (the best checkpoint's numbers).
public struct BCRunSummary: Codable, Sendable {
  public var env: String
  public var circuit: String
  public var seed: UInt64
  public var demonstrations: String
  public var trainingEpisodes: Int
  public var validationEpisodes: Int
  /// The epoch of the kept (best) checkpoint, from 1.
  public var bestEpoch: Int
  public var epochs: Int
  /// `nil` when evaluation is off (`evaluation_episodes: 0`).
  public var evalMeanReturn: Double?
  public var evalStdReturn: Double?
  public var evalEpisodes: Int
  public var valLoss: Double
  public var valAccuracy: Double
  public var trainLoss: Double
  public var trainAccuracy: Double
  /// The demonstrations' mean return, for comparison.
  public var demoMeanReturn: Double
  public var wallSeconds: Double
}

/// A whole cloning run in a run directory: `config.json`, metrics (CSV, TensorBoard), the best
/// checkpoint (`checkpoint.safetensors`, PPO's format: `policy.*` tensors and the run's `config`
/// in the metadata), the resume state (`state.safetensors`), the learning curve `curve.png` and
/// `summary.json`.
///
/// After every epoch: validation loss and accuracy on the held-out episodes, and a greedy
/// closed-loop evaluation in the environment (state reset at every episode start). The epoch
/// with the best evaluation return (ties: lower validation loss) is kept; training stops early
/// after `patience` epochs without improvement.
///
/// Exact resume: after every epoch `state.safetensors` is written atomically with the policy,
/// Adam's moments, the window-order random stream, the epoch counter, the best epoch so far, the
/// early-stopping count and the curves. `run(resume: true)` continues from it bit for bit as the
/// uninterrupted run would have (the evaluation seeds do not depend on the session). An epoch
/// interrupted half-way is redone; its metrics row, if already written, is replaced.
///
/// A resumed run may change its schedule and evaluation (``BCRunConfiguration/definingRun``):
/// e.g. lower the learning rate after a plateau, or run more epochs. The change is logged, kept
/// in the progress (`changes`, with the epoch it applies after) and written to `config.json`, so
/// a later resume continues with it; from then on the run is no longer the uninterrupted one.
public struct BCRun {
  public let configuration: BCRunConfiguration
  public let dataset: DemonstrationDataset
  /// Where the demonstrations came from (a path), for the summary.
  public let demonstrations: String
  public let directory: RunDirectory
  public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
  public var showsProgress = true
  /// Stops this session after this many epochs, as an interruption would (after the epoch's
  /// state is saved); `run` then returns `nil`. For time-sliced training and tests.
  public var epochLimit: Int? = nil

  public static let checkpointName = "checkpoint.safetensors"
  public static let stateName = "state.safetensors"
  static let metricColumns = [
    "eval/mean_return", "eval/std_return", "losses/train_loss", "losses/train_accuracy", "losses/val_loss",
    "losses/val_accuracy", "charts/epoch_seconds",
  ]

  public init(configuration: BCRunConfiguration, dataset: DemonstrationDataset, demonstrations: String, directory: RunDirectory) {
    self.configuration = configuration
    self.dataset = dataset
    self.demonstrations = demonstrations
    self.directory = directory
  }

  /// Throws what `run` would throw before training: invalid values, an unknown environment,
  /// spaces that differ between the dataset and the environment, an unbuildable policy.
  public static func check(_ configuration: BCRunConfiguration, dataset: DemonstrationDataset, demonstrations: String) throws {
    try configuration.validate()
    let prototype = try Catalog.make(configuration.env)
    try dataset.checkCompatible(
      with: prototype.observationSpace, actionSpace: prototype.actionSpace, envID: configuration.env, directory: demonstrations)
    if let held = configuration.bc.validationEpisodes {
      guard held.allSatisfy({ $0 < dataset.episodes.count }), held.count < dataset.episodes.count else {
        throw ConfigurationError(
          field: "bc.validation_episodes",
          problem: "must name some but not all of the \(dataset.episodes.count) episodes of \(demonstrations), got \(held)")
      }
    }
    if let weights = configuration.bc.actionWeights {
      guard case .discrete(let count) = prototype.actionSpace, weights.count == count else {
        throw ConfigurationError(
          field: "bc.action_weights",
          problem: "needs one weight per action of \(configuration.env)'s \(prototype.actionSpace), got \(weights.count)")
      }
    }
    _ = try ActorCritic(
      configuration: configuration.policy, observationSpace: configuration.policyObservationSpace(prototype.observationSpace),
      actionSpace: prototype.actionSpace, seed: configuration.seed)
  }

  /// Trains (continuing from the run directory's `state.safetensors` when `resume`) and writes
  /// the summary of the best epoch; `nil` when `epochLimit` stopped the session first.
  public func run(resume: Bool = false) throws -> BCRunSummary? {
    try Self.check(configuration, dataset: dataset, demonstrations: demonstrations)
    return try start(try Catalog.make(configuration.env), resume: resume)
  }

  /// Opens the environment's type, stacked when `frame_stack` asks for it.
  private func start<Env: Environment>(_ environment: Env, resume: Bool) throws -> BCRunSummary? {
    if let limit = configuration.bc.evaluationMaxSteps {
      return try stacked(TimeLimit(environment, maxEpisodeSteps: limit), resume: resume)
    }
    return try stacked(environment, resume: resume)
  }

  private func stacked<Env: Environment>(_ environment: Env, resume: Bool) throws -> BCRunSummary? {
    let stack = configuration.frameStack
    return stack > 1 ? try train(ChannelStack(environment, stackSize: stack), resume: resume) : try train(environment, resume: resume)
  }

  /// Everything besides the tensors that a resumed run needs: saved in `state.safetensors`.
  struct Progress: Codable {
    struct Best: Codable {
      var score: Double
      var valLoss: Double
      var summary: BCRunSummary
    }
    /// Epochs completed.
    var epoch = 0
    var best: Best? = nil
    var sinceImprovement = 0
    /// Training stopped early (or ran all epochs): nothing is left to do.
    var isFinished = false
    var curve: [[Double]] = []
    var accuracyCurve: [[Double]] = []
    /// Wall seconds of the earlier sessions.
    var seconds = 0.0
    /// Settings changed on resume: `after epoch 12: learning_rate 0.0005 -> 0.0001`.
    var changes: [String]? = nil
  }

  private func train<Env: Environment>(_ prototype: Env, resume: Bool) throws -> BCRunSummary? {
    let c = configuration
    let sessionStart = Date()
    ComputeThreads.setBLASThreads(1)  // small GEMMs; evaluation spreads over Dispatch workers
    let policy = try ActorCritic(
      configuration: c.policy, observationSpace: prototype.observationSpace, actionSpace: prototype.actionSpace, seed: c.seed)
    var trainer = BCTrainer(configuration: c.bc, policy: policy, dataset: dataset, seed: c.seed, frameStack: c.frameStack)
    var state = Progress()
    if resume {
      let saved: BCRunConfiguration
      (state, saved) = try restore(&trainer)
      try keepMetricRows(state.epoch)
      log("resuming \(directory.url.path) after epoch \(state.epoch) of \(c.bc.epochs)")
      let changes = c.changes(from: saved)
      if !changes.isEmpty {
        log("changed after epoch \(state.epoch): " + changes.joined(separator: ", "))
        state.changes = (state.changes ?? []) + changes.map { "after epoch \(state.epoch): \($0)" }
        try directory.writeJSON(c, to: "config.json")
      }
    } else {
      if let path = c.initFrom { try Self.initialize(&trainer.policy, from: path) }
      try directory.writeJSON(c, to: "config.json")
    }
    let metrics = try MetricsLog(run: directory, columns: Self.metricColumns)
    let trainingSteps = min(
      trainer.trainingEpisodes.reduce(0) { $0 + dataset.episodes[$1].steps }, (c.bc.windowsPerEpoch ?? .max / c.bc.windowLength) * c.bc.windowLength)
    var progress = ProgressLine(totalSteps: c.bc.epochs * trainingSteps)
    let demoMean = dataset.episodes.reduce(0) { $0 + $1.episodeReturn } / Double(dataset.episodes.count)
    var sessionEpochs = 0

    while !state.isFinished && state.epoch < c.bc.epochs {
      if let limit = epochLimit, sessionEpochs >= limit { return nil }
      let epochStart = Date()
      let epoch = state.epoch + 1
      let train = trainer.trainEpoch()
      guard train.loss.isFinite else {
        throw ConfigurationError(
          file: directory.url.path, field: nil, problem: "the loss became NaN in epoch \(epoch); stopped, the best checkpoint is kept")
      }
      let validation = trainer.validate()
      let result =
        c.bc.evaluationEpisodes > 0
        ? evaluate(
          policy: trainer.policy, makeEnvironment: { prototype }, episodes: c.bc.evaluationEpisodes,
          seed: c.seed &+ 1_000_000, workerCount: c.bc.workerCount ?? ProcessInfo.processInfo.activeProcessorCount)
        : nil
      let measured = validation ?? train
      var row: [String: Float] = [
        "losses/train_loss": train.loss, "losses/train_accuracy": train.accuracy,
        "charts/epoch_seconds": Float(Date().timeIntervalSince(epochStart)),
      ]
      if let validation { (row["losses/val_loss"], row["losses/val_accuracy"]) = (validation.loss, validation.accuracy) }
      if let result { (row["eval/mean_return"], row["eval/std_return"]) = (Float(result.meanReturn), Float(result.standardDeviationOfReturn)) }
      try metrics.record(step: epoch * trainingSteps, row)
      if let result { state.curve.append([Double(epoch), result.meanReturn]) }
      state.accuracyCurve.append([Double(epoch), Double(measured.accuracy)])
      if showsProgress {
        progress.update(
          steps: epoch * trainingSteps, episodicReturn: result.map { Float($0.meanReturn) },
          extra: String(format: "epoch %d val loss %.4f acc %.3f", epoch, measured.loss, measured.accuracy))
        log(
          String(format: "\nepoch %d: train loss %.4f acc %.3f", epoch, train.loss, train.accuracy)
            + (validation.map { String(format: "; val loss %.4f acc %.3f", $0.loss, $0.accuracy) } ?? "")
            + (measured.recallDescription.isEmpty ? "" : " " + measured.recallDescription)
            + (result.map { String(format: "; return %.1f ± %.1f", $0.meanReturn, $0.standardDeviationOfReturn) } ?? "")
            + String(format: "; %.0f s", Date().timeIntervalSince(epochStart)))
      }
      let valLoss = Double(measured.loss)
      let summary = BCRunSummary(
        env: c.env, circuit: c.policy.circuit.rawValue, seed: c.seed, demonstrations: demonstrations,
        trainingEpisodes: trainer.trainingEpisodes.count, validationEpisodes: trainer.validationEpisodes.count,
        bestEpoch: epoch, epochs: epoch, evalMeanReturn: result?.meanReturn, evalStdReturn: result?.standardDeviationOfReturn,
        evalEpisodes: result?.episodes ?? 0, valLoss: valLoss, valAccuracy: Double(measured.accuracy),
        trainLoss: Double(train.loss), trainAccuracy: Double(train.accuracy), demoMeanReturn: demoMean, wallSeconds: 0)
      let score = result?.meanReturn ?? -valLoss
      if let previous = state.best, score < previous.score || (score == previous.score && valLoss >= previous.valLoss) {
        state.sinceImprovement += 1
      } else {
        state.best = .init(score: score, valLoss: valLoss, summary: summary)
        state.sinceImprovement = 0
        try saveCheckpoint(trainer.policy, epoch: epoch)
      }
      state.epoch = epoch
      sessionEpochs += 1
      if c.bc.patience > 0 && state.sinceImprovement >= c.bc.patience && epoch < c.bc.epochs {
        log("stopping early after epoch \(epoch): no improvement for \(c.bc.patience) epochs")
        state.isFinished = true
      }
      try saveCurve(state.curve, accuracy: state.accuracyCurve, isValidation: !trainer.validationEpisodes.isEmpty)
      var saved = state
      saved.seconds += Date().timeIntervalSince(sessionStart)
      try saveState(trainer, saved)
    }
    if showsProgress { progress.finish() }
    guard var summary = state.best?.summary else {
      throw ConfigurationError(file: directory.file(Self.stateName).path, field: "progress", problem: "holds no finished epoch")
    }
    summary.epochs = state.epoch
    summary.wallSeconds = state.seconds + Date().timeIntervalSince(sessionStart)
    try directory.writeJSON(summary, to: "summary.json")
    return summary
  }

  // MARK: - Resume state

  private func saveState(_ trainer: BCTrainer, _ state: Progress) throws {
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    var file = try SafeTensorsFile(
      tensors: Dictionary(uniqueKeysWithValues: trainer.policy.stateDict().map { ("policy." + $0.key, $0.value) }),
      metadata: [
        "format": "swift-ncps bc state 1",
        "config": String(decoding: try ConfigurationFile.encoder().encode(configuration), as: UTF8.self),
        "generator": try json(trainer.generator), "progress": try json(state), "demonstrations": demonstrations,
        "demonstration_episodes": String(dataset.episodes.count),
      ])
    try file.setOptimizerState(trainer.optimizer.state, for: trainer.policy)
    try file.write(to: directory.file(Self.stateName))
  }

  /// The dataset folder an earlier session of the run in `directory` trained on and how many of
  /// its episodes (`bc-train --episodes`), kept in `state.safetensors`, for resuming without
  /// naming them again.
  public static func demonstrations(of directory: RunDirectory) throws -> (folder: URL, episodes: Int?) {
    let url = directory.file(stateName)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw ConfigurationError(file: url.path, field: nil, problem: "not found; no epoch of this run finished, so there is nothing to resume")
    }
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile(contentsOf: url) } catch {
      throw ConfigurationError(file: url.path, field: nil, problem: "is not a readable safetensors file (\(error))")
    }
    guard let path = file.metadata["demonstrations"] else {
      throw ConfigurationError(file: url.path, field: "demonstrations", problem: "is missing from the metadata; pass --demos")
    }
    return (URL(fileURLWithPath: path), file.metadata["demonstration_episodes"].flatMap { Int($0) })
  }

  /// Loads `state.safetensors` into `trainer`; returns the saved progress and configuration.
  private func restore(_ trainer: inout BCTrainer) throws -> (Progress, BCRunConfiguration) {
    let url = directory.file(Self.stateName)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw ConfigurationError(file: url.path, field: nil, problem: "not found; no epoch of this run finished, so there is nothing to resume")
    }
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile(contentsOf: url) } catch {
      throw ConfigurationError(file: url.path, field: nil, problem: "is not a readable safetensors file (\(error))")
    }
    func decoded<T: Decodable>(_ name: String) throws -> T {
      guard let value = file.metadata[name] else {
        throw ConfigurationError(file: url.path, field: name, problem: "is missing from the metadata")
      }
      let decoder = JSONDecoder()
      decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      do { return try decoder.decode(T.self, from: Data(value.utf8)) } catch {
        throw ConfigurationError(file: url.path, field: name, problem: "is not valid (\(error))")
      }
    }
    guard let json = file.metadata["config"] else {
      throw ConfigurationError(file: url.path, field: "config", problem: "is missing from the metadata")
    }
    let saved = try ConfigurationFile.decode(BCRunConfiguration.self, from: Data(json.utf8), file: url.path)
    guard saved.definingRun == configuration.definingRun else {
      throw ConfigurationError(
        file: url.path, field: "config",
        problem: "differs from this run's configuration beyond its schedule and evaluation; resume with the run's own config.json")
    }
    var stateDict: [String: Tensor] = [:]
    do {
      for (name, tensor) in try file.tensors() where name.hasPrefix("policy.") {
        stateDict[String(name.dropFirst("policy.".count))] = tensor
      }
      try trainer.policy.loadStateDict(stateDict)
      trainer.optimizer.state = try file.optimizerState(for: trainer.policy, optimizer: trainer.optimizer)
    } catch {
      throw ConfigurationError(file: url.path, field: "policy", problem: "\(error)")
    }
    trainer.generator = try decoded("generator")
    let state: Progress = try decoded("progress")
    guard (0...configuration.bc.epochs).contains(state.epoch) else {
      throw ConfigurationError(file: url.path, field: "progress", problem: "epoch \(state.epoch) lies outside 0...\(configuration.bc.epochs)")
    }
    return (state, saved)
  }

  /// Drops metric rows of an epoch that was interrupted after its row was written.
  private func keepMetricRows(_ epochs: Int) throws {
    let url = directory.file("metrics.csv")
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
    guard lines.count > epochs + 1 else { return }
    try writeAtomically(Data((lines.prefix(epochs + 1).joined(separator: "\n") + "\n").utf8), to: url)
  }

  // MARK: - Checkpoint and curve

  private func saveCheckpoint(_ policy: ActorCritic, epoch: Int) throws {
    // `config` holds the keys a PPO checkpoint's config has (env, seed, policy), so that tools
    // reading PPO checkpoints rebuild this policy too; the cloning settings go in `bc_config`.
    var shared = PPORunConfiguration()
    shared.env = configuration.env
    shared.seed = configuration.seed
    shared.policy = configuration.policy
    let file = try SafeTensorsFile(
      tensors: Dictionary(uniqueKeysWithValues: policy.stateDict().map { ("policy." + $0.key, $0.value) }),
      metadata: [
        "format": "swift-ncps bc checkpoint 1",
        "config": String(decoding: try ConfigurationFile.encoder().encode(shared), as: UTF8.self),
        "bc_config": String(decoding: try ConfigurationFile.encoder().encode(configuration), as: UTF8.self),
        "epoch": String(epoch), "demonstrations": demonstrations,
      ])
    try file.write(to: directory.file(Self.checkpointName))
  }

  private func saveCurve(_ curvePoints: [[Double]], accuracy accuracyPoints: [[Double]], isValidation: Bool) throws {
    let plot = Self.curvePlot(configuration, returns: curvePoints, accuracy: accuracyPoints, isValidation: isValidation)
    try writeAtomically(Data(plot.render().pngData()), to: directory.file("curve.png"))
  }

  /// `curve.png`: the closed-loop mean return per epoch when the run evaluates, else the accuracy
  /// per epoch — on the held-out episodes (`isValidation`) or, without a validation split, on
  /// the training windows, and the axis says which.
  static func curvePlot(_ configuration: BCRunConfiguration, returns: [[Double]], accuracy: [[Double]], isValidation: Bool) -> LinePlot {
    let title = "\(configuration.env) - \(configuration.policy.circuit.rawValue) cloning"
    let series = { (points: [[Double]]) in
      [LinePlot.Series(label: "seed \(configuration.seed)", points: points.map { (x: $0[0], y: $0[1]) }, color: LinePlot.palette[0])]
    }
    if !returns.isEmpty {
      return LinePlot(title: title, xLabel: "epoch", yLabel: "closed-loop mean return", series: series(returns))
    }
    return LinePlot(
      title: title, xLabel: "epoch", yLabel: isValidation ? "validation accuracy" : "training accuracy", series: series(accuracy))
  }
}

extension BCRun {
  /// Loads the `policy.*` tensors of the checkpoint at `path` into `policy` (`init_from`).
  ///
  /// - Throws: `ConfigurationError` naming the file when it is unreadable or its tensors do not
  ///   fit the policy (another policy configuration).
  static func initialize(_ policy: inout ActorCritic, from path: String) throws {
    let url = URL(fileURLWithPath: path)
    var stateDict: [String: Tensor] = [:]
    do {
      for (name, tensor) in try SafeTensorsFile(contentsOf: url).tensors() where name.hasPrefix("policy.") {
        stateDict[String(name.dropFirst("policy.".count))] = tensor
      }
    } catch {
      throw ConfigurationError(file: path, field: nil, problem: "is not a readable safetensors file (\(error)); init_from needs a checkpoint.safetensors")
    }
    guard !stateDict.isEmpty else { throw ConfigurationError(file: path, field: "policy", problem: "has no policy.* tensors (init_from)") }
    do { try policy.loadStateDict(stateDict) } catch {
      throw ConfigurationError(file: path, field: "policy", problem: "does not fit this run's policy (init_from): \(error)")
    }
  }

  /// The cloning settings (`bc_config`) and the dataset folder a bc-train checkpoint was trained with.
  ///
  /// - Throws: `ConfigurationError` naming the file when it is unreadable or not a bc-train checkpoint.
  public static func settings(ofCheckpoint url: URL) throws -> (configuration: BCRunConfiguration, demonstrations: String?) {
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile(contentsOf: url) } catch {
      throw ConfigurationError(file: url.path, field: nil, problem: "is not a readable safetensors file (\(error))")
    }
    guard let json = file.metadata["bc_config"] else {
      throw ConfigurationError(file: url.path, field: "bc_config", problem: "is missing; is this a bc-train checkpoint.safetensors?")
    }
    return (try ConfigurationFile.decode(BCRunConfiguration.self, from: Data(json.utf8), file: url.path), file.metadata["demonstrations"])
  }
}

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
  public var evalMeanReturn: Double
  public var evalStdReturn: Double
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
/// in the metadata), the learning curve `curve.png` and `summary.json`.
///
/// After every epoch: validation loss and accuracy on the held-out episodes, and a greedy
/// closed-loop evaluation in the environment (state reset at every episode start). The epoch
/// with the best evaluation return (ties: lower validation loss) is kept; training stops early
/// after `patience` epochs without improvement.
public struct BCRun {
  public let configuration: BCRunConfiguration
  public let dataset: DemonstrationDataset
  /// Where the demonstrations came from (a path), for the summary.
  public let demonstrations: String
  public let directory: RunDirectory
  public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
  public var showsProgress = true

  public static let checkpointName = "checkpoint.safetensors"
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
    _ = try ActorCritic(
      configuration: configuration.policy, observationSpace: prototype.observationSpace,
      actionSpace: prototype.actionSpace, seed: configuration.seed)
  }

  public func run() throws -> BCRunSummary {
    try Self.check(configuration, dataset: dataset, demonstrations: demonstrations)
    return try train(try Catalog.make(configuration.env))
  }

  private func train<Env: Environment>(_ prototype: Env) throws -> BCRunSummary {
    let c = configuration
    let started = Date()
    ComputeThreads.setBLASThreads(1)  // small GEMMs; evaluation spreads over Dispatch workers
    let policy = try ActorCritic(
      configuration: c.policy, observationSpace: prototype.observationSpace, actionSpace: prototype.actionSpace, seed: c.seed)
    var trainer = BCTrainer(configuration: c.bc, policy: policy, dataset: dataset, seed: c.seed)
    try directory.writeJSON(c, to: "config.json")
    let metrics = try MetricsLog(run: directory, columns: Self.metricColumns)
    let trainingSteps = trainer.trainingEpisodes.reduce(0) { $0 + dataset.episodes[$1].steps }
    var progress = ProgressLine(totalSteps: c.bc.epochs * trainingSteps)
    var curve: [(x: Double, y: Double)] = []
    var accuracyCurve: [(x: Double, y: Double)] = []
    var best: (score: Double, valLoss: Double, summary: BCRunSummary)? = nil
    var sinceImprovement = 0
    var epochsRun = 0
    let demoMean = dataset.episodes.reduce(0) { $0 + $1.episodeReturn } / Double(dataset.episodes.count)

    for epoch in 1...c.bc.epochs {
      let epochStart = Date()
      epochsRun = epoch
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
      var row: [String: Float] = [
        "losses/train_loss": train.loss, "losses/train_accuracy": train.accuracy,
        "charts/epoch_seconds": Float(Date().timeIntervalSince(epochStart)),
      ]
      if let validation { (row["losses/val_loss"], row["losses/val_accuracy"]) = (validation.loss, validation.accuracy) }
      if let result { (row["eval/mean_return"], row["eval/std_return"]) = (Float(result.meanReturn), Float(result.standardDeviationOfReturn)) }
      try metrics.record(step: epoch * trainingSteps, row)
      if let result { curve.append((Double(epoch), result.meanReturn)) }
      accuracyCurve.append((Double(epoch), Double((validation ?? train).accuracy)))
      if showsProgress {
        progress.update(
          steps: epoch * trainingSteps, episodicReturn: result.map { Float($0.meanReturn) },
          extra: String(format: "epoch %d val loss %.4f acc %.3f", epoch, (validation ?? train).loss, (validation ?? train).accuracy))
      }
      let valLoss = Double((validation ?? train).loss)
      let summary = BCRunSummary(
        env: c.env, circuit: c.policy.circuit.rawValue, seed: c.seed, demonstrations: demonstrations,
        trainingEpisodes: trainer.trainingEpisodes.count, validationEpisodes: trainer.validationEpisodes.count,
        bestEpoch: epoch, epochs: epoch, evalMeanReturn: result?.meanReturn ?? .nan,
        evalStdReturn: result?.standardDeviationOfReturn ?? .nan, evalEpisodes: result?.episodes ?? 0, valLoss: valLoss,
        valAccuracy: Double((validation ?? train).accuracy), trainLoss: Double(train.loss),
        trainAccuracy: Double(train.accuracy), demoMeanReturn: demoMean, wallSeconds: 0)
      let score = result?.meanReturn ?? -valLoss
      if let previous = best, score < previous.score || (score == previous.score && valLoss >= previous.valLoss) {
        sinceImprovement += 1
      } else {
        best = (score, valLoss, summary)
        sinceImprovement = 0
        try saveCheckpoint(trainer.policy, epoch: epoch)
      }
      try saveCurve(curve, accuracy: accuracyCurve)
      if c.bc.patience > 0 && sinceImprovement >= c.bc.patience {
        log("stopping early after epoch \(epoch): no improvement for \(c.bc.patience) epochs")
        break
      }
    }
    if showsProgress { progress.finish() }
    var summary = best!.summary
    summary.epochs = epochsRun
    summary.wallSeconds = Date().timeIntervalSince(started)
    try directory.writeJSON(summary, to: "summary.json")
    return summary
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

  private func saveCurve(_ curve: [(x: Double, y: Double)], accuracy: [(x: Double, y: Double)]) throws {
    let plot =
      curve.isEmpty
      ? LinePlot(
        title: "\(configuration.env) - \(configuration.policy.circuit.rawValue) cloning", xLabel: "epoch",
        yLabel: "validation accuracy",
        series: [.init(label: "seed \(configuration.seed)", points: accuracy, color: LinePlot.palette[0])])
      : LinePlot(
        title: "\(configuration.env) - \(configuration.policy.circuit.rawValue) cloning", xLabel: "epoch",
        yLabel: "closed-loop mean return",
        series: [.init(label: "seed \(configuration.seed)", points: curve, color: LinePlot.palette[0])])
    try writeAtomically(Data(plot.render().pngData()), to: directory.file("curve.png"))
  }
}

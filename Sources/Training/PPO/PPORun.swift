import Environments
import Foundation
import NeuralNetworks
import Randomness
import TensorCore

/// What `summary.json` holds at the end of a run.
public struct PPORunSummary: Codable, Sendable {
  public var env: String
  public var circuit: String
  public var seed: UInt64
  public var evalMeanReturn: Double
  public var evalStdReturn: Double
  public var evalMinReturn: Double
  public var evalMaxReturn: Double
  public var evalEpisodes: Int
  public var envSteps: Int
  public var iterations: Int
  /// Training time, summed over interrupted and resumed sessions.
  public var trainingSeconds: Double
  /// Training plus the final evaluation.
  public var wallSeconds: Double
  /// The environment's reward threshold (Gymnasium's `reward_threshold`, e.g. 475 for
  /// CartPole-v1), when it has one.
  public var targetReturn: Double?
  /// Seconds from the start of the run until the mean return of the last 20 finished training
  /// episodes first reached `targetReturn` (checked after every iteration); `nil` if it never
  /// did, or when the run was resumed.
  public var secondsToTarget: Double?
  /// CPU seconds (user + system, every thread) of this process from the start of the run to
  /// the end of training; `nil` when the run was resumed.
  public var trainingCPUSeconds: Double?
  /// Mean steps of the greedy evaluation episodes (`ppo.evaluation_max_steps` caps them).
  public var evalMeanLength: Double?
  /// The final evaluation with sampled actions (`ppo.sampled_evaluation_episodes`), when run.
  public var sampledEvalMeanReturn: Double?
  public var sampledEvalStdReturn: Double?
  public var sampledEvalEpisodes: Int?
  public var sampledEvalMeanLength: Double?
  /// Greedy and sampled evaluation episodes that `ppo.evaluation_max_steps` ended (nil without
  /// a limit).
  public var evalEpisodesAtStepLimit: Int?
  public var sampledEvalEpisodesAtStepLimit: Int?
}

/// A whole PPO run in a run directory: configuration, metrics (CSV, TensorBoard), checkpoints,
/// learning curve, final greedy evaluation and `summary.json`.
///
/// Exact resume: every `checkpointInterval` iterations the environments are reset (episodes
/// still running are truncated and bootstrapped) and a checkpoint is written, holding the
/// policy, Adam's state, the counters and every random stream. A run resumed from that
/// checkpoint therefore continues bit for bit as the uninterrupted run would have.
public struct PPORun {
  public let configuration: PPORunConfiguration
  public let directory: RunDirectory
  /// Receives progress and notices (the command line prints them).
  public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
  /// Shows the live progress line.
  public var showsProgress = true
  /// Stops this session after this many iterations, as an interruption would (after the
  /// checkpoint at that boundary); `run` then returns `nil`. For time-sliced training and tests.
  public var iterationLimit: Int? = nil
  /// The policy to start from instead of building one from the configuration: the one
  /// ``check(_:)`` built (orthogonal initialisation of a Nature CNN's 3136×512 layer takes
  /// seconds). It must have been built from `configuration.policy` and `configuration.seed`.
  public var initialPolicy: ActorCritic? = nil

  public static let checkpointName = "checkpoint.safetensors"
  /// Gymnasium's `reward_threshold` of the catalog environments that have one.
  public static let rewardThresholds: [String: Double] = ["CartPole-v1": 475]
  static let metricColumns = [
    "charts/episodic_return", "charts/episodic_length", "charts/SPS", "charts/learning_rate",
    "losses/policy_loss", "losses/value_loss", "losses/entropy", "losses/approx_kl", "losses/clipfrac",
    "losses/explained_variance", "eval/greedy_return", "eval/sampled_return", "time/rollout_seconds",
    "time/update_seconds",
  ]

  public init(configuration: PPORunConfiguration, directory: RunDirectory) {
    self.configuration = configuration
    self.directory = directory
  }

  /// Throws what `run` would throw about `configuration` before training: invalid values, an
  /// unknown environment or options it does not take, a policy that cannot be built for it.
  /// Returns the policy it built (pass it as ``initialPolicy`` to build it only once).
  @discardableResult
  public static func check(_ configuration: PPORunConfiguration) throws -> ActorCritic {
    try configuration.validate()
    let prototype = try Catalog.make(configuration.env, options: configuration.trainingOptions)
    return try ActorCritic(
      configuration: configuration.policy, observationSpace: prototype.observationSpace,
      actionSpace: prototype.actionSpace, seed: configuration.seed)
  }

  /// Trains (resuming from the run directory's checkpoint when `resume`), evaluates and writes
  /// the summary.
  public func run(resume: Bool) throws -> PPORunSummary? {
    try configuration.validate()
    ComputeThreads.setBLASThreads(1)  // parallelism comes from the rollout workers
    let prototype = try Catalog.make(configuration.env, options: configuration.trainingOptions)
    return try train(prototype, resume: resume)
  }

  private func train<Env: Environment>(_ prototype: Env, resume: Bool) throws -> PPORunSummary? {
    // Evaluation plays the catalog's own episodes (full games, raw rewards) even when training
    // ends episodes on lost lives or clips rewards: the options change settings, not the type.
    guard let evaluation = try Catalog.make(configuration.env) as? Env else {
      preconditionFailure("Catalog options changed the type of \(configuration.env)")
    }
    if configuration.normalizeObservations {
      let clip = configuration.observationClip
      return try train(
        normalized: ObservationNormalizing(prototype, clip: clip), evaluation: ObservationNormalizing(evaluation, clip: clip),
        resume: resume)
    }
    return try train(normalized: prototype, evaluation: evaluation, resume: resume)
  }

  private func train<Env: Environment>(normalized prototype: Env, evaluation: Env, resume: Bool) throws -> PPORunSummary? {
    let c = configuration
    let started = Date()
    let startedCPU = processCPUSeconds()
    let policy = try initialPolicy ?? ActorCritic(
      configuration: c.policy, observationSpace: prototype.observationSpace, actionSpace: prototype.actionSpace,
      seed: c.seed)
    var trainer = PPOTrainer(
      configuration: c.ppo, policy: policy,
      environments: [Env](repeating: prototype, count: c.ppo.environmentCount), seed: c.seed)
    trainer.clipsRewards = c.clipRewards
    if c.normalizeRewards {
      trainer.rewardNormalizer = RewardNormalizer(
        environmentCount: c.ppo.environmentCount, discount: Double(c.ppo.discount), clip: Double(c.rewardClip))
    }
    var previousSeconds = 0.0
    var curve: [(x: Double, y: Double)] = []
    var evaluationCurves: (greedy: [(x: Double, y: Double)], sampled: [(x: Double, y: Double)]) = ([], [])
    if resume {
      previousSeconds = try restore(&trainer)
      curve = readCurve(column: "charts/episodic_return")
      evaluationCurves = (readCurve(column: "eval/greedy_return"), readCurve(column: "eval/sampled_return"))
      log("resuming \(directory.url.path) at iteration \(trainer.iterations), \(trainer.environmentSteps) steps")
    } else {
      try directory.writeJSON(c, to: "config.json")
    }
    let metrics = try MetricsLog(run: directory, columns: Self.metricColumns)
    var progress = ProgressLine(totalSteps: c.ppo.updateCount * c.ppo.rolloutSize)
    var recentReturns: [Double] = []
    var secondsToTarget: Double? = nil
    let sessionStart = Date()
    let sessionStartSteps = trainer.environmentSteps
    let sessionStartIterations = trainer.iterations
    let workers = c.ppo.workerCount ?? ProcessInfo.processInfo.activeProcessorCount
    /// Chunks that give every worker some episodes (a pixel policy's work per episode is large).
    func evaluationChunkSize(_ episodes: Int) -> Int { max(1, min(16, (episodes + workers - 1) / workers)) }

    var isOutOfTime = false
    while !trainer.isFinished && !isOutOfTime {
      if let limit = iterationLimit, trainer.iterations - sessionStartIterations >= limit {
        try saveCurve(curve, evaluations: evaluationCurves)
        return nil
      }
      if c.checkpointInterval > 0 && trainer.iterations % c.checkpointInterval == 0 {
        trainer.collector.resetAll(seed: c.seed &+ UInt64(trainer.iterations) &* 1_000_003)
      }
      let m = trainer.iterate()
      guard [m.policyLoss, m.valueLoss, m.approximateKL, m.gradientNorm].allSatisfy(\.isFinite) else {
        throw ConfigurationError(
          file: directory.url.path, field: nil,
          problem: "the loss became NaN at iteration \(trainer.iterations); stopped, the last good checkpoint is kept")
      }
      recentReturns = Array((recentReturns + m.episodes.map(\.episodeReturn)).suffix(100))
      if !resume, secondsToTarget == nil, let target = Self.rewardThresholds[c.env], recentReturns.count >= 20,
        recentReturns.suffix(20).reduce(0, +) / 20 >= target
      {
        secondsToTarget = Date().timeIntervalSince(started)
      }
      let elapsed = Date().timeIntervalSince(sessionStart)
      let stepsPerSecond = Float(Double(trainer.environmentSteps - sessionStartSteps) / max(elapsed, 1e-9))
      var row: [String: Float] = [
        "charts/SPS": stepsPerSecond, "charts/learning_rate": m.learningRate,
        "losses/policy_loss": m.policyLoss, "losses/value_loss": m.valueLoss, "losses/entropy": m.entropy,
        "losses/approx_kl": m.approximateKL, "losses/clipfrac": m.clipFraction,
        "losses/explained_variance": m.explainedVariance, "time/rollout_seconds": Float(m.rolloutSeconds),
        "time/update_seconds": Float(m.updateSeconds),
      ]
      if !m.episodes.isEmpty {
        row["charts/episodic_return"] = Float(m.episodes.map(\.episodeReturn).reduce(0, +)) / Float(m.episodes.count)
        row["charts/episodic_length"] = Float(m.episodes.map(\.length).reduce(0, +)) / Float(m.episodes.count)
      }
      if c.ppo.evaluationInterval > 0 && trainer.iterations % c.ppo.evaluationInterval == 0 {
        // Played on the side with their own seeds: training continues exactly as without them.
        let frozen = Self.frozen(evaluation, statisticsOf: trainer.collector.environments)
        for sampled in [false, true] {
          let result = evaluate(
            policy: trainer.policy, makeEnvironment: { frozen }, episodes: c.ppo.periodicEvaluationEpisodes,
            seed: c.seed &+ 2_000_000, workerCount: workers,
            chunkSize: evaluationChunkSize(c.ppo.periodicEvaluationEpisodes), maxSteps: c.ppo.evaluationMaxSteps,
            sampled: sampled)
          row[sampled ? "eval/sampled_return" : "eval/greedy_return"] = Float(result.meanReturn)
          let point = (x: Double(trainer.environmentSteps), y: result.meanReturn)
          if sampled { evaluationCurves.sampled.append(point) } else { evaluationCurves.greedy.append(point) }
        }
      }
      try metrics.record(step: trainer.environmentSteps, row)
      let meanReturn = recentReturns.isEmpty ? nil : Float(recentReturns.reduce(0, +) / Double(recentReturns.count))
      if let updateReturn = row["charts/episodic_return"] {
        curve.append((Double(trainer.environmentSteps), Double(updateReturn)))
      }
      if showsProgress { progress.update(steps: trainer.environmentSteps, episodicReturn: meanReturn) }
      if let budget = c.ppo.maxTrainingSeconds {
        isOutOfTime = previousSeconds + Date().timeIntervalSince(sessionStart) >= budget
      }
      let stops = trainer.isFinished || isOutOfTime
      if c.checkpointInterval > 0 && trainer.iterations % c.checkpointInterval == 0 || stops {
        try saveCheckpoint(trainer, seconds: previousSeconds + Date().timeIntervalSince(sessionStart))
        // The PNG costs as much as a few updates of a small policy: drawn when a session ends.
        if stops { try saveCurve(curve, evaluations: evaluationCurves) }
      }
    }
    if showsProgress { progress.finish() }
    let trainingSeconds = previousSeconds + Date().timeIntervalSince(sessionStart)
    let trainingCPUSeconds = resume ? nil : processCPUSeconds() - startedCPU

    let evaluationPrototype = Self.frozen(evaluation, statisticsOf: trainer.collector.environments)
    let result = evaluate(
      policy: trainer.policy, makeEnvironment: { evaluationPrototype }, episodes: c.ppo.evaluationEpisodes,
      seed: c.seed &+ 1_000_000, workerCount: workers, chunkSize: evaluationChunkSize(c.ppo.evaluationEpisodes),
      maxSteps: c.ppo.evaluationMaxSteps)
    func atLimit(_ result: EvaluationResult) -> Int? {
      c.ppo.evaluationMaxSteps.map { limit in result.lengths.filter { $0 >= limit }.count }
    }
    let sampledResult =
      c.ppo.sampledEvaluationEpisodes > 0
      ? evaluate(
        policy: trainer.policy, makeEnvironment: { evaluationPrototype }, episodes: c.ppo.sampledEvaluationEpisodes,
        seed: c.seed &+ 1_000_000, workerCount: workers, chunkSize: evaluationChunkSize(c.ppo.sampledEvaluationEpisodes),
        maxSteps: c.ppo.evaluationMaxSteps, sampled: true) : nil
    let summary = PPORunSummary(
      env: c.env, circuit: c.policy.circuit.rawValue, seed: c.seed, evalMeanReturn: result.meanReturn,
      evalStdReturn: result.standardDeviationOfReturn, evalMinReturn: result.minimumReturn,
      evalMaxReturn: result.maximumReturn, evalEpisodes: result.episodes, envSteps: trainer.environmentSteps,
      iterations: trainer.iterations, trainingSeconds: trainingSeconds,
      wallSeconds: previousSeconds + Date().timeIntervalSince(resume ? sessionStart : started),
      targetReturn: Self.rewardThresholds[c.env], secondsToTarget: secondsToTarget,
      trainingCPUSeconds: trainingCPUSeconds, evalMeanLength: result.meanLength,
      sampledEvalMeanReturn: sampledResult?.meanReturn, sampledEvalStdReturn: sampledResult?.standardDeviationOfReturn,
      sampledEvalEpisodes: sampledResult?.episodes, sampledEvalMeanLength: sampledResult?.meanLength,
      evalEpisodesAtStepLimit: atLimit(result), sampledEvalEpisodesAtStepLimit: sampledResult.flatMap(atLimit))
    try directory.writeJSON(summary, to: "summary.json")
    return summary
  }

  // MARK: - Checkpoints

  private func saveCheckpoint<Env>(_ trainer: PPOTrainer<Env>, seconds: Double) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    let stateDict = trainer.policy.stateDict()
    // A NaN that reached the parameters without showing in the losses must not replace a good checkpoint.
    if let bad = stateDict.first(where: { !$0.value.scalars.allSatisfy(\.isFinite) }) {
      throw ConfigurationError(
        file: directory.url.path, field: nil,
        problem: "the parameter \(bad.key) became NaN or infinite at iteration \(trainer.iterations); stopped, the last good checkpoint is kept")
    }
    var normalization: [String: String] = [:]
    let observationStatistics = trainer.collector.environments.compactMap {
      ($0 as? any ObservationStatisticsCarrying)?.statistics
    }
    if !observationStatistics.isEmpty { normalization["observation_statistics"] = try json(observationStatistics) }
    if let rewardNormalizer = trainer.rewardNormalizer { normalization["reward_normalizer"] = try json(rewardNormalizer) }
    var file = try SafeTensorsFile(
      tensors: Dictionary(uniqueKeysWithValues: stateDict.map { ("policy." + $0.key, $0.value) }),
      metadata: normalization.merging([
        "format": "swift-ncps ppo checkpoint 1",
        "config": String(decoding: try ConfigurationFile.encoder().encode(configuration), as: UTF8.self),
        "iterations": String(trainer.iterations), "environment_steps": String(trainer.environmentSteps),
        "training_seconds": String(seconds), "generator": try json(trainer.generator),
        "action_streams": try json(trainer.collector.actionStreams),
      ]) { $1 })
    try file.setOptimizerState(trainer.optimizer.state, for: trainer.policy)
    try file.write(to: directory.file(Self.checkpointName))
  }

  /// Loads the checkpoint into `trainer`; returns the training seconds it had accumulated.
  private func restore<Env>(_ trainer: inout PPOTrainer<Env>) throws -> Double {
    let url = directory.file(Self.checkpointName)
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile(contentsOf: url) } catch {
      let problem =
        FileManager.default.fileExists(atPath: url.path)
        ? "is not a readable checkpoint (\(error))" : "does not exist; nothing to resume"
      throw ConfigurationError(file: url.path, field: nil, problem: problem)
    }
    func field(_ name: String) throws -> String {
      guard let value = file.metadata[name] else {
        throw ConfigurationError(file: url.path, field: name, problem: "is missing from the checkpoint's metadata")
      }
      return value
    }
    func number<T: LosslessStringConvertible>(_ name: String) throws -> T {
      guard let value = T(try field(name)) else {
        throw ConfigurationError(file: url.path, field: name, problem: "is not a number")
      }
      return value
    }
    func decoded<T: Decodable>(_ name: String) throws -> T {
      do { return try JSONDecoder().decode(T.self, from: Data(try field(name).utf8)) } catch let error as ConfigurationError {
        throw error
      } catch {
        throw ConfigurationError(file: url.path, field: name, problem: "is not valid (\(error))")
      }
    }
    let saved = try ConfigurationFile.decode(PPORunConfiguration.self, from: Data(try field("config").utf8), file: url.path)
    guard saved == configuration else {
      throw ConfigurationError(file: url.path, field: "config", problem: "differs from this run's configuration; resume with the run's own config.json")
    }
    var stateDict: [String: Tensor] = [:]
    for (name, tensor) in try file.tensors() where name.hasPrefix("policy.") {
      stateDict[String(name.dropFirst("policy.".count))] = tensor
    }
    do { try trainer.policy.loadStateDict(stateDict) } catch {
      throw ConfigurationError(file: url.path, field: "policy", problem: "\(error)")
    }
    trainer.optimizer.state = try file.optimizerState(for: trainer.policy, optimizer: trainer.optimizer)
    trainer.generator = try decoded("generator")
    let streams: [RandomStream] = try decoded("action_streams")
    guard streams.count == trainer.collector.environmentCount else {
      throw ConfigurationError(file: url.path, field: "action_streams", problem: "has \(streams.count) streams for \(trainer.collector.environmentCount) environments")
    }
    trainer.collector.actionStreams = streams
    if configuration.normalizeObservations {
      let statistics: [RunningMeanVariance<Float>] = try decoded("observation_statistics")
      let count = trainer.collector.environmentCount
      guard statistics.count == count,
        statistics.allSatisfy({ $0.mean.count == trainer.collector.observationSize && $0.variance.count == $0.mean.count })
      else {
        throw ConfigurationError(
          file: url.path, field: "observation_statistics",
          problem: "does not hold \(count) statistics of \(trainer.collector.observationSize) elements")
      }
      trainer.collector.environments = zip(trainer.collector.environments, statistics).map { environment, saved in
        guard var carrier = environment as? any ObservationStatisticsCarrying else { return environment }
        carrier.statistics = saved
        return carrier as! Env
      }
    }
    if configuration.normalizeRewards {
      let normalizer: RewardNormalizer = try decoded("reward_normalizer")
      let count = trainer.collector.environmentCount
      guard normalizer.statistics.count == count && normalizer.discountedReturns.count == count else {
        throw ConfigurationError(file: url.path, field: "reward_normalizer", problem: "does not hold \(count) environments")
      }
      trainer.rewardNormalizer = normalizer
    }
    trainer.restore(iterations: try number("iterations"), environmentSteps: try number("environment_steps"))
    return try number("training_seconds")
  }

  /// `prototype` with its observation statistics (if it normalises) merged from
  /// `environments` and frozen, for evaluation.
  static func frozen<Env: Environment>(_ prototype: Env, statisticsOf environments: [Env]) -> Env {
    guard var carrier = prototype as? any ObservationStatisticsCarrying else { return prototype }
    let parts = environments.compactMap { ($0 as? any ObservationStatisticsCarrying)?.statistics }
    if let merged = RunningMeanVariance.merged(parts) { carrier.statistics = merged }
    carrier.updatesStatistics = false
    return carrier as! Env
  }

  // MARK: - Learning curve

  private func saveCurve(
    _ curve: [(x: Double, y: Double)],
    evaluations: (greedy: [(x: Double, y: Double)], sampled: [(x: Double, y: Double)]) = ([], [])
  ) throws {
    var series: [LinePlot.Series] = [.init(label: "seed \(configuration.seed)", points: curve, color: LinePlot.palette[0])]
    if !evaluations.greedy.isEmpty {
      series[0].label = configuration.terminalOnLifeLoss ? "training lives (sampled)" : "training episodes (sampled)"
      series.append(.init(label: "evaluation games, greedy", points: evaluations.greedy, color: LinePlot.palette[1]))
      series.append(.init(label: "evaluation games, sampled", points: evaluations.sampled, color: LinePlot.palette[2]))
    }
    let plot = LinePlot(
      title: "\(configuration.env) - \(configuration.policy.circuit.rawValue) PPO", xLabel: "environment steps",
      yLabel: evaluations.greedy.isEmpty ? "mean episodic return per update" : "mean episodic return",
      series: series)
    try writeAtomically(Data(plot.render().pngData()), to: directory.file("curve.png"))
  }

  /// A curve so far, from `metrics.csv`: the same values of `column` the live curves append,
  /// so a resumed run's picture continues the interrupted one.
  private func readCurve(column: String) -> [(x: Double, y: Double)] {
    guard let text = try? String(contentsOf: directory.file("metrics.csv"), encoding: .utf8),
      let index = Self.metricColumns.firstIndex(of: column).map({ $0 + 1 })
    else { return [] }
    var curve: [(x: Double, y: Double)] = []
    for line in text.split(separator: "\n").dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      if cells.count > index, let x = Double(cells[0]), let y = Double(cells[index]) { curve.append((x, y)) }
    }
    return curve
  }
}

/// User plus system CPU seconds of this process so far, over all its threads.
func processCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

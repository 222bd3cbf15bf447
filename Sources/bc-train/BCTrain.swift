import ArgumentParser
import Foundation
import TensorCore
import Training

@main
struct BCTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bc-train",
    abstract: "Clone demonstrations into a neural-circuit policy (behavior cloning).",
    discussion: """
      bc-train --env CartPole-v1 --demos demos/cartpole --record 50 records 50 episodes of the
      env's scripted expert into demos/cartpole, then clones them. With --from-checkpoint PATH the
      recorded episodes are played by a trained policy instead (a ppo-train or bc-train
      checkpoint.safetensors; greedy, or --sample). Without --record the dataset must exist.
      --summary prints the dataset and exits; --list also prints one line per episode.
      The run directory holds config.json, metrics.csv, TensorBoard event files,
      checkpoint.safetensors (the best epoch), state.safetensors (the last epoch, for --resume),
      curve.png and summary.json. --resume DIR continues an interrupted run bit for bit.
      --play CHECKPOINT plays greedy episodes of a clone next to the env's scripted expert and
      prints one JSON line per episode: return, length, the expert-by-clone action counts in the
      states the clone visits, and with --trace the actions of both, one digit a step.
      """)

  @Option(help: "A catalog id, e.g. CartPole-v1 (default: the config's, else the dataset's).")
  var env: String?

  @Option(help: "The demonstration dataset folder (index.json + shards).")
  var demos: String?

  @Option(help: "First record this many episodes of the env's scripted expert into --demos.")
  var record: Int?

  @Option(help: "Record with this trained policy (a checkpoint.safetensors of ppo-train or bc-train) instead of the scripted expert.")
  var fromCheckpoint: String?

  @Flag(help: "With --from-checkpoint: sample the policy's actions instead of taking the most likely one.")
  var sample = false

  @Option(help: "With --record (scripted expert): start a burst of random executed actions with this chance per step; the labels stay the expert's (DART).")
  var recordNoise: Double?

  @Option(help: "With --record-noise: the longest burst, in steps.")
  var recordNoiseLength = 8

  @Option(help: "Train on the dataset's first N episodes only.")
  var episodes: Int?

  @Flag(help: "Print a summary of the dataset and exit.")
  var summary = false

  @Flag(help: "Print a summary of the dataset and one line per episode, and exit.")
  var list = false

  @Option(help: "Continue the interrupted run in this run directory (its own config.json and dataset).")
  var resume: String?

  @Option(help: "The circuit: cfc, ltc, ncp-cfc, ncp-ltc, lstm or mlp.")
  var policy: String?

  @Option(help: "The seed for parameters, recording, the validation split and evaluation.")
  var seed: UInt64?

  @Option(help: "Passes over the training episodes.")
  var epochs: Int?

  @Option(help: "Adam's step size (bc.learning_rate); with --resume, changes it from the next epoch on.")
  var learningRate: Float?

  @Option(help: "Closed-loop evaluation episodes after every epoch (bc.evaluation_episodes); may change on --resume.")
  var evaluationEpisodes: Int?

  @Option(help: ArgumentHelp("Start from this checkpoint.safetensors's policy (init_from; the same policy configuration) instead of a fresh one.", valueName: "path"))
  var initFrom: String?

  @Option(help: "A JSON file with every setting (keys as in config.json; absent keys keep defaults).")
  var config: String?

  @Option(help: "The run directory (default: runs/bc-<env>-<policy>-<time>).")
  var runDir: String?

  @Flag(help: "No progress line.")
  var quiet = false

  @Option(help: "Threads the tensor kernels (convolutions) may use (default: every core); 1 for a one-core share.")
  var threads: Int?

  @Option(help: ArgumentHelp("Play greedy episodes of this checkpoint.safetensors next to the scripted expert, print JSON lines, and exit.", valueName: "path"))
  var play: String?

  @Option(help: "With --play: episodes (episode k resets with the seed + k; default seed: the run's evaluation seed).")
  var playEpisodes = 3

  @Option(help: "With --play: end each episode after this many steps.")
  var maxSteps = 3000

  @Option(help: "With --play: zero the recurrent state every N steps (the training window length); default: carried.")
  var stateReset: Int?

  @Option(help: "With --play: take the scripted expert's action whenever it is this action (Breakout: 1, FIRE — serving).")
  var assistAction: Int?

  @Flag(help: "With --play: also print both action sequences, one digit a step.")
  var trace = false

  @Flag(help: "With --play: instead of playing, replay the run's held-out episodes open loop with the state carried over each episode (or zeroed every --state-reset steps) and print the accuracy.")
  var replayValidation = false

  func run() throws {
    do {
      try main()
    } catch let error as ValidationError {
      throw error
    } catch {
      FileHandle.standardError.write(Data("bc-train: \(error)\n".utf8))
      throw ExitCode.failure
    }
  }

  private func main() throws {
    if let threads {
      guard threads > 0 else { throw ValidationError("--threads: must be a positive number of threads, got \(threads)") }
      ComputeThreads.maximum = threads
    }
    if let play { return try playCheckpoint(play) }
    if let resume { return try resumeRun(resume) }
    guard let demos else { throw ValidationError("--demos is required (the dataset folder), unless --resume is given") }
    var settings = BCRunConfiguration()
    if let config { settings = try ConfigurationFile.load(BCRunConfiguration.self, from: URL(fileURLWithPath: config)) }
    if let policy {
      guard let circuit = PolicyConfiguration.Circuit(rawValue: policy) else {
        let valid = PolicyConfiguration.Circuit.allCases.map(\.rawValue).joined(separator: ", ")
        throw ValidationError("--policy: unknown policy '\(policy)' (valid: \(valid))")
      }
      settings.policy.circuit = circuit
    }
    if let seed { settings.seed = seed }
    applyResumableOptions(to: &settings)
    if let initFrom { settings.initFrom = initFrom }
    let folder = URL(fileURLWithPath: demos)
    if let record {
      try recordDataset(record, into: folder, settings: settings)
    } else if recordNoise != nil {
      throw ValidationError("--record-noise perturbs a recording; it needs --record N")
    } else if fromCheckpoint != nil || sample {
      throw ValidationError("--from-checkpoint and --sample choose who plays the recorded episodes; they need --record N")
    }
    var dataset = try DemonstrationDataset(contentsOf: folder)
    if let episodes {
      guard episodes > 0 else { throw ValidationError("--episodes: must be positive, got \(episodes)") }
      dataset = dataset.prefix(episodes)
    }
    if summary || list {
      print(dataset.summary())
      if list { print(dataset.episodeTable()) }
      return
    }
    settings.env = env ?? (config != nil ? settings.env : dataset.index.envId)
    try settings.validate()
    try BCRun.check(settings, dataset: dataset, demonstrations: folder.path)
    let name = "bc-\(settings.env.replacingOccurrences(of: "/", with: "_"))-\(settings.policy.circuit.rawValue)"
    let directory = try runDir.map { try RunDirectory(URL(fileURLWithPath: $0)) }
      ?? RunDirectory.fresh(under: URL(fileURLWithPath: "runs"), prefix: name)
    print("run directory: \(directory.url.path)")
    var run = BCRun(configuration: settings, dataset: dataset, demonstrations: folder.path, directory: directory)
    run.showsProgress = !quiet
    if let summary = try run.run(resume: false) { report(summary) }
  }

  /// `--epochs`, `--learning-rate` and `--evaluation-episodes` over the config's values.
  private func applyResumableOptions(to settings: inout BCRunConfiguration) {
    if let epochs { settings.bc.epochs = epochs }
    if let learningRate { settings.bc.learningRate = learningRate }
    if let evaluationEpisodes { settings.bc.evaluationEpisodes = evaluationEpisodes }
  }

  /// `--record N`: the scripted expert, or the policy of `--from-checkpoint`, plays N episodes.
  private func recordDataset(_ count: Int, into folder: URL, settings: BCRunConfiguration) throws {
    guard count > 0 else { throw ValidationError("--record: must be a positive number of episodes, got \(count)") }
    guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.json").path) else {
      throw ConfigurationError(file: folder.path, field: nil, problem: "already holds a dataset (index.json); drop --record or pick another folder")
    }
    var recorded: DemonstrationDataset
    if let fromCheckpoint {
      if recordNoise != nil { throw ValidationError("--record-noise perturbs the scripted expert; drop --from-checkpoint") }
      let url = URL(fileURLWithPath: fromCheckpoint)
      let (saved, trained) = try PPOCheckpoint.load(from: url)
      if saved.normalizeObservations {
        throw ConfigurationError(
          file: url.path, field: "config.normalize_observations",
          problem: "is true; recording from policies trained on normalized observations is not supported yet")
      }
      if let env, env != saved.env {
        throw ConfigurationError(file: url.path, field: "config.env", problem: "is \(saved.env), but --env asks for \(env)")
      }
      do {
        recorded = try DemonstrationDataset.recordPolicy(
          trained, envID: saved.env, episodes: count, seed: settings.seed, sampling: sample, source: url.path)
      } catch var error as ConfigurationError where error.file == nil {
        error.file = url.path
        throw error
      }
    } else {
      if sample { throw ValidationError("--sample needs --from-checkpoint (scripted experts are deterministic)") }
      let id = env ?? (config != nil ? settings.env : "CartPole-v1")
      let noise = recordNoise.map { ActionNoise(probability: $0, maxLength: recordNoiseLength) }
      recorded = try DemonstrationDataset.recordExpert(envID: id, episodes: count, seed: settings.seed, noise: noise)
    }
    try recorded.write(to: folder)
    let mean = recorded.episodes.reduce(0) { $0 + $1.episodeReturn } / Double(count)
    print(String(format: "recorded %d episodes of %@ (%@) into %@: mean return %.2f",
                 count, recorded.index.envId, recorded.index.source, folder.path, mean))
  }

  private func resumeRun(_ path: String) throws {
    guard env == nil && policy == nil && seed == nil && config == nil && record == nil && runDir == nil && initFrom == nil else {
      throw ValidationError(
        "--resume continues a run with its own config.json and dataset; drop --env, --policy, --seed, --config, --record, --run-dir and --init-from "
          + "(--epochs, --learning-rate and --evaluation-episodes may change)")
    }
    let url = URL(fileURLWithPath: path)
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
      throw ConfigurationError(file: path, field: nil, problem: "is not a run directory (no config.json)")
    }
    let directory = try RunDirectory(url)
    var settings = try ConfigurationFile.load(BCRunConfiguration.self, from: directory.file("config.json"))
    applyResumableOptions(to: &settings)
    try settings.validate()
    let saved = try BCRun.demonstrations(of: directory)
    let folder = demos.map { URL(fileURLWithPath: $0) } ?? saved.folder
    let dataset = try DemonstrationDataset(contentsOf: folder).prefix(episodes ?? saved.episodes ?? .max)
    print("run directory: \(directory.url.path)")
    var run = BCRun(configuration: settings, dataset: dataset, demonstrations: folder.path, directory: directory)
    run.showsProgress = !quiet
    if let summary = try run.run(resume: true) { report(summary) }
  }

  /// `--play CHECKPOINT`: greedy episodes next to the scripted expert (``ClosedLoopProbe``).
  private func playCheckpoint(_ path: String) throws {
    guard playEpisodes > 0 else { throw ValidationError("--play-episodes: must be positive, got \(playEpisodes)") }
    guard maxSteps > 0 else { throw ValidationError("--max-steps: must be positive, got \(maxSteps)") }
    if let stateReset, stateReset <= 0 { throw ValidationError("--state-reset: must be positive, got \(stateReset)") }
    let url = URL(fileURLWithPath: path)
    let (configuration, policy) = try PPOCheckpoint.load(from: url)
    let environment = try PPOCheckpoint.environment(from: url, configuration: configuration)
    if case .discrete(let count) = environment.actionSpace, let assistAction, !(0..<count).contains(assistAction) {
      throw ValidationError("--assist-action: \(configuration.env) has actions 0..<\(count), got \(assistAction)")
    }
    let probe = ClosedLoopProbe(policy: policy, maxSteps: maxSteps, stateResetInterval: stateReset, expertAction: assistAction)
    if replayValidation { return try replayHeldOut(probe, checkpoint: url) }
    let first = seed ?? configuration.seed &+ 1_000_000
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var returns: [Double] = []
    for k in 0..<playEpisodes {
      var result = try probe.play(environment, seed: first &+ UInt64(k))
      returns.append(result.episodeReturn)
      if !trace { (result.actions, result.expertActions) = ("", "") }
      var line = String(decoding: try encoder.encode(result), as: UTF8.self)
      line.removeLast()
      print(line + String(format: ", \"agreement\": %.4f}", result.agreement))
    }
    let mean = returns.reduce(0, +) / Double(returns.count)
    print(String(format: "{\"checkpoint\": \"%@\", \"episodes\": %d, \"mean_return\": %.2f}", path, playEpisodes, mean))
  }

  /// `--play CHECKPOINT --replay-validation`: the run's held-out episodes (its seed and
  /// validation fraction, from the checkpoint's `bc_config`) replayed open loop.
  private func replayHeldOut(_ probe: ClosedLoopProbe, checkpoint url: URL) throws {
    let (run, saved) = try BCRun.settings(ofCheckpoint: url)
    guard run.frameStack == 1 else { throw ValidationError("--replay-validation: frame-stacked runs (frame_stack \(run.frameStack)) are not supported") }
    guard let folder = demos ?? saved else {
      throw ConfigurationError(file: url.path, field: "demonstrations", problem: "is missing from the metadata; pass --demos")
    }
    let dataset = try DemonstrationDataset(contentsOf: URL(fileURLWithPath: folder)).prefix(episodes ?? .max)
    let held = BCTrainer(configuration: run.bc, policy: probe.policy, dataset: dataset, seed: run.seed).validationEpisodes
    let metrics = try probe.replay(dataset, episodes: held)
    print(String(
      format: "{\"episodes\": [%@], \"steps\": %d, \"state_reset\": %@, \"loss\": %.4f, \"accuracy\": %.4f, \"recall\": \"%@\"}",
      held.map(String.init).joined(separator: ", "), metrics.steps, stateReset.map(String.init) ?? "null", metrics.loss, metrics.accuracy,
      metrics.recallDescription))
  }

  private func report(_ s: BCRunSummary) {
    let evaluation =
      s.evalMeanReturn.map { mean in
        let r = ReturnFormat(for: [mean])
        return "evaluation mean return \(r(mean)) ± \(r(s.evalStdReturn ?? 0)) over \(s.evalEpisodes) episodes"
      }
      ?? "no evaluation"
    print(String(
      format: "%@ %@ seed %llu: %@ at epoch %d of %d (demonstrations: %@); validation accuracy %.3f, loss %.4f; %.1f s",
      s.env, s.circuit, s.seed, evaluation, s.bestEpoch, s.epochs, ReturnFormat(for: [s.demoMeanReturn])(s.demoMeanReturn),
      s.valAccuracy, s.valLoss, s.wallSeconds))
  }
}

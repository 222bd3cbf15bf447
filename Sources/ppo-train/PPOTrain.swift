import ArgumentParser
import Foundation
import Training

#if canImport(Glibc)
import Glibc
#endif

@main
struct PPOTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ppo-train",
    abstract: "Train a neural-circuit policy with proximal policy optimization.",
    discussion: """
      With no arguments, trains a CfC policy on CartPole-v1 for 100k steps and prints its greedy
      evaluation over 100 episodes. The run directory holds config.json, metrics.csv, TensorBoard
      event files, checkpoint.safetensors, curve.png and summary.json.
      """)

  @Option(help: "A catalog id, e.g. CartPole-v1 (default: the config's, or CartPole-v1).")
  var env: String?

  @Option(help: "The circuit: cfc, ltc, ncp-cfc, ncp-ltc, lstm or mlp.")
  var policy: String?

  @Option(help: "The seed for parameters, environments and sampling.")
  var seed: UInt64?

  @Option(help: "Environment steps to train for.")
  var steps: Int?

  @Option(help: "Stop training after this many seconds of wall-clock (then evaluate); sets ppo.max_training_seconds.")
  var maxTrainingSeconds: Double?

  @Option(help: "A JSON file with every setting (keys as in config.json; absent keys keep defaults).")
  var config: String?

  @Option(help: "The run directory (default: runs/ppo-<env>-<policy>-<time>).")
  var runDir: String?

  @Option(help: "Continue the interrupted run in this directory from its checkpoint.")
  var resume: String?

  @Option(help: "Worker threads for rollouts and evaluation (default: every core).")
  var workers: Int?

  @Flag(help: "No progress line.")
  var quiet = false

  func run() throws {
    #if canImport(Glibc)
    // Rollouts and updates allocate and free arrays of 0.1–30 MB (frames, activations) every
    // step; above glibc's mmap threshold each one is fresh pages (page faults, zeroing, 0.9 s of
    // system time in 2 Breakout updates). Keep them in the heap and do not trim it.
    // (mallopt is declared in malloc.h, which the Glibc module does not export.)
    if let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallopt") {
      let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
      _ = mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD
      _ = mallopt(-1, 1 << 30)  // M_TRIM_THRESHOLD
    }
    #endif
    do {
      try train()
    } catch {
      // One line naming the file, the field and the problem; no usage text, no stack.
      FileHandle.standardError.write(Data("ppo-train: \(error)\n".utf8))
      throw ExitCode.failure
    }
  }

  private func train() throws {
    var settings = PPORunConfiguration()
    let directory: RunDirectory
    var builtPolicy: ActorCritic? = nil
    if let resume {
      guard FileManager.default.fileExists(atPath: URL(fileURLWithPath: resume).appendingPathComponent("config.json").path) else {
        throw ConfigurationError(file: resume, field: nil, problem: "is not a run directory (no config.json)")
      }
      directory = try RunDirectory(URL(fileURLWithPath: resume))
      settings = try ConfigurationFile.load(PPORunConfiguration.self, from: directory.file("config.json"))
      guard env == nil && policy == nil && seed == nil && steps == nil && config == nil && maxTrainingSeconds == nil else {
        throw ConfigurationError(
          field: "--resume", problem: "continues a run with its own config.json; drop --env, --policy, --seed, --steps, --max-training-seconds and --config")
      }
    } else {
      if let config {
        settings = try ConfigurationFile.load(PPORunConfiguration.self, from: URL(fileURLWithPath: config))
        do { try settings.validate() } catch var error as ConfigurationError {
          error.file = error.file ?? config
          throw error
        }
      }
      if let env { settings.env = env }
      if let policy {
        guard let circuit = PolicyConfiguration.Circuit(rawValue: policy) else {
          let valid = PolicyConfiguration.Circuit.allCases.map(\.rawValue).joined(separator: ", ")
          throw ConfigurationError(field: "--policy", problem: "unknown policy '\(policy)' (valid: \(valid))")
        }
        settings.policy.circuit = circuit
      }
      if let seed { settings.seed = seed }
      if let steps { settings.ppo.totalSteps = steps }
      if let maxTrainingSeconds { settings.ppo.maxTrainingSeconds = maxTrainingSeconds }
      if let workers { settings.ppo.workerCount = workers }
      try settings.validate()
      // Unknown ids and unbuildable policies fail before a run directory is made; the policy
      // built here is the one trained (built once: a Nature CNN's initialisation takes seconds).
      builtPolicy = try PPORun.check(settings)
      let name = "ppo-\(settings.env.replacingOccurrences(of: "/", with: "_"))-\(settings.policy.circuit.rawValue)"
      directory = try runDir.map { try RunDirectory(URL(fileURLWithPath: $0)) }
        ?? RunDirectory.fresh(under: URL(fileURLWithPath: "runs"), prefix: name)
    }
    print("run directory: \(directory.url.path)")
    var run = PPORun(configuration: settings, directory: directory)
    run.showsProgress = !quiet
    run.initialPolicy = builtPolicy
    guard let summary = try run.run(resume: resume != nil) else { return }
    let r = ReturnFormat(for: [summary.evalMeanReturn, summary.evalMinReturn, summary.evalMaxReturn])
    print(
      "\(summary.env) \(summary.circuit) seed \(summary.seed): evaluation mean return \(r(summary.evalMeanReturn))"
        + " ± \(r(summary.evalStdReturn)) over \(summary.evalEpisodes) episodes"
        + " (min \(r(summary.evalMinReturn)), max \(r(summary.evalMaxReturn))) after \(summary.envSteps) steps;"
        + String(format: " trained in %.1f s", summary.trainingSeconds))
  }
}

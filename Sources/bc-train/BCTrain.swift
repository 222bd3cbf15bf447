import ArgumentParser
import Foundation
import Training

@main
struct BCTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bc-train",
    abstract: "Clone demonstrations into a neural-circuit policy (behavior cloning).",
    discussion: """
      bc-train --env CartPole-v1 --demos demos/cartpole --record 50 records 50 episodes of the
      env's scripted expert into demos/cartpole, then clones them. Without --record the dataset
      must exist. --summary prints the dataset and exits. The run directory holds config.json,
      metrics.csv, TensorBoard event files, checkpoint.safetensors (the best epoch), curve.png
      and summary.json.
      """)

  @Option(help: "A catalog id, e.g. CartPole-v1 (default: the config's, else the dataset's).")
  var env: String?

  @Option(help: "The demonstration dataset folder (index.json + shards).")
  var demos: String

  @Option(help: "First record this many episodes of the env's scripted expert into --demos.")
  var record: Int?

  @Flag(help: "Print a summary of the dataset and exit.")
  var summary = false

  @Option(help: "The circuit: cfc, ltc, ncp-cfc, ncp-ltc, lstm or mlp.")
  var policy: String?

  @Option(help: "The seed for parameters, recording, the validation split and evaluation.")
  var seed: UInt64?

  @Option(help: "Passes over the training episodes.")
  var epochs: Int?

  @Option(help: "A JSON file with every setting (keys as in config.json; absent keys keep defaults).")
  var config: String?

  @Option(help: "The run directory (default: runs/bc-<env>-<policy>-<time>).")
  var runDir: String?

  @Flag(help: "No progress line.")
  var quiet = false

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
    if let epochs { settings.bc.epochs = epochs }
    let folder = URL(fileURLWithPath: demos)
    let dataset: DemonstrationDataset
    if let record {
      guard record > 0 else { throw ValidationError("--record: must be a positive number of episodes, got \(record)") }
      guard !FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.json").path) else {
        throw ConfigurationError(file: folder.path, field: nil, problem: "already holds a dataset (index.json); drop --record or pick another folder")
      }
      let id = env ?? (config != nil ? settings.env : "CartPole-v1")
      var recorded = try DemonstrationDataset.recordExpert(envID: id, episodes: record, seed: settings.seed)
      try recorded.write(to: folder)
      print("recorded \(record) expert episodes of \(id) into \(folder.path)")
      dataset = try DemonstrationDataset(contentsOf: folder)
    } else {
      dataset = try DemonstrationDataset(contentsOf: folder)
    }
    if summary {
      print(dataset.summary())
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
    let s = try run.run()
    print(String(
      format: "%@ %@ seed %llu: evaluation mean return %.1f ± %.1f over %d episodes at epoch %d of %d (demonstrations: %.1f); validation accuracy %.3f, loss %.4f; %.1f s",
      s.env, s.circuit, s.seed, s.evalMeanReturn, s.evalStdReturn, s.evalEpisodes, s.bestEpoch, s.epochs, s.demoMeanReturn,
      s.valAccuracy, s.valLoss, s.wallSeconds))
  }
}

import Environments
import Foundation
import Testing
import Training
@testable import Viewer

/// A tiny CfC PPO run on CartPole (a few hundred steps), made once per process.
let tinyCheckpoint: Result<URL, any Error> = Result { try tinyRun(normalizingObservations: false).checkpoint }

/// The same run with observation normalisation, and its own final evaluation.
let tinyNormalizedRun: Result<(checkpoint: URL, summary: PPORunSummary), any Error> = Result {
  try tinyRun(normalizingObservations: true)
}

private func tinyRun(normalizingObservations: Bool) throws -> (checkpoint: URL, summary: PPORunSummary) {
  var configuration = PPORunConfiguration()
  configuration.normalizeObservations = normalizingObservations
  configuration.ppo.evaluationEpisodes = 3
  configuration.ppo.totalSteps = 4 * 64
  configuration.ppo.environmentCount = 4
  configuration.ppo.stepsPerRollout = 16
  configuration.ppo.epochs = 1
  configuration.ppo.minibatchCount = 2
  configuration.ppo.workerCount = 1
  configuration.checkpointInterval = 0
  configuration.policy.units = 8
  configuration.policy.backboneUnits = 16
  configuration.policy.criticUnits = [16]
  let directory = try RunDirectory(FileManager.default.temporaryDirectory.appendingPathComponent("viewer-ppo-\(UUID())"))
  var run = PPORun(configuration: configuration, directory: directory)
  run.showsProgress = false
  guard let summary = try run.run(resume: false) else { throw CocoaError(.fileReadUnknown) }
  return (directory.file(PPORun.checkpointName), summary)
}

/// Runs a built executable of this package (next to the test bundle).
func runTool(_ name: String, _ arguments: [String], environment overrides: [String: String] = [:]) throws -> (
  status: Int32, stdout: String, stderr: String
) {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
  let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  var environment = ProcessInfo.processInfo.environment
  environment["SDL_VIDEODRIVER"] = "dummy"
  environment.merge(overrides) { $1 }
  process.environment = environment
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

@Test func checkpointLoadsTheTrainedPolicy() throws {
  let url = try tinyCheckpoint.get()
  let (configuration, policy) = try PPOCheckpoint.load(from: url)
  #expect(configuration.env == "CartPole-v1")
  #expect(policy.circuit.stateSize == 8)
  let session = try ViewerSession(environmentID: "CartPole-v1", policy: policy, seed: 0)
  #expect(session.actionProbabilities.count == 2)
  #expect(abs(session.actionProbabilities.reduce(0, +) - 1) < 1e-5)
  #expect(session.value?.isFinite == true)
  session.advance(humanAction: nil)
  #expect(session.neuronActivations.count == 8)
  #expect(session.neuronActivations.contains { $0 != 0 })
}

@Test func unreadableCheckpointIsOneClearError() throws {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-checkpoint-\(UUID()).safetensors")
  try Data("hello".utf8).write(to: url)
  defer { try? FileManager.default.removeItem(at: url) }
  #expect {
    try PPOCheckpoint.load(from: url)
  } throws: { error in
    "\(error)".contains(url.path)
  }
}

@Test func evaluateCheckpointPrintsParsableJSON() throws {
  let url = try tinyCheckpoint.get()
  let result = try runTool("evaluate", ["--checkpoint", url.path, "--episodes", "3", "--workers", "2", "--seed", "5", "--json"])
  #expect(result.status == 0, "\(result.stderr)")
  let lines = result.stdout.split(separator: "\n").map(String.init)
  #expect(lines.count == 4)
  let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
  for (k, episode) in objects.prefix(3).enumerated() {
    #expect(episode["episode"] as? Int == k)
    #expect((episode["length"] as? Int ?? 0) > 0)
  }
  // The summary's statistics are those of the per-episode lines (population standard deviation).
  for (key, name) in [("return", "return"), ("length", "length")] {
    let values = objects.prefix(3).map { ($0[name] as? NSNumber)?.doubleValue ?? .nan }
    let summary = try #require(objects.last?[key] as? [String: Double])
    let mean = values.reduce(0, +) / 3
    let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
    #expect(abs(summary["mean"]! - mean) < 1e-9 && abs(summary["std"]! - std) < 1e-9)
    #expect(summary["min"] == values.min() && summary["max"] == values.max())
  }
  let again = try runTool("evaluate", ["--checkpoint", url.path, "--episodes", "3", "--workers", "1", "--seed", "5", "--json"])
  #expect(again.stdout == result.stdout)
}

@Test func toolsRejectBadInputWithOneLine() throws {
  let watch = try runTool("watch", ["--env", "NoSuchEnv-v0", "--frames", "1"])
  #expect(watch.status != 0)
  #expect(watch.stderr.split(separator: "\n").count == 1)
  let evaluate = try runTool("evaluate", ["--checkpoint", "/nonexistent/checkpoint.safetensors"])
  #expect(evaluate.status != 0)
  #expect(evaluate.stderr.contains("/nonexistent/checkpoint.safetensors"))
}

@Test func evaluateVideoHoldsEveryFrameOfTheEpisodes() throws {
  let url = try tinyCheckpoint.get()
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("viewer-video-\(UUID())")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  // Without ffmpeg on PATH: one PNG per frame (the reset frame, then one per step) and a notice.
  let video = directory.appendingPathComponent("run.mp4")
  let result = try runTool(
    "evaluate", ["--checkpoint", url.path, "--episodes", "2", "--seed", "3", "--json", "--video", video.path],
    environment: ["PATH": "/nonexistent"])
  #expect(result.status == 0, "\(result.stderr)")
  #expect(result.stderr.contains("ffmpeg is not on PATH") && result.stderr.split(separator: "\n").count == 1)
  let lines = result.stdout.split(separator: "\n").prefix(2)
  let lengths = try lines.map { line in
    try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["length"] as? Int)
  }
  let frames = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("run-frames").path)
  #expect(frames.count == lengths.reduce(0) { $0 + $1 + 1 })
  #expect(frames.allSatisfy { $0.hasSuffix(".png") })
  // With ffmpeg (when installed): a GIF of the first episode only.
  if VideoTool.hasFFmpeg {
    let gif = directory.appendingPathComponent("run.gif")
    let encoded = try runTool(
      "evaluate", ["--checkpoint", url.path, "--episodes", "2", "--video", gif.path, "--video-episodes", "1"])
    #expect(encoded.status == 0, "\(encoded.stderr)")
    #expect(Array(try Data(contentsOf: gif).prefix(6)) == Array("GIF89a".utf8))
  }
}

@Test func watchFrameDumpWritesAPNGAndExitsZero() throws {
  let png = FileManager.default.temporaryDirectory.appendingPathComponent("viewer-dump-\(UUID()).png")
  defer { try? FileManager.default.removeItem(at: png) }
  let result = try runTool("watch", ["--env", "CartPole-v1", "--frames", "30", "--screenshot", png.path])
  #expect(result.status == 0, "\(result.stderr)")
  #expect(Array(try Data(contentsOf: png).prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
}

enum VideoTool {
  static var hasFFmpeg: Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
      .contains { FileManager.default.isExecutableFile(atPath: "\($0)/ffmpeg") }
  }
}

@Test func normalizedCheckpointIsEvaluatedAsItsRunEvaluatedIt() throws {
  let (url, summary) = try tinyNormalizedRun.get()
  let (configuration, _) = try PPOCheckpoint.load(from: url)
  #expect(configuration.normalizeObservations)
  let environment = try PPOCheckpoint.environment(from: url, configuration: configuration)
  #expect(environment.observationSpace.low.allSatisfy { $0 == -configuration.observationClip })
  // The run's final evaluation: seed + 1 000 000, greedy, frozen merged statistics.
  let result = try runTool("evaluate", [
    "--checkpoint", url.path, "--episodes", "\(summary.evalEpisodes)", "--seed", "\(configuration.seed &+ 1_000_000)",
    "--json",
  ])
  #expect(result.status == 0, "\(result.stderr)")
  let last = try #require(result.stdout.split(separator: "\n").last)
  let returns = try #require((try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])?["return"] as? [String: Double])
  #expect(abs(returns["mean"]! - summary.evalMeanReturn) < 1e-9)
  // watch shows the policy on the normalised observations and refuses to record them.
  let watch = try runTool("watch", ["--checkpoint", url.path, "--frames", "3", "--record", "/tmp/never-\(UUID())"])
  #expect(watch.status != 0 && watch.stderr.contains("normalised"))
}

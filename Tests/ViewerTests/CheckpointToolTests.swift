import Environments
import Foundation
import Testing
import Training
@testable import Viewer

/// A tiny CfC PPO run on CartPole (a few hundred steps), made once per process.
let tinyCheckpoint: Result<URL, any Error> = Result {
  var configuration = PPORunConfiguration()
  configuration.ppo.totalSteps = 4 * 64
  configuration.ppo.environmentCount = 4
  configuration.ppo.stepsPerRollout = 16
  configuration.ppo.epochs = 1
  configuration.ppo.minibatchCount = 2
  configuration.ppo.evaluationEpisodes = 1
  configuration.ppo.workerCount = 1
  configuration.checkpointInterval = 0
  configuration.policy.units = 8
  configuration.policy.backboneUnits = 16
  configuration.policy.criticUnits = [16]
  let directory = try RunDirectory(FileManager.default.temporaryDirectory.appendingPathComponent("viewer-ppo-\(UUID())"))
  var run = PPORun(configuration: configuration, directory: directory)
  run.showsProgress = false
  _ = try run.run(resume: false)
  return directory.file(PPORun.checkpointName)
}

/// Runs a built executable of this package (next to the test bundle).
func runTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent(name) }
  let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  var environment = ProcessInfo.processInfo.environment
  environment["SDL_VIDEODRIVER"] = "dummy"
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
  let summary = try #require(objects.last?["return"] as? [String: Any])
  #expect(summary["mean"] is Double && summary["std"] is Double)
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

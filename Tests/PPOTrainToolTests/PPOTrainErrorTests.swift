import Foundation
import Testing

// Bad user input to `ppo-train` ends with one line on standard error that names the problem, and
// a non-zero exit status; nothing trains and nothing traps.

/// Runs the built `ppo-train` executable (next to the test bundle) with `arguments`.
private func runPPOTrain(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("ppo-train") }
  let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  let err = Pipe()
  process.standardOutput = FileHandle.nullDevice
  process.standardError = err
  try process.run()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: stderr, as: UTF8.self))
}

private func scratchDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("ppo-train-errors-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The run failed with exactly one line on standard error, containing every one of `needles`.
private func expectOneLineFailure(_ result: (status: Int32, stderr: String), _ needles: [String]) {
  #expect(result.status != 0)
  let lines = result.stderr.split(separator: "\n")
  #expect(lines.count == 1, "stderr: \(result.stderr)")
  for needle in needles { #expect(result.stderr.contains(needle), "'\(needle)' not in: \(result.stderr)") }
}

@Test func anUnknownEnvironmentIsOneLine() throws {
  let scratch = try scratchDirectory()
  defer { try? FileManager.default.removeItem(at: scratch) }
  let result = try runPPOTrain(["--env", "CartPole-v9", "--run-dir", scratch.appendingPathComponent("run").path])
  expectOneLineFailure(result, ["unknown environment id 'CartPole-v9'", "CartPole-v1"])
  #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("run").path))
}

@Test func anUnknownPolicyIsOneLine() throws {
  expectOneLineFailure(try runPPOTrain(["--policy", "gru"]), ["--policy", "unknown policy 'gru'", "cfc"])
}

@Test func aBadConfigNamesTheFileAndTheField() throws {
  let scratch = try scratchDirectory()
  defer { try? FileManager.default.removeItem(at: scratch) }
  let config = scratch.appendingPathComponent("bad.json")
  try Data(#"{"ppo": {"learning_rate": -1}}"#.utf8).write(to: config)
  expectOneLineFailure(try runPPOTrain(["--config", config.path]), ["bad.json", "ppo.learning_rate", "positive"])
  try Data(#"{"ppo": {"learning_rat": 0.1}}"#.utf8).write(to: config)
  expectOneLineFailure(try runPPOTrain(["--config", config.path]), ["bad.json", "learning_rat"])
  try Data(#"{"ppo": "#.utf8).write(to: config)
  expectOneLineFailure(try runPPOTrain(["--config", config.path]), ["bad.json"])
  expectOneLineFailure(try runPPOTrain(["--config", scratch.appendingPathComponent("missing.json").path]), ["missing.json"])
}

@Test func anUnreadableCheckpointIsOneLineNamingIt() throws {
  let run = try scratchDirectory()
  defer { try? FileManager.default.removeItem(at: run) }
  try Data("{}".utf8).write(to: run.appendingPathComponent("config.json"))
  expectOneLineFailure(try runPPOTrain(["--resume", run.path]), ["checkpoint.safetensors", "does not exist"])
  try Data("not a safetensors file".utf8).write(to: run.appendingPathComponent("checkpoint.safetensors"))
  expectOneLineFailure(try runPPOTrain(["--resume", run.path]), ["checkpoint.safetensors", "not a readable checkpoint"])
  expectOneLineFailure(try runPPOTrain(["--resume", run.deletingLastPathComponent().path]), ["not a run directory"])
}

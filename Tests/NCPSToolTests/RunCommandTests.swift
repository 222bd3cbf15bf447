// `ncps run` end to end: the built tool runs committed models saved from ncps 1.0.1
// (Scripts/make-ncps-run-fixtures.py: config JSON + state_dict safetensors + .npy inputs) and its
// .npy outputs must equal ncps' within 1e-5. Bad input must fail with one line.

import Foundation
import NeuralCircuits
import Testing

/// Tests/NCPSToolTests/Fixtures/run/<name>/<file>.
func runFixture(_ name: String, _ file: String) -> String {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/run/\(name)/\(file)").path
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ncps-run-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  return directory
}

@Test(arguments: ["cfc_wired_mixed", "ltc_dense"])
func runReproducesNcpsOutputsAndFinalStates(_ name: String) throws {
  let directory = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: directory) }
  let exists = { (file: String) in FileManager.default.fileExists(atPath: runFixture(name, file)) }
  var arguments = [
    "run", "--config", runFixture(name, "model.json"), "--weights", runFixture(name, "model.safetensors"),
    "--input", runFixture(name, "x.npy"), "--output", directory.appendingPathComponent("y.npy").path,
    "--hn", directory.appendingPathComponent("hn.npy").path,
  ]
  for (option, file) in [("--timespans", "t.npy"), ("--h0", "h0.npy"), ("--c0", "c0.npy")] where exists(file) {
    arguments += [option, runFixture(name, file)]
  }
  var outputs = ["y.npy", "hn.npy"]
  if exists("cn.npy") {
    arguments += ["--cn", directory.appendingPathComponent("cn.npy").path]
    outputs.append("cn.npy")
  }
  let result = try runNCPS(arguments)
  #expect(result.status == 0, "ncps run failed: \(result.stderr)")
  for file in outputs {
    let ours = try NumpyArray.read(directory.appendingPathComponent(file).path)
    let expected = try NumpyArray.read(runFixture(name, file))
    #expect(ours.shape == expected.shape, "\(name)/\(file): shape \(ours.shape), ncps \(expected.shape)")
    let worst = zip(ours.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst <= 1e-5, "\(name)/\(file): differs from ncps by \(worst)")
  }
}

@Test func runRejectsAMisshapedInputAndAnUnknownKeyWithOneLine() throws {
  let directory = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: directory) }
  let output = directory.appendingPathComponent("y.npy").path
  // The LTC expects 4 features; the CfC fixture's input has 5.
  let misshaped = try runNCPS([
    "run", "--config", runFixture("ltc_dense", "model.json"), "--weights", runFixture("ltc_dense", "model.safetensors"),
    "--input", runFixture("cfc_wired_mixed", "x.npy"), "--output", output,
  ])
  #expect(misshaped.status != 0)
  #expect(misshaped.stderr.contains("does not match (B, L, 4)"))
  #expect(misshaped.stderr.split(separator: "\n").count == 1, "\(misshaped.stderr)")
  #expect(!FileManager.default.fileExists(atPath: output))

  let config = directory.appendingPathComponent("bad.json").path
  try #"{"model": "LTC", "input_size": 4, "units": 6, "ode_unfold": 3}"#.write(toFile: config, atomically: true, encoding: .utf8)
  let unknown = try runNCPS([
    "run", "--config", config, "--weights", runFixture("ltc_dense", "model.safetensors"),
    "--input", runFixture("ltc_dense", "x.npy"), "--output", output,
  ])
  #expect(unknown.status != 0)
  #expect(unknown.stderr.contains("ode_unfold"))
  #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
}

import Foundation
import Testing

/// Runs the built `ncps` executable (next to the test bundle) with `arguments`.
func runNCPS(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
  let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("ncps") }
  let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  let stderr = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

private let autoNCP = #"{"type": "AutoNCP", "units": 8, "output_size": 2}"#

@Test func wiringJSONMatchesNcps() throws {
  let result = try runNCPS(["wiring", autoNCP, "--input-size", "3", "--json"])
  #expect(result.status == 0)
  let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  #expect(object["units"] as? Int == 8 && object["input_dim"] as? Int == 3 && object["output_dim"] as? Int == 2)
  // reference/ncps.md Appendix A: AutoNCP(8, 2).build(3).
  let sensory = try #require(object["sensory_adjacency_matrix"] as? [[Int]])
  #expect(sensory == [[0, 0, 0, 0, -1, 0, 0, -1], [0, 0, 0, 0, 0, 1, 1, 0], [0, 0, 0, 0, 0, -1, -1, 0]])
  let adjacency = try #require(object["adjacency_matrix"] as? [[Int]])
  #expect(adjacency[2] == [1, -1, 0, 0, 0, 0, 0, 0] && adjacency[3] == [-1, 0, 1, 0, 0, 0, 0, 0])
}

@Test func wiringSummaryAndDrawings() throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ncps-wiring-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let svg = directory.appendingPathComponent("w.svg").path, png = directory.appendingPathComponent("w.png").path
  let result = try runNCPS(["wiring", autoNCP, "--input-size", "3", "--svg", svg, "--png", png])
  #expect(result.status == 0)
  #expect(result.stdout.contains("3 sensory, 4 inter, 2 command, 2 motor"))
  #expect(result.stdout.contains("synapses:         8 ("))
  #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<svg"))
  let pngBytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: png)))
  #expect(Array(pngBytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
}

@Test(arguments: [
  (#"{"type": "AutoNCP", "units": 8"#, "invalid wiring JSON"),
  (#"{"type": "Hopfield", "units": 8}"#, #"unknown wiring type "Hopfield""#),
  (#"{"type": "AutoNCP", "units": 8, "output_size": 2, "colour": 1}"#, #"unknown key "colour""#),
  (#"{"type": "AutoNCP", "units": 8, "output_size": 6}"#, "Output size must be less than the number of units-2"),
  (#"{"type": "Random", "units": 8, "sparsity_level": 1.0}"#, "Invalid sparsity level '1.0'"),
])
func badWiringInputPrintsOneLineAndFails(json: String, expected: String) throws {
  let result = try runNCPS(["wiring", json, "--input-size", "3"])
  #expect(result.status != 0)
  #expect(result.stdout.isEmpty)
  #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(expected))
  #expect(result.stderr.split(separator: "\n").count == 1)
}

@Test func nonPositiveInputSizeIsRejected() throws {
  let result = try runNCPS(["wiring", autoNCP, "--input-size", "0"])
  #expect(result.status != 0)
  #expect(result.stderr == "error: the input size must be at least 1 (given 0)\n")
}

@Test func usageErrorsAreOneLine() throws {
  let missing = try runNCPS(["wiring", autoNCP])
  #expect(missing.status != 0)
  #expect(missing.stderr.hasPrefix("error: Missing expected argument '--input-size"))
  #expect(missing.stderr.split(separator: "\n").count == 1)
  let notANumber = try runNCPS(["wiring", autoNCP, "--input-size", "x"])
  #expect(notANumber.status != 0 && notANumber.stderr.split(separator: "\n").count == 1)
  let help = try runNCPS(["wiring", "--help"])
  #expect(help.status == 0 && help.stdout.contains("USAGE: ncps wiring"))
}

@Test func unwritableOutputFailsWithOneLine() throws {
  let result = try runNCPS(["wiring", autoNCP, "--input-size", "3", "--json", "--svg", "/nonexistent-ncps-dir/w.svg"])
  #expect(result.status != 0)
  #expect(result.stderr == "error: cannot write /nonexistent-ncps-dir/w.svg: the directory /nonexistent-ncps-dir does not exist\n")
  #expect(result.stdout.isEmpty)
}

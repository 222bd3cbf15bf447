import Foundation
import Testing
@testable import Training

private func temporaryRun() throws -> RunDirectory {
  try RunDirectory(FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID())"))
}

@Test func metricsAppearInTheCSVWithEmptyCellsForMissingValues() throws {
  let run = try temporaryRun()
  defer { try? FileManager.default.removeItem(at: run.url) }
  do {
    let log = try MetricsLog(run: run, columns: ["charts/episodic_return", "losses/approx_kl"])
    try log.record(step: 256, ["charts/episodic_return": 12.5, "losses/approx_kl": 0.01])
    try log.record(step: 512, ["losses/approx_kl": 0.02])
  }
  let text = try String(contentsOf: run.file("metrics.csv"), encoding: .utf8)
  #expect(text == "step,charts/episodic_return,losses/approx_kl\n256,12.5,0.01\n512,,0.02\n")
}

@Test func reopenedLogAppendsAndOtherColumnsAreRefused() throws {
  let run = try temporaryRun()
  defer { try? FileManager.default.removeItem(at: run.url) }
  try MetricsLog(run: run, columns: ["a"]).record(step: 1, ["a": 1])
  try MetricsLog(run: run, columns: ["a"]).record(step: 2, ["a": 2])
  #expect(try String(contentsOf: run.file("metrics.csv"), encoding: .utf8) == "step,a\n1,1.0\n2,2.0\n")
  #expect(throws: ConfigurationError.self) { try MetricsLog(run: run, columns: ["b"]) }
}

@Test func atomicWriteReplacesTheWholeFile() throws {
  let run = try temporaryRun()
  defer { try? FileManager.default.removeItem(at: run.url) }
  try writeAtomically(Data("first, longer content".utf8), to: run.file("x.json"))
  try writeAtomically(Data("second".utf8), to: run.file("x.json"))
  #expect(try String(contentsOf: run.file("x.json"), encoding: .utf8) == "second")
  let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.url.path).filter { $0.hasPrefix(".") }
  #expect(leftovers.isEmpty)
}

@Test func progressLineReadsLikeASentence() {
  let line = ProgressLine.describe(
    steps: 12_288, totalSteps: 100_000, elapsed: 2, episodicReturn: 187.25, extra: "")
  #expect(line == "steps 12,288/100,000 (12%) | 6,144 steps/s | return 187.2 | 0:14 left")
}

@Test func returnsShowThreeSignificantDigitsAndAtLeastOneDecimal() {
  // MiniGrid returns live in (0, 1): one decimal would print 0.959 as "1.0".
  let minigrid = ReturnFormat(for: [0.959392, 0.9424, 0.9748])
  #expect(minigrid(0.959392) == "0.959" && minigrid(0.006216) == "0.006")
  #expect(ReturnFormat(for: [498.1, 305, 500])(498.1) == "498.1")
  #expect(ReturnFormat(for: [12.34])(12.34) == "12.3")
  #expect(ReturnFormat(for: [0])(0) == "0.0")
  #expect(ReturnFormat(for: [-0.00012])(-0.00012) == "-0.0001")  // capped at four decimals
  #expect(ReturnFormat(for: [.nan, 2.5])(2.5) == "2.50")
}

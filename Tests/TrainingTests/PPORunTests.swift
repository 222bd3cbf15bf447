import Foundation
import NeuralNetworks
import Testing
@testable import Training

@Test func resumedRunEqualsTheUninterruptedRunBitForBit() throws {
  let whole = try temporaryRunDirectory(), pieces = try temporaryRunDirectory()
  defer {
    try? FileManager.default.removeItem(at: whole.url)
    try? FileManager.default.removeItem(at: pieces.url)
  }
  let runs = try trainWholeAndInPieces(smallPPORun(), whole: whole, pieces: pieces)
  let summary = try #require(runs.uninterrupted)
  #expect(runs.interrupted == nil)
  let resumed = try #require(runs.resumed)

  let a = try SafeTensorsFile(contentsOf: whole.file(PPORun.checkpointName))
  let b = try SafeTensorsFile(contentsOf: pieces.file(PPORun.checkpointName))
  #expect(a.orderedNames == b.orderedNames)
  for name in a.orderedNames { #expect(try a.tensor(named: name).scalars == b.tensor(named: name).scalars, "\(name)") }
  #expect(summary.evalMeanReturn == resumed.evalMeanReturn)
  #expect(resumed.envSteps == 6 * 64)
}

@Test func runDirectoryHoldsEverythingAUserReads() throws {
  let directory = try temporaryRunDirectory()
  defer { try? FileManager.default.removeItem(at: directory.url) }
  var run = PPORun(configuration: smallPPORun(), directory: directory)
  run.showsProgress = false
  _ = try run.run(resume: false)
  let files = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
  for name in ["config.json", "metrics.csv", "checkpoint.safetensors", "curve.png", "summary.json"] {
    #expect(files.contains(name), "\(name) missing")
  }
  #expect(files.contains { $0.hasPrefix("events.out.tfevents.") })
  let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.file("summary.json"))) as! [String: Any]
  for key in ["eval_mean_return", "eval_episodes", "env_steps", "wall_seconds"] { #expect(summary[key] != nil, "\(key)") }
}

@Test func resumingWithAnotherConfigurationIsRefused() throws {
  let directory = try temporaryRunDirectory()
  defer { try? FileManager.default.removeItem(at: directory.url) }
  var first = PPORun(configuration: smallPPORun(), directory: directory)
  first.showsProgress = false
  first.iterationLimit = 2
  _ = try first.run(resume: false)
  var changed = smallPPORun()
  changed.seed = 2
  var second = PPORun(configuration: changed, directory: directory)
  second.showsProgress = false
  #expect(throws: ConfigurationError.self) { try second.run(resume: true) }
}

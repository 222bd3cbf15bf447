import Foundation
import NeuralNetworks
import Testing
@testable import Training

private func smallRun() -> PPORunConfiguration {
  var configuration = PPORunConfiguration()
  configuration.ppo.totalSteps = 6 * 64
  configuration.ppo.environmentCount = 4
  configuration.ppo.stepsPerRollout = 16
  configuration.ppo.epochs = 2
  configuration.ppo.minibatchCount = 2
  configuration.ppo.evaluationEpisodes = 3
  configuration.ppo.workerCount = 2
  configuration.checkpointInterval = 2
  configuration.policy.units = 8
  configuration.policy.backboneUnits = 16
  configuration.policy.criticUnits = [16]
  return configuration
}

private func temporaryDirectory() throws -> RunDirectory {
  try RunDirectory(FileManager.default.temporaryDirectory.appendingPathComponent("ppo-\(UUID())"))
}

@Test func resumedRunEqualsTheUninterruptedRunBitForBit() throws {
  let whole = try temporaryDirectory(), pieces = try temporaryDirectory()
  defer {
    try? FileManager.default.removeItem(at: whole.url)
    try? FileManager.default.removeItem(at: pieces.url)
  }
  var uninterrupted = PPORun(configuration: smallRun(), directory: whole)
  uninterrupted.showsProgress = false
  let summary = try #require(try uninterrupted.run(resume: false))

  var first = PPORun(configuration: smallRun(), directory: pieces)
  first.showsProgress = false
  first.iterationLimit = 4
  #expect(try first.run(resume: false) == nil)
  var second = PPORun(configuration: smallRun(), directory: pieces)
  second.showsProgress = false
  let resumed = try #require(try second.run(resume: true))

  let a = try SafeTensorsFile(contentsOf: whole.file(PPORun.checkpointName))
  let b = try SafeTensorsFile(contentsOf: pieces.file(PPORun.checkpointName))
  #expect(a.orderedNames == b.orderedNames)
  for name in a.orderedNames { #expect(try a.tensor(named: name).scalars == b.tensor(named: name).scalars, "\(name)") }
  #expect(summary.evalMeanReturn == resumed.evalMeanReturn)
  #expect(resumed.envSteps == 6 * 64)
}

@Test func runDirectoryHoldsEverythingAUserReads() throws {
  let directory = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: directory.url) }
  var run = PPORun(configuration: smallRun(), directory: directory)
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
  let directory = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: directory.url) }
  var first = PPORun(configuration: smallRun(), directory: directory)
  first.showsProgress = false
  first.iterationLimit = 2
  _ = try first.run(resume: false)
  var changed = smallRun()
  changed.seed = 2
  var second = PPORun(configuration: changed, directory: directory)
  second.showsProgress = false
  #expect(throws: ConfigurationError.self) { try second.run(resume: true) }
}

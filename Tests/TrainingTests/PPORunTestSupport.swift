import Foundation
@testable import Training

/// A CartPole run small enough for a debug build: 6 iterations of 4 environments × 16 steps.
func smallPPORun() -> PPORunConfiguration {
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

func temporaryRunDirectory() throws -> RunDirectory {
  try RunDirectory(FileManager.default.temporaryDirectory.appendingPathComponent("ppo-\(UUID())"))
}

/// A run of `configuration` without the progress line.
func quietRun(_ configuration: PPORunConfiguration, in directory: RunDirectory, iterationLimit: Int? = nil) -> PPORun {
  var run = PPORun(configuration: configuration, directory: directory)
  run.showsProgress = false
  run.iterationLimit = iterationLimit
  return run
}

/// Trains `configuration` once uninterrupted in `whole`, and once in `pieces`: stopped after 4
/// iterations, then resumed to the end. Returns both summaries.
func trainWholeAndInPieces(
  _ configuration: PPORunConfiguration, whole: RunDirectory, pieces: RunDirectory
) throws -> (uninterrupted: PPORunSummary?, interrupted: PPORunSummary?, resumed: PPORunSummary?) {
  let uninterrupted = try quietRun(configuration, in: whole).run(resume: false)
  let interrupted = try quietRun(configuration, in: pieces, iterationLimit: 4).run(resume: false)
  let resumed = try quietRun(configuration, in: pieces).run(resume: true)
  return (uninterrupted, interrupted, resumed)
}

import Environments
import Testing
@testable import Training

/// A short CartPole configuration: 4 environments × 24 steps, 2 minibatches of 2 sequences.
private func shortConfiguration() -> PPOConfiguration {
  var c = PPOConfiguration()
  c.environmentCount = 4
  c.stepsPerRollout = 24
  c.totalSteps = 3 * 96
  c.epochs = 2
  c.minibatchCount = 2
  c.workerCount = 2
  return c
}

/// Acting and replay compute the same log-probabilities: in every update the first minibatch's
/// probability ratio is 1 to the last bit or two of a Float (the GEMMs of acting and replay have
/// different row counts, which OpenBLAS may sum in another order), for every circuit, although
/// the rollouts hold episode starts inside the replayed sequences (a random CartPole policy
/// falls within ~25 steps).
@Test(arguments: [PolicyConfiguration.Circuit.cfc, .ncpCfC, .ltc, .ncpLTC, .lstm, .mlp])
func firstEpochRatioIsExactlyOne(_ circuit: PolicyConfiguration.Circuit) throws {
  try expectFirstEpochRatioOfOne(circuit, mixedMemory: false)
}

/// The same with ncps' mixed memory: the state [h | c] is stored at rollout start, zeroed at
/// episode starts and replayed over whole sequences.
@Test(arguments: [PolicyConfiguration.Circuit.cfc, .ncpCfC, .ltc, .ncpLTC])
func firstEpochRatioIsExactlyOneWithMixedMemory(_ circuit: PolicyConfiguration.Circuit) throws {
  try expectFirstEpochRatioOfOne(circuit, mixedMemory: true)
}

private func expectFirstEpochRatioOfOne(_ circuit: PolicyConfiguration.Circuit, mixedMemory: Bool) throws {
  var policyConfiguration = PolicyConfiguration()
  policyConfiguration.circuit = circuit
  policyConfiguration.mixedMemory = mixedMemory
  policyConfiguration.units = 10
  policyConfiguration.motorNeurons = 2
  policyConfiguration.backboneUnits = 12
  policyConfiguration.odeUnfolds = 2
  policyConfiguration.criticUnits = [8]
  let environment = TimeLimit(CartPole(), maxEpisodeSteps: 500)
  let policy = try ActorCritic(
    configuration: policyConfiguration, observationSpace: environment.observationSpace,
    actionSpace: environment.actionSpace, seed: 3)
  var trainer = PPOTrainer(
    configuration: shortConfiguration(), policy: policy, environments: Array(repeating: environment, count: 4), seed: 5)
  var starts = 0
  while !trainer.isFinished {
    let metrics = trainer.iterate()
    starts += metrics.episodes.count
    #expect(metrics.firstEpochRatioDeviation <= 2.5e-7, "\(circuit): max |r − 1| = \(metrics.firstEpochRatioDeviation)")
    #expect(metrics.updates == 4)
  }
  #expect(starts > 0, "the rollouts should contain episode boundaries")
}

import Environments
import Testing
@testable import Training

// End-to-end PPO checks that CI runs in a debug build in a few seconds: the whole trainer
// (rollouts, GAE, the clipped loss, recurrent replay) must learn Probe-Memory-v0, the probe
// that only a policy with working memory can solve.

/// Trains `circuit` on the memory probe for `steps` environment steps and returns its greedy
/// evaluation over `episodes` episodes.
private func trainOnMemoryProbe(
  _ circuit: PolicyConfiguration.Circuit, steps: Int, episodes: Int
) throws -> (result: EvaluationResult, probe: MemoryProbe) {
  let probe = MemoryProbe()
  var ppo = PPOConfiguration()
  ppo.totalSteps = steps
  ppo.environmentCount = 8
  ppo.stepsPerRollout = 32
  ppo.epochs = 10
  ppo.workerCount = 2
  var architecture = PolicyConfiguration()
  architecture.circuit = circuit
  architecture.units = 16
  architecture.backboneUnits = 32
  architecture.criticUnits = [32]
  let policy = try ActorCritic(
    configuration: architecture, observationSpace: probe.observationSpace, actionSpace: probe.actionSpace, seed: 1)
  var trainer = PPOTrainer(
    configuration: ppo, policy: policy, environments: [MemoryProbe](repeating: probe, count: 8), seed: 1)
  while !trainer.isFinished {
    let metrics = trainer.iterate()
    #expect(metrics.firstEpochRatioDeviation < 1e-4, "acting and replay disagree")
  }
  let result = evaluate(
    policy: trainer.policy, makeEnvironment: { probe }, episodes: episodes, seed: 10_000, workerCount: 2)
  return (result, probe)
}

/// The return a memoryless policy cannot reach: its greedy answer to the query is the same for
/// every cue, so over `episodes` episodes with uniformly drawn cues its mean return is a
/// Binomial(episodes, 1/cueCount) fraction. Six of its standard deviations above its mean, the
/// chance that any memoryless policy reaches this is below 1e-8.
private func memorylessCeiling(_ probe: MemoryProbe, episodes: Int) -> Double {
  let chance = 1 / Double(probe.cueCount)
  return chance + 6 * (chance * (1 - chance) / Double(episodes)).squareRoot()
}

@Test func ppoTeachesACfCPolicyToRememberTheCue() throws {
  let (result, probe) = try trainOnMemoryProbe(.cfc, steps: 6144, episodes: 200)
  #expect(result.meanReturn >= memorylessCeiling(probe, episodes: 200), "greedy mean \(result.meanReturn)")
}

@Test func theMemorylessBaselineStaysAtChanceOnTheMemoryProbe() throws {
  let (result, probe) = try trainOnMemoryProbe(.mlp, steps: 2048, episodes: 200)
  #expect(result.meanReturn < memorylessCeiling(probe, episodes: 200), "greedy mean \(result.meanReturn)")
}

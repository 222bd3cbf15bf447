import Environments
import Testing
@testable import Training

/// PPO iterations of a recurrent grid policy with a recurrent critic (`critic: circuit`) on
/// `environment`, with rollouts long enough to hold episode boundaries.
private func iterate<Env: Environment>(
  _ environment: Env, circuit: PolicyConfiguration.Circuit, iterations: Int
) throws -> [PPOIterationMetrics] {
  var ppo = PPOConfiguration()
  ppo.environmentCount = 2
  ppo.stepsPerRollout = 96
  ppo.epochs = 2
  ppo.minibatchCount = 1  // the first epoch's ratio is 1 only before the first update
  ppo.totalSteps = iterations * ppo.rolloutSize
  ppo.workerCount = 1
  var architecture = PolicyConfiguration()
  architecture.circuit = circuit
  architecture.encoder = .grid
  architecture.encoderFeatures = 16
  architecture.units = 8
  architecture.backboneUnits = 8
  architecture.critic = .circuit
  let policy = try ActorCritic(
    configuration: architecture, observationSpace: environment.observationSpace,
    actionSpace: environment.actionSpace, seed: 2)
  var trainer = PPOTrainer(configuration: ppo, policy: policy, environments: [environment, environment], seed: 3)
  return (0..<iterations).map { _ in trainer.iterate() }
}

/// On MiniGrid-MemoryS7 the rollouts carry the actor's and the critic's recurrent states from
/// step to step and across rollouts, and zero them at episode starts, exactly as the replay of
/// the update does: the first minibatch's probability ratio is 1 in every iteration (a state
/// dropped or reset at a different step while acting would move it), for sequences that hold
/// several episode boundaries.
@Test(arguments: [PolicyConfiguration.Circuit.cfc, .lstm, .ltc])
func memoryGridRolloutsCarryTheRecurrentStateAsTheReplayDoes(_ circuit: PolicyConfiguration.Circuit) throws {
  let metrics = try iterate(try Catalog.make("MiniGrid-MemoryS7-v0"), circuit: circuit, iterations: 2)
  let episodes = metrics.reduce(0) { $0 + $1.episodes.count }
  #expect(episodes >= 2, "the rollouts should contain episode boundaries, got \(episodes)")
  for m in metrics {
    #expect(m.firstEpochRatioDeviation <= 1e-5, "\(circuit): max |r − 1| = \(m.firstEpochRatioDeviation)")
    #expect([m.policyLoss, m.valueLoss, m.entropy].allSatisfy { $0.isFinite })
  }
}

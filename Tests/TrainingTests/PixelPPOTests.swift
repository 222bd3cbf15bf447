import Environments
import NeuralNetworks
import TensorCore
import Testing
@testable import Training

/// One PPO iteration of a conv policy on `environment`: the rollout keeps its `UInt8`
/// observations as bytes, the replay agrees with acting, and the update changes the encoder.
private func oneIteration<Env: Environment>(
  _ environment: Env, encoder: PolicyConfiguration.Encoder, features: Int
) throws -> (metrics: PPOIterationMetrics, encoderChanged: Bool) {
  var ppo = PPOConfiguration()
  ppo.environmentCount = 2
  ppo.stepsPerRollout = 8
  ppo.epochs = 2
  ppo.minibatchCount = 1  // the first epoch's ratio is 1 only before the first update
  ppo.totalSteps = 16
  ppo.workerCount = 2
  var architecture = PolicyConfiguration()
  architecture.encoder = encoder
  architecture.encoderFeatures = features
  architecture.units = 8
  architecture.backboneUnits = 8
  architecture.critic = .shared
  let policy = try ActorCritic(
    configuration: architecture, observationSpace: environment.observationSpace,
    actionSpace: environment.actionSpace, seed: 1)
  var trainer = PPOTrainer(configuration: ppo, policy: policy, environments: [environment, environment], seed: 1)
  let before = policy.namedTensors.first { $0.name.hasPrefix("encoder.") }!
  let metrics = trainer.iterate()
  let after = trainer.policy.namedTensors.first { $0.name == before.name }!
  return (metrics, before.tensor.scalars != after.tensor.scalars)
}

@Test func gridPolicyPPOIterationOnMinAtarBytes() throws {
  let (metrics, changed) = try oneIteration(try Catalog.make("MinAtar/Breakout-v1"), encoder: .automatic, features: 16)
  #expect(metrics.firstEpochRatioDeviation < 1e-4, "acting and replay disagree")
  #expect([metrics.policyLoss, metrics.valueLoss, metrics.entropy].allSatisfy { $0.isFinite })
  #expect(changed)
}

@Test func natureCNNPolicyPPOIterationOnAtariFrames() throws {
  let (metrics, changed) = try oneIteration(try Catalog.make("Arcade/Breakout-v0"), encoder: .natureCNN, features: 8)
  #expect(metrics.firstEpochRatioDeviation < 1e-4, "acting and replay disagree")
  #expect([metrics.policyLoss, metrics.valueLoss, metrics.entropy].allSatisfy { $0.isFinite })
  #expect(changed)
}

@Test func byteRolloutBufferGathersTheSameSequencesAsAFloatOne() {
  var floats = RolloutBuffer(steps: 3, environmentCount: 2, observationSize: 4, actionSize: 1, stateSize: 0)
  var bytes = RolloutBuffer(
    steps: 3, environmentCount: 2, observationSize: 4, actionSize: 1, stateSize: 0, storesBytes: true)
  #expect(bytes.observations.isEmpty && bytes.byteObservations.count == 24 && floats.byteObservations.isEmpty)
  for i in 0..<24 {
    floats.observations[i] = Float((i * 37) % 256)
    bytes.byteObservations[i] = UInt8((i * 37) % 256)
  }
  #expect(floats.sequences(of: [1, 0]).observations == bytes.sequences(of: [1, 0]).observations)
}

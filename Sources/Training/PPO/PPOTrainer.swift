import Dispatch
import Environments
import Foundation
import NeuralNetworks
import Randomness
import TensorCore

/// Proximal policy optimization of an ``ActorCritic`` on a set of environments, one iteration
/// (rollout → advantages → update) at a time. It reads like the paper's Algorithm 1 with
/// CleanRL's implementation details; every piece it calls is a tested function of its own.
public struct PPOTrainer<Env: Environment> {
  public let configuration: PPOConfiguration
  public var policy: ActorCritic
  public var optimizer: Adam
  public var collector: RolloutCollector<Env>
  /// Orders the minibatches.
  public var generator: RandomStream
  /// Environment steps taken so far, over all environments.
  public private(set) var environmentSteps = 0
  /// Iterations (rollouts + updates) done so far.
  public private(set) var iterations = 0
  /// Normalises each rollout's rewards before the advantages (`nil`: raw rewards).
  public var rewardNormalizer: RewardNormalizer?
  /// Train on the sign of each reward (before ``rewardNormalizer``); episode returns stay raw.
  public var clipsRewards = false
  private var buffer: RolloutBuffer

  public init(configuration: PPOConfiguration, policy: ActorCritic, environments: [Env], seed: UInt64) {
    precondition(environments.count == configuration.environmentCount, "one environment per configured environment")
    self.configuration = configuration
    self.policy = policy
    optimizer = Adam(learningRate: Double(configuration.learningRate), epsilon: Double(configuration.adamEpsilon))
    collector = RolloutCollector(
      environments: environments, seed: seed, stateSize: policy.stateSize, chunkSize: configuration.rolloutChunkSize,
      workerCount: configuration.workerCount ?? ProcessInfo.processInfo.activeProcessorCount)
    generator = RandomStream(seed: seed, stream: 0x5050_4F00)
    let actionSize = if case .discrete = policy.actionSpace { 1 } else { policy.actionSpace.size }
    buffer = RolloutBuffer(
      steps: configuration.stepsPerRollout, environmentCount: configuration.environmentCount,
      observationSize: collector.observationSize, actionSize: actionSize, stateSize: policy.stateSize,
      storesBytes: Env.Scalar.self == UInt8.self)
  }

  /// Restores the counters of an interrupted run (the checkpoint holds the rest).
  public mutating func restore(iterations: Int, environmentSteps: Int) {
    self.iterations = iterations
    self.environmentSteps = environmentSteps
  }

  /// Whether the configured number of environment steps has been taken.
  public var isFinished: Bool { iterations >= configuration.updateCount }

  /// One rollout and one update; returns what CleanRL logs for it.
  public mutating func iterate() -> PPOIterationMetrics {
    let c = configuration
    // Linear annealing from the full value at the first iteration to zero after the last.
    let remaining = 1 - Float(iterations) / Float(c.updateCount)
    let learningRate = c.annealLearningRate ? c.learningRate * remaining : c.learningRate
    let clipRange = c.annealClipRange ? c.clipRange * remaining : c.clipRange
    optimizer.learningRate = Double(learningRate)

    // MARK: - Rollout
    let rolloutStart = DispatchTime.now().uptimeNanoseconds
    collector.collect(policy: policy, into: &buffer, bootstrapTruncation: c.bootstrapTruncation)
    environmentSteps += buffer.steps * buffer.environmentCount
    iterations += 1
    if clipsRewards { buffer.rewards = buffer.rewards.map { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 } }
    rewardNormalizer?.normalize(&buffer.rewards, isTerminal: buffer.isTerminal)

    // MARK: - Advantages
    let lastValues = collector.values(policy: policy)
    let advantages = generalizedAdvantages(
      rewards: buffer.rewards, values: buffer.values, isTerminal: buffer.isTerminal,
      isTruncated: buffer.isTruncated, truncationValues: buffer.truncationValues, lastValues: lastValues,
      discount: c.discount, gaeLambda: c.gaeLambda)
    let returns = zip(advantages, buffer.values).map { $0 + $1 }

    // MARK: - Policy update (minibatches of whole environment sequences)
    let updateStart = DispatchTime.now().uptimeNanoseconds
    var metrics = PPOIterationMetrics(learningRate: learningRate, clipRange: clipRange)
    metrics.rolloutSeconds = Double(updateStart - rolloutStart) / 1e9
    var firstEpochRatioDeviation: Float = 0
    epochs: for _ in 0..<c.epochs {
      for environments in environmentMinibatches(
        environmentCount: c.environmentCount, minibatchCount: c.minibatchCount, using: &generator)
      {
        let batch = buffer.sequences(of: environments, advantages: advantages, returns: returns)
        let loss = minibatchLoss(batch, clipRange: clipRange)
        if metrics.updates == 0 { firstEpochRatioDeviation = loss.maximumRatioDeviation }
        let marked = loss.parameters
        var gradients = loss.terms.total.gradients(for: marked)
        metrics.gradientNorm = clipGradientNorm(&gradients, maxNorm: Double(c.maxGradientNorm))
        optimizer.update(&policy, along: gradients)
        metrics.add(loss.terms)
        if let target = c.targetKL, loss.terms.approximateKL > target { break epochs }
      }
    }
    metrics.firstEpochRatioDeviation = firstEpochRatioDeviation
    metrics.updateSeconds = Double(DispatchTime.now().uptimeNanoseconds - updateStart) / 1e9
    metrics.explainedVariance = explainedVariance(predictions: buffer.values, targets: returns)
    metrics.episodes = collector.drainEpisodes()
    return metrics
  }

  /// The loss of one minibatch, computed with a copy of the policy whose parameters record.
  private func minibatchLoss(_ batch: RolloutBuffer.Sequences, clipRange: Float)
    -> (terms: PPOLoss, parameters: [Tensor], maximumRatioDeviation: Float)
  {
    let marked = policy.requiringGradient()
    let (b, t) = (batch.batch, batch.steps)
    let (distribution, values) = marked.replay(
      observations: Tensor(batch.observations, shape: [b, t] + policy.observationShape),
      initialState: Tensor(batch.initialStates, shape: [b, policy.stateSize]),
      episodeStarts: Tensor(batch.episodeStarts, shape: [b, t]),
      elapsedTimes: Tensor(batch.elapsedTimes, shape: [b, t]))
    let logProbabilities = distribution.logProbability(of: batch.actions)
    let terms = ppoLoss(
      logProbabilities: logProbabilities, entropy: distribution.entropy(), values: values,
      oldLogProbabilities: batch.logProbabilities, oldValues: batch.values, advantages: batch.advantages,
      returns: batch.returns, clipRange: clipRange, clipValueLoss: configuration.clipValueLoss,
      valueCoefficient: configuration.valueCoefficient, entropyCoefficient: configuration.entropyCoefficient,
      normalizeAdvantages: configuration.normalizeAdvantages)
    let deviation = zip(logProbabilities.scalars, batch.logProbabilities).map { abs(Foundation.exp($0 - $1) - 1) }.max() ?? 0
    return (terms, marked.parameters, deviation)
  }
}

/// What one PPO iteration measured, in CleanRL's terms.
public struct PPOIterationMetrics {
  public var learningRate: Float
  public var clipRange: Float
  public var policyLoss: Float = 0
  public var valueLoss: Float = 0
  public var entropy: Float = 0
  public var approximateKL: Float = 0
  public var clipFraction: Float = 0
  public var explainedVariance: Float = 0
  /// The global gradient norm before clipping, at the last minibatch.
  public var gradientNorm: Float = 0
  /// max |ratio − 1| over the first minibatch, before this iteration's first update: exactly 0
  /// when acting and replay compute the same probabilities.
  public var firstEpochRatioDeviation: Float = 0
  /// Minibatch updates made.
  public var updates = 0
  /// Wall-clock seconds of the rollout (with the advantages) and of the update.
  public var rolloutSeconds = 0.0, updateSeconds = 0.0
  /// Episodes that finished during the rollout.
  public var episodes: [(episodeReturn: Double, length: Int)] = []

  init(learningRate: Float, clipRange: Float) {
    self.learningRate = learningRate
    self.clipRange = clipRange
  }

  /// Running means over the minibatches.
  mutating func add(_ terms: PPOLoss) {
    let n = Float(updates)
    func mean(_ old: Float, _ new: Float) -> Float { (old * n + new) / (n + 1) }
    policyLoss = mean(policyLoss, terms.policy)
    valueLoss = mean(valueLoss, terms.value)
    entropy = mean(entropy, terms.entropy)
    approximateKL = mean(approximateKL, terms.approximateKL)
    clipFraction = mean(clipFraction, terms.clipFraction)
    updates += 1
  }
}

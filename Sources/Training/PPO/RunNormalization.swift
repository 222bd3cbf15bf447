import Environments

// Observation and reward normalisation for PPO runs, Gymnasium-style: what CleanRL's
// `ppo_continuous_action.py` puts around every environment —
//   NormalizeObservation → clip(±10) → NormalizeReward(γ) → clip(±10)
// — each environment with its own running statistics (a vector of wrapped environments, not
// SB3's shared `VecNormalize`). Observations are normalised inside the environment (the policy
// must see them before acting); rewards are normalised on the rollout buffer right after the
// rollout, in each environment's time order, which is the same computation the wrapper does step
// by step — and it leaves the reported episode returns raw. Both states are plain values that
// checkpoints store and resume restores exactly.

/// An environment whose observations are normalised with running statistics and clipped:
/// Gymnasium's `NormalizeObservation` followed by `TransformObservation(clip(-c, c))`.
public struct ObservationNormalizing<Wrapped: Environment>: Environment {
  public typealias Scalar = Float

  public var normalizer: NormalizeObservation<Wrapped>
  /// Normalised observations are clipped to `-clip...clip`.
  public var clip: Float

  public init(_ environment: Wrapped, clip: Float) {
    precondition(clip > 0, "clip must be positive, got \(clip)")
    normalizer = NormalizeObservation(environment)
    self.clip = clip
  }

  /// Running mean and variance of the raw observations. Shape: [observationSpace.elementCount].
  public var statistics: RunningMeanVariance<Float> {
    get { normalizer.statistics }
    set { normalizer.statistics = newValue }
  }

  /// Whether observations update ``statistics`` (off for evaluation).
  public var updatesStatistics: Bool {
    get { normalizer.updatesStatistics }
    set { normalizer.updatesStatistics = newValue }
  }

  public var observationSpace: ObservationSpace {
    ObservationSpace(shape: normalizer.observationSpace.shape, low: -clip, high: clip)
  }
  public var actionSpace: ActionSpace { normalizer.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
    normalizer.reset(seed: seed, into: observation)
    clamp(observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    let outcome = normalizer.step(action, into: observation)
    clamp(observation)
    return outcome
  }

  private func clamp(_ observation: UnsafeMutableBufferPointer<Float>) {
    for i in observation.indices { observation[i] = Swift.min(Swift.max(observation[i], -clip), clip) }
  }

  public func render() -> Frame { normalizer.render() }
}

/// The statistics that let a checkpointed run use an environment's observation normalisation.
protocol ObservationStatisticsCarrying {
  var statistics: RunningMeanVariance<Float> { get set }
  var updatesStatistics: Bool { get set }
}

extension ObservationNormalizing: ObservationStatisticsCarrying {}

extension RunningMeanVariance {
  /// The statistics of all samples seen by `parts` together (Chan et al.'s parallel
  /// combination); the first part's count keeps its initial `1e-4`.
  static func merged(_ parts: [Self]) -> Self? {
    guard var total = parts.first else { return nil }
    for part in parts.dropFirst() {
      total.update(batchMean: part.mean, batchVariance: part.variance, batchCount: Int(part.count.rounded()))
    }
    return total
  }
}

/// Scales each environment's rewards by the running standard deviation of its discounted
/// return, then clips them: Gymnasium's `NormalizeReward(γ, ε = 1e-8)` followed by
/// `TransformReward(clip(-c, c))`, one instance per environment.
///
/// Per environment `e` and step, in time order: `G_e ← G_e·γ·(1 − terminated) + r`; the running
/// variance of `G_e` is updated; the reward becomes `clip(r / sqrt(var + ε), -c, c)`. `G_e` is not
/// cut by truncation or by resets (as Gymnasium).
public struct RewardNormalizer: Codable, Hashable, Sendable {
  /// Running statistics of each environment's discounted return. Shape: [environmentCount].
  public var statistics: [RunningMeanVariance<Double>]
  /// Each environment's discounted return so far. Shape: [environmentCount].
  public var discountedReturns: [Double]
  /// γ of the discounted return.
  public var discount: Double
  /// Normalised rewards are clipped to `-clip...clip`.
  public var clip: Double
  public var epsilon = 1e-8

  public init(environmentCount: Int, discount: Double, clip: Double) {
    statistics = [RunningMeanVariance<Double>](repeating: RunningMeanVariance(elementCount: 1), count: environmentCount)
    discountedReturns = [Double](repeating: 0, count: environmentCount)
    self.discount = discount
    self.clip = clip
  }

  /// Normalises a rollout's rewards in place.
  ///
  /// - Parameters:
  ///   - rewards: Shape: [steps, environmentCount], step-major (``RolloutBuffer/rewards``).
  ///   - isTerminal: Shape: [steps, environmentCount].
  public mutating func normalize(_ rewards: inout [Float], isTerminal: [Bool]) {
    let n = discountedReturns.count
    precondition(rewards.count == isTerminal.count && rewards.count % n == 0, "rewards must be [steps, \(n)]")
    for index in rewards.indices {
      let e = index % n
      let reward = Double(rewards[index])
      discountedReturns[e] = discountedReturns[e] * discount * (isTerminal[index] ? 0 : 1) + reward
      statistics[e].update(CollectionOfOne(discountedReturns[e]))
      let scaled = reward / (statistics[e].variance[0] + epsilon).squareRoot()
      rewards[index] = Float(Swift.min(Swift.max(scaled, -clip), clip))
    }
  }
}

/// Scales rewards so that their discounted sum has roughly unit variance: Gymnasium's
/// `NormalizeReward`, bit for bit.
///
/// Keeps the discounted return `G ← G·γ·(1 − terminated) + r` (not reset by `reset`, and not
/// cut by truncation, as Gymnasium), updates the running variance of `G`, and returns
/// `r / sqrt(var(G) + epsilon)`. The mean is not subtracted. ``statistics`` and
/// ``discountedReturn`` are plain values for checkpoints.
public struct NormalizeReward<Wrapped: Environment>: Environment {
  public typealias Scalar = Wrapped.Scalar

  public var environment: Wrapped
  /// Running mean and variance of the discounted return (one element).
  public var statistics = RunningMeanVariance<Double>(elementCount: 1)
  /// The discounted return G so far.
  public var discountedReturn = 0.0
  /// γ of the discounted return.
  public var discount: Double
  /// Added to the variance under the square root.
  public var epsilon: Double
  /// Whether rewards update ``statistics`` (Gymnasium's `update_running_mean`).
  public var updatesStatistics = true

  public init(_ environment: Wrapped, discount: Double = 0.99, epsilon: Double = 1e-8) {
    precondition((0...1).contains(discount), "discount must be in [0, 1], got \(discount)")
    precondition(epsilon > 0, "epsilon must be positive, got \(epsilon)")
    self.environment = environment
    self.discount = discount
    self.epsilon = epsilon
  }

  public var observationSpace: ObservationSpace { environment.observationSpace }
  public var actionSpace: ActionSpace { environment.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    environment.reset(seed: seed, into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    var outcome = environment.step(action, into: observation)
    discountedReturn = discountedReturn * discount * (outcome.isTerminal ? 0 : 1) + outcome.reward
    if updatesStatistics { statistics.update(CollectionOfOne(discountedReturn)) }
    outcome.reward = outcome.reward / (statistics.variance[0] + epsilon).squareRoot()
    return outcome
  }

  public func render() -> Frame { environment.render() }
}

/// Normalises observations to roughly zero mean and unit variance with running statistics:
/// Gymnasium's `NormalizeObservation`, bit for bit on `Float` observations.
///
/// Each observation first updates the statistics (unless ``updatesStatistics`` is off, e.g. for
/// evaluation), then is returned as `(observation - mean) / sqrt(variance + epsilon)` in
/// `Float`. ``statistics`` is a plain value: store it with a checkpoint and assign it back when
/// resuming or evaluating. Pixel (`UInt8`) environments are normalised in `Float` too.
public struct NormalizeObservation<Wrapped: Environment>: Environment {
  public typealias Scalar = Float

  public var environment: Wrapped
  /// Running mean and variance of the raw observations. Shape: [observationSpace.elementCount].
  public var statistics: RunningMeanVariance<Float>
  /// Added to the variance under the square root.
  public var epsilon: Float
  /// Whether observations update ``statistics`` (Gymnasium's `update_running_mean`).
  public var updatesStatistics = true
  private var raw: [Wrapped.Scalar]

  public init(_ environment: Wrapped, epsilon: Float = 1e-8) {
    precondition(epsilon > 0, "epsilon must be positive, got \(epsilon)")
    self.environment = environment
    self.epsilon = epsilon
    let count = environment.observationSpace.elementCount
    statistics = RunningMeanVariance(elementCount: count)
    raw = [Wrapped.Scalar](repeating: 0, count: count)
  }

  public var observationSpace: ObservationSpace {
    ObservationSpace(shape: environment.observationSpace.shape, low: -.infinity, high: .infinity)
  }
  public var actionSpace: ActionSpace { environment.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
    raw.withUnsafeMutableBufferPointer { environment.reset(seed: seed, into: $0) }
    normalize(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    let outcome = raw.withUnsafeMutableBufferPointer { environment.step(action, into: $0) }
    normalize(into: observation)
    return outcome
  }

  private mutating func normalize(into observation: UnsafeMutableBufferPointer<Float>) {
    let values = raw.map(\.floatValue)
    if updatesStatistics { statistics.update(values) }
    for i in values.indices {
      observation[i] = (values[i] - statistics.mean[i]) / (statistics.variance[i] + epsilon).squareRoot()
    }
  }

  public func render() -> Frame { environment.render() }
}

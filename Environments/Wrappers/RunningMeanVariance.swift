/// A running mean and variance over batches, Gymnasium's `RunningMeanStd` operation for
/// operation (Chan et al.'s parallel update).
///
/// `Value` is the element type Gymnasium keeps the statistics in: `Float` for
/// `NormalizeObservation` (numpy float32 arrays, Python scalars cast to float32 first, as
/// numpy 2 does), `Double` for `NormalizeReward`. The count is always a `Double` (a Python
/// float starting at `1e-4`). Codable, so a training checkpoint can store and restore it.
public struct RunningMeanVariance<Value: BinaryFloatingPoint & Codable & Sendable>: Hashable, Sendable, Codable {
  /// Shape: [elementCount].
  public var mean: [Value]
  /// Shape: [elementCount]. Population variance (numpy's `var`, ddof 0).
  public var variance: [Value]
  /// Samples seen, plus the initial `1e-4` that keeps the first update finite.
  public var count: Double

  /// Statistics of `elementCount` values: mean 0, variance 1, count `initialCount`.
  public init(elementCount: Int, initialCount: Double = 1e-4) {
    mean = [Value](repeating: 0, count: elementCount)
    variance = [Value](repeating: 1, count: elementCount)
    count = initialCount
  }

  /// Adds one sample (a batch of one: its mean is the sample, its variance 0).
  /// - Parameter sample: Shape: [elementCount].
  public mutating func update(_ sample: some Collection<Value>) {
    update(batchMean: Array(sample), batchVariance: [Value](repeating: 0, count: mean.count), batchCount: 1)
  }

  /// Adds a batch of `batchCount` samples summarised by their mean and variance.
  public mutating func update(batchMean: [Value], batchVariance: [Value], batchCount: Int) {
    precondition(batchMean.count == mean.count && batchVariance.count == mean.count, "shape mismatch")
    let totalCount = count + Double(batchCount)
    // Python scalars meet numpy arrays of `Value` as `Value` (NEP 50).
    let n = Value(batchCount), total = Value(totalCount), old = Value(count)
    for i in mean.indices {
      let delta = batchMean[i] - mean[i]
      let m2 = variance[i] * old + batchVariance[i] * n + delta * delta * old * n / total
      mean[i] = mean[i] + delta * n / total
      variance[i] = m2 / total
    }
    count = totalCount
  }
}

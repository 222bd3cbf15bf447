/// Generalized advantage estimation (Schulman et al. 2016) over a rollout of many environments.
///
/// Every buffer is step-major: element `t * environmentCount + e` belongs to step `t` of
/// environment `e`. An episode that ends at step `t` stops the recursion there: a terminated
/// episode is worth nothing afterwards, a truncated one is worth the critic's value of the
/// observation it was cut at (`truncationValues`), which keeps time limits from looking like
/// failures (the SB3 fix of truncation bootstrapping; CleanRL treats truncation as termination,
/// which `truncationValues` of zero reproduces).
///
/// - Parameters:
///   - rewards: Shape: [steps, environmentCount]. The reward of each step.
///   - values: Shape: [steps, environmentCount]. The critic's value of the observation each
///     step acted on.
///   - isTerminal: Shape: [steps, environmentCount]. The step terminated its episode.
///   - isTruncated: Shape: [steps, environmentCount]. The step truncated its episode.
///   - truncationValues: Shape: [steps, environmentCount]. The critic's value of the final
///     observation of a truncated episode; read only where `isTruncated`.
///   - lastValues: Shape: [environmentCount]. The critic's value of the observation that follows
///     the rollout, used to bootstrap episodes still running at its end.
///   - discount: γ.
///   - gaeLambda: λ; 1 gives Monte-Carlo returns minus values, 0 one-step TD errors.
/// - Returns: The advantages, shape [steps, environmentCount]; the value targets (returns) are
///   `advantages + values`.
public func generalizedAdvantages(
  rewards: [Float], values: [Float], isTerminal: [Bool], isTruncated: [Bool],
  truncationValues: [Float], lastValues: [Float], discount: Float, gaeLambda: Float
) -> [Float] {
  let environmentCount = lastValues.count
  let count = rewards.count
  precondition(
    environmentCount > 0 && count % environmentCount == 0 && values.count == count
      && isTerminal.count == count && isTruncated.count == count && truncationValues.count == count,
    "rollout buffers must all have steps × \(environmentCount) elements")
  let steps = count / environmentCount
  var advantages = [Float](repeating: 0, count: count)
  for e in 0..<environmentCount {
    var following: Float = 0  // the advantage of step t + 1 of the same episode
    for t in stride(from: steps - 1, through: 0, by: -1) {
      let i = t * environmentCount + e
      let nextValue: Float
      let continues: Bool
      if isTerminal[i] {
        (nextValue, continues) = (0, false)
      } else if isTruncated[i] {
        (nextValue, continues) = (truncationValues[i], false)
      } else {
        nextValue = t == steps - 1 ? lastValues[e] : values[i + environmentCount]
        continues = t < steps - 1
      }
      let delta = rewards[i] + discount * nextValue - values[i]
      following = delta + (continues ? discount * gaeLambda * following : 0)
      advantages[i] = following
    }
  }
  return advantages
}

/// The fraction of the variance of `targets` that `predictions` explain: 1 is perfect, 0 is no
/// better than predicting the mean, negative is worse. NaN when `targets` has no variance.
public func explainedVariance(predictions: [Float], targets: [Float]) -> Float {
  precondition(predictions.count == targets.count && !targets.isEmpty, "need equal, non-empty arrays")
  func variance(_ x: [Float]) -> Float {
    let mean = x.reduce(0, +) / Float(x.count)
    return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(x.count)
  }
  let targetVariance = variance(targets)
  guard targetVariance > 0 else { return .nan }
  return 1 - variance(zip(targets, predictions).map { $0 - $1 }) / targetVariance
}

import TensorCore

/// The clipped PPO objective of one minibatch, and the statistics CleanRL logs with it.
public struct PPOLoss {
  /// `policy − entropyCoefficient · entropy + valueCoefficient · value`; differentiate this.
  public var total: Tensor
  /// The clipped surrogate, `mean(max(−A·r, −A·clip(r, 1 ± ε)))`.
  public var policy: Float
  /// `0.5 · mean((V − R)²)`, or its clipped form.
  public var value: Float
  /// The mean entropy of the policy.
  public var entropy: Float
  /// `mean((r − 1) − log r)`, an unbiased low-variance estimate of KL(π_old ‖ π).
  public var approximateKL: Float
  /// The fraction of samples whose ratio left `1 ± ε`.
  public var clipFraction: Float
}

/// The PPO loss (Schulman et al. 2017) of a minibatch, with CleanRL's details: per-minibatch
/// advantage normalization, the clipped surrogate, optionally the clipped value loss, and the
/// entropy bonus.
///
/// - Parameters:
///   - logProbabilities: Shape: [n]. log π(aₜ|sₜ) under the policy being trained (recording).
///   - entropy: Shape: [n]. The entropy of π(·|sₜ) (recording).
///   - values: Shape: [n]. V(sₜ) under the critic being trained (recording).
///   - oldLogProbabilities, oldValues, advantages, returns: Shape: [n]. From the rollout.
///   - clipRange: ε.
///   - clipValueLoss: Clip V around `oldValues` with ε as well (CleanRL), or not (SB3).
public func ppoLoss(
  logProbabilities: Tensor, entropy: Tensor, values: Tensor,
  oldLogProbabilities: [Float], oldValues: [Float], advantages: [Float], returns: [Float],
  clipRange: Float, clipValueLoss: Bool, valueCoefficient: Float, entropyCoefficient: Float,
  normalizeAdvantages: Bool
) -> PPOLoss {
  let n = advantages.count
  precondition(
    logProbabilities.shape == [n] && entropy.shape == [n] && values.shape == [n]
      && oldLogProbabilities.count == n && oldValues.count == n && returns.count == n,
    "ppoLoss: expected [\(n)] tensors, got log-probabilities \(logProbabilities.shape), entropy \(entropy.shape), values \(values.shape)")
  let a = Tensor(normalizeAdvantages ? normalized(advantages) : advantages, shape: [n])

  let logRatio = logProbabilities - Tensor(oldLogProbabilities, shape: [n])
  let ratio = exp(logRatio)
  let unclipped = -a * ratio
  let clipped = -a * clamp(ratio, min: 1 - clipRange, max: 1 + clipRange)
  let policy = maximum(unclipped, clipped).mean()

  let target = Tensor(returns, shape: [n])
  let value: Tensor
  if clipValueLoss {
    let old = Tensor(oldValues, shape: [n])
    let valueClipped = old + clamp(values - old, min: -clipRange, max: clipRange)
    let squared = (values - target) * (values - target)
    let squaredClipped = (valueClipped - target) * (valueClipped - target)
    value = 0.5 * maximum(squared, squaredClipped).mean()
  } else {
    value = 0.5 * ((values - target) * (values - target)).mean()
  }
  let meanEntropy = entropy.mean()
  let total = policy - entropyCoefficient * meanEntropy + valueCoefficient * value

  var kl: Float = 0
  var clippedCount = 0
  for (logR, r) in zip(logRatio.scalars, ratio.scalars) {
    kl += (r - 1) - logR
    if abs(r - 1) > clipRange { clippedCount += 1 }
  }
  return PPOLoss(
    total: total, policy: policy.scalar, value: value.scalar, entropy: meanEntropy.scalar,
    approximateKL: kl / Float(n), clipFraction: Float(clippedCount) / Float(n))
}


/// `(x − mean) / (std + 1e-8)` with the unbiased standard deviation, as `torch.std`.
func normalized(_ x: [Float]) -> [Float] {
  let n = Float(x.count)
  let mean = x.reduce(0, +) / n
  let variance = x.count > 1 ? x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
  let scale = 1 / (variance.squareRoot() + 1e-8)
  return x.map { ($0 - mean) * scale }
}

/// The element-wise maximum, from primitives: `b + relu(a − b)`.
func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { b + relu(a - b) }

// Action distributions for policies, differentiable through TensorCore: a categorical from
// logits and a diagonal Gaussian. Log-probabilities and entropies are composites of primitives.

import Randomness
import TensorCore

/// A batch of categorical distributions given by unnormalised logits (torch `Categorical(logits=)`).
public struct Categorical: Sendable {
  /// Normalised log-probabilities. Shape: [batch, classes].
  public let logProbabilities: Tensor

  /// - Parameter logits: Shape: [batch, classes].
  public init(logits: Tensor) {
    precondition(logits.rank == 2 && logits.shape[1] > 0, "Categorical: logits must be [batch, classes], got shape \(logits.shape)")
    logProbabilities = logSoftmax(logits, alongAxis: 1)
  }

  public var batchSize: Int { logProbabilities.shape[0] }
  public var classCount: Int { logProbabilities.shape[1] }

  /// Probabilities. Shape: [batch, classes].
  public var probabilities: Tensor { exp(logProbabilities) }

  /// log p(action) for one action per row. Shape: [batch].
  public func logProbability(of actions: [Int]) -> Tensor {
    precondition(actions.count == batchSize, "Categorical.logProbability: \(actions.count) actions for a batch of \(batchSize)")
    precondition(actions.allSatisfy { (0..<classCount).contains($0) }, "Categorical.logProbability: an action is outside 0..<\(classCount)")
    return logProbabilities.taking(indices: actions, alongAxis: 1)
  }

  /// −Σ p·log p per row, with 0·log 0 = 0 for classes of logit −∞ (log p clamped to the
  /// most negative finite Float, as torch does). Shape: [batch].
  public func entropy() -> Tensor {
    -(probabilities * logProbabilities.clamped(min: -.greatestFiniteMagnitude)).sum(alongAxis: 1)
  }

  /// One action per row drawn by inverse CDF with one uniform draw per row.
  public func sample(using generator: inout RandomStream) -> [Int] {
    let p = probabilities.scalars
    var actions: [Int] = []
    actions.reserveCapacity(batchSize)
    for row in 0..<batchSize {
      let u = generator.nextFloat()
      var cumulative: Float = 0
      var chosen = classCount - 1
      for k in 0..<classCount {
        cumulative += p[row * classCount + k]
        if u < cumulative {
          chosen = k
          break
        }
      }
      // Never pick a zero-probability class through rounding at the top end.
      while p[row * classCount + chosen] == 0 && chosen > 0 { chosen -= 1 }
      actions.append(chosen)
    }
    return actions
  }

  /// The most likely action per row (the first on ties).
  public var mode: [Int] { logProbabilities.argmax(alongAxis: 1) }
}

/// ½ log 2π.
private let halfLogTwoPi: Float = 0.918_938_533_204_672_7

/// A batch of Gaussians with independent coordinates (torch `Independent(Normal(mean, std), 1)`):
/// log-probabilities and entropies sum over the last axis.
public struct DiagonalGaussian: Sendable {
  /// Shape: [batch, dimensions].
  public let mean: Tensor
  /// log σ, broadcastable to `mean` (often a learned [dimensions] vector).
  public let logStandardDeviation: Tensor

  public init(mean: Tensor, logStandardDeviation: Tensor) {
    precondition(mean.rank >= 1, "DiagonalGaussian: mean must have at least one axis")
    self.mean = mean
    self.logStandardDeviation = logStandardDeviation
  }

  /// σ broadcast to the mean's shape.
  public var standardDeviation: Tensor { exp(logStandardDeviation).broadcasted(to: mean.shape) }

  /// Σ over the last axis of −(x − μ)²/(2σ²) − log σ − ½ log 2π. Shape: `mean.shape` without its last axis.
  public func logProbability(of value: Tensor) -> Tensor {
    precondition(value.shape == mean.shape, "DiagonalGaussian.logProbability: value shape \(value.shape) differs from mean \(mean.shape)")
    let z = (value - mean) / exp(logStandardDeviation)
    let perCoordinate = -0.5 * z * z - logStandardDeviation - halfLogTwoPi
    return perCoordinate.sum(alongAxis: -1)
  }

  /// Σ over the last axis of ½ + ½ log 2π + log σ. Shape: `mean.shape` without its last axis.
  public func entropy() -> Tensor {
    let perCoordinate = (logStandardDeviation + (0.5 + halfLogTwoPi)).broadcasted(to: mean.shape)
    return perCoordinate.sum(alongAxis: -1)
  }

  /// μ + σ·ε with ε ~ N(0, 1) drawn row-major from `generator` (reparameterised: gradients flow
  /// to the mean and log σ, like torch's `rsample`). Shape: `mean.shape`.
  public func sample(using generator: inout RandomStream) -> Tensor {
    mean + standardDeviation * Tensor(normal: mean.shape, using: &generator)
  }

  /// The most likely value, μ.
  public var mode: Tensor { mean }
}

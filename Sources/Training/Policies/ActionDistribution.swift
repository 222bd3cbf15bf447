import Environments
import Foundation
import Randomness
import TensorCore

/// The distribution a policy head defines over actions: categorical over logits for discrete
/// spaces, a diagonal Gaussian (state-independent log standard deviation, CleanRL's continuous
/// PPO) for continuous ones. All quantities are differentiable through TensorCore.
public enum ActionDistribution {
  /// `logits` Shape: [n, actionCount].
  case categorical(logits: Tensor)
  /// `mean` Shape: [n, actionSize]; `logStandardDeviation` Shape: [actionSize] (broadcast).
  case gaussian(mean: Tensor, logStandardDeviation: Tensor)

  /// log π(a) of the given actions. `actions` Shape: [n, 1] indices, or [n, actionSize] vectors,
  /// flat. Returns Shape: [n].
  public func logProbability(of actions: [Float]) -> Tensor {
    switch self {
    case .categorical(let logits):
      let (n, k) = (logits.shape[0], logits.shape[1])
      precondition(actions.count == n, "logProbability: \(actions.count) actions for \(n) rows")
      var oneHot = [Float](repeating: 0, count: n * k)
      for (row, action) in actions.enumerated() { oneHot[row * k + Int(action)] = 1 }
      return (logSoftmax(logits, alongAxis: 1) * Tensor(oneHot, shape: [n, k])).sum(alongAxis: 1)
    case .gaussian(let mean, let logStd):
      let (n, d) = (mean.shape[0], mean.shape[1])
      precondition(actions.count == n * d, "logProbability: \(actions.count) action values for [\(n), \(d)]")
      let z = (Tensor(actions, shape: [n, d]) - mean) / exp(logStd)
      let perDimension = -0.5 * z * z - logStd - Float(0.5 * log(2 * Double.pi))
      return perDimension.sum(alongAxis: 1)
    }
  }

  /// The entropy of each row, Shape: [n].
  public func entropy() -> Tensor {
    switch self {
    case .categorical(let logits):
      let logP = logSoftmax(logits, alongAxis: 1)
      return -(exp(logP) * logP).sum(alongAxis: 1)
    case .gaussian(let mean, let logStd):
      let perDimension = logStd + Float(0.5 + 0.5 * log(2 * Double.pi))
      return (perDimension + Tensor(zeros: mean.shape)).sum(alongAxis: 1)
    }
  }

  /// Draws one action per row, row `i` from `generators[i]`, so samples do not depend on how
  /// rows are spread over workers. Returns the actions flat ([n, 1] or [n, actionSize]).
  public func sample(using generators: inout [RandomStream]) -> [Float] {
    switch self {
    case .categorical(let logits):
      let (n, k) = (logits.shape[0], logits.shape[1])
      precondition(generators.count == n, "sample: \(generators.count) generators for \(n) rows")
      let probabilities = softmax(logits.detached, alongAxis: 1).scalars
      return (0..<n).map { row in
        let u = generators[row].nextFloat()
        var cumulative: Float = 0
        for j in 0..<k {
          cumulative += probabilities[row * k + j]
          if u < cumulative { return Float(j) }
        }
        return Float(k - 1)  // rounding left u above the total
      }
    case .gaussian(let mean, let logStd):
      let (n, d) = (mean.shape[0], mean.shape[1])
      precondition(generators.count == n, "sample: \(generators.count) generators for \(n) rows")
      let std = logStd.scalars.map { Foundation.exp($0) }
      return (0..<n * d).map { i in mean.scalars[i] + std[i % d] * generators[i / d].nextNormal() }
    }
  }

  /// The most likely action of each row (argmax, or the mean), flat.
  public var mode: [Float] {
    switch self {
    case .categorical(let logits): logits.argmax(alongAxis: 1).map(Float.init)
    case .gaussian(let mean, _): mean.scalars
    }
  }
}

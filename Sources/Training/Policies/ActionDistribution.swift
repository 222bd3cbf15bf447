import Environments
import NeuralNetworks
import Randomness
import TensorCore

/// The distribution a policy head defines over actions: NeuralNetworks' ``Categorical`` over
/// logits for discrete spaces, its ``DiagonalGaussian`` (state-independent log standard
/// deviation, CleanRL's continuous PPO) for continuous ones. This type only adapts them to the
/// flat action buffers of rollouts and to per-environment random streams; the math lives there.
public enum ActionDistribution {
  /// Over `[n, actionCount]` logits.
  case categorical(Categorical)
  /// `mean` Shape: [n, actionSize]; `logStandardDeviation` Shape: [actionSize] (broadcast).
  case gaussian(DiagonalGaussian)

  /// The number of rows (samples).
  public var count: Int {
    switch self {
    case .categorical(let c): c.batchSize
    case .gaussian(let g): g.mean.shape[0]
    }
  }

  /// log π(a) of the given actions. `actions` Shape: [n, 1] indices, or [n, actionSize] vectors,
  /// flat. Returns Shape: [n].
  public func logProbability(of actions: [Float]) -> Tensor {
    switch self {
    case .categorical(let c):
      precondition(actions.count == c.batchSize, "logProbability: \(actions.count) actions for \(c.batchSize) rows")
      return c.logProbability(of: actions.map { Int($0) })
    case .gaussian(let g):
      precondition(actions.count == g.mean.count, "logProbability: \(actions.count) action values for \(g.mean.shape)")
      return g.logProbability(of: Tensor(actions, shape: g.mean.shape))
    }
  }

  /// The entropy of each row, Shape: [n].
  public func entropy() -> Tensor {
    switch self {
    case .categorical(let c): c.entropy()
    case .gaussian(let g): g.entropy()
    }
  }

  /// Draws one action per row, row `i` from `generators[i]`, so samples do not depend on how
  /// rows are spread over workers. Returns the actions flat ([n, 1] or [n, actionSize]).
  public func sample(using generators: inout [RandomStream]) -> [Float] {
    precondition(generators.count == count, "sample: \(generators.count) generators for \(count) rows")
    switch self {
    case .categorical(let c):
      let k = c.classCount
      let probabilities = c.probabilities.scalars
      return (0..<c.batchSize).map { row in
        let u = generators[row].nextFloat()
        var cumulative: Float = 0
        for j in 0..<k {
          cumulative += probabilities[row * k + j]
          if u < cumulative { return Float(j) }
        }
        return Float(k - 1)  // rounding left u above the total
      }
    case .gaussian(let g):
      let d = g.mean.shape[1]
      let mean = g.mean.scalars
      let std = g.standardDeviation.scalars
      return (0..<mean.count).map { i in mean[i] + std[i] * generators[i / d].nextNormal() }
    }
  }

  /// Draws actions as ``sample(using:)`` does and returns them with their log-probabilities
  /// (for categoricals read from the same log-softmax values ``logProbability(of:)`` gathers, so
  /// the two agree bit for bit).
  public func sampleWithLogProbabilities(using generators: inout [RandomStream])
    -> (actions: [Float], logProbabilities: [Float])
  {
    let actions = sample(using: &generators)
    guard case .categorical(let c) = self else { return (actions, logProbability(of: actions).scalars) }
    let k = c.classCount
    let logP = c.logProbabilities.scalars
    return (actions, actions.enumerated().map { row, action in logP[row * k + Int(action)] })
  }

  /// The most likely action of each row (argmax, or the mean), flat.
  public var mode: [Float] {
    switch self {
    case .categorical(let c): c.mode.map(Float.init)
    case .gaussian(let g): g.mode.scalars
    }
  }

  /// What a viewer shows of each row: the action probabilities, or the Gaussian means. Flat.
  public var displayedValues: [Float] {
    switch self {
    case .categorical(let c): c.probabilities.scalars
    case .gaussian(let g): g.mean.scalars
    }
  }
}

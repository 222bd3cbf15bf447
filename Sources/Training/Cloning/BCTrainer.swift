import Environments
import Foundation
import NeuralNetworks
import Randomness
import TensorCore

/// A window of consecutive steps of one episode: `start ..< start + length`.
struct DemonstrationWindow: Hashable, Sendable {
  var episode: Int
  var start: Int
  var length: Int
}

/// What one pass over a set of windows measured.
public struct BCMetrics: Sendable {
  /// −mean log π(a*|history) over the steps (cross-entropy, or Gaussian negative log-likelihood).
  public var loss: Float = 0
  /// Share of steps whose greedy action equals the demonstrated one (discrete), or lies within
  /// 5% of the action range in every dimension (continuous).
  public var accuracy: Float = 0
  public var steps = 0
  /// Discrete actions: steps whose demonstrated action is each index, and how many of those the
  /// greedy action matched (per-action recall; a rare action such as Breakout's FIRE shows here).
  public var actionSteps: [Int] = []
  public var actionMatches: [Int] = []

  /// Per-action recall, `nil` for actions never demonstrated in the measured steps.
  public var recall: [Float?] {
    zip(actionMatches, actionSteps).map { $1 > 0 ? Float($0) / Float($1) : nil }
  }

  /// `recall 0.95 / - / 0.91 / 0.90` (one value per action), or empty for continuous actions.
  public var recallDescription: String {
    recall.isEmpty ? "" : "recall " + recall.map { $0.map { String(format: "%.2f", $0) } ?? "-" }.joined(separator: "/")
  }
}

/// Behavior cloning of a recurrent policy on demonstrations: minibatches of windows of
/// `windowLength` consecutive steps (truncated BPTT), each replayed from a zero state with its
/// first step flagged as an episode start; a last, shorter window of an episode is padded and
/// the padding masked out of the loss.
public struct BCTrainer {
  public let configuration: BCConfiguration
  public var policy: ActorCritic
  public var optimizer: Adam
  public var generator: RandomStream
  let dataset: DemonstrationDataset
  /// Indices of the training and validation episodes.
  public let trainingEpisodes: [Int]
  public let validationEpisodes: [Int]
  let actionWidth: Int
  /// Observations per policy input, side by side along the last axis (``ChannelStack``).
  let frameStack: Int

  public init(
    configuration: BCConfiguration, policy: ActorCritic, dataset: DemonstrationDataset, seed: UInt64, frameStack: Int = 1
  ) {
    self.configuration = configuration
    self.frameStack = frameStack
    self.policy = policy
    self.dataset = dataset
    optimizer = Adam(learningRate: Double(configuration.learningRate))
    generator = RandomStream(seed: seed, stream: 0xB00C)
    var order = Array(dataset.episodes.indices)
    order.shuffle(using: &generator)
    let held = order.count < 2 ? 0 : max(1, Int((Float(order.count) * configuration.validationFraction).rounded()))
    let validationCount = configuration.validationFraction == 0 ? 0 : min(held, order.count - 1)
    if let chosen = configuration.validationEpisodes {
      validationEpisodes = chosen.sorted()
      trainingEpisodes = dataset.episodes.indices.filter { !chosen.contains($0) }
    } else {
      validationEpisodes = Array(order.prefix(validationCount)).sorted()
      trainingEpisodes = Array(order.dropFirst(validationCount)).sorted()
    }
    actionWidth = if case .discrete = policy.actionSpace { 1 } else { policy.actionSpace.size }
  }

  /// Windows covering `episodes`, in order.
  func windows(of episodes: [Int]) -> [DemonstrationWindow] {
    let length = configuration.windowLength
    return episodes.flatMap { e in
      let steps = dataset.episodes[e].steps
      return stride(from: 0, to: steps, by: length).map { DemonstrationWindow(episode: e, start: $0, length: min(length, steps - $0)) }
    }
  }

  /// One epoch over the training windows in a fresh random order (the first
  /// `windowsPerEpoch` of them when set); returns the training metrics.
  public mutating func trainEpoch() -> BCMetrics {
    policy.setTraining(true)  // BatchNorm: batch statistics, running statistics updated
    defer { policy.setTraining(false) }
    var order = windows(of: trainingEpisodes)
    order.shuffle(using: &generator)
    if let count = configuration.windowsPerEpoch, count < order.count { order.removeSubrange(count...) }
    var total = BCMetrics()
    var lossSum: Double = 0
    var correct: Double = 0
    for start in stride(from: 0, to: order.count, by: configuration.batchSize) {
      let batch = Array(order[start..<min(start + configuration.batchSize, order.count)])
      let marked = policy.requiringGradient()
      let (loss, distribution, inputs) = batchLoss(marked, batch, training: true)
      var gradients = loss.gradients(for: marked.parameters)
      if configuration.maxGradientNorm > 0 { _ = clipGradientNorm(&gradients, maxNorm: Double(configuration.maxGradientNorm)) }
      optimizer.update(&policy, along: gradients)
      let count = inputs.mask.reduce(0, +)
      lossSum += Double(inputs.negativeLogLikelihood(distribution)) * Double(count)
      correct += Double(inputs.correct(distribution, actionSpace: policy.actionSpace, tally: &total))
      total.steps += Int(count)
    }
    total.loss = Float(lossSum / Double(max(1, total.steps)))
    total.accuracy = Float(correct / Double(max(1, total.steps)))
    return total
  }

  /// Loss and accuracy on the validation windows (or `nil` when there are none).
  public func validate() -> BCMetrics? {
    validationEpisodes.isEmpty ? nil : measure(episodes: validationEpisodes)
  }

  /// Loss and accuracy over the windows of `episodes`, without training.
  public func measure(episodes: [Int]) -> BCMetrics {
    let all = windows(of: episodes)
    var result = BCMetrics()
    var lossSum: Double = 0
    var correct: Double = 0
    for start in stride(from: 0, to: all.count, by: max(configuration.batchSize, 64)) {
      let batch = Array(all[start..<min(start + max(configuration.batchSize, 64), all.count)])
      let (_, distribution, inputs) = batchLoss(policy, batch, training: false)
      let count = inputs.mask.reduce(0, +)
      lossSum += Double(inputs.negativeLogLikelihood(distribution)) * Double(count)
      correct += Double(inputs.correct(distribution, actionSpace: policy.actionSpace, tally: &result))
      result.steps += Int(count)
    }
    result.loss = Float(lossSum / Double(max(1, result.steps)))
    result.accuracy = Float(correct / Double(max(1, result.steps)))
    return result
  }

  /// The masked loss of a minibatch of windows: −mean log π(a*) − entropyCoefficient · mean H.
  private func batchLoss(_ model: ActorCritic, _ batch: [DemonstrationWindow], training: Bool)
    -> (Tensor, ActionDistribution, WindowBatch)
  {
    let inputs = WindowBatch(
      batch, dataset: dataset, length: configuration.windowLength, actionWidth: actionWidth, frameStack: frameStack)
    let (b, t) = (batch.count, configuration.windowLength)
    let (distribution, _) = model.replay(
      observations: Tensor(inputs.observations, shape: [b, t] + model.observationShape),
      initialState: Tensor(zeros: [b, model.stateSize]), episodeStarts: Tensor(inputs.episodeStarts, shape: [b, t]),
      elapsedTimes: Tensor(ones: [b, t]))
    let mask = Tensor(inputs.mask, shape: [b * t])
    let count = Float(max(1, inputs.mask.reduce(0, +)))
    let logLikelihood: Tensor
    if let weights = configuration.actionWeights {
      let weighted = zip(inputs.mask, inputs.actions).map { $0 * weights[Int($1)] }
      logLikelihood =
        (distribution.logProbability(of: inputs.actions) * Tensor(weighted, shape: [b * t])).sum() / max(1e-6, weighted.reduce(0, +))
    } else {
      logLikelihood = (distribution.logProbability(of: inputs.actions) * mask).sum() / count
    }
    guard training, configuration.entropyCoefficient > 0 else { return (-logLikelihood, distribution, inputs) }
    let entropy = (distribution.entropy() * mask).sum() / count
    return (-logLikelihood - configuration.entropyCoefficient * entropy, distribution, inputs)
  }
}

/// The flat inputs of a minibatch of windows, padded to the window length.
struct WindowBatch {
  /// Shape: [b, t] + observation shape.
  var observations: [Float] = []
  /// Shape: [b, t] (flat [b·t, actionWidth] for actions).
  var episodeStarts: [Float] = []
  var actions: [Float] = []
  var mask: [Float] = []

  /// - Parameter frameStack: Observations per input (the step's and the ones before it, the
  ///   episode's first repeated before its start), side by side along the last axis.
  init(_ windows: [DemonstrationWindow], dataset: DemonstrationDataset, length t: Int, actionWidth: Int, frameStack: Int = 1) {
    let size = dataset.observationSize
    let channels = dataset.index.observationShape.last ?? 1
    observations.reserveCapacity(windows.count * t * size * frameStack)
    for window in windows {
      let episode = dataset.episodes[window.episode]
      for i in 0..<t {
        let step = window.start + min(i, window.length - 1)
        if frameStack == 1 {
          episode.appendObservation(step, size: size, to: &observations)
        } else {
          let frames = (step - frameStack + 1...step).map { s in
            var frame: [Float] = []
            episode.appendObservation(max(0, s), size: size, to: &frame)
            return frame
          }
          observations += interleaveFrames(frames, channels: channels)
        }
        actions += episode.actions[step * actionWidth..<(step + 1) * actionWidth]
        episodeStarts.append(i == 0 ? 1 : 0)
        mask.append(i < window.length ? 1 : 0)
      }
    }
  }

  func negativeLogLikelihood(_ distribution: ActionDistribution) -> Float {
    let logP = distribution.logProbability(of: actions).detached.scalars
    return -zip(logP, mask).reduce(0) { $0 + $1.0 * $1.1 } / max(1, mask.reduce(0, +))
  }

  /// Unmasked steps whose greedy action matches; discrete actions are also counted per action
  /// into `tally` (``BCMetrics/actionSteps``, ``BCMetrics/actionMatches``).
  func correct(_ distribution: ActionDistribution, actionSpace: ActionSpace, tally: inout BCMetrics) -> Float {
    let mode = distribution.mode
    var count: Float = 0
    if case .discrete(let actionCount) = actionSpace, tally.actionSteps.count != actionCount {
      (tally.actionSteps, tally.actionMatches) = (Array(repeating: 0, count: actionCount), Array(repeating: 0, count: actionCount))
    }
    for row in mask.indices where mask[row] > 0 {
      switch actionSpace {
      case .discrete:
        let label = Int(actions[row])
        tally.actionSteps[label] += 1
        if mode[row] == actions[row] { count += 1; tally.actionMatches[label] += 1 }
      case .continuous(let low, let high):
        let d = low.count
        if (0..<d).allSatisfy({ abs(mode[row * d + $0] - actions[row * d + $0]) <= 0.05 * (high[$0] - low[$0]) }) { count += 1 }
      }
    }
    return count
  }
}

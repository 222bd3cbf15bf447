// BatchNorm (torch.nn.BatchNorm1d/2d): normalise each channel (axis 1) with the batch's mean and
// biased variance in training, with the running estimates in evaluation. Running statistics
// follow torch's momentum rule, with the unbiased batch variance:
//   running_mean ← (1 − momentum)·running_mean + momentum·mean
//   running_var  ← (1 − momentum)·running_var  + momentum·var·n/(n − 1)
// With `momentum: nil` (torch's momentum=None) they are cumulative averages over all batches:
// the same rule with momentum = 1/t for the t-th training batch.
// They are buffers, updated by the forward pass in training mode (see Shared.swift).

import TensorCore

/// Batch normalisation over axis 1 of inputs of shape [batch, channels] or [batch, channels, length]
/// (BatchNorm1d) or [batch, channels, height, width] (BatchNorm2d).
///
/// State-dict names, in torch's order: `weight`, `bias` (parameters, Shape: [channels]), then the
/// buffers `running_mean`, `running_var` (Shape: [channels]) and `num_batches_tracked` (Shape: []).
public struct BatchNorm: UnaryLayer, Sendable {
  struct Statistics: Sendable {
    var mean: Tensor
    var variance: Tensor
    var batchesTracked: Tensor
  }

  public let featureCount: Int
  public let epsilon: Float
  /// The weight of the newest batch in the running statistics (torch's `momentum`), or `nil`
  /// for a cumulative moving average (every batch weighs the same; torch's `momentum=None`).
  public let momentum: Float?
  public var weight: Tensor?
  public var bias: Tensor?
  public private(set) var isTraining = true
  private var statistics: Shared<Statistics>

  public init(featureCount: Int, epsilon: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true) {
    self.featureCount = featureCount
    self.epsilon = epsilon
    self.momentum = momentum
    weight = affine ? Tensor(ones: [featureCount]) : nil
    bias = affine ? Tensor(zeros: [featureCount]) : nil
    statistics = Shared(Statistics(
      mean: Tensor(zeros: [featureCount]), variance: Tensor(ones: [featureCount]), batchesTracked: Tensor(0)))
  }

  /// The running mean. Shape: [channels].
  public var runningMean: Tensor { statistics.value.mean }
  /// The running (unbiased) variance. Shape: [channels].
  public var runningVariance: Tensor { statistics.value.variance }
  /// How many training batches have updated the running statistics.
  public var batchesTracked: Int { Int(statistics.value.batchesTracked.scalar) }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    if weight != nil { try body("weight", .parameter, &weight!) }
    if bias != nil { try body("bias", .parameter, &bias!) }
    let old = statistics.value
    var new = old
    try body("running_mean", .buffer, &new.mean)
    try body("running_var", .buffer, &new.variance)
    try body("num_batches_tracked", .buffer, &new.batchesTracked)
    func same(_ a: Tensor, _ b: Tensor) -> Bool { a.shape == b.shape && a.scalars == b.scalars }
    if !(same(old.mean, new.mean) && same(old.variance, new.variance) && same(old.batchesTracked, new.batchesTracked)) {
      new.mean = new.mean.detached
      new.variance = new.variance.detached
      new.batchesTracked = new.batchesTracked.detached
      statistics = Shared(new)  // a changed buffer means a new, unshared box
    }
  }

  public mutating func setTraining(_ isTraining: Bool) {
    self.isTraining = isTraining
    Shared.unique(&statistics)
  }

  /// - Parameter input: Shape: [batch, channels, ...]. Returns the same shape.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank >= 2 && input.shape[1] == featureCount,
      "BatchNorm: input shape \(input.shape) does not have \(featureCount) channels on axis 1")
    var channelShape = [Int](repeating: 1, count: input.rank)
    channelShape[1] = featureCount
    if isTraining {
      let count = input.count / featureCount
      precondition(count > 1, "BatchNorm: training needs more than one value per channel, got input shape \(input.shape)")
      // One fused op (TensorCore's batchNormalization) for the output and the batch statistics.
      let (y, batchMean, variance) = batchNormalization(input, weight: weight, bias: bias, epsilon: epsilon)
      let unbiased = variance * (Float(count) / Float(count - 1))
      let fixedMomentum = self.momentum
      statistics.update { s in
        s.batchesTracked = s.batchesTracked + 1
        let momentum = fixedMomentum ?? 1 / s.batchesTracked.scalar
        s.mean = (1 - momentum) * s.mean + momentum * batchMean
        s.variance = (1 - momentum) * s.variance + momentum * unbiased
      }
      return y
    }
    let s = statistics.value
    var y = (input - s.mean.reshaped(to: channelShape)) / sqrt(s.variance.reshaped(to: channelShape) + epsilon)
    if let weight { y = y * weight.reshaped(to: channelShape) }
    if let bias { y = y + bias.reshaped(to: channelShape) }
    return y
  }
}

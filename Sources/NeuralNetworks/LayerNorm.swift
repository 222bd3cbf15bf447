// LayerNorm (torch.nn.LayerNorm): normalise over the trailing `normalizedShape` axes with the
// biased variance, then scale and shift element-wise. Composite: gradients from the primitives.

import TensorCore

/// Layer normalisation over the last `normalizedShape.count` axes.
///
/// State-dict names: `weight` (ones) and `bias` (zeros), both Shape: `normalizedShape`, when
/// `elementwiseAffine`.
public struct LayerNorm: UnaryLayer, Sendable {
  public let normalizedShape: [Int]
  /// ε added to the variance.
  public let epsilon: Float
  public var weight: Tensor?
  public var bias: Tensor?

  public init(normalizedShape: [Int], epsilon: Float = 1e-5, elementwiseAffine: Bool = true) {
    self.normalizedShape = normalizedShape
    self.epsilon = epsilon
    weight = elementwiseAffine ? Tensor(ones: normalizedShape) : nil
    bias = elementwiseAffine ? Tensor(zeros: normalizedShape) : nil
  }

  public init(featureCount: Int, epsilon: Float = 1e-5) {
    self.init(normalizedShape: [featureCount], epsilon: epsilon)
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    if weight != nil { try body("weight", .parameter, &weight!) }
    if bias != nil { try body("bias", .parameter, &bias!) }
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  /// - Parameter input: Shape: [..., normalizedShape...]. Returns the same shape.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.shape.suffix(normalizedShape.count).elementsEqual(normalizedShape),
      "LayerNorm: input shape \(input.shape) does not end in normalizedShape \(normalizedShape)")
    let axes = Array((input.rank - normalizedShape.count)..<input.rank)
    let mean = input.mean(alongAxes: axes, keepingDimensions: true)
    let centered = input - mean
    let variance = (centered * centered).mean(alongAxes: axes, keepingDimensions: true)
    var y = centered / sqrt(variance + epsilon)
    if let weight { y = y * weight }
    if let bias { y = y + bias }
    return y
  }
}

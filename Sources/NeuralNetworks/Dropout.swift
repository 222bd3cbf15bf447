// Dropout: inverted dropout (torch.nn.Dropout). In training each element is zeroed with
// probability p and the survivors are scaled by 1/(1−p), so evaluation is the identity.

import Randomness
import TensorCore

/// `x` with each element zeroed with probability `probability` and the rest scaled by
/// 1/(1 − probability), drawing the mask from `generator` (row-major order).
/// The gradient flows through the kept elements with the same scale.
public func dropout(_ x: Tensor, probability: Float, using generator: inout RandomStream) -> Tensor {
  precondition((0...1).contains(probability), "dropout: probability \(probability) is not in [0, 1]")
  if probability == 0 { return x }
  if probability == 1 { return x * Tensor(zeros: x.shape) }
  let scale = 1 / (1 - probability)
  var mask = [Float](repeating: 0, count: x.count)
  for i in mask.indices { mask[i] = generator.nextFloat() < probability ? 0 : scale }
  return x * Tensor(mask, shape: x.shape)
}

/// Inverted dropout as a layer: active in training mode, the identity in evaluation mode.
/// Its random stream is seeded at construction and shared by the layer's copies (see Shared.swift),
/// so successive training steps draw fresh masks.
public struct Dropout: UnaryLayer, Sendable {
  /// The probability p that an element is zeroed.
  public let probability: Float
  public private(set) var isTraining = true
  private var generator: Shared<RandomStream>

  public init(probability: Float, seed: UInt64) {
    self.init(probability: probability, generator: RandomStream(seed: seed))
  }

  public init(probability: Float, generator: RandomStream) {
    precondition((0...1).contains(probability), "Dropout: probability \(probability) is not in [0, 1]")
    self.probability = probability
    self.generator = Shared(generator)
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {}

  public mutating func setTraining(_ isTraining: Bool) {
    self.isTraining = isTraining
    Shared.unique(&generator)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard isTraining, probability > 0 else { return input }
    return generator.update { stream in dropout(input, probability: probability, using: &stream) }
  }
}

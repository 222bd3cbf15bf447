// Linear: y = x·Wᵀ + b, torch.nn.Linear's layout and default initialisation.

import Randomness
import TensorCore

/// A fully connected layer, `y = x·Wᵀ + b` (torch.nn.Linear).
///
/// State-dict names: `weight` (Shape: [outputSize, inputSize]) and `bias` (Shape: [outputSize]).
public struct Linear: UnaryLayer, Sendable {
  /// Shape: [outputSize, inputSize].
  public var weight: Tensor
  /// Shape: [outputSize], or nil for a layer without bias.
  public var bias: Tensor?

  /// A layer with PyTorch's default initialisation: weight and bias both U(−1/√inputSize, 1/√inputSize)
  /// (kaiming-uniform with a = √5 for the weight).
  public init(inputSize: Int, outputSize: Int, bias: Bool = true, using generator: inout RandomStream) {
    self.init(
      inputSize: inputSize, outputSize: outputSize, bias: bias, weightInitializer: .pytorchDefault, using: &generator)
  }

  /// A layer whose weight comes from `weightInitializer`; the bias keeps PyTorch's default
  /// U(−1/√inputSize, 1/√inputSize), drawn after the weight.
  public init(
    inputSize: Int, outputSize: Int, bias: Bool = true, weightInitializer: Initializer,
    using generator: inout RandomStream
  ) {
    weight = weightInitializer([outputSize, inputSize], using: &generator)
    self.bias = bias ? Initializer.pytorchDefaultBias([outputSize], fanIn: inputSize, using: &generator) : nil
  }

  /// A layer with the given tensors.
  ///
  /// - Parameters:
  ///   - weight: Shape: [outputSize, inputSize].
  ///   - bias: Shape: [outputSize].
  public init(weight: Tensor, bias: Tensor?) {
    precondition(weight.rank == 2, "Linear: weight must be [outputSize, inputSize], got shape \(weight.shape)")
    if let bias {
      precondition(bias.shape == [weight.shape[0]], "Linear: bias shape \(bias.shape) does not match weight shape \(weight.shape)")
    }
    self.weight = weight
    self.bias = bias
  }

  public var inputSize: Int { weight.shape[1] }
  public var outputSize: Int { weight.shape[0] }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try body("weight", .parameter, &weight)
    if bias != nil { try body("bias", .parameter, &bias!) }
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  /// - Parameter input: Shape: [batch, inputSize] (or [inputSize]).
  /// - Returns: Shape: [batch, outputSize] (or [outputSize]).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.shape.last == inputSize,
      "Linear: input of shape \(input.shape) does not end in inputSize \(inputSize) (weight \(weight.shape))")
    if input.rank == 1 {
      return callAsFunction(input.reshaped(to: [1, inputSize])).reshaped(to: [outputSize])
    }
    if input.rank > 2 {
      let lead = Array(input.shape.dropLast())
      return callAsFunction(input.reshaped(to: [-1, inputSize])).reshaped(to: lead + [outputSize])
    }
    return linear(input, weight: weight, bias: bias)
  }
}

// Conv2d and pooling layers over TensorCore's conv2d (im2col + GEMM) and pooling ops, in torch's
// NCHW layout.

import Randomness
import TensorCore

/// A 2-D convolution (torch.nn.Conv2d with square kernel, stride and zero padding).
///
/// State-dict names: `weight` (Shape: [outChannels, inChannels, kernelSize, kernelSize]) and
/// `bias` (Shape: [outChannels]).
public struct Conv2d: UnaryLayer, Sendable {
  public var weight: Tensor
  public var bias: Tensor?
  public let stride: Int
  public let padding: Int

  /// A convolution with PyTorch's default initialisation: weight and bias U(−1/√fanIn, 1/√fanIn),
  /// fanIn = inChannels·kernelSize².
  public init(
    inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true,
    weightInitializer: Initializer = .pytorchDefault, using generator: inout RandomStream
  ) {
    let shape = [outChannels, inChannels, kernelSize, kernelSize]
    weight = weightInitializer(shape, using: &generator)
    self.bias = bias
      ? Initializer.pytorchDefaultBias([outChannels], fanIn: inChannels * kernelSize * kernelSize, using: &generator)
      : nil
    self.stride = stride
    self.padding = padding
  }

  /// A convolution with the given tensors. Shapes as in the type's description.
  public init(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) {
    precondition(
      weight.rank == 4 && weight.shape[2] == weight.shape[3],
      "Conv2d: weight must be [out, in, k, k], got shape \(weight.shape)")
    if let bias { precondition(bias.shape == [weight.shape[0]], "Conv2d: bias shape \(bias.shape) does not match weight \(weight.shape)") }
    self.weight = weight
    self.bias = bias
    self.stride = stride
    self.padding = padding
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try body("weight", .parameter, &weight)
    if bias != nil { try body("bias", .parameter, &bias!) }
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  /// - Parameter input: Shape: [batch, inChannels, height, width].
  /// - Returns: Shape: [batch, outChannels, (height + 2·padding − kernelSize) / stride + 1, …].
  public func callAsFunction(_ input: Tensor) -> Tensor {
    conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding)
  }
}

/// Max pooling over square windows (torch.nn.MaxPool2d). Stride defaults to the kernel size.
public struct MaxPool2d: UnaryLayer, Sendable, Hashable {
  public let kernelSize: Int, stride: Int, padding: Int

  public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
    self.padding = padding
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {}
  public mutating func setTraining(_ isTraining: Bool) {}

  /// Shape: [batch, channels, height, width] → [batch, channels, outHeight, outWidth].
  public func callAsFunction(_ input: Tensor) -> Tensor {
    maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding)
  }
}

/// Average pooling over square windows (torch.nn.AvgPool2d, zero padding counted).
public struct AvgPool2d: UnaryLayer, Sendable, Hashable {
  public let kernelSize: Int, stride: Int, padding: Int

  public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
    self.kernelSize = kernelSize
    self.stride = stride ?? kernelSize
    self.padding = padding
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {}
  public mutating func setTraining(_ isTraining: Bool) {}

  /// Shape: [batch, channels, height, width] → [batch, channels, outHeight, outWidth].
  public func callAsFunction(_ input: Tensor) -> Tensor {
    avgPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding)
  }
}

/// The mean over the spatial axes (torch's `AdaptiveAvgPool2d(1)` followed by `Flatten`).
/// Shape: [batch, channels, height, width] → [batch, channels].
public struct GlobalAvgPool2d: UnaryLayer, Sendable, Hashable {
  public init() {}
  public mutating func visitTensors(_ body: TensorVisitor) rethrows {}
  public mutating func setTraining(_ isTraining: Bool) {}
  public func callAsFunction(_ input: Tensor) -> Tensor { globalAvgPool2d(input) }
}

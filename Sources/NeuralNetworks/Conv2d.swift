// Conv2d and pooling layers over TensorCore's conv2d (im2col + GEMM) and pooling ops, in torch's
// NCHW layout.

import Randomness
import TensorCore

/// A 2-D convolution (torch.nn.Conv2d with zero padding): square or per-axis kernel, stride and
/// padding (torch's `kernel_size=(kH, kW), stride=(sH, sW), padding=(pH, pW)`).
///
/// State-dict names: `weight` (Shape: [outChannels, inChannels, kernelHeight, kernelWidth]) and
/// `bias` (Shape: [outChannels]).
public struct Conv2d: UnaryLayer, Sendable {
  public var weight: Tensor
  public var bias: Tensor?
  /// Stride along (height, width).
  public let strides: (height: Int, width: Int)
  /// Zeros added on both sides along (height, width).
  public let paddings: (height: Int, width: Int)

  /// The stride when it is the same along both axes (the height stride otherwise).
  public var stride: Int { strides.height }
  /// The padding when it is the same along both axes (the height padding otherwise).
  public var padding: Int { paddings.height }

  /// A convolution with a square kernel, stride and padding and PyTorch's default
  /// initialisation: weight and bias U(−1/√fanIn, 1/√fanIn), fanIn = inChannels·kernelSize².
  public init(
    inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true,
    weightInitializer: Initializer = .pytorchDefault, using generator: inout RandomStream
  ) {
    self.init(
      inChannels: inChannels, outChannels: outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
      padding: (padding, padding), bias: bias, weightInitializer: weightInitializer, using: &generator)
  }

  /// A convolution with per-axis kernel size, stride and padding, each (along height, along
  /// width), and PyTorch's default initialisation (fanIn = inChannels·kH·kW).
  public init(
    inChannels: Int, outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
    bias: Bool = true, weightInitializer: Initializer = .pytorchDefault, using generator: inout RandomStream
  ) {
    precondition(
      kernelSize.0 >= 1 && kernelSize.1 >= 1 && stride.0 >= 1 && stride.1 >= 1 && padding.0 >= 0 && padding.1 >= 0,
      "Conv2d: kernel \(kernelSize), stride \(stride) must be ≥ 1 and padding \(padding) ≥ 0")
    let shape = [outChannels, inChannels, kernelSize.0, kernelSize.1]
    weight = weightInitializer(shape, using: &generator)
    self.bias = bias
      ? Initializer.pytorchDefaultBias([outChannels], fanIn: inChannels * kernelSize.0 * kernelSize.1, using: &generator)
      : nil
    strides = stride
    paddings = padding
  }

  /// A convolution with the given tensors. Shapes as in the type's description.
  public init(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) {
    self.init(weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding))
  }

  /// A convolution with the given tensors and per-axis stride and padding (height, width).
  public init(weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int)) {
    precondition(weight.rank == 4, "Conv2d: weight must be [out, in, kh, kw], got shape \(weight.shape)")
    if let bias { precondition(bias.shape == [weight.shape[0]], "Conv2d: bias shape \(bias.shape) does not match weight \(weight.shape)") }
    self.weight = weight
    self.bias = bias
    strides = stride
    paddings = padding
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try body("weight", .parameter, &weight)
    if bias != nil { try body("bias", .parameter, &bias!) }
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  /// - Parameter input: Shape: [batch, inChannels, height, width].
  /// - Returns: Shape: [batch, outChannels, (height + 2·pH − kH) / sH + 1, (width + 2·pW − kW) / sW + 1].
  public func callAsFunction(_ input: Tensor) -> Tensor {
    conv2d(input, weight: weight, bias: bias, stride: (strides.height, strides.width), padding: (paddings.height, paddings.width))
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

// The convolutional block of ncps' Atari examples, an observation encoder for stacked frames.

import NeuralNetworks
import Randomness
import TensorCore

/// The conv block of ncps' `examples/atari_torch.py` (`ConvBlock`, ncps 1.0.1): four 5×5
/// convolutions with stride 2 and padding 2 — 64, 128, 128, 256 channels — each followed by a
/// ReLU, then the mean over the spatial axes: 256 features (84×84 → 42 → 21 → 11 → 6).
///
/// ncps' PyTorch version puts a BatchNorm2d after the second and fourth convolution
/// (`bn2`, `bn4`); its RLlib PPO version (`atari_ppo.py`) has none. With `batchNorm: false` —
/// what ``ActorCritic`` policies use, because PPO acts with small batches and replays with large
/// ones, and batch statistics would make the two disagree — the block is the PPO one.
///
/// State-dict names are the torch module's: `conv1.*`, `conv2.*`, `bn2.*`, `conv3.*`,
/// `conv4.*`, `bn4.*`. Initialisation is PyTorch's default, as in ncps.
public struct NCPSAtariConv: UnaryLayer, Sendable {
  public var conv1: Conv2d, conv2: Conv2d, conv3: Conv2d, conv4: Conv2d
  public var bn2: BatchNorm?, bn4: BatchNorm?
  /// Shape of one observation: [channels, height, width] (or [height, width, channels] when
  /// `isChannelsLast`).
  public let observationShape: [Int]
  public let isChannelsLast: Bool
  /// Multiplies the input first: 1/255 maps `UInt8` pixels to 0...1 (ncps' docs and dataset).
  public let inputScale: Float
  /// Elements of one encoded observation: 256.
  public var outputSize: Int { 256 }

  /// - Precondition: `observationShape` has rank 3.
  public init(
    observationShape: [Int], isChannelsLast: Bool = false, batchNorm: Bool = false, inputScale: Float = 1 / 255,
    using generator: inout RandomStream
  ) {
    precondition(observationShape.count == 3, "NCPSAtariConv: observations must have rank 3, got \(observationShape)")
    let channels = isChannelsLast ? observationShape[2] : observationShape[0]
    func conv(_ input: Int, _ output: Int) -> Conv2d {
      Conv2d(inChannels: input, outChannels: output, kernelSize: 5, stride: 2, padding: 2, using: &generator)
    }
    conv1 = conv(channels, 64)
    conv2 = conv(64, 128)
    conv3 = conv(128, 128)
    conv4 = conv(128, 256)
    bn2 = batchNorm ? BatchNorm(featureCount: 128) : nil
    bn4 = batchNorm ? BatchNorm(featureCount: 256) : nil
    self.observationShape = observationShape
    self.isChannelsLast = isChannelsLast
    self.inputScale = inputScale
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try conv1.visitTensors(prefix: "conv1", body)
    try conv2.visitTensors(prefix: "conv2", body)
    if bn2 != nil { try bn2!.visitTensors(prefix: "bn2", body) }
    try conv3.visitTensors(prefix: "conv3", body)
    try conv4.visitTensors(prefix: "conv4", body)
    if bn4 != nil { try bn4!.visitTensors(prefix: "bn4", body) }
  }

  public mutating func setTraining(_ isTraining: Bool) {
    bn2?.setTraining(isTraining)
    bn4?.setTraining(isTraining)
  }

  /// Shape: [n] + observationShape → [n, 256].
  public func callAsFunction(_ input: Tensor) -> Tensor {
    var x = channelsFirst(input, isChannelsLast: isChannelsLast) * inputScale
    x = relu(conv1(x))
    x = conv2(x)
    if let bn2 { x = bn2(x) }
    x = relu(conv3(relu(x)))
    x = conv4(x)
    if let bn4 { x = bn4(x) }
    return globalAvgPool2d(relu(x))
  }
}

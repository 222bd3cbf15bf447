// The Nature CNN: the DQN paper's convolutional trunk as CleanRL's Atari agents use it, an
// observation encoder for stacked pixel frames.

import NeuralNetworks
import Randomness
import TensorCore

/// The DQN "Nature" CNN as CleanRL's `ppo_atari.py` builds it: input scaled by 1/255, then
/// Conv 32×8×8 stride 4 → ReLU → Conv 64×4×4 stride 2 → ReLU → Conv 64×3×3 stride 1 → ReLU →
/// Flatten → Linear → `features` → ReLU (the channel counts can be narrowed). Every weight is orthogonal with gain √2, every bias 0
/// (CleanRL's `layer_init`).
///
/// State-dict names are those of CleanRL's `nn.Sequential` (`network.*` there, `encoder.*` in an
/// ``ActorCritic``): `0.*`, `2.*`, `4.*` the convolutions, `7.*` the linear layer (indices 1, 3,
/// 5, 8 are ReLUs and 6 the Flatten, which hold no tensors). For an 84×84 input the flattened
/// width is 64·7·7 = 3136.
public struct NatureCNN: UnaryLayer, Sendable {
  public var network: Sequential
  /// Shape of one observation, as the environment declares it: [channels, height, width], or
  /// [height, width, channels] when `isChannelsLast`.
  public let observationShape: [Int]
  /// Whether observations are [height, width, channels] (raw RGB screens) and need permuting.
  public let isChannelsLast: Bool
  /// Multiplies the input first: 1/255 maps `UInt8` pixels to 0...1.
  public let inputScale: Float
  /// Elements of one encoded observation.
  public let outputSize: Int

  /// The spatial size after the three convolutions, or nil when the input is too small
  /// (below 36×36).
  public static func convolvedSize(height: Int, width: Int) -> (height: Int, width: Int)? {
    func out(_ n: Int) -> Int { ((n - 8) / 4 + 1 - 4) / 2 + 1 - 2 }
    guard height >= 36, width >= 36 else { return nil }
    return (out(height), out(width))
  }

  /// - Parameter channels: Output channels of the three convolutions (the DQN paper's 32, 64, 64).
  /// - Precondition: `observationShape` has rank 3 and spatial size ≥ 36×36 (callers that take
  ///   user input check ``convolvedSize(height:width:)`` first); `channels` holds 3 positive counts.
  public init(
    observationShape: [Int], isChannelsLast: Bool = false, channels widths: [Int] = [32, 64, 64], features: Int = 512,
    inputScale: Float = 1 / 255, using generator: inout RandomStream
  ) {
    precondition(observationShape.count == 3, "NatureCNN: observations must have rank 3, got \(observationShape)")
    precondition(widths.count == 3 && widths.allSatisfy { $0 > 0 }, "NatureCNN: channels must be 3 positive counts, got \(widths)")
    let (channels, height, width) =
      isChannelsLast
      ? (observationShape[2], observationShape[0], observationShape[1])
      : (observationShape[0], observationShape[1], observationShape[2])
    guard let size = Self.convolvedSize(height: height, width: width) else {
      preconditionFailure("NatureCNN: frames of \(height)×\(width) are smaller than 36×36")
    }
    let gain = Float(2).squareRoot()
    func conv(_ input: Int, _ output: Int, _ kernel: Int, _ stride: Int) -> Conv2d {
      Conv2d(
        weight: Initializer.orthogonal(gain: gain)([output, input, kernel, kernel], using: &generator),
        bias: Tensor(zeros: [output]), stride: stride)
    }
    let c1 = conv(channels, widths[0], 8, 4)
    let c2 = conv(widths[0], widths[1], 4, 2)
    let c3 = conv(widths[1], widths[2], 3, 1)
    let flat = widths[2] * size.height * size.width
    let linear = orthogonalLinear(inputSize: flat, outputSize: features, gain: Double(gain), using: &generator)
    network = Sequential(c1, Activation.relu, c2, Activation.relu, c3, Activation.relu, Flatten(), linear, Activation.relu)
    self.observationShape = observationShape
    self.isChannelsLast = isChannelsLast
    self.inputScale = inputScale
    outputSize = features
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows { try network.visitTensors(body) }
  public mutating func setTraining(_ isTraining: Bool) { network.setTraining(isTraining) }

  /// Shape: [n] + observationShape → [n, outputSize].
  public func callAsFunction(_ input: Tensor) -> Tensor {
    network(channelsFirst(input, isChannelsLast: isChannelsLast) * inputScale)
  }
}

/// `input` as [n, channels, height, width]: permuted from [n, height, width, channels] when
/// `isChannelsLast`, unchanged otherwise.
func channelsFirst(_ input: Tensor, isChannelsLast: Bool) -> Tensor {
  isChannelsLast ? input.permuted([0, 3, 1, 2]) : input
}

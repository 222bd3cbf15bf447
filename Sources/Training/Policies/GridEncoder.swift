// An encoder for categorical grid views (MiniGrid's object/colour/state cells, MinAtar's binary
// channels): one-hot planes, then a small convolutional network.

import NeuralNetworks
import Randomness
import TensorCore

/// Encodes an egocentric grid view of categorical cells, [height, width, channels] with small
/// integer values (MiniGrid: object 0...10, colour 0...5, state 0...2, optional direction 0...3;
/// MinAtar: binary channels).
///
/// Each channel `c` with `valueCounts[c]` possible values becomes that many one-hot planes (a
/// binary channel stays one plane), so the network never reads "key = 5" as "five times
/// empty". The planes go through rl-starter-files' MiniGrid conv network (`image_conv`: Conv
/// 16×2×2 → ReLU → MaxPool 2 → Conv 32×2×2 → ReLU → Conv 64×2×2 → ReLU; 7×7 → 6 → 3 → 2 → 1),
/// then a linear layer to `features` and a ReLU. Weights are orthogonal with gain √2, biases 0.
///
/// State-dict names: `image_conv.0.*`, `image_conv.3.*`, `image_conv.5.*`, `linear.*`.
public struct GridEncoder: UnaryLayer, Sendable {
  public var imageConv: Sequential
  public var linear: Linear
  /// Shape of one observation: [height, width, channels].
  public let observationShape: [Int]
  /// Values each channel takes (0 ..< count); values outside encode as all-zero planes.
  public let valueCounts: [Int]
  /// Elements of one encoded observation.
  public var outputSize: Int { linear.outputSize }

  /// One-hot planes per channel: 1 for binary channels, `count` otherwise.
  static func planes(_ count: Int) -> Int { count <= 2 ? 1 : count }

  /// The spatial size after `image_conv`, or nil when the view is smaller than 7×7.
  public static func convolvedSize(height: Int, width: Int) -> (height: Int, width: Int)? {
    func out(_ n: Int) -> Int { (n - 1) / 2 - 2 }
    guard out(height) >= 1, out(width) >= 1 else { return nil }
    return (out(height), out(width))
  }

  /// - Precondition: `observationShape` is [height, width, channels] with one value count per
  ///   channel and ``convolvedSize(height:width:)`` is not nil.
  public init(observationShape: [Int], valueCounts: [Int], features: Int = 64, using generator: inout RandomStream) {
    precondition(
      observationShape.count == 3 && valueCounts.count == observationShape[2] && valueCounts.allSatisfy { $0 >= 1 },
      "GridEncoder: shape \(observationShape) and value counts \(valueCounts) disagree")
    guard let size = Self.convolvedSize(height: observationShape[0], width: observationShape[1]) else {
      preconditionFailure("GridEncoder: a \(observationShape[0])×\(observationShape[1]) view is smaller than 7×7")
    }
    let gain = Float(2).squareRoot()
    func conv(_ input: Int, _ output: Int) -> Conv2d {
      Conv2d(
        weight: Initializer.orthogonal(gain: gain)([output, input, 2, 2], using: &generator),
        bias: Tensor(zeros: [output]))
    }
    let planes = valueCounts.map(Self.planes).reduce(0, +)
    imageConv = Sequential(
      conv(planes, 16), Activation.relu, MaxPool2d(kernelSize: 2), conv(16, 32), Activation.relu, conv(32, 64),
      Activation.relu)
    linear = orthogonalLinear(
      inputSize: 64 * size.height * size.width, outputSize: features, gain: Double(gain), using: &generator)
    self.observationShape = observationShape
    self.valueCounts = valueCounts
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try imageConv.visitTensors(prefix: "image_conv", body)
    try linear.visitTensors(prefix: "linear", body)
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  /// Shape: [n, height, width, channels] → [n, outputSize].
  public func callAsFunction(_ input: Tensor) -> Tensor {
    encode(planes: oneHotPlanes(input))
  }

  /// The network after the one-hot step. Shape: [n, planes, height, width] → [n, outputSize].
  func encode(planes: Tensor) -> Tensor {
    relu(linear(imageConv(planes).reshaped(to: [planes.shape[0], -1])))
  }

  /// The one-hot planes of a batch of views (data only: observations need no gradient).
  /// Shape: [n, height, width, channels] → [n, planes, height, width].
  func oneHotPlanes(_ input: Tensor) -> Tensor {
    let (height, width, channels) = (observationShape[0], observationShape[1], observationShape[2])
    precondition(
      input.shape.count == 4 && Array(input.shape.dropFirst()) == observationShape,
      "GridEncoder: input shape \(input.shape) is not [n] + \(observationShape)")
    let n = input.shape[0]
    let offsets = valueCounts.map(Self.planes).reduce(into: [0]) { $0.append($0.last! + $1) }
    let planes = offsets.last!, area = height * width
    var result = [Float](repeating: 0, count: n * planes * area)
    let values = input.scalars
    for sample in 0..<n {
      for cell in 0..<area {
        let source = (sample * area + cell) * channels
        for c in 0..<channels {
          let value = values[source + c]
          let target = (sample * planes + offsets[c]) * area + cell
          if valueCounts[c] <= 2 {
            result[target] = value
          } else if value >= 0, Int(value) < valueCounts[c] {
            result[target + Int(value) * area] = 1
          }
        }
      }
    }
    return Tensor(result, shape: [n, planes, height, width])
  }
}

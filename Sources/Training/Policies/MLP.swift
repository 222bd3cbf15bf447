import NeuralNetworks
import Randomness
import TensorCore

/// Fully connected tanh layers, orthogonally initialized with gain √2 and zero biases (CleanRL's
/// `layer_init`): the observation encoder for vectors and the feed-forward baseline's body.
public struct MLP: UnaryLayer, Sendable {
  public var layers: [Linear]

  public init(inputSize: Int, units: [Int], using generator: inout RandomStream) {
    precondition(!units.isEmpty, "an MLP needs at least one layer")
    var layers: [Linear] = []
    var width = inputSize
    for size in units {
      layers.append(orthogonalLinear(inputSize: width, outputSize: size, gain: 2.0.squareRoot(), using: &generator))
      width = size
    }
    self.layers = layers
  }

  public var inputSize: Int { layers[0].inputSize }
  public var outputSize: Int { layers[layers.count - 1].outputSize }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    for i in layers.indices { try layers[i].visitTensors(prefix: "\(2 * i)", body) }
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  /// Shape: [n, inputSize] → [n, outputSize].
  public func callAsFunction(_ input: Tensor) -> Tensor {
    layers.reduce(input) { tanh($1($0)) }
  }
}

/// A linear layer with an orthogonal weight of `gain` and a zero bias, CleanRL's `layer_init`.
func orthogonalLinear(inputSize: Int, outputSize: Int, gain: Double, using generator: inout RandomStream) -> Linear {
  Linear(
    weight: Initializer.orthogonal(gain: Float(gain))([outputSize, inputSize], using: &generator),
    bias: Tensor(zeros: [outputSize]))
}

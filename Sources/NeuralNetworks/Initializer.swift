// Weight initializers with PyTorch's formulas (torch.nn.init). Fans follow
// `_calculate_fan_in_and_fan_out`: for a weight of shape [out, in, k...], fanIn = in·∏k and
// fanOut = out·∏k. Draws come from the caller's RandomStream in row-major order, so the same
// seed gives the same weights (not PyTorch's values: for parity, load a torch state dict).

import Randomness
import TensorCore

/// How to fill a new weight tensor.
public enum Initializer: Sendable, Hashable {
  /// All zeros.
  case zeros
  /// Every element equal to the value.
  case constant(Float)
  /// U(lower, upper).
  case uniform(lower: Float, upper: Float)
  /// N(mean, standardDeviation²).
  case normal(mean: Float = 0, standardDeviation: Float = 1)
  /// U(−b, b) with b = gain·√(6 / (fanIn + fanOut)) (Glorot & Bengio 2010).
  case xavierUniform(gain: Float = 1)
  /// N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)).
  case xavierNormal(gain: Float = 1)
  /// U(−b, b) with b = √3·gain(nonlinearity)/√fan (He et al. 2015).
  case kaimingUniform(fan: Fan = .fanIn, nonlinearity: Nonlinearity = .leakyReLU(slope: 0))
  /// N(0, σ²) with σ = gain(nonlinearity)/√fan.
  case kaimingNormal(fan: Fan = .fanIn, nonlinearity: Nonlinearity = .leakyReLU(slope: 0))
  /// A (semi-)orthogonal matrix times `gain`: the Q factor of a standard normal matrix's QR
  /// decomposition with the signs of R's diagonal folded in (Saxe et al. 2013; torch's
  /// `orthogonal_`). Tensors of rank > 2 are treated as [shape[0], rest].
  case orthogonal(gain: Float = 1)
  /// PyTorch's default for `nn.Linear` and `nn.ConvNd` weights: kaiming-uniform with a = √5,
  /// which is U(−1/√fanIn, 1/√fanIn).
  case pytorchDefault

  /// Which fan a Kaiming initializer preserves the variance of.
  public enum Fan: Sendable, Hashable {
    /// Preserves the variance of activations in the forward pass.
    case fanIn
    /// Preserves the variance of gradients in the backward pass.
    case fanOut
  }

  /// The nonlinearity a Kaiming initializer compensates for (torch's `calculate_gain`).
  public enum Nonlinearity: Sendable, Hashable {
    case linear, sigmoid, tanh, relu
    case leakyReLU(slope: Float)

    /// The recommended gain: 1, 1, 5/3, √2, √(2/(1+slope²)).
    public var gain: Float {
      switch self {
      case .linear, .sigmoid: 1
      case .tanh: 5.0 / 3
      case .relu: Float(2).squareRoot()
      case .leakyReLU(let slope): (2 / (1 + slope * slope)).squareRoot()
      }
    }
  }

  /// (fanIn, fanOut) of a weight of `shape` (rank ≥ 2; for rank 1, both are the length, as a
  /// convenience for vectors such as ncps' `w_tau` treated as [1, n]).
  public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    precondition(!shape.isEmpty, "Initializer.fans: a scalar has no fans")
    if shape.count == 1 { return (shape[0], shape[0]) }
    let receptive = shape.dropFirst(2).reduce(1, *)
    return (shape[1] * receptive, shape[0] * receptive)
  }

  /// A new tensor of `shape` filled by this initializer, drawing from `generator`.
  public func callAsFunction(_ shape: [Int], using generator: inout RandomStream) -> Tensor {
    switch self {
    case .zeros:
      return Tensor(zeros: shape)
    case .constant(let value):
      return Tensor(repeating: value, shape: shape)
    case let .uniform(lower, upper):
      return Tensor(uniform: shape, in: lower...upper, using: &generator)
    case let .normal(mean, standardDeviation):
      return Tensor(normal: shape, mean: mean, standardDeviation: standardDeviation, using: &generator)
    case .xavierUniform(let gain):
      let (fanIn, fanOut) = Self.fans(of: shape)
      let bound = gain * (6 / Float(fanIn + fanOut)).squareRoot()
      return Tensor(uniform: shape, in: -bound...bound, using: &generator)
    case .xavierNormal(let gain):
      let (fanIn, fanOut) = Self.fans(of: shape)
      let std = gain * (2 / Float(fanIn + fanOut)).squareRoot()
      return Tensor(normal: shape, standardDeviation: std, using: &generator)
    case let .kaimingUniform(fan, nonlinearity):
      let bound = Float(3).squareRoot() * nonlinearity.gain / Float(Self.fan(fan, of: shape)).squareRoot()
      return Tensor(uniform: shape, in: -bound...bound, using: &generator)
    case let .kaimingNormal(fan, nonlinearity):
      let std = nonlinearity.gain / Float(Self.fan(fan, of: shape)).squareRoot()
      return Tensor(normal: shape, standardDeviation: std, using: &generator)
    case .orthogonal(let gain):
      return Self.orthogonal(shape, gain: gain, using: &generator)
    case .pytorchDefault:
      let bound = 1 / Float(Self.fans(of: shape).fanIn).squareRoot()
      return Tensor(uniform: shape, in: -bound...bound, using: &generator)
    }
  }

  static func fan(_ fan: Fan, of shape: [Int]) -> Int {
    let (fanIn, fanOut) = fans(of: shape)
    return fan == .fanIn ? fanIn : fanOut
  }

  /// PyTorch's default bias of a layer whose weight has fan-in `fanIn`: U(−1/√fanIn, 1/√fanIn).
  public static func pytorchDefaultBias(_ shape: [Int], fanIn: Int, using generator: inout RandomStream) -> Tensor {
    let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
    return Tensor(uniform: shape, in: -bound...bound, using: &generator)
  }
}

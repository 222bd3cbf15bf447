// Activations as free functions (composites of TensorCore primitives, so their gradients come
// from the primitives) and as a parameter-free layer for Sequential.

import TensorCore

/// LeCun's scaled tanh, `1.7159·tanh(0.666·x)` — ncps' default backbone activation (constants
/// exactly as ncps writes them, not 2/3).
public func lecunTanh(_ x: Tensor) -> Tensor { 1.7159 * tanh(0.666 * x) }

/// The sigmoid-weighted linear unit `x·σ(x)` (also called swish).
public func silu(_ x: Tensor) -> Tensor { x * sigmoid(x) }

/// The exact Gaussian error linear unit `0.5·x·(1 + erf(x/√2))` (PyTorch's default GELU).
public func gelu(_ x: Tensor) -> Tensor { 0.5 * x * (1 + erf(x * Float(0.5).squareRoot())) }

/// An element-wise activation as a layer; it has no tensors, so it takes a Sequential index
/// (and shifts later state-dict names) exactly as the `nn.ReLU()` module it stands for.
public enum Activation: UnaryLayer, Sendable, Hashable, CaseIterable {
  case identity, relu, tanh, sigmoid, lecunTanh, silu, gelu, softplus

  /// The activation ncps names `name` (`"relu"`, `"tanh"`, `"gelu"`, `"silu"`, `"lecun_tanh"`;
  /// also `"sigmoid"`, `"softplus"`, `"identity"`).
  public init(named name: String) throws(UnknownActivationError) {
    switch name {
    case "identity": self = .identity
    case "relu": self = .relu
    case "tanh": self = .tanh
    case "sigmoid": self = .sigmoid
    case "lecun_tanh": self = .lecunTanh
    case "silu": self = .silu
    case "gelu": self = .gelu
    case "softplus": self = .softplus
    default: throw UnknownActivationError(name: name)
    }
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {}
  public mutating func setTraining(_ isTraining: Bool) {}

  /// The activation applied element-wise. Shape: any, unchanged.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    switch self {
    case .identity: input
    case .relu: TensorCore.relu(input)
    case .tanh: TensorCore.tanh(input)
    case .sigmoid: TensorCore.sigmoid(input)
    case .lecunTanh: NeuralNetworks.lecunTanh(input)
    case .silu: NeuralNetworks.silu(input)
    case .gelu: NeuralNetworks.gelu(input)
    case .softplus: TensorCore.softplus(input)
    }
  }
}

/// An activation name that is not one of ``Activation``'s.
public struct UnknownActivationError: Error, CustomStringConvertible, Sendable, Equatable {
  public let name: String
  public var description: String {
    "Unknown activation '\(name)'; valid options are identity, relu, tanh, sigmoid, lecun_tanh, silu, gelu, softplus"
  }
}

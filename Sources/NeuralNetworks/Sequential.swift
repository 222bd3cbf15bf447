// Sequential: layers applied in order, named "0", "1", … like torch.nn.Sequential, so a torch
// state dict of an nn.Sequential loads by name (parameter-free layers such as activations and
// Dropout take an index too, exactly as in torch).

import TensorCore

/// Layers applied one after another; child `i` is named `"i"` in the state dict.
public struct Sequential: UnaryLayer, Sendable {
  public var layers: [any UnaryLayer & Sendable]

  public init(_ layers: [any UnaryLayer & Sendable]) { self.layers = layers }
  public init(_ layers: any UnaryLayer & Sendable...) { self.layers = layers }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    for i in layers.indices { try layers[i].visitTensors(prefix: String(i), body) }
  }

  public mutating func setTraining(_ isTraining: Bool) {
    for i in layers.indices { layers[i].setTraining(isTraining) }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    layers.reduce(input) { x, layer in layer(x) }
  }
}

/// Flattens every axis from `startAxis` on into one (torch.nn.Flatten, start_dim = 1).
/// Shape: [batch, d1, d2, …] → [batch, d1·d2·…].
public struct Flatten: UnaryLayer, Sendable, Hashable {
  public var startAxis: Int

  public init(startAxis: Int = 1) { self.startAxis = startAxis }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {}
  public mutating func setTraining(_ isTraining: Bool) {}

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(startAxis >= 0 && startAxis < Swift.max(input.rank, 1), "Flatten: startAxis \(startAxis) out of range for shape \(input.shape)")
    return input.reshaped(to: Array(input.shape.prefix(startAxis)) + [-1])
  }
}

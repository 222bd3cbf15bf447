// Named parameters with torch's state_dict names. Every module of NeuralCircuits lists its
// tensors through one mutating visitor, in state_dict order, so loading a `model.state_dict()`
// saved from Python, marking parameters for gradients and applying updates all share one walk.
// The modules are NeuralNetworks `Layer`s: the visitor also serves `visitTensors` (trainable
// tensors are parameters, sparsity masks frozen), so `stateDict()`, `loadStateDict(_:)`,
// `parameters`, `requiringGradient()`, `applyGradients` and the optimizers work on them as on
// any other layer, with the same names.

import NeuralNetworks
import TensorCore

/// A module whose tensors have torch state_dict names: a NeuralNetworks ``Layer`` listing its
/// tensors through ``visitParameters(prefix:_:)``.
public protocol ParameterVisitable: Layer {
  /// Calls `body` for every tensor in state_dict order with its full dotted name (`prefix` +
  /// local name) and whether it is trainable (masks are frozen buffers, as in ncps).
  mutating func visitParameters(
    prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows
}

extension ParameterVisitable {
  /// `Layer`: every tensor with its torch name; trainable ones are parameters, masks frozen.
  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try visitParameters(prefix: "") { name, tensor, isTrainable in
      try body(name, isTrainable ? .parameter : .frozen, &tensor)
    }
  }

  /// `Layer`: nothing changes between training and evaluation (backbone dropout is switched on
  /// by passing a `dropoutGenerator` to the forward call).
  public mutating func setTraining(_ isTraining: Bool) {}

  /// Every tensor (masks included) with its torch name, in state_dict order.
  public var stateDict: [(name: String, tensor: Tensor)] {
    var copy = self
    var list: [(name: String, tensor: Tensor)] = []
    copy.visitParameters(prefix: "") { name, tensor, _ in list.append((name, tensor)) }
    return list
  }

  /// The trainable tensors with their torch names, in state_dict order.
  public var trainableParameters: [(name: String, tensor: Tensor)] {
    var copy = self
    var list: [(name: String, tensor: Tensor)] = []
    copy.visitParameters(prefix: "") { name, tensor, trainable in if trainable { list.append((name, tensor)) } }
    return list
  }

  /// Replaces every tensor with the one of the same name in `stateDict`. A tensor with the same
  /// number of elements but another shape (e.g. `[n]` for `[1, n]`) is reshaped.
  ///
  /// - Throws: NeuralNetworks' `StateDictError` listing every missing tensor, shape mismatch and
  ///   (when `strict`) name the module does not have; nothing changes when it throws.
  public mutating func load(stateDict: [String: Tensor], strict: Bool = true) throws(StateDictError) {
    var fitted = strict ? stateDict : [:]
    for (name, tensor) in self.stateDict {
      guard let value = stateDict[name] else { continue }
      fitted[name] = value.count == tensor.count ? Tensor(value.scalars, shape: tensor.shape) : value
    }
    try loadStateDict(fitted)
  }

  /// A copy whose trainable tensors are gradient leaves, and those leaves in state_dict order
  /// (pass them to `loss.gradients(for:)`).
  public func requiringGradients() -> (model: Self, leaves: [Tensor]) {
    var copy = self
    var leaves: [Tensor] = []
    copy.visitParameters(prefix: "") { _, tensor, trainable in
      if trainable {
        tensor = tensor.requiringGradient()
        leaves.append(tensor)
      }
    }
    return (copy, leaves)
  }

  /// Replaces the trainable tensors, in state_dict order, with `values` (e.g. after an optimizer step).
  public mutating func setTrainableParameters(_ values: [Tensor]) {
    var index = 0
    visitParameters(prefix: "") { _, tensor, trainable in
      if trainable {
        precondition(values[index].shape == tensor.shape, "setTrainableParameters: shape \(values[index].shape) for \(tensor.shape)")
        tensor = values[index].detached
        index += 1
      }
    }
    precondition(index == values.count, "setTrainableParameters: \(values.count) values for \(index) parameters")
  }
}

extension AffineParameters {
  /// Visits `weight` then `bias` as `<prefix>weight`, `<prefix>bias`.
  mutating func visit(
    _ prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows {
    try body(prefix + "weight", &weight, true)
    try body(prefix + "bias", &bias, true)
  }
}

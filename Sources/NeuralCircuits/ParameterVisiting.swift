// Named parameters with torch's state_dict names. Every module of NeuralCircuits lists its
// tensors through one mutating visitor, in state_dict order, so loading a `model.state_dict()`
// saved from Python, marking parameters for gradients and applying updates all share one walk.

import TensorCore

/// A module whose tensors have torch state_dict names.
public protocol ParameterVisitable {
  /// Calls `body` for every tensor in state_dict order with its full dotted name (`prefix` +
  /// local name) and whether it is trainable (masks are frozen buffers, as in ncps).
  mutating func visitParameters(
    prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows
}

/// A state_dict problem: a missing tensor, an unexpected name or a wrong shape.
public struct StateDictError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

extension ParameterVisitable {
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

  /// The number of trainable scalars.
  public var parameterCount: Int { trainableParameters.reduce(0) { $0 + $1.tensor.count } }

  /// Replaces every tensor with the one of the same name in `stateDict`.
  ///
  /// - Throws: ``StateDictError`` naming a missing tensor, a shape mismatch, or (when `strict`)
  ///   a name the module does not have.
  public mutating func load(stateDict: [String: Tensor], strict: Bool = true) throws(StateDictError) {
    var used = Set<String>()
    do {
      try visitParameters(prefix: "") { name, tensor, _ in
        guard let value = stateDict[name] else { throw StateDictError("missing tensor '\(name)' (shape \(tensor.shape))") }
        guard value.count == tensor.count else {
          throw StateDictError("tensor '\(name)' has shape \(value.shape), expected \(tensor.shape)")
        }
        tensor = Tensor(value.scalars, shape: tensor.shape)
        used.insert(name)
      }
    } catch let error as StateDictError {
      throw error
    } catch {
      throw StateDictError("\(error)")
    }
    if strict, let extra = stateDict.keys.sorted().first(where: { !used.contains($0) }) {
      throw StateDictError("unexpected tensor '\(extra)' (shape \(stateDict[extra]!.shape))")
    }
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

// Layer: the one protocol every network piece conforms to. A layer lists its tensors explicitly,
// by PyTorch state-dict name, through one mutating visitor; everything else — state dicts,
// loading, marking parameters for gradients, applying gradients, counting parameters — is built
// on that visitor in Layer+Parameters.swift and Layer+StateDict.swift. No reflection.
//
// Contract:
// - `visitTensors` calls its body once per tensor, in registration order (own tensors first,
//   then children in order, as `nn.Module.state_dict()` does), with the dotted name PyTorch
//   would give it (`encoder.0.weight`), its role, and in-out access to the stored tensor.
// - The order is stable for the life of the value: gradients and optimizer state are matched to
//   parameters by position in this order.
// - A body may replace a tensor with one of the same shape; changing shapes is the business of
//   `loadStateDict`, which checks them first.

import TensorCore

/// What a tensor held by a layer is for.
public enum TensorRole: Sendable, Hashable {
  /// Trained by gradient descent (`nn.Parameter` with `requires_grad=True`).
  case parameter
  /// State updated outside gradient descent, such as BatchNorm's running statistics
  /// (`register_buffer`).
  case buffer
  /// A fixed tensor saved with the model but never trained, such as a sparsity mask
  /// (`nn.Parameter` with `requires_grad=False`).
  case frozen
}

/// The visitor a layer hands its tensors to: dotted name, role, storage.
public typealias TensorVisitor = (_ name: String, _ role: TensorRole, _ tensor: inout Tensor) throws -> Void

/// A piece of a network that owns named tensors.
///
/// Conformers implement ``visitTensors(_:)`` (and ``setTraining(_:)`` when they or their children
/// behave differently in training, like Dropout and BatchNorm). Forward computation is a
/// `callAsFunction` whose signature suits the layer: ``UnaryLayer`` fixes it to one tensor in,
/// one tensor out; recurrent cells take a state as well.
///
/// ```swift
/// struct TwoLayer: UnaryLayer {
///   var hidden: Linear, output: Linear
///   mutating func visitTensors(_ body: TensorVisitor) rethrows {
///     try hidden.visitTensors(prefix: "hidden", body)
///     try output.visitTensors(prefix: "output", body)
///   }
///   mutating func setTraining(_ isTraining: Bool) {}  // no Dropout/BatchNorm inside
///   func callAsFunction(_ x: Tensor) -> Tensor { output(relu(hidden(x))) }
/// }
/// ```
public protocol Layer {
  /// Calls `body` with the dotted name, role and storage of every tensor this layer holds,
  /// in registration order (own tensors first, then each child's, prefixed by the child's name).
  mutating func visitTensors(_ body: TensorVisitor) rethrows

  /// Switches training behaviour (Dropout active, BatchNorm using batch statistics) on or off,
  /// here and in every child. Containers must forward it to their children.
  mutating func setTraining(_ isTraining: Bool)
}

extension Layer {
  /// Visits this layer's tensors with names prefixed by `prefix.` — how a container lists a
  /// child: `try encoder.visitTensors(prefix: "encoder", body)`.
  public mutating func visitTensors(prefix: String, _ body: TensorVisitor) rethrows {
    try visitTensors { name, role, tensor in try body(prefix + "." + name, role, &tensor) }
  }
}

/// A layer that maps one tensor to one tensor; what ``Sequential`` chains.
public protocol UnaryLayer: Layer {
  /// The layer applied to `input`.
  func callAsFunction(_ input: Tensor) -> Tensor
}

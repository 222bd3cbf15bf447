// Parameters for training: listing, marking for gradients, and applying gradients, all in the
// visit order of `Layer.visitTensors`. A functional training step reads:
//
//   let marked = model.requiringGradient()        // parameters become graph leaves
//   let loss = mseLoss(marked(x), y)
//   let gradients = loss.gradients(for: marked.parameters)
//   model.applyGradients(gradients) { _, p, g in p -= learningRate * g }
//
// `model` itself never records: its parameters stay plain tensors without origin.

import TensorCore

extension Layer {
  /// Calls `body` with the dotted name and storage of every trainable parameter (role
  /// ``TensorRole/parameter``), in visit order. Buffers and frozen tensors are skipped.
  public mutating func visitParameters(_ body: (_ name: String, _ parameter: inout Tensor) throws -> Void) rethrows {
    try visitTensors { name, role, tensor in
      if role == .parameter { try body(name, &tensor) }
    }
  }

  /// The trainable parameters in visit order (the order ``applyGradients(_:_:)`` expects).
  public var parameters: [Tensor] {
    var copy = self
    var result: [Tensor] = []
    copy.visitParameters { _, p in result.append(p) }
    return result
  }

  /// The trainable parameters with their dotted names, in visit order.
  public var namedParameters: [(name: String, tensor: Tensor)] {
    var copy = self
    var result: [(name: String, tensor: Tensor)] = []
    copy.visitParameters { name, p in result.append((name, p)) }
    return result
  }

  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// A copy whose trainable parameters are graph leaves (``Tensor/requiringGradient()``), so a
  /// loss computed with it can be differentiated with respect to `copy.parameters`.
  /// Buffers and frozen tensors are left as they are.
  public func requiringGradient() -> Self {
    var copy = self
    copy.visitParameters { _, p in p = p.requiringGradient() }
    return copy
  }

  /// Applies `gradients` (one per trainable parameter, in visit order) through `update`, which
  /// receives the parameter's position, its storage and its gradient. Afterwards every parameter
  /// is detached again, so a model never keeps a graph alive.
  ///
  /// - Precondition: `gradients.count` equals the number of parameters and each gradient has its
  ///   parameter's shape (both are programming errors, reported with the shapes).
  public mutating func applyGradients(
    _ gradients: [Tensor],
    _ update: (_ index: Int, _ parameter: inout Tensor, _ gradient: Tensor) throws -> Void
  ) rethrows {
    var index = 0
    try visitParameters { name, parameter in
      precondition(index < gradients.count, "applyGradients: only \(gradients.count) gradients for more parameters (next: \(name))")
      let gradient = gradients[index]
      precondition(
        gradient.shape == parameter.shape,
        "applyGradients: gradient of shape \(gradient.shape) for parameter \(name) of shape \(parameter.shape)")
      try update(index, &parameter, gradient)
      precondition(parameter.shape == gradient.shape, "applyGradients: update changed the shape of \(name)")
      parameter.origin = nil
      index += 1
    }
    precondition(index == gradients.count, "applyGradients: \(gradients.count) gradients for \(index) parameters")
  }
}

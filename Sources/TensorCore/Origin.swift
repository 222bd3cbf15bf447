// Reverse mode without a tape: every tensor that needs gradients carries an `Origin` naming its
// inputs and a pullback. `gradients(for:)` walks the graph reachable from the loss in reverse
// topological order. The graph is immutable and owned by the tensors, so any number of threads can
// build graphs and differentiate them at the same time; there is no global state.

/// One node of the reverse-mode graph: the inputs of the op that produced a tensor and the
/// pullback that maps the gradient of its output to one gradient per input.
public final class Origin: Sendable {
  /// The op's inputs, in the order the pullback returns their gradients.
  public let inputs: [Tensor]
  /// Upstream gradient (shape of the output) -> one gradient per input (shape of that input).
  /// The gradient of an input that does not record is never read and may be a placeholder.
  public let pullback: @Sendable (Tensor) -> [Tensor]

  public init(inputs: [Tensor], pullback: @escaping @Sendable (Tensor) -> [Tensor]) {
    self.inputs = inputs
    self.pullback = pullback
  }
}

extension Tensor {
  /// A copy of this tensor that is a leaf of the graph: ops on it record, and
  /// `loss.gradients(for: [leaf])` returns the gradient with respect to it.
  public func requiringGradient() -> Tensor {
    var leaf = detached
    leaf.origin = Origin(inputs: [], pullback: { _ in [] })
    return leaf
  }

  /// Whether this tensor takes part in a graph (it is a leaf or was computed from one).
  @inlinable public var isRecording: Bool { origin != nil }

  /// This tensor recorded as the result of an op on `inputs`, or itself unchanged when no input
  /// records. The pullback maps the gradient of `self` to one gradient per input (same order,
  /// each with its input's shape). Pullbacks must not capture inputs that record; capture
  /// `input.detached` instead so the backward pass builds no graph of its own.
  @inlinable
  public func recorded(from inputs: [Tensor], pullback: @escaping @Sendable (Tensor) -> [Tensor]) -> Tensor {
    var anyRecording = false
    for input in inputs where input.origin != nil { anyRecording = true }
    guard anyRecording else { return self }
    var result = detached
    result.origin = Origin(inputs: inputs, pullback: pullback)
    return result
  }

  /// The gradients of this scalar (one-element) tensor with respect to each of `leaves`.
  public func gradients(for leaves: [Tensor]) -> [Tensor] {
    precondition(count == 1, "gradients(for:): the loss must have one element, got shape \(shape); use gradients(for:seed:)")
    return gradients(for: leaves, seed: Tensor(shape: shape, scalars: [1]))
  }

  /// The vector-Jacobian products `seed · ∂self/∂leaf` for each of `leaves`.
  ///
  /// A leaf that does not influence `self` gets zeros. Leaves must record (come from
  /// ``requiringGradient()`` or from ops on such tensors).
  public func gradients(for leaves: [Tensor], seed: Tensor) -> [Tensor] {
    precondition(seed.shape == shape, "gradients(for:seed:): seed shape \(seed.shape) differs from the output shape \(shape)")
    var targets = Set<ObjectIdentifier>()
    for leaf in leaves {
      guard let o = leaf.origin else {
        preconditionFailure("gradients(for:): a leaf of shape \(leaf.shape) does not record; call requiringGradient() on it")
      }
      targets.insert(ObjectIdentifier(o))
    }
    guard let root = origin else { return leaves.map { Tensor(zeros: $0.shape) } }

    // Post-order DFS (inputs before the node), iterative so long recurrent graphs cannot overflow
    // the stack. A node is `needed` when a target is reachable from it.
    var order: [Origin] = []
    var needed: [ObjectIdentifier: Bool] = [:]
    var stack: [(node: Origin, next: Int)] = [(root, 0)]
    needed[ObjectIdentifier(root)] = false
    while !stack.isEmpty {
      let (node, next) = stack[stack.count - 1]
      if next < node.inputs.count {
        stack[stack.count - 1].next += 1
        if let child = node.inputs[next].origin, needed[ObjectIdentifier(child)] == nil {
          needed[ObjectIdentifier(child)] = false
          stack.append((child, 0))
        }
      } else {
        stack.removeLast()
        let id = ObjectIdentifier(node)
        var isNeeded = targets.contains(id)
        for input in node.inputs {
          if let o = input.origin, needed[ObjectIdentifier(o)] == true { isNeeded = true }
        }
        needed[id] = isNeeded
        if isNeeded { order.append(node) }
      }
    }

    var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed.detached]
    var found: [ObjectIdentifier: Tensor] = [:]
    for node in order.reversed() {
      let id = ObjectIdentifier(node)
      guard let upstream = pending.removeValue(forKey: id) else { continue }
      if targets.contains(id) { found[id] = upstream }
      if node.inputs.isEmpty { continue }
      let inputGradients = node.pullback(upstream)
      precondition(inputGradients.count == node.inputs.count, "pullback returned \(inputGradients.count) gradients for \(node.inputs.count) inputs")
      for (input, gradient) in zip(node.inputs, inputGradients) {
        guard let o = input.origin else { continue }
        let inputID = ObjectIdentifier(o)
        guard needed[inputID] == true else { continue }
        precondition(gradient.shape == input.shape, "pullback returned a gradient of shape \(gradient.shape) for an input of shape \(input.shape)")
        if var existing = pending.removeValue(forKey: inputID) {
          existing.accumulate(gradient)
          pending[inputID] = existing
        } else {
          pending[inputID] = gradient.detached
        }
      }
    }
    return leaves.map { leaf in found[ObjectIdentifier(leaf.origin!)] ?? Tensor(zeros: leaf.shape) }
  }
}

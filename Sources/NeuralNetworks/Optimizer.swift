// Optimizer: updates a fixed, ordered list of parameters from gradients in the same order.
//
// Contract:
// - Position i of `parameters` and `gradients` is the same tensor every step (a layer's
//   parameters in `Layer.visitTensors` order); per-parameter state (moments, momentum buffers)
//   is kept by that position.
// - `update(_:along:)` is one optimizer step (PyTorch's `optimizer.step()`), with the update
//   formulas of `torch.optim` written out scalar by scalar in the same order of operations.
// - The whole state is an `OptimizerState` value (step count + named slots per parameter) that
//   checkpoints save and load (Optimizer+Checkpoint.swift), so a resumed run continues exactly.
// - Updated parameters carry no graph origin.

import TensorCore

/// A gradient-descent method that updates parameters in place, one step at a time.
///
/// ```swift
/// var optimizer = Adam(learningRate: 3e-4)
/// let gradients = loss.gradients(for: marked)        // one per parameter, same order
/// optimizer.update(&parameters, along: gradients)
/// ```
public protocol Optimizer: Sendable {
  /// The step size used by the next ``update(_:along:)``; schedules set it before each step.
  var learningRate: Double { get set }
  /// Step count and per-parameter slots; restore it to resume training exactly.
  var state: OptimizerState { get set }
  /// The slots this optimizer keeps once it has taken a step (e.g. `exp_avg`, `exp_avg_sq`);
  /// checkpoint loading checks that a saved state has exactly these.
  var slotNames: [String] { get }
  /// Applies one step to `parameters` (position i updated from `gradients[i]`).
  ///
  /// - Precondition: same count, and each gradient has its parameter's shape.
  mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor])
}

/// The state of an optimizer: how many steps it has taken and, per slot name, one tensor per
/// parameter (PyTorch's names: `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, `momentum_buffer`).
/// Slots are empty before the first step, as in PyTorch's lazily created state.
public struct OptimizerState: Sendable, Equatable {
  /// The number of updates applied so far.
  public var step: Int
  /// Per-parameter tensors by slot name; each array is in parameter order.
  public var slots: [String: [Tensor]]

  public init(step: Int = 0, slots: [String: [Tensor]] = [:]) {
    self.step = step
    self.slots = slots
  }

  public static func == (a: OptimizerState, b: OptimizerState) -> Bool {
    guard a.step == b.step, a.slots.keys.sorted() == b.slots.keys.sorted() else { return false }
    for (name, tensors) in a.slots {
      let others = b.slots[name]!
      guard tensors.count == others.count else { return false }
      for (x, y) in zip(tensors, others) where x.shape != y.shape || x.scalars != y.scalars { return false }
    }
    return true
  }
}

/// Checks the parameter/gradient pairing (programming errors, reported with the shapes).
func checkPairing(_ parameters: [Tensor], _ gradients: [Tensor], _ function: String) {
  precondition(
    parameters.count == gradients.count,
    "\(function): \(gradients.count) gradients for \(parameters.count) parameters")
  for i in parameters.indices {
    precondition(
      parameters[i].shape == gradients[i].shape,
      "\(function): gradient \(i) has shape \(gradients[i].shape), its parameter has shape \(parameters[i].shape)")
  }
}

/// Checks that a stored slot fits the parameters (count and shapes).
func slotFits(_ slot: [Tensor]?, _ parameters: [Tensor]) -> Bool {
  guard let slot, slot.count == parameters.count else { return false }
  return zip(slot, parameters).allSatisfy { $0.shape == $1.shape }
}

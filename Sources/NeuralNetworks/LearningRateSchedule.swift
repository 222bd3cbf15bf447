// Learning-rate schedules: the learning rate as a function of the number of optimizer steps
// already taken (0 before the first step), in closed form so a resumed run recomputes it.

import Foundation

/// How the learning rate changes over training.
///
/// ```swift
/// let schedule = LearningRateSchedule.linear(from: 2.5e-4, to: 0, steps: updates)  // PPO's anneal
/// optimizer.learningRate = schedule.learningRate(atStep: optimizer.state.step)
/// ```
public enum LearningRateSchedule: Codable, Hashable, Sendable {
  /// The same rate at every step.
  case constant(Double)
  /// From `initial` at step 0 in a straight line to `final` at step `steps`, then `final`.
  /// Matches `torch.optim.lr_scheduler.LinearLR` (initial = base·start_factor,
  /// final = base·end_factor, steps = total_iters), and cleanrl's PPO anneal with final 0.
  case linear(from: Double, to: Double, steps: Int)
  /// Half a cosine from `initial` at step 0 down to `minimum` at step `steps`, then `minimum`.
  /// Matches `torch.optim.lr_scheduler.CosineAnnealingLR` (T_max = steps, eta_min = minimum)
  /// up to step `steps` (torch's rate rises again afterwards; this one stays at the minimum).
  case cosine(from: Double, to: Double, steps: Int)

  /// The learning rate after `step` optimizer steps.
  public func learningRate(atStep step: Int) -> Double {
    switch self {
    case .constant(let rate):
      return rate
    case .linear(let initial, let final, let steps):
      guard steps > 0 else { return final }
      let progress = Double(min(max(step, 0), steps)) / Double(steps)
      return initial + (final - initial) * progress
    case .cosine(let initial, let minimum, let steps):
      guard steps > 0 else { return minimum }
      let progress = Double(min(max(step, 0), steps)) / Double(steps)
      return minimum + (initial - minimum) * (1 + cos(Double.pi * progress)) / 2
    }
  }
}

// Global gradient-norm clipping, as `torch.nn.utils.clip_grad_norm_`:
//
//   total = ‖(‖g₁‖ₚ, ‖g₂‖ₚ, …)‖ₚ                  the p-norm of all gradients together
//   coefficient = min(maxNorm / (total + 1e-6), 1)
//   gᵢ = gᵢ * coefficient                            every gradient, same factor
//
// Norms are accumulated in Double and rounded to Float (torch accumulates in Float); the
// coefficient is formed in Float as torch does.

import Foundation
import TensorCore

/// Scales `gradients` together so that their joint `normType`-norm is at most `maxNorm`, and
/// returns the norm they had before (like `torch.nn.utils.clip_grad_norm_`).
///
/// A non-finite norm (a NaN or infinite gradient) is returned as is and makes the gradients
/// NaN, as in PyTorch with `error_if_nonfinite=False`; check the result to skip such a step.
///
/// - Parameters:
///   - gradients: One tensor per parameter, any shapes.
///   - maxNorm: The largest allowed norm.
///   - normType: p, any value ≥ 1, or `.infinity` for the largest magnitude.
@discardableResult
public func clipGradientNorm(_ gradients: inout [Tensor], maxNorm: Double, normType: Double = 2) -> Float {
  precondition(normType >= 1, "clipGradientNorm: normType must be at least 1, got \(normType)")
  guard !gradients.isEmpty else { return 0 }
  let norms = gradients.map { Float(vectorNorm($0.scalars.lazy.map(Double.init), normType)) }
  let total = Float(vectorNorm(norms.lazy.map(Double.init), normType))
  let coefficient = min(Float(maxNorm) / (total + Float(1e-6)), 1)
  guard coefficient < 1 else { return total }  // multiplying by 1 changes nothing
  for i in gradients.indices {
    let scaled = gradients[i].scalars.map { $0 * coefficient }
    gradients[i] = Tensor(scaled, shape: gradients[i].shape)
  }
  return total
}

/// The p-norm of `values` (p = .infinity: the largest magnitude).
func vectorNorm<S: Sequence<Double>>(_ values: S, _ p: Double) -> Double {
  if p == .infinity { return values.reduce(0) { max($0, abs($1)) } }
  if p == 2 { return values.reduce(0) { $0 + $1 * $1 }.squareRoot() }
  if p == 1 { return values.reduce(0) { $0 + abs($1) } }
  return pow(values.reduce(0) { $0 + pow(abs($1), p) }, 1 / p)
}

// The public finite-difference gradient checker. It compares the reverse-mode gradients of a
// Float function with central differences, accumulating the probed outputs in Double.
//
// A non-scalar output y is reduced to the scalar L = Σ w·y with fixed pseudo-random weights w,
// so every output element and every input element is checked, and sign errors cannot cancel.

import Randomness

/// The outcome of ``checkGradients(at:step:absoluteTolerance:relativeTolerance:_:)``.
public struct GradientCheck: Sendable, CustomStringConvertible {
  /// The largest |analytic − numeric| over all checked elements.
  public var maximumAbsoluteError: Double = 0
  /// The largest |analytic − numeric| / max(|numeric|, 1e-3).
  public var maximumRelativeError: Double = 0
  /// Descriptions of the elements that failed `|a − n| ≤ atol + rtol·|n|` (at most 8).
  public var failures: [String] = []
  /// How many input elements were checked.
  public var checkedCount = 0

  /// Whether every element was within tolerance.
  public var isPassing: Bool { failures.isEmpty }

  public var description: String {
    "GradientCheck(checked: \(checkedCount), maxAbs: \(maximumAbsoluteError), maxRel: \(maximumRelativeError)"
      + (failures.isEmpty ? ")" : ", failures: \(failures))")
  }
}

/// Checks the gradients of `function` at `inputs` against central finite differences.
///
/// - Parameters:
///   - inputs: The points to differentiate at (their origins are ignored).
///   - step: The finite-difference step h; the derivative is (f(x+h) − f(x−h)) / 2h.
///   - absoluteTolerance, relativeTolerance: element passes when |a − n| ≤ atol + rtol·|n|.
///   - function: The function of the inputs; any output shape.
public func checkGradients(
  at inputs: [Tensor], step: Float = 1e-2, absoluteTolerance: Double = 2e-3, relativeTolerance: Double = 1e-2,
  _ function: ([Tensor]) -> Tensor
) -> GradientCheck {
  let leaves = inputs.map { $0.requiringGradient() }
  let output = function(leaves)
  var generator = RandomStream(seed: 0x6772_6164)
  let weights = Tensor(uniform: output.shape, in: 0.5...1.5, using: &generator)
  let analytic = output.origin == nil
    ? leaves.map { Tensor(zeros: $0.shape) }
    : output.gradients(for: leaves, seed: weights)

  func probe(_ values: [Tensor]) -> Double {
    let y = function(values)
    var total = 0.0
    for (v, w) in zip(y.scalars, weights.scalars) { total += Double(v) * Double(w) }
    return total
  }

  var result = GradientCheck()
  var points = inputs.map(\.detached)
  for i in points.indices {
    for j in 0..<points[i].count {
      let original = points[i].scalars[j]
      points[i].scalars[j] = original + step
      let plus = probe(points)
      points[i].scalars[j] = original - step
      let minus = probe(points)
      points[i].scalars[j] = original
      // Divide by the step actually taken in Float arithmetic.
      let h = Double(original + step) - Double(original - step)
      let numeric = (plus - minus) / h
      let a = Double(analytic[i].scalars[j])
      let error = abs(a - numeric)
      result.checkedCount += 1
      result.maximumAbsoluteError = max(result.maximumAbsoluteError, error)
      result.maximumRelativeError = max(result.maximumRelativeError, error / max(abs(numeric), 1e-3))
      if error > absoluteTolerance + relativeTolerance * abs(numeric), result.failures.count < 8 {
        result.failures.append("input \(i) element \(j): analytic \(a), numeric \(numeric)")
      }
    }
  }
  return result
}

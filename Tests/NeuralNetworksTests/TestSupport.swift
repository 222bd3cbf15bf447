import Randomness
import Testing
import TensorCore

/// Seeded test inputs in `range`.
func randomTensor(_ shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64 = 1) -> Tensor {
  var generator = RandomStream(seed: seed)
  return Tensor(uniform: shape, in: range, using: &generator)
}

/// Expects the finite-difference check of `function` at `inputs` to pass, printing the report otherwise.
func expectGradientsMatch(
  _ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 1e-2,
  sourceLocation: SourceLocation = #_sourceLocation, _ function: ([Tensor]) -> Tensor
) {
  let check = checkGradients(
    at: inputs, step: step, absoluteTolerance: tolerance / 5, relativeTolerance: tolerance, function)
  #expect(check.isPassing, "\(check)", sourceLocation: sourceLocation)
  #expect(check.checkedCount == inputs.reduce(0) { $0 + $1.count }, sourceLocation: sourceLocation)
}

/// Sample mean and variance (population) of the scalars.
func moments(_ x: Tensor) -> (mean: Double, variance: Double) {
  let n = Double(x.count)
  let mean = x.scalars.reduce(0.0) { $0 + Double($1) } / n
  let variance = x.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
  return (mean, variance)
}

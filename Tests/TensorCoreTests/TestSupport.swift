import Randomness
import Testing
@testable import TensorCore

/// Seeded test inputs in `range` (kept away from kinks by the callers' choice of range).
func randomTensor(_ shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64 = 1) -> Tensor {
  var generator = RandomStream(seed: seed)
  return Tensor(uniform: shape, in: range, using: &generator)
}

/// Expects the gradient check of `function` at `inputs` to pass, printing the report otherwise.
func expectGradientsMatch(
  _ inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 1e-2,
  sourceLocation: SourceLocation = #_sourceLocation, _ function: ([Tensor]) -> Tensor
) {
  let check = checkGradients(
    at: inputs, step: step, absoluteTolerance: tolerance / 5, relativeTolerance: tolerance, function)
  #expect(check.isPassing, "\(check)", sourceLocation: sourceLocation)
  #expect(check.checkedCount == inputs.reduce(0) { $0 + $1.count }, sourceLocation: sourceLocation)
}

extension Tensor {
  func isClose(to values: [Float], tolerance: Float = 1e-5) -> Bool {
    scalars.count == values.count && zip(scalars, values).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
  }
}

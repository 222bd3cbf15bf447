import Environments

// Observations reach policies as `Float`. Rollouts and evaluations run inside generic code that
// Swift does not specialise for the concrete environment (it is opened from `any Environment`),
// where `values.map { $0.floatValue }` costs a witness-table call per element: for 4×84×84
// frames that was a fifth of a Breakout PPO run's CPU time. These helpers branch once on the
// element type and then run concrete loops.

/// Writes `source` as `Float` into `target` (resized to fit), without per-element generic calls.
@inline(__always)
func convertObservation<S: ObservationScalar>(_ source: UnsafeBufferPointer<S>, into target: inout [Float]) {
  if target.count != source.count { target = [Float](repeating: 0, count: source.count) }
  target.withUnsafeMutableBufferPointer { out in
    if S.self == UInt8.self {
      source.withMemoryRebound(to: UInt8.self) { bytes in
        for i in 0..<bytes.count { out[i] = Float(bytes[i]) }
      }
    } else if S.self == Float.self {
      source.withMemoryRebound(to: Float.self) { floats in _ = out.update(fromContentsOf: floats) }
    } else {
      for i in 0..<source.count { out[i] = source[i].floatValue }
    }
  }
}

/// `source` as `Float`.
@inline(__always)
func floatObservation<S: ObservationScalar>(_ source: [S]) -> [Float] {
  var target: [Float] = []
  source.withUnsafeBufferPointer { convertObservation($0, into: &target) }
  return target
}

extension Environment {
  /// Resets and writes the first observation as `Float` into `observation`, through `scratch`
  /// (an observation buffer of the environment's own type, kept between calls).
  @inline(__always)
  mutating func reset(seed: UInt64?, scratch: inout [Scalar], into observation: inout [Float]) {
    // The space is computed on each read (a frame stack's builds its bounds): read it once.
    if scratch.isEmpty { scratch = [Scalar](repeating: .zero, count: observationSpace.elementCount) }
    scratch.withUnsafeMutableBufferPointer { reset(seed: seed, into: $0) }
    scratch.withUnsafeBufferPointer { convertObservation($0, into: &observation) }
  }

  /// Steps and writes the next observation as `Float` into `observation`, through `scratch`.
  @inline(__always)
  mutating func step(_ action: Action, scratch: inout [Scalar], into observation: inout [Float]) -> StepOutcome {
    // The space is computed on each read (a frame stack's builds its bounds): read it once.
    if scratch.isEmpty { scratch = [Scalar](repeating: .zero, count: observationSpace.elementCount) }
    let outcome = scratch.withUnsafeMutableBufferPointer { step(action, into: $0) }
    scratch.withUnsafeBufferPointer { convertObservation($0, into: &observation) }
    return outcome
  }
}

/// Keeps only some elements of a flat observation and drops the rest: the partially observed
/// variants used to test memory, such as rl-zoo3's `CartPoleNoVel-v1` (positions only).
///
/// ## Observation Space
/// Shape: [indices.count]; element `k` is element `indices[k]` of the wrapped observation, with
/// its bounds and element type.
///
/// Actions, rewards and endings are the wrapped environment's, unchanged.
public struct ObservationSubset<Wrapped: Environment>: Environment {
  public typealias Scalar = Wrapped.Scalar

  public var environment: Wrapped
  /// Which elements of the wrapped (flat) observation are kept, in this order.
  public let indices: [Int]
  /// The wrapped environment's full observation. Shape: [wrapped elementCount].
  private var full: [Scalar]

  public init(_ environment: Wrapped, keeping indices: [Int]) {
    let count = environment.observationSpace.elementCount
    precondition(!indices.isEmpty && indices.allSatisfy { (0..<count).contains($0) },
                 "indices \(indices) must be non-empty and within 0..<\(count)")
    self.environment = environment
    self.indices = indices
    full = [Scalar](repeating: 0, count: count)
  }

  public var observationSpace: ObservationSpace {
    let space = environment.observationSpace
    return ObservationSpace(
      shape: [indices.count], low: indices.map { space.low[$0] }, high: indices.map { space.high[$0] },
      elementType: space.elementType)
  }

  public var actionSpace: ActionSpace { environment.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    full.withUnsafeMutableBufferPointer { environment.reset(seed: seed, into: $0) }
    select(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    let outcome = full.withUnsafeMutableBufferPointer { environment.step(action, into: $0) }
    select(into: observation)
    return outcome
  }

  private func select(into observation: UnsafeMutableBufferPointer<Scalar>) {
    precondition(observation.count == indices.count)
    for (k, index) in indices.enumerated() { observation[k] = full[index] }
  }

  public func render() -> Frame { environment.render() }
}

extension ObservationSubset: EnvironmentWrapper { public var wrappedEnvironment: any Environment { environment } }

/// Repeats each action `repeats` times and sums the rewards (frame skipping without pooling).
///
/// Stops early when the episode ends during the repeats; the outcome then carries that
/// ending. The observation is the one after the last repeat taken.
public struct ActionRepeat<Wrapped: Environment>: Environment {
  public typealias Scalar = Wrapped.Scalar

  public var environment: Wrapped
  /// Steps of `environment` per step of this wrapper.
  public var repeats: Int

  public init(_ environment: Wrapped, repeats: Int) {
    precondition(repeats >= 1, "repeats must be at least 1, got \(repeats)")
    self.environment = environment
    self.repeats = repeats
  }

  public var observationSpace: ObservationSpace { environment.observationSpace }
  public var actionSpace: ActionSpace { environment.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    environment.reset(seed: seed, into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    var total = StepOutcome(reward: 0)
    for _ in 0..<repeats {
      let outcome = environment.step(action, into: observation)
      total.reward += outcome.reward
      total.isTerminal = outcome.isTerminal
      total.isTruncated = outcome.isTruncated
      if outcome.isDone { break }
    }
    return total
  }

  public func render() -> Frame { environment.render() }
}

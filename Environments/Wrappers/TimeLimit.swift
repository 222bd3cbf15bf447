/// Truncates episodes after `maxEpisodeSteps` steps: Gymnasium's `TimeLimit`.
///
/// The step that reaches the limit reports `isTruncated = true`, even when the task terminates
/// on that same step (then both flags are set, as in Gymnasium; a learner must not bootstrap
/// when `isTerminal` is set). The count restarts at every `reset`.
public struct TimeLimit<Wrapped: Environment>: Environment {
  public typealias Scalar = Wrapped.Scalar

  /// The environment being limited.
  public var environment: Wrapped
  /// Steps per episode before truncation (Gymnasium's `max_episode_steps`).
  public var maxEpisodeSteps: Int
  /// Steps taken since the last reset.
  public internal(set) var elapsedSteps = 0

  public init(_ environment: Wrapped, maxEpisodeSteps: Int) {
    precondition(maxEpisodeSteps > 0, "maxEpisodeSteps must be positive, got \(maxEpisodeSteps)")
    self.environment = environment
    self.maxEpisodeSteps = maxEpisodeSteps
  }

  public var observationSpace: ObservationSpace { environment.observationSpace }
  public var actionSpace: ActionSpace { environment.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    elapsedSteps = 0
    environment.reset(seed: seed, into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    var outcome = environment.step(action, into: observation)
    elapsedSteps += 1
    if elapsedSteps >= maxEpisodeSteps { outcome.isTruncated = true }
    return outcome
  }

  public func render() -> Frame { environment.render() }
}

/// The contract every environment of swift-ncps keeps, in Gymnasium's spirit.
///
/// An environment is a value: copying it snapshots the episode (state and random stream).
/// `reset(seed:into:)` starts an episode and writes the first observation; `step(_:into:)`
/// advances it by one action, writes the next observation and reports the reward and how the
/// episode ended. The two endings are never mixed: the task itself *terminates* an episode (the
/// pole fell, the goal was reached); a limit outside the task (a time limit) *truncates* it, and a
/// learner should bootstrap from the value of the observation written then.
///
/// Observations are flat, row-major buffers of `Scalar` (`Float` for state vectors, `UInt8` for
/// pixel frames) with the shape declared by `observationSpace`. The `into:` forms write into
/// caller-owned memory so that a vector environment can keep all observations in one contiguous
/// batch buffer; the array-returning forms in the extension below are for everyday use.
public protocol Environment: Sendable {
  /// The element type of observations: `Float` or `UInt8`.
  associatedtype Scalar: ObservationScalar

  /// Shape, bounds and element type of every observation.
  var observationSpace: ObservationSpace { get }
  /// The actions `step` accepts.
  var actionSpace: ActionSpace { get }

  /// Starts a new episode and writes its first observation.
  ///
  /// - Parameters:
  ///   - seed: Reseeds the environment's random stream, as Gymnasium's `reset(seed=)`; `nil`
  ///     continues the current stream.
  ///   - observation: Shape: `observationSpace.shape`, flat; fully overwritten.
  mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>)

  /// Applies `action` for one step and writes the observation that follows.
  ///
  /// Calling `step` after the episode ended (terminated or truncated) without `reset` is a
  /// programming error, as in Gymnasium.
  /// - Parameter observation: Shape: `observationSpace.shape`, flat; fully overwritten.
  mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome

  /// Draws the current state as an RGB picture, in pure Swift and deterministically.
  func render() -> Frame
}

/// The element type of an observation buffer: `Float` for state vectors, `UInt8` for pixels.
public protocol ObservationScalar: Numeric, Hashable, Sendable {
  /// The element type that `ObservationSpace.elementType` declares.
  static var elementType: ObservationSpace.ElementType { get }
  /// The value as a `Float` for learners (pixels stay in 0...255).
  var floatValue: Float { get }
}

extension Float: ObservationScalar {
  public static var elementType: ObservationSpace.ElementType { .float32 }
  public var floatValue: Float { self }
}

extension UInt8: ObservationScalar {
  public static var elementType: ObservationSpace.ElementType { .uint8 }
  public var floatValue: Float { Float(self) }
}

/// Reward and ending of one step.
public struct StepOutcome: Hashable, Sendable {
  /// The reward for the step just taken.
  public var reward: Double
  /// The task itself ended the episode (the pole fell, the goal was reached).
  public var isTerminal: Bool
  /// A limit outside the task ended the episode (a time limit). Bootstrap from the value here.
  public var isTruncated: Bool

  public init(reward: Double, isTerminal: Bool = false, isTruncated: Bool = false) {
    self.reward = reward
    self.isTerminal = isTerminal
    self.isTruncated = isTruncated
  }

  /// The episode is over, for either reason.
  public var isDone: Bool { isTerminal || isTruncated }
}

/// An observation, reward and ending returned by ``Environment/step(_:)``.
public struct Step<Scalar: ObservationScalar>: Hashable, Sendable {
  /// Shape: `observationSpace.shape`, flat.
  public var observation: [Scalar]
  public var reward: Double
  public var isTerminal: Bool
  public var isTruncated: Bool
}

extension Environment {
  /// Starts a new episode and returns its first observation, flat.
  public mutating func reset(seed: UInt64? = nil) -> [Scalar] {
    [Scalar](unsafeUninitializedCapacity: observationSpace.elementCount) { buffer, count in
      reset(seed: seed, into: buffer)
      count = buffer.count
    }
  }

  /// Applies `action` for one step and returns the observation, reward and ending.
  public mutating func step(_ action: Action) -> Step<Scalar> {
    var outcome = StepOutcome(reward: 0)
    let observation = [Scalar](unsafeUninitializedCapacity: observationSpace.elementCount) {
      buffer, count in
      outcome = step(action, into: buffer)
      count = buffer.count
    }
    return Step(
      observation: observation, reward: outcome.reward,
      isTerminal: outcome.isTerminal, isTruncated: outcome.isTruncated)
  }
}

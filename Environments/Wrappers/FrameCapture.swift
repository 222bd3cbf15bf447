/// Collects rendered frames of an episode, for videos, GIFs and debugging: the frame after
/// `reset` and after every `every`-th step, up to `maxFrames` (older frames are kept, later
/// ones dropped). `reset` starts a new recording; take the frames with ``frames``.
///
/// Rendering costs far more than stepping, so wrap only the environment you watch.
public struct FrameCapture<Wrapped: Environment>: Environment {
  public typealias Scalar = Wrapped.Scalar

  public var environment: Wrapped
  /// Capture one frame every `every` steps.
  public var every: Int
  /// The most frames kept per episode.
  public var maxFrames: Int
  /// The frames of the current episode, oldest first.
  public private(set) var frames: [Frame] = []
  private var stepsSinceReset = 0

  public init(_ environment: Wrapped, every: Int = 1, maxFrames: Int = 10_000) {
    precondition(every >= 1 && maxFrames >= 1, "every and maxFrames must be at least 1")
    self.environment = environment
    self.every = every
    self.maxFrames = maxFrames
  }

  public var observationSpace: ObservationSpace { environment.observationSpace }
  public var actionSpace: ActionSpace { environment.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    environment.reset(seed: seed, into: observation)
    frames = [environment.render()]
    stepsSinceReset = 0
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    let outcome = environment.step(action, into: observation)
    stepsSinceReset += 1
    if stepsSinceReset % every == 0 && frames.count < maxFrames { frames.append(environment.render()) }
    return outcome
  }

  public func render() -> Frame { environment.render() }
}

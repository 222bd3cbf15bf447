import Randomness

/// Press once the accumulated time passes a target, with irregular time between observations
/// (`Probe-Timing-v0`).
///
/// ## Description
/// The continuous-time case CfC and LTC cells are made for: the time between consecutive
/// observations varies, and the right moment to act depends on the *time* elapsed, not on the
/// number of steps. Each observation is the time since the previous one; a policy must add
/// them up. Feed the same value as the cell's elapsed time (`timespans` in ncps) — it is
/// also ``elapsedTime``.
///
/// ## Action Space
/// `Discrete(2)`: 0 waits, 1 presses.
///
/// ## Observation Space
/// `Float`, Shape: [1].
///
/// | Index | Observation                                        | Min               | Max               |
/// |-------|----------------------------------------------------|-------------------|-------------------|
/// | 0     | time since the previous observation (Δt, seconds) | `minimumInterval` | `maximumInterval` |
///
/// The first observation's Δt is the time from the episode's start, drawn like the others.
///
/// ## Rewards
/// Pressing when the accumulated time τ (the sum of all Δt observed) lies in
/// `[targetTime, targetTime + maximumInterval)` gives 1; pressing earlier gives 0. The window
/// is one maximal interval long, so some observation always falls inside it. Optimal and expert
/// return 1. Documented baselines (`swift test --filter timingProbeBaselines`): the best policy
/// that counts steps instead of time, and a uniformly random policy, see Probes/README.md.
///
/// ## Starting State
/// τ = Δt₀, Δt uniform in `[minimumInterval, maximumInterval]`.
///
/// ## Episode End
/// Terminated by a press, or with reward 0 once τ reaches `targetTime + maximumInterval`
/// without one (at most `⌈(targetTime + maximumInterval) / minimumInterval⌉` steps).
///
/// ## Arguments
/// `targetTime` (default 5), `minimumInterval` (0.5), `maximumInterval` (1.5), in seconds.
public struct TimingProbe: Environment {
  public var targetTime: Float
  public var minimumInterval: Float
  public var maximumInterval: Float
  /// The Δt of the latest observation: what a continuous-time cell should take as its step.
  public private(set) var elapsedTime: Float = 0
  /// τ, the sum of every Δt observed this episode.
  public private(set) var accumulatedTime: Float = 0
  /// Whether and when the agent pressed this episode (for `render()`).
  public private(set) var pressedAt: Float?
  public var random: RandomStream

  public init(targetTime: Float = 5, minimumInterval: Float = 0.5, maximumInterval: Float = 1.5, seed: UInt64 = 0) {
    precondition(0 < minimumInterval && minimumInterval <= maximumInterval && maximumInterval < targetTime,
                 "need 0 < minimumInterval ≤ maximumInterval < targetTime")
    self.targetTime = targetTime
    self.minimumInterval = minimumInterval
    self.maximumInterval = maximumInterval
    random = RandomStream(seed: seed)
  }

  public var observationSpace: ObservationSpace {
    ObservationSpace(shape: [1], low: minimumInterval, high: maximumInterval)
  }
  public var actionSpace: ActionSpace { .discrete(count: 2) }

  /// The end of the rewarded window.
  public var deadline: Float { targetTime + maximumInterval }

  private mutating func advanceClock(into observation: UnsafeMutableBufferPointer<Float>) {
    elapsedTime = minimumInterval + (maximumInterval - minimumInterval) * random.nextFloat()
    accumulatedTime += elapsedTime
    observation[0] = elapsedTime
  }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
    if let seed { random = RandomStream(seed: seed) }
    accumulatedTime = 0
    pressedAt = nil
    advanceClock(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    precondition(action.index == 0 || action.index == 1, "actions are 0 (wait) and 1 (press), got \(action.index)")
    if action.index == 1 {
      pressedAt = accumulatedTime
      observation[0] = elapsedTime
      let onTime = accumulatedTime >= targetTime && accumulatedTime < deadline
      return StepOutcome(reward: onTime ? 1 : 0, isTerminal: true)
    }
    advanceClock(into: observation)
    return StepOutcome(reward: 0, isTerminal: accumulatedTime >= deadline)
  }

  /// A time line: elapsed time in blue, the rewarded window in green, a press as a white mark.
  public func render() -> Frame {
    let width = 160
    var frame = Frame(width: width, height: 24, color: .black)
    let scale = Float(width) / (deadline + maximumInterval)
    frame.fillRectangle(x: Int(targetTime * scale), y: 0, width: Int(maximumInterval * scale), height: 24,
                        color: Frame.Color(0, 120, 0))
    frame.fillRectangle(x: 0, y: 8, width: min(width, Int(accumulatedTime * scale)), height: 8,
                        color: Frame.Color(60, 120, 255))
    if let pressedAt {
      frame.fillRectangle(x: min(width - 2, Int(pressedAt * scale)), y: 0, width: 2, height: 24, color: .white)
    }
    return frame
  }

  /// The scripted expert's action for the current state: press (1) once τ ≥ `targetTime`.
  public func expertAction() -> Int { accumulatedTime >= targetTime ? 1 : 0 }

  /// The optimal policy, from observations alone: add up Δt, press once τ ≥ `targetTime`.
  public struct Expert: Sendable {
    public var targetTime: Float
    private var accumulated: Float = 0
    public init(targetTime: Float = 5) { self.targetTime = targetTime }
    /// The action for `observation`; call once per observation, from the episode's first.
    public mutating func action(for observation: [Float]) -> Int {
      accumulated += observation[0]
      return accumulated >= targetTime ? 1 : 0
    }
  }
}

extension TimingProbe: ExpertProviding {}

import Foundation
import Randomness

/// A pole balanced on a cart that moves along a frictionless track: Gymnasium's `CartPole-v1`,
/// step for step.
///
/// ## Description
/// A pole is attached by an unactuated joint to a cart, which moves along a frictionless track.
/// The pole starts upright and the goal is to keep it balanced by pushing the cart left or right
/// (Barto, Sutton and Anderson, 1983). The state is kept in `Double` and every step follows
/// Gymnasium's equations in the same order of operations, so from the same seed and actions the
/// observations are bit-identical to `gymnasium.make("CartPole-v1")`.
///
/// ## Action Space
/// `Discrete(2)`: `0` pushes the cart to the left, `1` to the right, with the fixed force
/// `forceMagnitude`. How much the velocity changes depends on the pole's angle.
///
/// ## Observation Space
/// Four `Float`s, the `Double` state rounded to nearest:
///
/// | Index | Observation           | Min                  | Max                |
/// |-------|-----------------------|----------------------|--------------------|
/// | 0     | Cart position         | -4.8                 | 4.8                |
/// | 1     | Cart velocity         | -inf                 | inf                |
/// | 2     | Pole angle (radians)  | ~ -0.418 (-24°)      | ~ 0.418 (24°)      |
/// | 3     | Pole angular velocity | -inf                 | inf                |
///
/// The bounds are twice the termination limits, so a terminating observation is still inside.
///
/// ## Rewards
/// `+1` for every step taken, the terminating step included (the goal is to stay up as long as
/// possible). With `suttonBartoReward`, `0` per step and `-1` on termination. A step after
/// termination (a programming error) returns `0` (`-1` with `suttonBartoReward`), as Gymnasium.
///
/// ## Starting State
/// All four state variables uniform in `[-0.05, 0.05)` (`resetBound`), drawn by numpy's
/// `Generator.uniform` from the PCG64 stream that `reset(seed:)` seeds, exactly as Gymnasium's
/// `np_random`.
///
/// ## Episode End
/// Terminated when the pole angle leaves `±angleLimit` (12°) or the cart position leaves
/// `±positionLimit` (2.4; the cart's centre reaches the edge of the display), strict
/// inequalities. The environment never truncates by itself: `Catalog.make("CartPole-v1")`
/// wraps it in `TimeLimit` with 500 steps, as Gymnasium's registration.
///
/// ## Arguments
/// Every physical constant below is a stored property with Gymnasium's default; change them
/// before `reset` for variants (e.g. `integrator = .semiImplicitEuler`).
public struct CartPole: Environment {
  public typealias Scalar = Float

  /// The physical state, in SI units and radians.
  public struct State: Hashable, Sendable, Codable {
    public var x: Double, xVelocity: Double, theta: Double, thetaVelocity: Double

    public init(x: Double = 0, xVelocity: Double = 0, theta: Double = 0, thetaVelocity: Double = 0) {
      self.x = x
      self.xVelocity = xVelocity
      self.theta = theta
      self.thetaVelocity = thetaVelocity
    }
  }

  /// How positions follow velocities in one step.
  public enum Integrator: String, Hashable, Sendable, Codable {
    /// Positions advance with the old velocities (Gymnasium's default, `"euler"`).
    case euler
    /// Velocities first, then positions with the new velocities.
    case semiImplicitEuler
  }

  /// Gravitational acceleration, m/s².
  public var gravity = 9.8
  /// Mass of the cart, kg.
  public var cartMass = 1.0
  /// Mass of the pole, kg.
  public var poleMass = 0.1
  /// Half the pole's length, m (Gymnasium's `length`).
  public var poleHalfLength = 0.5
  /// Force of one push, N.
  public var forceMagnitude = 10.0
  /// Seconds between state updates (τ).
  public var timeStep = 0.02
  public var integrator = Integrator.euler
  /// Terminal pole angle, radians: 12°.
  public var angleLimit = 12 * 2 * Double.pi / 360
  /// Terminal cart position, m.
  public var positionLimit = 2.4
  /// Each state variable starts uniform in `[-resetBound, resetBound)`.
  public var resetBound = 0.05
  /// Reward 0 per step and -1 on termination instead of +1 per step.
  public var suttonBartoReward = false

  /// The current physical state; set it directly to start from a chosen state.
  public var state = State()
  /// Gymnasium's `np_random`: numpy's `Generator(PCG64(SeedSequence(seed)))`.
  public var random = NumPyGenerator(seed: 0)
  /// Steps taken since termination; `nil` while the episode runs.
  public private(set) var stepsBeyondTerminated: Int?

  public init() {}

  public var observationSpace: ObservationSpace {
    let high: [Float] = [Float(positionLimit * 2), .infinity, Float(angleLimit * 2), .infinity]
    return ObservationSpace(shape: [4], low: high.map { -$0 }, high: high)
  }

  public var actionSpace: ActionSpace { .discrete(count: 2) }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
    if let seed { random = NumPyGenerator(seed: seed) }
    // numpy fills `uniform(low, high, size=(4,))` in order.
    state.x = random.uniform(low: -resetBound, high: resetBound)
    state.xVelocity = random.uniform(low: -resetBound, high: resetBound)
    state.theta = random.uniform(low: -resetBound, high: resetBound)
    state.thetaVelocity = random.uniform(low: -resetBound, high: resetBound)
    stepsBeyondTerminated = nil
    writeObservation(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    guard case .discrete(let push) = action, push == 0 || push == 1 else {
      preconditionFailure("CartPole takes .discrete(0) or .discrete(1), got \(action)")
    }
    advance(push: push)
    writeObservation(into: observation)
    let isTerminal = isOutOfBounds
    let reward: Double
    if !isTerminal {
      reward = suttonBartoReward ? 0 : 1
    } else if let beyond = stepsBeyondTerminated {
      stepsBeyondTerminated = beyond + 1
      reward = suttonBartoReward ? -1 : 0
    } else {
      stepsBeyondTerminated = 0
      reward = suttonBartoReward ? -1 : 1
    }
    return StepOutcome(reward: reward, isTerminal: isTerminal)
  }

  /// One integration step under the push `0` (left) or `1` (right), in Gymnasium's order of
  /// operations so that the `Double` results are bit-identical.
  @inlinable
  public mutating func advance(push: Int) {
    let totalMass = poleMass + cartMass
    let poleMassLength = poleMass * poleHalfLength
    let force = push == 1 ? forceMagnitude : -forceMagnitude
    let cosTheta = cos(state.theta)
    let sinTheta = sin(state.theta)
    let temp = (force + poleMassLength * (state.thetaVelocity * state.thetaVelocity) * sinTheta) / totalMass
    let thetaAcceleration =
      (gravity * sinTheta - cosTheta * temp)
      / (poleHalfLength * (4.0 / 3.0 - poleMass * (cosTheta * cosTheta) / totalMass))
    let xAcceleration = temp - poleMassLength * thetaAcceleration * cosTheta / totalMass
    switch integrator {
    case .euler:
      state.x = state.x + timeStep * state.xVelocity
      state.xVelocity = state.xVelocity + timeStep * xAcceleration
      state.theta = state.theta + timeStep * state.thetaVelocity
      state.thetaVelocity = state.thetaVelocity + timeStep * thetaAcceleration
    case .semiImplicitEuler:
      state.xVelocity = state.xVelocity + timeStep * xAcceleration
      state.x = state.x + timeStep * state.xVelocity
      state.thetaVelocity = state.thetaVelocity + timeStep * thetaAcceleration
      state.theta = state.theta + timeStep * state.thetaVelocity
    }
  }

  /// Whether the pole has fallen or the cart has left the track (strict inequalities).
  @inlinable
  public var isOutOfBounds: Bool {
    state.x < -positionLimit || state.x > positionLimit || state.theta < -angleLimit || state.theta > angleLimit
  }

  @inlinable
  func writeObservation(into observation: UnsafeMutableBufferPointer<Float>) {
    observation[0] = Float(state.x)
    observation[1] = Float(state.xVelocity)
    observation[2] = Float(state.theta)
    observation[3] = Float(state.thetaVelocity)
  }
}

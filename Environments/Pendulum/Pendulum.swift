import Foundation
import Randomness

/// The inverted-pendulum swing-up: Gymnasium's `Pendulum-v1`, step for step.
///
/// ## Description
/// A pendulum hangs from a fixed pivot; the free end starts at a random angle and the goal is
/// to apply torque to swing it up and hold it upright, its centre of gravity right above the
/// pivot. The state is kept in `Double` and every step follows Gymnasium's equations in the
/// same order of operations (including numpy's float32 arithmetic on the action), so from the
/// same seed and actions the observations are those of `gymnasium.make("Pendulum-v1")`.
///
/// ## Action Space
/// `Box(-2, 2, (1,), float32)`: the torque on the free end, N·m, positive counter-clockwise.
/// Torques outside `±maxTorque` are clipped, as Gymnasium does.
///
/// ## Observation Space
/// | Index | Observation      | Min  | Max |
/// |-------|------------------|------|-----|
/// | 0     | x = cos(θ)       | -1.0 | 1.0 |
/// | 1     | y = sin(θ)       | -1.0 | 1.0 |
/// | 2     | Angular velocity | -8.0 | 8.0 |
///
/// θ is the angle from upright, counter-clockwise.
///
/// ## Rewards
/// `-(θ² + 0.1·θ̇² + 0.001·torque²)` with θ normalised to `[-π, π)`: at best 0 (upright, still,
/// no torque), at worst about -16.27.
///
/// ## Starting State
/// θ uniform in `[-π, π)` (`initialAngleBound`) and θ̇ uniform in `[-1, 1)`
/// (`initialVelocityBound`), drawn from the PCG64 stream that `reset(seed:)` seeds, as
/// Gymnasium's `np_random`.
///
/// ## Episode End
/// Never terminates. `Catalog.make("Pendulum-v1")` truncates after 200 steps (`TimeLimit`), as
/// Gymnasium's registration.
///
/// ## Arguments
/// `gravity` (Gymnasium's `g`, default 10) and the other constants are stored properties.
public struct Pendulum: Environment {
  public typealias Scalar = Float

  public struct State: Hashable, Sendable, Codable {
    /// Angle from upright, radians, counter-clockwise (not normalised).
    public var theta: Double
    /// Angular velocity, rad/s.
    public var thetaVelocity: Double

    public init(theta: Double = 0, thetaVelocity: Double = 0) {
      self.theta = theta
      self.thetaVelocity = thetaVelocity
    }
  }

  /// Gravitational acceleration, m/s² (Gymnasium's `g`).
  public var gravity = 10.0
  /// Mass at the free end, kg.
  public var mass = 1.0
  /// Rod length, m.
  public var length = 1.0
  /// Seconds between state updates.
  public var timeStep = 0.05
  /// Angular velocities are clipped to `±maxSpeed`, rad/s.
  public var maxSpeed = 8.0
  /// Torques are clipped to `±maxTorque`, N·m.
  public var maxTorque: Float = 2.0
  /// Gymnasium's reset option `x_init`: θ starts in `[-initialAngleBound, initialAngleBound)`.
  public var initialAngleBound = Double.pi
  /// Gymnasium's reset option `y_init`: θ̇ starts in `[-initialVelocityBound, initialVelocityBound)`.
  public var initialVelocityBound = 1.0

  public var state = State()
  /// Gymnasium's `np_random`.
  public var random = NumPyGenerator(seed: 0)
  /// The clipped torque of the last step, for rendering; `nil` right after reset.
  public private(set) var lastTorque: Float?

  public init() {}

  public var observationSpace: ObservationSpace {
    let high: [Float] = [1, 1, Float(maxSpeed)]
    return ObservationSpace(shape: [3], low: high.map { -$0 }, high: high)
  }

  public var actionSpace: ActionSpace { .continuous(low: [-maxTorque], high: [maxTorque]) }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
    if let seed { random = NumPyGenerator(seed: seed) }
    state.theta = random.uniform(low: -initialAngleBound, high: initialAngleBound)
    state.thetaVelocity = random.uniform(low: -initialVelocityBound, high: initialVelocityBound)
    lastTorque = nil
    writeObservation(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    guard case .continuous(let vector) = action, vector.count == 1 else {
      preconditionFailure("Pendulum takes .continuous([torque]), got \(action)")
    }
    // np.clip on the float32 action keeps float32; NaN stays NaN as in numpy.
    let torque = vector[0].isNaN ? vector[0] : min(max(vector[0], -maxTorque), maxTorque)
    lastTorque = torque
    let theta = state.theta, thetaVelocity = state.thetaVelocity
    // numpy 2 (NEP 50): a Python float times a float32 scalar stays float32. `x**2` on numpy
    // scalars calls libm's pow/powf, which differs from x * x in the last bit now and then.
    let torqueCost = Double(Float(0.001) * libmPow(torque, 2))
    let costs = libmPow(Pendulum.normalizedAngle(theta), 2) + 0.1 * libmPow(thetaVelocity, 2) + torqueCost
    let torqueTerm = Double(Float(3.0 / (mass * length * length)) * torque)
    var newVelocity =
      thetaVelocity + (3 * gravity / (2 * length) * sin(theta) + torqueTerm) * timeStep
    newVelocity = min(max(newVelocity, -maxSpeed), maxSpeed)
    state.theta = theta + newVelocity * timeStep
    state.thetaVelocity = newVelocity
    writeObservation(into: observation)
    return StepOutcome(reward: -costs)
  }

  /// `((x + π) mod 2π) − π` with numpy's floored remainder (the result takes the divisor's sign).
  public static func normalizedAngle(_ x: Double) -> Double {
    let divisor = 2 * Double.pi
    var remainder = fmod(x + Double.pi, divisor)
    if remainder != 0 {
      if (divisor < 0) != (remainder < 0) { remainder += divisor }
    } else {
      remainder = 0  // numpy: copysign(0, divisor)
    }
    return remainder - Double.pi
  }

  func writeObservation(into observation: UnsafeMutableBufferPointer<Float>) {
    observation[0] = Float(cos(state.theta))
    observation[1] = Float(sin(state.theta))
    observation[2] = Float(state.thetaVelocity)
  }
}

/// libm's `pow`, as numpy's scalar `**` calls it. Kept opaque to the optimizer, which would
/// otherwise rewrite `pow(x, 2)` as `x * x` (not always the same bits as glibc's `pow`).
@_optimize(none)
func libmPow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }

/// libm's `powf`, as numpy's float32 scalar `**` calls it; opaque for the same reason.
@_optimize(none)
func libmPow(_ x: Float, _ y: Float) -> Float { powf(x, y) }

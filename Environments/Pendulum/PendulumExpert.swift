import Foundation

/// A scripted Pendulum controller: energy pumping to swing up, then a PD controller to hold the
/// pendulum upright.
///
/// Far from upright it applies `pumpGain · (E* − E) · sign(θ̇)` with the energy
/// `E = θ̇²/2 + (3g/2l)·cos θ` and its upright value `E* = 3g/2l`; once `cos θ > catchCosine` it
/// applies `−(angleGain · θ + velocityGain · θ̇)`; both clipped to ±2. Mean return
/// **−156.9 ± 96.1** over 100 episodes (`swift run -c release evaluate --env Pendulum-v1
/// --policy expert --episodes 100 --seed 0`; SAC and TD3 reach about −150 in published
/// benchmarks).
public struct PendulumExpert: Expert {
  public var catchCosine: Float = 0.8
  public var angleGain: Float = 12
  public var velocityGain: Float = 3
  public var pumpGain: Float = 1
  /// `3g / 2l` of the pendulum controlled (15 for `Pendulum-v1`).
  public var gravityTerm: Float = 15

  public init() {}

  /// The torque for an observation `[cos θ, sin θ, θ̇]`.
  public func torque(observation: [Float]) -> Float {
    let (c, s, velocity) = (observation[0], observation[1], observation[2])
    let torque: Float
    if c > catchCosine {
      torque = -(angleGain * atan2(s, c) + velocityGain * velocity)
    } else {
      let energy = velocity * velocity / 2 + gravityTerm * c
      torque = pumpGain * (gravityTerm - energy) * (velocity < 0 ? -1 : 1)
    }
    return min(max(torque, -2), 2)
  }

  public mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    .continuous([torque(observation: observation)])
  }
}

import Randomness

/// A contextual bandit: the observation names the rewarded arm (`Probe-Bandit-v0`).
///
/// ## Description
/// The smallest test of a policy-gradient learner: one step per episode, a context drawn
/// uniformly from `armCount` options, shown one-hot, and reward 1 only for pulling the arm it
/// names. A correct PPO learns it in a few hundred episodes; a broken loss sign or a policy that
/// ignores its input stays at the random return.
///
/// ## Action Space
/// `Discrete(armCount)`: the arm to pull.
///
/// ## Observation Space
/// `Float`, Shape: [armCount].
///
/// | Index | Observation                        | Min | Max |
/// |-------|------------------------------------|-----|-----|
/// | i     | 1 if arm `i` pays this episode     | 0   | 1   |
///
/// After the single step the observation is all zeros (the episode is over).
///
/// ## Rewards
/// 1 for the named arm, 0 for any other. Optimal and expert return 1; uniformly random
/// `1 / armCount` (0.5 with the default two arms).
///
/// ## Starting State
/// The paying arm is drawn uniformly.
///
/// ## Episode End
/// Terminated after one step.
///
/// ## Arguments
/// `armCount` (≥ 2).
public struct BanditProbe: Environment {
  public var armCount: Int
  /// The arm that pays this episode.
  public private(set) var payingArm = 0
  /// The last arm pulled, if any this episode (for `render()`).
  public private(set) var pulledArm: Int?
  public var random: RandomStream

  public init(armCount: Int = 2, seed: UInt64 = 0) {
    precondition(armCount >= 2, "a bandit needs at least 2 arms, got \(armCount)")
    self.armCount = armCount
    random = RandomStream(seed: seed)
  }

  public var observationSpace: ObservationSpace { ObservationSpace(shape: [armCount], low: 0, high: 1) }
  public var actionSpace: ActionSpace { .discrete(count: armCount) }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
    if let seed { random = RandomStream(seed: seed) }
    payingArm = random.nextInt(below: armCount)
    pulledArm = nil
    for i in 0..<armCount { observation[i] = i == payingArm ? 1 : 0 }
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    precondition((0..<armCount).contains(action.index), "arms are 0..<\(armCount), got \(action.index)")
    pulledArm = action.index
    for i in 0..<armCount { observation[i] = 0 }
    return StepOutcome(reward: action.index == payingArm ? 1 : 0, isTerminal: true)
  }

  /// One square per arm: the paying arm green, the others grey, the pulled arm outlined white.
  public func render() -> Frame {
    var frame = Frame(width: 32 * armCount, height: 32, color: .black)
    for arm in 0..<armCount {
      if arm == pulledArm { frame.fillRectangle(x: 32 * arm + 2, y: 2, width: 28, height: 28, color: .white) }
      let color = arm == payingArm ? Frame.Color(0, 200, 0) : Frame.Color(100, 100, 100)
      frame.fillRectangle(x: 32 * arm + 5, y: 5, width: 22, height: 22, color: color)
    }
    return frame
  }

  /// The scripted expert's action for the current state: the paying arm.
  public func expertAction() -> Int { payingArm }

  /// The optimal policy from the observation alone: pull the arm it names.
  public static func expertAction(for observation: [Float]) -> Int {
    observation.indices.max { observation[$0] < observation[$1] } ?? 0
  }
}

extension BanditProbe: ExpertProviding {}

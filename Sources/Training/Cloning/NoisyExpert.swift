import Environments
import Randomness

/// Perturbations of the executed action while an expert is recorded (DART, Laskey et al. 2017,
/// for discrete actions): when no burst is running, each step starts one with `probability`;
/// for a burst's 1...`maxLength` steps one uniformly drawn action is executed instead of the
/// expert's. The recorded label stays the expert's action in the state reached, so the
/// demonstrations show the expert correcting from states off its own path — for Breakout, the
/// paddle away from the ball's landing point, lost lives and the serves (FIRE) after them,
/// which the unperturbed expert never shows.
public struct ActionNoise: Codable, Hashable, Sendable, CustomStringConvertible {
  /// Chance per step (outside bursts) that a burst starts.
  public var probability: Double
  /// The longest burst, in steps.
  public var maxLength: Int

  public init(probability: Double, maxLength: Int) {
    self.probability = probability
    self.maxLength = maxLength
  }

  public func validate() throws {
    guard probability >= 0 && probability <= 1 else {
      throw ConfigurationError(field: "record_noise", problem: "probability must lie in [0, 1], got \(probability)")
    }
    guard maxLength >= 1 else { throw ConfigurationError(field: "record_noise", problem: "burst length must be positive, got \(maxLength)") }
  }

  /// `action noise 0.05, bursts of 1...8 steps`, for the dataset's source.
  public var description: String { "action noise \(probability), bursts of 1...\(maxLength) steps" }
}

/// An expert whose chosen action is recorded while ``executedAction`` (the expert's, or a
/// burst's random action under ``ActionNoise``) is played.
struct NoisyExpert: Expert {
  var expert: any Expert
  let noise: ActionNoise
  let actionCount: Int
  var random: RandomStream
  /// The action to execute for the last `action(in:observation:)`.
  private(set) var executedAction: Action? = nil
  private var burst: (action: Int, remaining: Int)? = nil

  init(expert: any Expert, noise: ActionNoise, actionCount: Int, seed: UInt64) {
    self.expert = expert
    self.noise = noise
    self.actionCount = actionCount
    random = RandomStream(seed: seed, stream: 0xDA27)
  }

  mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    let label = expert.action(in: environment, observation: observation)
    if burst == nil, random.nextDouble() < noise.probability {
      burst = (random.nextInt(below: actionCount), 1 + random.nextInt(below: noise.maxLength))
    }
    if let current = burst {
      executedAction = .discrete(current.action)
      burst = current.remaining > 1 ? (current.action, current.remaining - 1) : nil
    } else {
      executedAction = label
    }
    return label
  }
}

/// Everything a `ppo-train` run is made of: the environment, the seed, the policy and PPO's
/// hyperparameters. Saved as `config.json` in the run directory and in every checkpoint.
///
/// JSON (snake_case; every key optional; unknown keys are errors):
/// ```json
/// {"env": "CartPole-v1", "seed": 1, "checkpoint_interval": 50,
///  "policy": {"circuit": "cfc", "units": 32}, "ppo": {"total_steps": 100000}}
/// ```
public struct PPORunConfiguration: Codable, Hashable, Sendable {
  /// A catalog id, e.g. `CartPole-v1`.
  public var env = "CartPole-v1"
  /// Seeds parameters, environments and sampling.
  public var seed: UInt64 = 1
  /// Iterations between checkpoints (and between the environment resets that make resuming
  /// exact); 0 checkpoints only at the end.
  public var checkpointInterval = 50
  public var policy = PolicyConfiguration()
  public var ppo = PPOConfiguration()

  public init() {}

  public func validate() throws {
    if checkpointInterval < 0 {
      throw ConfigurationError(field: "checkpoint_interval", problem: "must not be negative, got \(checkpointInterval)")
    }
    try policy.validate()
    try ppo.validate()
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case env, seed, checkpointInterval, policy, ppo
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try c.rejectUnknownKeys(decoder)
    let d = PPORunConfiguration()
    env = try c.value(.env, default: d.env)
    seed = try c.value(.seed, default: d.seed)
    checkpointInterval = try c.value(.checkpointInterval, default: d.checkpointInterval)
    policy = try c.value(.policy, default: d.policy)
    ppo = try c.value(.ppo, default: d.ppo)
  }
}

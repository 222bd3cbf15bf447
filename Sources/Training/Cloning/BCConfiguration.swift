import Environments

/// Hyperparameters of behavior cloning, with defaults that clone CartPole-v1 from 50 expert
/// episodes in one epoch.
///
/// JSON spells the keys in snake_case (`window_length`); every key is optional and an absent key
/// keeps the default documented here; an unknown key is an error.
public struct BCConfiguration: Codable, Hashable, Sendable {
  /// Passes over the training episodes.
  public var epochs = 5
  /// Consecutive steps per training window (truncated backpropagation through time). Every
  /// window starts from a zero state with its first step flagged as an episode start.
  public var windowLength = 8
  /// Windows per minibatch. Two (about 1,400 Adam steps over 45 CartPole expert episodes)
  /// clone CartPole-v1 in one epoch on 10 of 10 seeds; four did on 3 of 5.
  public var batchSize = 2
  /// Adam's step size.
  public var learningRate: Float = 3e-3
  /// Global gradient-norm clipping threshold; 0 disables clipping.
  public var maxGradientNorm: Float = 1
  /// Weight of the entropy bonus (`imitation` uses 1e-3).
  public var entropyCoefficient: Float = 1e-3
  /// Share of the episodes held out for validation (at least one when there are two or more).
  public var validationFraction: Float = 0.1
  /// Closed-loop evaluation episodes after every epoch (greedy actions, state reset at episode
  /// starts); 0 skips evaluation, and checkpoints are then chosen by validation loss.
  public var evaluationEpisodes = 10
  /// Cuts closed-loop evaluation episodes after this many steps (truncation); `nil` keeps the
  /// environment's own limit. A clone that never serves in Breakout would otherwise play until
  /// the 27,000-step limit.
  public var evaluationMaxSteps: Int? = nil
  /// Epochs without improvement of the selection score (evaluation return, then validation
  /// loss) before training stops; 0 never stops early.
  public var patience = 3
  /// Worker threads for evaluation; `nil` uses every core.
  public var workerCount: Int? = nil
  /// Windows per epoch, drawn at random without repetition from the training windows (all of
  /// them in a fresh order when `nil` or more than there are). Shorter epochs validate,
  /// evaluate and checkpoint more often: for costly models that finish few passes.
  public var windowsPerEpoch: Int? = nil
  /// Discrete actions: the loss weight of each demonstrated action (one per action), for rare
  /// actions such as Breakout's FIRE (0.2% of the expert's steps, yet the only way to serve);
  /// the loss is Σ wₐ·(−log π(a)) / Σ wₐ over the steps. `nil`: every step weighs 1. Accuracy
  /// is never weighted.
  public var actionWeights: [Float]? = nil
  /// The held-out episodes by index into the dataset (instead of a seeded share,
  /// `validation_fraction`): e.g. only clean expert episodes when the training set adds noisy
  /// ones. `nil`: the seeded split.
  public var validationEpisodes: [Int]? = nil

  public init() {}

  public func validate() throws {
    func require(_ condition: Bool, _ field: String, _ problem: String) throws {
      if !condition { throw ConfigurationError(field: "bc." + field, problem: problem) }
    }
    try require(epochs > 0, "epochs", "must be positive, got \(epochs)")
    try require(windowLength > 0, "window_length", "must be positive, got \(windowLength)")
    try require(batchSize > 0, "batch_size", "must be positive, got \(batchSize)")
    try require(learningRate > 0 && learningRate.isFinite, "learning_rate", "must be a positive number, got \(learningRate)")
    try require(maxGradientNorm >= 0, "max_gradient_norm", "must not be negative, got \(maxGradientNorm)")
    try require(entropyCoefficient >= 0, "entropy_coefficient", "must not be negative, got \(entropyCoefficient)")
    try require((0..<1).contains(validationFraction), "validation_fraction", "must lie in [0, 1), got \(validationFraction)")
    try require(evaluationEpisodes >= 0, "evaluation_episodes", "must not be negative, got \(evaluationEpisodes)")
    try require((evaluationMaxSteps ?? 1) > 0, "evaluation_max_steps", "must be positive, got \(evaluationMaxSteps ?? 0)")
    try require(patience >= 0, "patience", "must not be negative, got \(patience)")
    try require((workerCount ?? 1) > 0, "worker_count", "must be positive, got \(workerCount ?? 0)")
    try require((windowsPerEpoch ?? 1) > 0, "windows_per_epoch", "must be positive, got \(windowsPerEpoch ?? 0)")
    if let validationEpisodes {
      try require(
        !validationEpisodes.isEmpty && validationEpisodes.allSatisfy { $0 >= 0 } && Set(validationEpisodes).count == validationEpisodes.count,
        "validation_episodes", "must be distinct episode indices (≥ 0), got \(validationEpisodes)")
    }
    if let actionWeights {
      try require(
        actionWeights.allSatisfy { $0 >= 0 && $0.isFinite } && actionWeights.contains { $0 > 0 }, "action_weights",
        "must be finite, non-negative and not all zero, got \(actionWeights)")
    }
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case epochs, windowLength, batchSize, learningRate, maxGradientNorm, entropyCoefficient, validationFraction
    case evaluationEpisodes, evaluationMaxSteps, patience, workerCount, windowsPerEpoch, actionWeights, validationEpisodes
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try c.rejectUnknownKeys(decoder)
    let d = BCConfiguration()
    epochs = try c.value(.epochs, default: d.epochs)
    windowLength = try c.value(.windowLength, default: d.windowLength)
    batchSize = try c.value(.batchSize, default: d.batchSize)
    learningRate = try c.value(.learningRate, default: d.learningRate)
    maxGradientNorm = try c.value(.maxGradientNorm, default: d.maxGradientNorm)
    entropyCoefficient = try c.value(.entropyCoefficient, default: d.entropyCoefficient)
    validationFraction = try c.value(.validationFraction, default: d.validationFraction)
    evaluationEpisodes = try c.value(.evaluationEpisodes, default: d.evaluationEpisodes)
    evaluationMaxSteps = try c.value(.evaluationMaxSteps, default: d.evaluationMaxSteps)
    patience = try c.value(.patience, default: d.patience)
    workerCount = try c.value(.workerCount, default: d.workerCount)
    windowsPerEpoch = try c.value(.windowsPerEpoch, default: d.windowsPerEpoch)
    actionWeights = try c.value(.actionWeights, default: d.actionWeights)
    validationEpisodes = try c.value(.validationEpisodes, default: d.validationEpisodes)
  }
}

/// Everything a `bc-train` run is made of: the environment, the seed, the policy and the
/// cloning hyperparameters. Saved as `config.json` in the run directory.
///
/// JSON (snake_case; every key optional; unknown keys are errors):
/// ```json
/// {"env": "CartPole-v1", "seed": 1, "policy": {"circuit": "cfc", "units": 32},
///  "bc": {"epochs": 5, "window_length": 32}}
/// ```
public struct BCRunConfiguration: Codable, Hashable, Sendable {
  /// A catalog id, e.g. `CartPole-v1`.
  public var env = "CartPole-v1"
  /// Seeds parameters, the validation split, window order and evaluation.
  public var seed: UInt64 = 1
  /// The policy; the critic reads the circuit (`shared`): cloning trains only the actor.
  public var policy: PolicyConfiguration = {
    var p = PolicyConfiguration()
    p.critic = .shared
    return p
  }()
  public var bc = BCConfiguration()
  /// The policy sees the last `frameStack` observations side by side along the last axis
  /// (``ChannelStack``; padded with the first at episode start): how a memoryless `mlp` circuit
  /// gets a window of history. 1 is the observation alone. Checkpoints of stacked runs expect
  /// stacked observations, so `evaluate` and `watch` (which build the catalog env) cannot load
  /// them.
  public var frameStack = 1
  /// A `checkpoint.safetensors` (bc-train or ppo-train, the same policy configuration) whose
  /// policy tensors start the run instead of a fresh initialisation: fine-tuning a clone on new
  /// demonstrations. `nil`: fresh.
  public var initFrom: String? = nil

  public init() {}

  public func validate() throws {
    try policy.validate()
    try bc.validate()
    if frameStack < 1 { throw ConfigurationError(field: "frame_stack", problem: "must be positive, got \(frameStack)") }
  }

  /// This configuration with the settings a resumed run may change set to their defaults: the
  /// schedule (`bc.learning_rate`, `bc.epochs`, `bc.patience`) and the evaluation
  /// (`bc.evaluation_episodes`, `bc.evaluation_max_steps`, `bc.worker_count`). The rest define
  /// the run (its data, model, windows and random streams) and must stay as they were.
  public var definingRun: BCRunConfiguration {
    var c = self
    let d = BCConfiguration()
    (c.bc.learningRate, c.bc.epochs, c.bc.patience) = (d.learningRate, d.epochs, d.patience)
    (c.bc.evaluationEpisodes, c.bc.evaluationMaxSteps, c.bc.workerCount) = (d.evaluationEpisodes, d.evaluationMaxSteps, d.workerCount)
    return c
  }

  /// The resumable settings (``definingRun``) that differ from `other`'s, as
  /// `learning_rate 0.0005 -> 0.0001`, for the log.
  public func changes(from other: BCRunConfiguration) -> [String] {
    func text<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "none" }
    let pairs: [(String, String, String)] = [
      ("learning_rate", text(other.bc.learningRate), text(bc.learningRate)), ("epochs", text(other.bc.epochs), text(bc.epochs)),
      ("patience", text(other.bc.patience), text(bc.patience)),
      ("evaluation_episodes", text(other.bc.evaluationEpisodes), text(bc.evaluationEpisodes)),
      ("evaluation_max_steps", text(other.bc.evaluationMaxSteps), text(bc.evaluationMaxSteps)),
      ("worker_count", text(other.bc.workerCount), text(bc.workerCount)),
    ]
    return pairs.filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1) -> \($0.2)" }
  }

  /// The observations the policy sees: the environment's, stacked `frameStack` deep.
  public func policyObservationSpace(_ space: ObservationSpace) -> ObservationSpace {
    guard frameStack > 1 else { return space }
    let channels = space.shape.last!
    let copies = [[Float]](repeating: [], count: frameStack)
    return ObservationSpace(
      shape: Array(space.shape.dropLast()) + [frameStack * channels],
      low: interleaveFrames(copies.map { _ in space.low }, channels: channels),
      high: interleaveFrames(copies.map { _ in space.high }, channels: channels),
      elementType: space.elementType)
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case env, seed, policy, bc, frameStack, initFrom
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try c.rejectUnknownKeys(decoder)
    let d = BCRunConfiguration()
    env = try c.value(.env, default: d.env)
    seed = try c.value(.seed, default: d.seed)
    policy = try c.value(.policy, default: d.policy)
    bc = try c.value(.bc, default: d.bc)
    frameStack = try c.value(.frameStack, default: d.frameStack)
    initFrom = try c.value(.initFrom, default: d.initFrom)
  }
}

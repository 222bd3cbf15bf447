/// Hyperparameters of proximal policy optimization (Schulman et al. 2017), with defaults that
/// train a CfC policy on CartPole-v1 within 100k steps.
///
/// JSON spells the keys in snake_case (`learning_rate`); every key is optional and an absent key
/// keeps the default documented here; an unknown key is an error.
public struct PPOConfiguration: Codable, Hashable, Sendable {
  /// Environment steps to train for, summed over all environments.
  public var totalSteps = 100_000
  /// Environments stepped in parallel; each contributes one sequence to every rollout.
  public var environmentCount = 8
  /// Steps each environment takes per rollout; the rollout holds
  /// `environmentCount × stepsPerRollout` transitions.
  public var stepsPerRollout = 32
  /// Passes over each rollout. rl-zoo's CartPole setting is 20; 10 solves every tested seed
  /// (`Experiments/cartpole-cfc-ppo`) at half the update cost.
  public var epochs = 10
  /// Minibatches per epoch. Minibatches are whole environment sequences (recurrent policies
  /// must replay a sequence from its initial state), so `environmentCount` must be divisible.
  public var minibatchCount = 1
  /// Adam's step size, annealed linearly to zero over training when `annealLearningRate`.
  public var learningRate: Float = 1e-3
  public var annealLearningRate = true
  /// Adam's ε; 1e-5 as in CleanRL and SB3 (PyTorch's default is 1e-8).
  public var adamEpsilon: Float = 1e-5
  /// How strongly future rewards count; γ.
  public var discount: Float = 0.98
  /// The bias–variance trade-off of generalized advantage estimation; λ.
  public var gaeLambda: Float = 0.8
  /// How far the probability ratio may move before the surrogate is clipped; ε.
  public var clipRange: Float = 0.2
  /// Anneal `clipRange` linearly to zero with the learning rate (rl-zoo's `lin_0.2`).
  public var annealClipRange = true
  /// Clip the value loss around the old values with `clipRange`, as CleanRL (SB3 does not).
  public var clipValueLoss = false
  /// Weight of the entropy bonus; c₂.
  public var entropyCoefficient: Float = 0
  /// Weight of the value loss; c₁.
  public var valueCoefficient: Float = 0.5
  /// Global gradient-norm clipping threshold.
  public var maxGradientNorm: Float = 0.5
  /// Normalize advantages per minibatch to zero mean and unit variance.
  public var normalizeAdvantages = true
  /// Bootstrap truncated episodes from the critic's value of their final observation (SB3);
  /// `false` treats truncation as termination (CleanRL).
  public var bootstrapTruncation = true
  /// Stop an update's remaining epochs early once the approximate KL divergence exceeds this.
  public var targetKL: Float? = nil
  /// Worker threads for rollouts; `nil` uses every core. Results do not depend on it.
  public var workerCount: Int? = nil
  /// Environments the policy acts on in one call during rollouts; chunks are spread over the
  /// workers. A policy call on a few small vectors costs mostly fixed overhead, so CartPole-sized
  /// policies act fastest on all 8 environments at once; policies with a lot of work per
  /// environment (pixels) want chunks of 1–4 so that every core gets some. Results depend on it
  /// (in the last bits of the GEMMs), never on `workerCount`.
  public var rolloutChunkSize = 8
  /// Stops training after the first iteration that ends this many seconds of training
  /// (wall-clock, summed over resumed sessions) after the start, then evaluates as at the end;
  /// `nil`: only `total_steps` ends training. Where it stops depends on the machine's speed;
  /// learning-rate and clip annealing still follow `total_steps`.
  public var maxTrainingSeconds: Double? = nil
  /// Episodes of the final greedy evaluation.
  public var evaluationEpisodes = 100
  /// Ends each evaluation episode after this many steps (its return so far counts); `nil` lets
  /// the environment end it. A greedy Breakout policy that never serves plays ALE's 27,000 steps.
  public var evaluationMaxSteps: Int? = nil
  /// Episodes of a second final evaluation with actions sampled from the policy (as in
  /// training), under the same step limit; 0 skips it.
  public var sampledEvaluationEpisodes = 0
  /// Iterations between evaluations during training (each plays `periodic_evaluation_episodes`
  /// greedy and as many sampled episodes under `evaluation_max_steps`, logged as
  /// `eval/greedy_return` and `eval/sampled_return` and drawn on the curve); 0: none.
  public var evaluationInterval = 0
  public var periodicEvaluationEpisodes = 8

  public init() {}

  /// The number of transitions in one rollout.
  public var rolloutSize: Int { environmentCount * stepsPerRollout }

  /// The number of rollouts (policy updates) in a whole run.
  public var updateCount: Int { max(1, totalSteps / rolloutSize) }

  /// Checks ranges and relations between the values; the error names the field.
  public func validate() throws {
    func require(_ condition: Bool, _ field: String, _ problem: String) throws {
      if !condition { throw ConfigurationError(field: "ppo.\(field)", problem: problem) }
    }
    try require(totalSteps > 0, "total_steps", "must be positive, got \(totalSteps)")
    try require(environmentCount > 0, "environment_count", "must be positive, got \(environmentCount)")
    try require(stepsPerRollout > 0, "steps_per_rollout", "must be positive, got \(stepsPerRollout)")
    try require(epochs > 0, "epochs", "must be positive, got \(epochs)")
    try require(
      minibatchCount > 0 && environmentCount % minibatchCount == 0, "minibatch_count",
      "must divide environment_count (\(environmentCount)), got \(minibatchCount)")
    try require(learningRate > 0 && learningRate.isFinite, "learning_rate", "must be positive, got \(learningRate)")
    try require(adamEpsilon > 0, "adam_epsilon", "must be positive, got \(adamEpsilon)")
    try require((0...1).contains(discount), "discount", "must be in 0...1, got \(discount)")
    try require((0...1).contains(gaeLambda), "gae_lambda", "must be in 0...1, got \(gaeLambda)")
    try require(clipRange > 0, "clip_range", "must be positive, got \(clipRange)")
    try require(entropyCoefficient >= 0, "entropy_coefficient", "must not be negative, got \(entropyCoefficient)")
    try require(valueCoefficient >= 0, "value_coefficient", "must not be negative, got \(valueCoefficient)")
    try require(maxGradientNorm > 0, "max_gradient_norm", "must be positive, got \(maxGradientNorm)")
    try require(targetKL.map { $0 > 0 } ?? true, "target_kl", "must be positive when given")
    try require(workerCount.map { $0 > 0 } ?? true, "worker_count", "must be positive when given")
    try require(rolloutChunkSize > 0, "rollout_chunk_size", "must be positive, got \(rolloutChunkSize)")
    try require(evaluationEpisodes >= 0, "evaluation_episodes", "must not be negative, got \(evaluationEpisodes)")
    try require(
      evaluationMaxSteps.map { $0 > 0 } ?? true, "evaluation_max_steps", "must be positive, got \(evaluationMaxSteps ?? 0)")
    try require(
      maxTrainingSeconds.map { $0 > 0 && $0.isFinite } ?? true, "max_training_seconds",
      "must be positive, got \(maxTrainingSeconds ?? 0)")
    try require(evaluationInterval >= 0, "evaluation_interval", "must not be negative, got \(evaluationInterval)")
    try require(
      periodicEvaluationEpisodes > 0, "periodic_evaluation_episodes", "must be positive, got \(periodicEvaluationEpisodes)")
    try require(
      sampledEvaluationEpisodes >= 0, "sampled_evaluation_episodes", "must not be negative, got \(sampledEvaluationEpisodes)")
  }

  // MARK: Codable with defaults

  enum CodingKeys: String, CodingKey, CaseIterable {
    case totalSteps, environmentCount, stepsPerRollout, epochs, minibatchCount, learningRate
    case annealLearningRate, adamEpsilon, discount, gaeLambda, clipRange, annealClipRange
    case clipValueLoss, entropyCoefficient, valueCoefficient, maxGradientNorm
    case normalizeAdvantages, bootstrapTruncation, workerCount, rolloutChunkSize, evaluationEpisodes
    case evaluationMaxSteps, sampledEvaluationEpisodes, evaluationInterval, periodicEvaluationEpisodes
    case maxTrainingSeconds
    case targetKL = "targetKl"  // snake_case: target_kl
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try c.rejectUnknownKeys(decoder)
    let d = PPOConfiguration()
    totalSteps = try c.value(.totalSteps, default: d.totalSteps)
    environmentCount = try c.value(.environmentCount, default: d.environmentCount)
    stepsPerRollout = try c.value(.stepsPerRollout, default: d.stepsPerRollout)
    epochs = try c.value(.epochs, default: d.epochs)
    minibatchCount = try c.value(.minibatchCount, default: d.minibatchCount)
    learningRate = try c.value(.learningRate, default: d.learningRate)
    annealLearningRate = try c.value(.annealLearningRate, default: d.annealLearningRate)
    adamEpsilon = try c.value(.adamEpsilon, default: d.adamEpsilon)
    discount = try c.value(.discount, default: d.discount)
    gaeLambda = try c.value(.gaeLambda, default: d.gaeLambda)
    clipRange = try c.value(.clipRange, default: d.clipRange)
    annealClipRange = try c.value(.annealClipRange, default: d.annealClipRange)
    clipValueLoss = try c.value(.clipValueLoss, default: d.clipValueLoss)
    entropyCoefficient = try c.value(.entropyCoefficient, default: d.entropyCoefficient)
    valueCoefficient = try c.value(.valueCoefficient, default: d.valueCoefficient)
    maxGradientNorm = try c.value(.maxGradientNorm, default: d.maxGradientNorm)
    normalizeAdvantages = try c.value(.normalizeAdvantages, default: d.normalizeAdvantages)
    bootstrapTruncation = try c.value(.bootstrapTruncation, default: d.bootstrapTruncation)
    targetKL = try c.decodeIfPresent(Float.self, forKey: .targetKL)
    workerCount = try c.decodeIfPresent(Int.self, forKey: .workerCount)
    rolloutChunkSize = try c.value(.rolloutChunkSize, default: d.rolloutChunkSize)
    evaluationEpisodes = try c.value(.evaluationEpisodes, default: d.evaluationEpisodes)
    evaluationMaxSteps = try c.decodeIfPresent(Int.self, forKey: .evaluationMaxSteps)
    sampledEvaluationEpisodes = try c.value(.sampledEvaluationEpisodes, default: d.sampledEvaluationEpisodes)
    maxTrainingSeconds = try c.decodeIfPresent(Double.self, forKey: .maxTrainingSeconds)
    evaluationInterval = try c.value(.evaluationInterval, default: d.evaluationInterval)
    periodicEvaluationEpisodes = try c.value(.periodicEvaluationEpisodes, default: d.periodicEvaluationEpisodes)
  }
}

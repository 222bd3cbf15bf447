/// The architecture of an actor-critic policy: an observation encoder, a circuit, and the actor
/// and critic heads that read the circuit's output.
///
/// JSON spells the keys in snake_case; every key is optional; unknown keys are errors.
public struct PolicyConfiguration: Codable, Hashable, Sendable {
  /// The recurrent core of the policy.
  public enum Circuit: String, Codable, CaseIterable, Sendable {
    /// A fully connected CfC (closed-form continuous-time) cell with a backbone.
    case cfc
    /// A fully connected LTC (liquid time-constant) cell.
    case ltc
    /// A CfC cell wired as an AutoNCP (sensory → inter → command → motor neurons).
    case ncpCfC = "ncp-cfc"
    /// An LTC cell wired as an AutoNCP.
    case ncpLTC = "ncp-ltc"
    /// An LSTM cell, the recurrent baseline.
    case lstm
    /// No recurrence: a feed-forward MLP baseline (sees only the current observation).
    case mlp
  }

  /// How observations are encoded before the circuit.
  public enum Encoder: String, Codable, CaseIterable, Sendable {
    /// Picks `mlp` for vectors, `grid` for categorical grid views (`UInt8` [height, width,
    /// channels] with small values: MiniGrid, MinAtar) and `natureCNN` for pixel frames
    /// (`UInt8` 0...255, [channels, height, width] or [height, width, channels]).
    case automatic = "auto"
    /// Fully connected layers of `encoderUnits` (none: the raw observation feeds the circuit).
    case mlp
    /// The DQN/CleanRL Nature CNN: 32×8×8 s4, 64×4×4 s2, 64×3×3 s1, then a linear layer.
    case natureCNN = "nature-cnn"
    /// The conv block of ncps' Atari examples: 64-128-128-256 channels, global average pooling.
    case ncpsAtari = "ncps-atari"
    /// One-hot planes per channel and rl-starter-files' small MiniGrid conv network, then a
    /// linear layer (``GridEncoder``).
    case grid
  }

  /// What the critic reads.
  public enum Critic: String, Codable, CaseIterable, Sendable {
    /// The actor's circuit output (one network, CleanRL's LSTM agent).
    case shared
    /// Its own feed-forward MLP of `criticUnits` on the encoded observation (SB3's separate
    /// value network); cheap, but without memory.
    case mlp
    /// Its own circuit of the actor's kind (SB3 RecurrentPPO's `enable_critic_lstm`).
    case circuit
  }

  public var circuit = Circuit.cfc
  /// Neurons of the circuit (CfC/LTC units, AutoNCP neurons, LSTM cells, or MLP hidden width).
  public var units = 32
  /// Motor neurons of an AutoNCP wiring (`ncp-cfc`, `ncp-ltc`); the heads read them.
  public var motorNeurons = 8
  /// AutoNCP's sparsity level.
  public var sparsity: Float = 0.5
  /// Width of the CfC backbone (ncps' `backbone_units`).
  public var backboneUnits = 64
  /// Depth of the CfC backbone (ncps' `backbone_layers`).
  public var backboneLayers = 1
  /// CfC mode: `default`, `pure` or `no_gate`.
  public var mode = "default"
  /// LTC solver steps per observation (ncps' `ode_unfolds`).
  public var odeUnfolds = 6
  /// ncps' `mixed_memory=True` for `cfc`, `ltc`, `ncp-cfc` and `ncp-ltc`: an LSTM runs on the
  /// input before the circuit at every step, sharing its state and adding a cell state
  /// (``MixedMemoryCircuit``; the recurrent state doubles to `[h | c]`).
  public var mixedMemory = false
  public var encoder = Encoder.automatic
  /// Hidden widths of the MLP encoder; empty feeds the observation to the circuit directly.
  public var encoderUnits: [Int] = []
  /// Output width of the final linear layer of the `nature-cnn` (CleanRL: 512) and `grid`
  /// encoders; `ncps-atari` always gives 256.
  public var encoderFeatures = 256
  /// Output channels of the `nature-cnn` encoder's three convolutions (CleanRL: 32, 64, 64).
  /// Narrower trunks cost proportionally less per frame.
  public var encoderChannels = [32, 64, 64]
  /// `ncps-atari` only: a BatchNorm after the 2nd and 4th convolution, as in ncps' PyTorch
  /// Atari cloning example (`bn2`, `bn4`). Batch statistics while `bc-train` trains, running
  /// statistics when acting (the policy's default mode); PPO never switches to training mode.
  public var encoderBatchNorm = false
  /// Seeds the wiring of `ncp-*` circuits (ncps' AutoNCP `seed`).
  public var wiringSeed = 22222
  public var critic = Critic.mlp
  /// Hidden widths of the `mlp` critic (and of the `mlp` circuit baseline).
  public var criticUnits = [64, 64]
  /// Gain of the actor head's orthogonal weight: CleanRL's 0.01 (near-uniform first actions, for
  /// PPO). Behavior cloning of Breakout stays at the class prior with it; 1 is near PyTorch's
  /// default Linear init (Experiments/breakout-cfc-cloning/README.md).
  public var actorGain = 0.01

  public init() {}

  /// Checks ranges; the error names the field.
  public func validate() throws {
    func require(_ condition: Bool, _ field: String, _ problem: String) throws {
      if !condition { throw ConfigurationError(field: "policy.\(field)", problem: problem) }
    }
    try require(units > 0, "units", "must be positive, got \(units)")
    try require(backboneUnits > 0, "backbone_units", "must be positive, got \(backboneUnits)")
    try require(backboneLayers >= 0, "backbone_layers", "must not be negative, got \(backboneLayers)")
    try require(["default", "pure", "no_gate"].contains(mode), "mode", "must be default, pure or no_gate, got '\(mode)'")
    try require(odeUnfolds > 0, "ode_unfolds", "must be positive, got \(odeUnfolds)")
    try require(
      !mixedMemory || [.cfc, .ltc, .ncpCfC, .ncpLTC].contains(circuit), "mixed_memory",
      "needs circuit cfc, ltc, ncp-cfc or ncp-ltc, got \(circuit.rawValue)")
    try require(encoderUnits.allSatisfy { $0 > 0 }, "encoder_units", "must all be positive, got \(encoderUnits)")
    try require(encoderFeatures > 0, "encoder_features", "must be positive, got \(encoderFeatures)")
    try require(
      encoderChannels.count == 3 && encoderChannels.allSatisfy { $0 > 0 }, "encoder_channels",
      "must be three positive channel counts, got \(encoderChannels)")
    try require(actorGain > 0 && actorGain.isFinite, "actor_gain", "must be positive, got \(actorGain)")
    try require(
      !criticUnits.isEmpty && criticUnits.allSatisfy { $0 > 0 }, "critic_units",
      "must be a non-empty list of positive widths, got \(criticUnits)")
    try require(
      !encoderBatchNorm || encoder == .ncpsAtari, "encoder_batch_norm", "needs encoder ncps-atari, got \(encoder.rawValue)")
    if circuit == .ncpCfC || circuit == .ncpLTC {
      try require(
        motorNeurons > 0 && motorNeurons < units - 2, "motor_neurons",
        "must be in 1..<units-2 (\(units - 2)) for an AutoNCP wiring, got \(motorNeurons)")
      try require((0.1...0.9).contains(sparsity), "sparsity", "must be in 0.1...0.9, got \(sparsity)")
    }
  }

  // MARK: Codable with defaults

  enum CodingKeys: String, CodingKey, CaseIterable {
    case circuit, units, motorNeurons, sparsity, backboneUnits, backboneLayers, mode, odeUnfolds, mixedMemory
    case encoder, encoderUnits, encoderFeatures, encoderChannels, encoderBatchNorm, wiringSeed, critic, criticUnits, actorGain
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    try c.rejectUnknownKeys(decoder)
    let d = PolicyConfiguration()
    circuit = try c.value(.circuit, default: d.circuit)
    units = try c.value(.units, default: d.units)
    motorNeurons = try c.value(.motorNeurons, default: d.motorNeurons)
    sparsity = try c.value(.sparsity, default: d.sparsity)
    backboneUnits = try c.value(.backboneUnits, default: d.backboneUnits)
    backboneLayers = try c.value(.backboneLayers, default: d.backboneLayers)
    mode = try c.value(.mode, default: d.mode)
    odeUnfolds = try c.value(.odeUnfolds, default: d.odeUnfolds)
    mixedMemory = try c.value(.mixedMemory, default: d.mixedMemory)
    encoder = try c.value(.encoder, default: d.encoder)
    encoderUnits = try c.value(.encoderUnits, default: d.encoderUnits)
    encoderFeatures = try c.value(.encoderFeatures, default: d.encoderFeatures)
    encoderChannels = try c.value(.encoderChannels, default: d.encoderChannels)
    encoderBatchNorm = try c.value(.encoderBatchNorm, default: d.encoderBatchNorm)
    wiringSeed = try c.value(.wiringSeed, default: d.wiringSeed)
    critic = try c.value(.critic, default: d.critic)
    criticUnits = try c.value(.criticUnits, default: d.criticUnits)
    actorGain = try c.value(.actorGain, default: d.actorGain)
  }
}

import Environments
import NeuralNetworks
import Randomness
import TensorCore

/// An actor-critic policy: observation encoder → circuit → actor head (action logits, or the
/// Gaussian mean), and a critic head (the value) reading either the same circuit or a circuit of
/// its own (SB3's separate critic network, `enable_critic_lstm`), which keeps the large value
/// gradients from disturbing the policy's features.
///
/// The recurrent state of one environment is `[circuit state | critic circuit state]`.
/// Parameter names: `encoder.*`, `circuit.*`, `critic_circuit.*`, `actor.weight`, `actor.bias`,
/// `critic.weight`, `critic.bias`, and `actor_log_std` for continuous actions.
public struct ActorCritic: Layer, Sendable {
  /// Maps one observation to the circuit's input; `nil` feeds the observation directly.
  public var encoder: (any UnaryLayer & Sendable)?
  public var circuit: any PolicyCircuit
  /// The critic's own circuit, or `nil` when the critic reads `circuit`.
  public var criticCircuit: (any PolicyCircuit)?
  public var actor: Linear
  public var critic: Linear
  /// Shape: [actionSize]; the state-independent log standard deviation of continuous actions.
  public var logStandardDeviation: Tensor?
  public let actionSpace: ActionSpace
  /// Shape of one observation, e.g. [4] or [4, 84, 84].
  public let observationShape: [Int]

  /// Assembles a policy; heads are orthogonally initialized with gains `actorGain` (CleanRL's
  /// 0.01) and 1 (critic) and zero biases.
  public init(
    encoder: (any UnaryLayer & Sendable)?, circuit: any PolicyCircuit, criticCircuit: (any PolicyCircuit)? = nil,
    observationShape: [Int], actionSpace: ActionSpace, actorGain: Double = 0.01,
    using generator: inout RandomStream
  ) {
    precondition(criticCircuit.map { $0.inputSize == circuit.inputSize } ?? true, "both circuits read the encoder's output")
    self.encoder = encoder
    self.circuit = circuit
    self.criticCircuit = criticCircuit
    self.observationShape = observationShape
    self.actionSpace = actionSpace
    actor = orthogonalLinear(inputSize: circuit.outputSize, outputSize: actionSpace.size, gain: actorGain, using: &generator)
    critic = orthogonalLinear(
      inputSize: (criticCircuit ?? circuit).outputSize, outputSize: 1, gain: 1, using: &generator)
    if case .continuous = actionSpace { logStandardDeviation = Tensor(zeros: [actionSpace.size]) }
  }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    if encoder != nil { try encoder!.visitTensors(prefix: "encoder", body) }
    try circuit.visitTensors(prefix: "circuit", body)
    if criticCircuit != nil { try criticCircuit!.visitTensors(prefix: "critic_circuit", body) }
    try actor.visitTensors(prefix: "actor", body)
    try critic.visitTensors(prefix: "critic", body)
    if logStandardDeviation != nil { try body("actor_log_std", .parameter, &logStandardDeviation!) }
  }

  public mutating func setTraining(_ isTraining: Bool) {
    encoder?.setTraining(isTraining)
    circuit.setTraining(isTraining)
    criticCircuit?.setTraining(isTraining)
  }

  /// Elements of one environment's recurrent state.
  public var stateSize: Int { circuit.stateSize + (criticCircuit?.stateSize ?? 0) }

  /// One acting step for a batch of environments.
  ///
  /// - Parameters:
  ///   - observations: Shape: [batch] + observationShape.
  ///   - state: Shape: [batch, stateSize]; rows of environments whose episode starts here are
  ///     zeroed first.
  ///   - episodeStarts: Shape: [batch]; 1 where the observation starts an episode.
  ///   - elapsedTimes: Shape: [batch].
  public func step(observations: Tensor, state: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor)
    -> (distribution: ActionDistribution, values: Tensor, state: Tensor)
  {
    let batch = observations.shape[0]
    let features = encode(observations)
    let kept = stateSize > 0 ? Self.zeroingRows(of: state, where: episodeStarts) : state
    let actorState = kept.slice(axis: 1, range: 0..<circuit.stateSize)
    let (output, next) = circuit.step(features, state: actorState, elapsedTimes: elapsedTimes)
    guard let criticCircuit else {
      return (distribution(output), critic(output).reshaped(to: [batch]), next)
    }
    let criticState = kept.slice(axis: 1, range: circuit.stateSize..<stateSize)
    let (criticOutput, criticNext) = criticCircuit.step(features, state: criticState, elapsedTimes: elapsedTimes)
    return (distribution(output), critic(criticOutput).reshaped(to: [batch]), concat([next, criticNext], axis: 1))
  }

  /// Replays whole sequences as an update does.
  ///
  /// - Parameters:
  ///   - observations: Shape: [batch, steps] + observationShape.
  ///   - initialState: Shape: [batch, stateSize].
  ///   - episodeStarts, elapsedTimes: Shape: [batch, steps].
  /// - Returns: The action distribution and values over the `batch × steps` samples, batch-major.
  public func replay(observations: Tensor, initialState: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor)
    -> (distribution: ActionDistribution, values: Tensor)
  {
    let (batch, steps) = (observations.shape[0], observations.shape[1])
    let flat = observations.reshaped(to: [batch * steps] + observationShape)
    let features = encode(flat).reshaped(to: [batch, steps, circuit.inputSize])
    let outputs = circuit.sequence(
      features, initialState: initialState.slice(axis: 1, range: 0..<circuit.stateSize),
      episodeStarts: episodeStarts, elapsedTimes: elapsedTimes)
    let rows = outputs.reshaped(to: [batch * steps, circuit.outputSize])
    guard let criticCircuit else {
      return (distribution(rows), critic(rows).reshaped(to: [batch * steps]))
    }
    let criticOutputs = criticCircuit.sequence(
      features, initialState: initialState.slice(axis: 1, range: circuit.stateSize..<stateSize),
      episodeStarts: episodeStarts, elapsedTimes: elapsedTimes)
    let criticRows = criticOutputs.reshaped(to: [batch * steps, criticCircuit.outputSize])
    return (distribution(rows), critic(criticRows).reshaped(to: [batch * steps]))
  }

  /// `state` with the rows flagged in `episodeStarts` set to zero. Acting tensors record
  /// nothing, so the rows are zeroed in place of the two tensor ops of `state · (1 − starts)`.
  private static func zeroingRows(of state: Tensor, where episodeStarts: Tensor) -> Tensor {
    let (batch, width) = (state.shape[0], state.shape[1])
    guard !state.isRecording && !episodeStarts.isRecording else {
      return state * (1 - episodeStarts).reshaped(to: [batch, 1])
    }
    guard episodeStarts.scalars.contains(where: { $0 != 0 }) else { return state }
    var scalars = state.scalars
    for row in 0..<batch where episodeStarts.scalars[row] != 0 {
      for k in 0..<width { scalars[row * width + k] = 0 }
    }
    return Tensor(scalars, shape: state.shape)
  }

  private func encode(_ observations: Tensor) -> Tensor {
    let n = observations.shape[0]
    guard let encoder else { return observations.reshaped(to: [n, circuit.inputSize]) }
    return encoder(observations)
  }

  private func distribution(_ output: Tensor) -> ActionDistribution {
    switch actionSpace {
    case .discrete: .categorical(Categorical(logits: actor(output)))
    case .continuous: .gaussian(DiagonalGaussian(mean: actor(output), logStandardDeviation: logStandardDeviation!))
    }
  }
}

import Environments
import Foundation
import TensorCore
import Training

/// One environment being watched or played, independent of any window: steps the environment
/// with the policy's greedy action or a person's action, tracks the episode, and keeps what the
/// window shows (the policy's action probabilities, value estimate and circuit state).
public final class ViewerSession {
  public let environmentID: String
  public let keyMap: KeyMap
  public let policy: ActorCritic?
  /// Whether the policy acts (`true`) or the keyboard does; always `false` without a policy.
  /// Handing control back to the agent cuts the stretch being recorded.
  public var agentControls: Bool {
    didSet { if agentControls { recorder?.cut() } }
  }
  /// Records the steps a person takes (keyboard play or takeover), when set and started.
  public var recorder: PlayRecorder?
  public private(set) var episode = 1
  public private(set) var step = 0
  public private(set) var episodeReturn = 0.0
  /// The last episode's return, `nil` before the first episode ends.
  public private(set) var lastReturn: Double?
  /// Softmax of the policy's logits (discrete) or the Gaussian mean (continuous) for the
  /// current observation; empty without a policy.
  public private(set) var actionProbabilities: [Float] = []
  /// The critic's value of the current observation.
  public private(set) var value: Float?
  /// The actor circuit's recurrent state after reading the current observation (the state the
  /// shown probabilities come from). Shape: [circuit.stateSize].
  public private(set) var neuronActivations: [Float] = []
  /// The circuit's input for the current observation (the encoder's output, or the observation
  /// itself). Shape: [circuit.inputSize].
  public private(set) var inputActivations: [Float] = []
  /// The current observation, flat. Shape: observationSpace.shape.
  public private(set) var observation: [Float]
  public let observationSpace: ObservationSpace
  /// Whether observations are the catalog environment's own (not normalised), as datasets need.
  public let recordsRawObservations: Bool

  private var environment: any GameBox
  private var state: [Float]
  private var seed: UInt64

  /// - Throws: `Catalog.Error` for an unknown id; `ConfigurationError` when the policy's spaces
  ///   do not fit the environment.
  public convenience init(environmentID: String, policy: ActorCritic? = nil, seed: UInt64 = 0) throws {
    try self.init(environmentID: environmentID, environment: try Catalog.make(environmentID), policy: policy, seed: seed)
  }

  /// A session on `environment` as given (e.g. `PPOCheckpoint.environment(from:configuration:)`,
  /// which normalises observations as the policy's run did); `environmentID` picks the key map.
  /// Recording needs the catalog's own observations: ``recordsRawObservations`` says whether
  /// this environment gives them.
  public init(environmentID: String, environment made: any Environment, policy: ActorCritic? = nil, seed: UInt64 = 0) throws {
    if let policy {
      guard policy.observationShape == made.observationSpace.shape, policy.actionSpace == made.actionSpace else {
        throw ConfigurationError(
          field: "env", problem: "the policy was trained for other spaces than \(environmentID)'s")
      }
    }
    recordsRawObservations = (try? Catalog.make(environmentID).observationSpace) == made.observationSpace
    self.environmentID = environmentID
    self.policy = policy
    self.seed = seed
    agentControls = policy != nil
    keyMap = KeyMap(environmentID: environmentID, actionSpace: made.actionSpace)
    observationSpace = made.observationSpace
    environment = box(made)
    observation = environment.reset(seed: seed)
    state = [Float](repeating: 0, count: policy?.stateSize ?? 0)
    think()
  }

  public var actionSpace: ActionSpace { environment.actionSpace }

  /// The environment's own picture of its current state.
  public func render() -> Frame { environment.render() }

  /// Starts a new episode (the seed advances by one per episode); cuts a recorded stretch.
  public func reset() {
    recorder?.cut()
    episode += 1
    seed &+= 1
    observation = environment.reset(seed: seed)
    step = 0
    episodeReturn = 0
    state = [Float](repeating: 0, count: state.count)
    think()
  }

  /// Advances one step with the agent's action (when it controls) or `humanAction`; does
  /// nothing when the keyboard controls and `humanAction` is `nil`. A finished episode resets.
  /// - Returns: Whether the environment stepped.
  @discardableResult
  public func advance(humanAction: Action?) -> Bool {
    let action: Action
    let isHuman: Bool
    if agentControls, let greedy = greedyAction {
      (action, isHuman) = (greedy, false)
    } else if let humanAction {
      (action, isHuman) = (humanAction, true)
    } else {
      return false
    }
    if let next = pendingState { state = next }
    let outcome = environment.step(action)
    if isHuman {
      recorder?.record(
        observation: observation, seed: step == 0 ? seed : nil, action: action, outcome: outcome.outcome,
        next: outcome.observation)
    }
    observation = outcome.observation
    step += 1
    episodeReturn += outcome.outcome.reward
    if outcome.outcome.isDone {
      lastReturn = episodeReturn
      reset()
    } else {
      think()
    }
    return true
  }

  /// The circuit diagram for the last layout, and the panel with its synapses drawn (static).
  var diagramCache: (layout: ViewerLayout, diagram: CircuitDiagram?, synapses: Frame)?

  private var greedyAction: Action?
  private var pendingState: [Float]?

  /// Runs the policy on the current observation: probabilities, value, greedy action and the
  /// state it leads to.
  private func think() {
    guard let policy else { return }
    let observations = Tensor(observation, shape: [1] + policy.observationShape)
    inputActivations = policy.encoder.map { $0(observations).scalars } ?? observation
    let (distribution, values, next) = policy.step(
      observations: observations,
      state: Tensor(state, shape: [1, policy.stateSize]), episodeStarts: Tensor(zeros: [1]),
      elapsedTimes: Tensor(ones: [1]))
    value = values.scalars.first
    pendingState = next.scalars
    neuronActivations = Array(next.scalars.prefix(policy.circuit.stateSize))
    let mode = distribution.mode
    actionProbabilities = distribution.displayedValues
    switch distribution {
    case .categorical: greedyAction = .discrete(Int(mode[0]))
    case .gaussian: greedyAction = .continuous(mode)
    }
  }
}

/// An environment with its scalar type hidden, observations as `Float`.
protocol GameBox {
  var actionSpace: ActionSpace { get }
  func reset(seed: UInt64) -> [Float]
  func step(_ action: Action) -> (observation: [Float], outcome: StepOutcome)
  func render() -> Frame
}

private final class Box<Env: Environment>: GameBox {
  var environment: Env
  init(_ environment: Env) { self.environment = environment }
  var actionSpace: ActionSpace { environment.actionSpace }
  func reset(seed: UInt64) -> [Float] { environment.reset(seed: seed).map(\.floatValue) }
  func step(_ action: Action) -> (observation: [Float], outcome: StepOutcome) {
    let s = environment.step(action)
    return (s.observation.map(\.floatValue), StepOutcome(reward: s.reward, isTerminal: s.isTerminal, isTruncated: s.isTruncated))
  }
  func render() -> Frame { environment.render() }
}

private func box<Env: Environment>(_ environment: Env) -> any GameBox { Box(environment) }

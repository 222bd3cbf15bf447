import Environments
import Foundation
import TensorCore

/// What a cloned policy did in one greedy episode, step by step next to the scripted expert it
/// was cloned from: the expert is asked in every state the clone visits (as DAgger would label
/// them), so `confusion` shows where closed-loop play leaves the demonstrations — for Breakout,
/// whether the clone serves (FIRE) when no ball is in play.
public struct ClosedLoopTrace: Codable, Hashable, Sendable {
  public var seed: UInt64
  public var episodeReturn = 0.0
  public var length = 0
  public var isTerminal = false
  /// Shape: [actions (expert), actions (clone)]: steps with each pair of actions.
  public var confusion: [[Int]]
  /// Steps on which the expert's action was taken instead of the clone's
  /// (``ClosedLoopProbe/expertAction``).
  public var expertSteps = 0
  /// The actions taken, one digit (the action index) a step; with `expertAction` set, the
  /// expert's replacements show as that digit too.
  public var actions = ""
  /// The expert's action in each visited state, one digit a step.
  public var expertActions = ""

  /// Share of steps on which the clone chose the expert's action.
  public var agreement: Double {
    let total = confusion.joined().reduce(0, +)
    return Double(confusion.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(max(1, total))
  }
}

/// Plays greedy closed-loop episodes of a policy in an environment that has a scripted expert
/// (``ExpertProviding`` inside its wrappers) and records a ``ClosedLoopTrace`` of each.
public struct ClosedLoopProbe {
  public var policy: ActorCritic
  /// Ends an episode after this many steps (its return so far counts); `nil`: the environment's own end.
  public var maxSteps: Int?
  /// Zero the recurrent state every this many steps, as the training windows of `window_length`
  /// steps start from zero; `nil` carries it over the whole episode (how `evaluate` plays).
  public var stateResetInterval: Int?
  /// Take the expert's action instead of the clone's whenever the expert's is this action
  /// (Breakout: 1, FIRE, which the expert chooses exactly when no ball is in play — a serve
  /// assist like baselines' `FireResetEnv` after each lost life). `nil`: the clone acts alone.
  public var expertAction: Int?

  public init(policy: ActorCritic, maxSteps: Int? = nil, stateResetInterval: Int? = nil, expertAction: Int? = nil) {
    self.policy = policy
    self.maxSteps = maxSteps
    self.stateResetInterval = stateResetInterval
    self.expertAction = expertAction
  }

  /// One episode of `environment` (a copy) reset with `seed`.
  ///
  /// - Throws: `ConfigurationError` when the environment has no scripted expert or its actions
  ///   are not discrete.
  public func play(_ environment: any Environment, seed: UInt64) throws -> ClosedLoopTrace {
    guard case .discrete(let count) = environment.actionSpace else {
      throw ConfigurationError(field: "env", problem: "has continuous actions; the closed-loop probe compares discrete ones")
    }
    guard Self.expertAction(of: environment) != nil else {
      throw ConfigurationError(field: "env", problem: "\(type(of: environment)) has no scripted expert to compare with")
    }
    return play(environment, seed: seed, actionCount: count)
  }

  private func play<Env: Environment>(_ prototype: Env, seed: UInt64, actionCount: Int) -> ClosedLoopTrace {
    var environment = prototype
    var trace = ClosedLoopTrace(seed: seed, confusion: Array(repeating: Array(repeating: 0, count: actionCount), count: actionCount))
    var observation = environment.reset(seed: seed).map(\.floatValue)
    var state = [Float](repeating: 0, count: policy.stateSize)
    while trace.length < (maxSteps ?? .max) {
      if let interval = stateResetInterval, trace.length % interval == 0 {
        state = [Float](repeating: 0, count: policy.stateSize)
      }
      let (distribution, _, next) = policy.step(
        observations: Tensor(observation, shape: [1] + policy.observationShape), state: Tensor(state, shape: [1, policy.stateSize]),
        episodeStarts: Tensor(zeros: [1]), elapsedTimes: Tensor(ones: [1]))
      state = next.scalars
      let chosen = Int(distribution.mode[0])
      let expert = Self.expertAction(of: environment)!
      trace.confusion[expert][chosen] += 1
      trace.expertActions.append(String(expert))
      var action = chosen
      if let assisted = expertAction, expert == assisted, chosen != assisted {
        action = assisted
        trace.expertSteps += 1
      }
      trace.actions.append(String(action))
      let step = environment.step(.discrete(action))
      observation = step.observation.map(\.floatValue)
      trace.episodeReturn += step.reward
      trace.length += 1
      if step.isTerminal || step.isTruncated {
        trace.isTerminal = step.isTerminal
        break
      }
    }
    return trace
  }

  /// The expert's action in `environment`'s current state, found through its wrappers.
  static func expertAction(of environment: any Environment) -> Int? {
    if let provider = environment as? any ExpertProviding { return provider.expertAction() }
    if let wrapper = environment as? any EnvironmentWrapper { return expertAction(of: wrapper.wrappedEnvironment) }
    return nil
  }
}

extension ClosedLoopProbe {
  /// The greedy action's accuracy and the cross-entropy on the demonstrated states of `episodes` (open loop), with the
  /// recurrent state carried over each whole episode as closed-loop evaluation carries it — or
  /// zeroed every ``stateResetInterval`` steps, as the training and validation windows start
  /// from zero. The episodes are stepped together as one batch. Frame-stacked datasets
  /// (`frame_stack` > 1) are not supported.
  ///
  /// - Throws: `ConfigurationError` when an episode index is out of range or the policy does
  ///   not read the dataset's observations.
  public func replay(_ dataset: DemonstrationDataset, episodes: [Int]) throws -> BCMetrics {
    guard case .discrete(let count) = policy.actionSpace else {
      throw ConfigurationError(field: "policy", problem: "has continuous actions; replay compares discrete ones")
    }
    guard policy.observationShape == dataset.index.observationShape else {
      throw ConfigurationError(
        field: "policy", problem: "reads observations of shape \(policy.observationShape), the dataset holds \(dataset.index.observationShape)")
    }
    if let bad = episodes.first(where: { !dataset.episodes.indices.contains($0) }) {
      throw ConfigurationError(field: "episodes", problem: "episode \(bad) is not among the dataset's \(dataset.episodes.count)")
    }
    var result = BCMetrics()
    (result.actionSteps, result.actionMatches) = (Array(repeating: 0, count: count), Array(repeating: 0, count: count))
    let size = dataset.observationSize, stateSize = policy.stateSize
    var states = [[Float]](repeating: [Float](repeating: 0, count: stateSize), count: episodes.count)
    let longest = episodes.map { dataset.episodes[$0].steps }.max() ?? 0
    var correct = 0
    var logLikelihood = 0.0
    for t in 0..<longest {
      let active = episodes.indices.filter { t < dataset.episodes[episodes[$0]].steps }
      var observations: [Float] = []
      observations.reserveCapacity(active.count * size)
      for i in active { dataset.episodes[episodes[i]].appendObservation(t, size: size, to: &observations) }
      if let interval = stateResetInterval, t % interval == 0 {
        for i in active { states[i] = [Float](repeating: 0, count: stateSize) }
      }
      let (distribution, _, next) = policy.step(
        observations: Tensor(observations, shape: [active.count] + policy.observationShape),
        state: Tensor(active.flatMap { states[$0] }, shape: [active.count, stateSize]),
        episodeStarts: Tensor(zeros: [active.count]), elapsedTimes: Tensor(ones: [active.count]))
      let labels = active.map { dataset.episodes[episodes[$0]].actions[t] }
      logLikelihood += Double(distribution.logProbability(of: labels).scalars.reduce(0, +))
      let mode = distribution.mode, nextScalars = next.scalars
      for (row, i) in active.enumerated() {
        states[i] = Array(nextScalars[row * stateSize..<(row + 1) * stateSize])
        let label = Int(dataset.episodes[episodes[i]].actions[t])
        result.actionSteps[label] += 1
        if Int(mode[row]) == label { correct += 1; result.actionMatches[label] += 1 }
      }
      result.steps += active.count
    }
    result.accuracy = Float(correct) / Float(max(1, result.steps))
    result.loss = Float(-logLikelihood / Double(max(1, result.steps)))
    return result
  }
}

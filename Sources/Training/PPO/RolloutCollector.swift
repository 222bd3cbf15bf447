import Dispatch
import Environments
import Randomness
import TensorCore

/// Steps a fixed set of environments with a policy and fills ``RolloutBuffer``s, carrying
/// environments, recurrent states and random streams from one rollout to the next.
///
/// Environments are processed in chunks of `chunkSize`: the policy acts on a chunk as one batch
/// and the chunk's environments are stepped right after, on one worker thread. Chunks are spread
/// over `workerCount` threads with `DispatchQueue.concurrentPerform`; a worker touches only its
/// chunks' slots and results. The chunking does not depend on the worker count and each
/// environment samples from its own stream, so a seed gives the same rollouts for any number of
/// workers.
///
/// Autoreset: when a step ends an episode the environment is reset at once, and the reset
/// observation is what the next step acts on, flagged as an episode start (the policy zeroes
/// that row's state first). A truncated episode's final observation is valued by the critic
/// right away, with the state that followed the step, for bootstrapping.
public struct RolloutCollector<Env: Environment> {
  /// Everything that belongs to one environment between steps.
  struct Slot {
    var environment: Env
    /// Shape: [observationSize]; what the next step acts on.
    var observation: [Float]
    /// Shape: [observationSize]; the environment writes its observations here first.
    var scratch: [Env.Scalar] = []
    /// The observation starts an episode.
    var isEpisodeStart = true
    /// Shape: [stateSize]; the circuit state after the last step.
    var state: [Float]
    var actionStream: RandomStream
    var runningReturn = 0.0
    var runningLength = 0

    /// Resets the environment into `observation`.
    mutating func reset(seed: UInt64?) { environment.reset(seed: seed, scratch: &scratch, into: &observation) }

    /// Steps the environment, writing the next observation into `observation`.
    mutating func step(_ action: Action) -> StepOutcome { environment.step(action, scratch: &scratch, into: &observation) }
  }

  /// What one step of one chunk produced, in the chunk's row order.
  struct ChunkStep {
    var observations: [Float] = [], episodeStarts: [Float] = [], actions: [Float] = []
    var logProbabilities: [Float] = [], values: [Float] = [], rewards: [Float] = []
    var isTerminal: [Bool] = [], isTruncated: [Bool] = [], truncationValues: [Float] = []
    var finishedEpisodes: [(episodeReturn: Double, length: Int)] = []
  }

  private var slots: [Slot]
  public let observationSize: Int
  public let stateSize: Int
  public let chunkSize: Int
  public var workerCount: Int
  /// Return and length of every episode finished since the last ``drainEpisodes()``.
  public private(set) var finishedEpisodes: [(episodeReturn: Double, length: Int)] = []

  /// Resets every environment — environment `i` with seed `seed + i`, Gymnasium's vector
  /// convention — and gives each its own action stream derived from `seed`.
  public init(environments: [Env], seed: UInt64, stateSize: Int, chunkSize: Int = 4, workerCount: Int = 1) {
    precondition(!environments.isEmpty && chunkSize > 0 && workerCount > 0)
    observationSize = environments[0].observationSpace.elementCount
    self.stateSize = stateSize
    self.chunkSize = chunkSize
    self.workerCount = workerCount
    slots = environments.enumerated().map { i, environment in
      var slot = Slot(
        environment: environment, observation: [], state: [Float](repeating: 0, count: stateSize),
        actionStream: RandomStream(seed: seed, stream: 0x4143_5400 &+ UInt64(i)))
      slot.reset(seed: seed &+ UInt64(i))
      return slot
    }
  }

  public var environmentCount: Int { slots.count }

  /// Each environment's action-sampling stream (saved by checkpoints).
  public var actionStreams: [RandomStream] {
    get { slots.map { $0.actionStream } }
    set {
      precondition(newValue.count == slots.count, "one action stream per environment")
      for i in slots.indices { slots[i].actionStream = newValue[i] }
    }
  }

  /// Resets every environment — environment `i` with seed `seed + i` — and zeroes every state;
  /// running episodes are dropped (their partial returns are not reported).
  public mutating func resetAll(seed: UInt64) {
    for i in slots.indices {
      slots[i].reset(seed: seed &+ UInt64(i))
      slots[i].isEpisodeStart = true
      slots[i].state = [Float](repeating: 0, count: stateSize)
      slots[i].runningReturn = 0
      slots[i].runningLength = 0
    }
  }

  /// The environments as they are now (for rendering and checkpoints). Setting them replaces
  /// each environment's value (e.g. restored wrapper statistics) without resetting it.
  public var environments: [Env] {
    get { slots.map(\.environment) }
    set {
      precondition(newValue.count == slots.count, "one environment per slot")
      for i in slots.indices { slots[i].environment = newValue[i] }
    }
  }

  /// Returns and forgets the episodes finished so far.
  public mutating func drainEpisodes() -> [(episodeReturn: Double, length: Int)] {
    defer { finishedEpisodes.removeAll() }
    return finishedEpisodes
  }

  /// The critic's values of the observations the next step will act on, with the current
  /// states (zeroed for episode starts), without advancing anything. Shape: [environmentCount].
  public func values(policy: ActorCritic) -> [Float] {
    let n = environmentCount
    let (_, values, _) = policy.step(
      observations: Tensor(slots.flatMap { $0.observation }, shape: [n] + policy.observationShape),
      state: Tensor(slots.flatMap { $0.state }, shape: [n, stateSize]),
      episodeStarts: Tensor(slots.map { $0.isEpisodeStart ? 1 : 0 }, shape: [n]),
      elapsedTimes: Tensor(repeating: 1, shape: [n]))
    return values.scalars
  }

  /// Collects `buffer.steps` steps of every environment with `policy`, sampling actions.
  public mutating func collect(policy: ActorCritic, into buffer: inout RolloutBuffer, bootstrapTruncation: Bool) {
    let n = environmentCount
    precondition(
      buffer.environmentCount == n && buffer.observationSize == observationSize && buffer.stateSize == stateSize,
      "the rollout buffer does not fit the collector")
    buffer.initialStates = slots.flatMap { $0.state }
    let chunks = stride(from: 0, to: n, by: chunkSize).map { $0..<Swift.min($0 + chunkSize, n) }
    var results = [ChunkStep](repeating: ChunkStep(), count: chunks.count)
    for t in 0..<buffer.steps {
      slots.withUnsafeMutableBufferPointer { slots in
        results.withUnsafeMutableBufferPointer { results in
          // Worker w handles chunks w, w + workerCount, …: disjoint slots and results.
          nonisolated(unsafe) let (slots, results) = (slots, results)
          let workers = Swift.min(workerCount, chunks.count)
          DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for c in stride(from: worker, to: chunks.count, by: workers) {
              results[c] = Self.step(
                slots: UnsafeMutableBufferPointer(rebasing: slots[chunks[c]]), policy: policy,
                bootstrapTruncation: bootstrapTruncation)
            }
          }
        }
      }
      for (chunk, result) in zip(chunks, results) {
        buffer.write(result, step: t, rows: chunk)
        finishedEpisodes += result.finishedEpisodes
      }
    }
  }

  /// Acts on and steps the environments of one chunk.
  private static func step(slots: UnsafeMutableBufferPointer<Slot>, policy: ActorCritic, bootstrapTruncation: Bool)
    -> ChunkStep
  {
    let b = slots.count
    let stateSize = policy.stateSize
    var result = ChunkStep()
    result.observations = concatenated(slots.map(\.observation))
    result.episodeStarts = slots.map { $0.isEpisodeStart ? 1 : 0 }
    let (distribution, values, next) = policy.step(
      observations: Tensor(result.observations, shape: [b] + policy.observationShape),
      state: Tensor(concatenated(slots.map(\.state)), shape: [b, stateSize]),
      episodeStarts: Tensor(result.episodeStarts, shape: [b]), elapsedTimes: Tensor(repeating: 1, shape: [b]))
    var streams = slots.map { $0.actionStream }
    (result.actions, result.logProbabilities) = distribution.sampleWithLogProbabilities(using: &streams)
    result.values = values.scalars

    let actionSize = result.actions.count / b
    var truncatedRows: [Int] = []
    var finalObservations: [Float] = []
    for i in 0..<b {
      slots[i].actionStream = streams[i]
      slots[i].state = Array(next.scalars[i * stateSize..<(i + 1) * stateSize])
      let vector = Array(result.actions[i * actionSize..<(i + 1) * actionSize])
      let action: Action = if case .discrete = policy.actionSpace { .discrete(Int(vector[0])) } else { .continuous(vector) }
      let step = slots[i].step(action)
      slots[i].isEpisodeStart = false
      slots[i].runningReturn += step.reward
      slots[i].runningLength += 1
      result.rewards.append(Float(step.reward))
      result.isTerminal.append(step.isTerminal)
      result.isTruncated.append(step.isTruncated)
      result.truncationValues.append(0)
      guard step.isTerminal || step.isTruncated else { continue }
      result.finishedEpisodes.append((slots[i].runningReturn, slots[i].runningLength))
      if step.isTruncated && !step.isTerminal && bootstrapTruncation {
        truncatedRows.append(i)
        finalObservations += slots[i].observation
      }
      slots[i].reset(seed: nil)
      slots[i].isEpisodeStart = true
      slots[i].runningReturn = 0
      slots[i].runningLength = 0
    }
    if !truncatedRows.isEmpty {
      let count = truncatedRows.count
      let states = truncatedRows.flatMap { Array(next.scalars[$0 * stateSize..<($0 + 1) * stateSize]) }
      let (_, finalValues, _) = policy.step(
        observations: Tensor(finalObservations, shape: [count] + policy.observationShape),
        state: Tensor(states, shape: [count, stateSize]), episodeStarts: Tensor(zeros: [count]),
        elapsedTimes: Tensor(repeating: 1, shape: [count]))
      for (j, i) in truncatedRows.enumerated() { result.truncationValues[i] = finalValues.scalars[j] }
    }
    return result
  }
}

extension RolloutBuffer {
  /// Copies one chunk's step into rows `rows` of step `t`.
  mutating func write<Env>(_ step: RolloutCollector<Env>.ChunkStep, step t: Int, rows: Range<Int>) {
    let base = t * environmentCount + rows.lowerBound
    let a = actionSize
    let observationRange = base * observationSize..<(base + rows.count) * observationSize
    if storesBytes {
      // Exact: the observations of byte-storing buffers are UInt8 values carried as Float.
      byteObservations.withUnsafeMutableBufferPointer { bytes in
        step.observations.withUnsafeBufferPointer { floats in
          for (k, i) in observationRange.enumerated() { bytes[i] = UInt8(floats[k]) }
        }
      }
    } else {
      observations.replaceSubrange(observationRange, with: step.observations)
    }
    actions.replaceSubrange(base * a..<(base + rows.count) * a, with: step.actions)
    episodeStarts.replaceSubrange(base..<base + rows.count, with: step.episodeStarts)
    logProbabilities.replaceSubrange(base..<base + rows.count, with: step.logProbabilities)
    values.replaceSubrange(base..<base + rows.count, with: step.values)
    rewards.replaceSubrange(base..<base + rows.count, with: step.rewards)
    isTerminal.replaceSubrange(base..<base + rows.count, with: step.isTerminal)
    isTruncated.replaceSubrange(base..<base + rows.count, with: step.isTruncated)
    truncationValues.replaceSubrange(base..<base + rows.count, with: step.truncationValues)
  }
}

/// The arrays joined end to end, copied once.
func concatenated(_ parts: [[Float]]) -> [Float] {
  var result: [Float] = []
  result.reserveCapacity(parts.reduce(0) { $0 + $1.count })
  for part in parts { result.append(contentsOf: part) }
  return result
}

import Dispatch
import Synchronization

/// `count` copies of one environment stepped together, their observations, rewards and endings
/// kept in contiguous batch buffers, the rows spread over Dispatch worker threads.
///
/// ## Batch buffers
/// Row `i` of every buffer belongs to environment `i`:
/// - ``observations``: Shape: [count, observationSize], row-major.
/// - ``rewards``, ``terminated``, ``truncated``: Shape: [count].
/// - ``finalObservations``: Shape: [count, observationSize]; row `i` is valid only where
///   `terminated[i] || truncated[i]`.
///
/// ## Autoreset (Gymnasium's `SAME_STEP` mode)
/// When environment `i` ends an episode in ``step(_:)``, its last observation is copied to row
/// `i` of ``finalObservations``, the environment is reset at once (with no seed: it continues
/// its own random stream), and row `i` of ``observations`` holds the *first observation of the
/// next episode*. `rewards[i]`, `terminated[i]` and `truncated[i]` still describe the step that
/// ended the episode. A learner bootstraps a truncated episode from `V(finalObservations[i])`
/// and never from a terminated one; the next action for row `i` is chosen from the new
/// episode's observation. (Gymnasium's default is `NEXT_STEP`, which spends one extra step on
/// the reset; `SAME_STEP` wastes no steps and is what cleanrl-style PPO loops expect.)
///
/// ## Seeding and threads
/// `reset(seed: s)` resets environment `i` with seed `s + i`, as Gymnasium's `SyncVectorEnv`
/// does, so environment `i` replays a single environment reset with `s + i`. Every environment
/// owns its random stream and each worker writes only the rows of its own environments, so
/// the trajectories are the same for any ``workerCount``.
///
/// ## Episode statistics
/// ``episodeReturns`` and ``episodeLengths`` accumulate the running episode of each row; on the
/// step that ends it, ``finishedEpisodes`` holds its statistics at that row (else `nil`).
public struct VectorEnvironment<Base: Environment>: Sendable {
  public typealias Scalar = Base.Scalar

  /// The environments, one per row.
  public private(set) var environments: [Base]
  /// Threads that step rows in parallel; 1 steps on the calling thread.
  public var workerCount: Int
  /// Elements in one observation.
  public let observationSize: Int

  /// Shape: [count, observationSize].
  public private(set) var observations: [Scalar]
  /// Shape: [count, observationSize]; valid where the episode ended on the last step.
  public private(set) var finalObservations: [Scalar]
  /// Shape: [count].
  public private(set) var rewards: [Float]
  /// Shape: [count].
  public private(set) var terminated: [Bool]
  /// Shape: [count].
  public private(set) var truncated: [Bool]
  /// Shape: [count]. The return of each row's running episode so far.
  public private(set) var episodeReturns: [Double]
  /// Shape: [count]. The steps of each row's running episode so far.
  public private(set) var episodeLengths: [Int]
  /// Shape: [count]. The episode that ended on the last step at each row, if one did.
  public private(set) var finishedEpisodes: [EpisodeStatistics?]

  /// Vectorises `environments` (usually copies of one environment).
  public init(_ environments: [Base], workerCount: Int = 2) {
    precondition(!environments.isEmpty, "a vector environment needs at least one environment")
    precondition(workerCount >= 1, "workerCount must be at least 1, got \(workerCount)")
    let size = environments[0].observationSpace.elementCount
    precondition(environments.allSatisfy { $0.observationSpace.elementCount == size },
                 "all environments must have the same observation size")
    self.environments = environments
    self.workerCount = workerCount
    observationSize = size
    let count = environments.count
    observations = [Scalar](repeating: 0, count: count * size)
    finalObservations = [Scalar](repeating: 0, count: count * size)
    rewards = [Float](repeating: 0, count: count)
    terminated = [Bool](repeating: false, count: count)
    truncated = [Bool](repeating: false, count: count)
    episodeReturns = [Double](repeating: 0, count: count)
    episodeLengths = [Int](repeating: 0, count: count)
    finishedEpisodes = [EpisodeStatistics?](repeating: nil, count: count)
  }

  /// `count` copies of `environment`.
  public init(_ environment: Base, count: Int, workerCount: Int = 2) {
    self.init([Base](repeating: environment, count: count), workerCount: workerCount)
  }

  /// The number of environments (rows).
  public var count: Int { environments.count }
  /// The space of one row.
  public var observationSpace: ObservationSpace { environments[0].observationSpace }
  public var actionSpace: ActionSpace { environments[0].actionSpace }

  /// Row `index` of ``observations``.
  public func observation(at index: Int) -> ArraySlice<Scalar> {
    observations[index * observationSize..<(index + 1) * observationSize]
  }

  /// Row `index` of ``finalObservations``.
  public func finalObservation(at index: Int) -> ArraySlice<Scalar> {
    finalObservations[index * observationSize..<(index + 1) * observationSize]
  }

  /// Resets every environment: row `i` with `seed + i`, or, for a `nil` seed, continuing its
  /// own stream. Clears rewards, endings and episode statistics.
  public mutating func reset(seed: UInt64?) {
    let size = observationSize
    forEachRow { row, environment, buffers in
      environment.reset(seed: seed.map { $0 &+ UInt64(row) }, into: buffers.observationRow(row, size))
      buffers.clear(row)
    }
  }

  /// Steps every environment with its action (`actions[i]` for row `i`), with autoreset.
  /// - Parameter actions: Shape: [count].
  public mutating func step(_ actions: [Action]) {
    precondition(actions.count == count, "expected \(count) actions, got \(actions.count)")
    let size = observationSize
    actions.withUnsafeBufferPointer { actions in
      nonisolated(unsafe) let actions = actions
      forEachRow { row, environment, buffers in
        let observation = buffers.observationRow(row, size)
        let outcome = environment.step(actions[row], into: observation)
        buffers.rewards[row] = Float(outcome.reward)
        buffers.terminated[row] = outcome.isTerminal
        buffers.truncated[row] = outcome.isTruncated
        buffers.returns[row] += outcome.reward
        buffers.lengths[row] += 1
        if outcome.isTerminal || outcome.isTruncated {
          let final = buffers.finalRow(row, size)
          for k in 0..<size { final[k] = observation[k] }
          buffers.finished[row] = EpisodeStatistics(totalReward: buffers.returns[row], length: buffers.lengths[row])
          buffers.returns[row] = 0
          buffers.lengths[row] = 0
          environment.reset(seed: nil, into: observation)
        } else {
          buffers.finished[row] = nil
        }
      }
    }
  }

  /// Steps with discrete actions, `actions[i]` for row `i`.
  public mutating func step(discrete actions: [Int]) {
    step(actions.map { .discrete($0) })
  }

  /// Chunks of rows per worker thread and step (dynamic load balancing on a shared machine).
  static var chunksPerWorker: Int { 4 }

  /// The rows of all buffers, for the workers. Each worker touches only its own rows.
  struct Rows {
    var environments: UnsafeMutableBufferPointer<Base>
    var observations: UnsafeMutableBufferPointer<Scalar>
    var finalObservations: UnsafeMutableBufferPointer<Scalar>
    var rewards: UnsafeMutableBufferPointer<Float>
    var terminated: UnsafeMutableBufferPointer<Bool>
    var truncated: UnsafeMutableBufferPointer<Bool>
    var returns: UnsafeMutableBufferPointer<Double>
    var lengths: UnsafeMutableBufferPointer<Int>
    var finished: UnsafeMutableBufferPointer<EpisodeStatistics?>

    func observationRow(_ row: Int, _ size: Int) -> UnsafeMutableBufferPointer<Scalar> {
      UnsafeMutableBufferPointer(rebasing: observations[row * size..<(row + 1) * size])
    }

    func finalRow(_ row: Int, _ size: Int) -> UnsafeMutableBufferPointer<Scalar> {
      UnsafeMutableBufferPointer(rebasing: finalObservations[row * size..<(row + 1) * size])
    }

    func clear(_ row: Int) {
      rewards[row] = 0
      terminated[row] = false
      truncated[row] = false
      returns[row] = 0
      lengths[row] = 0
      finished[row] = nil
    }
  }

  /// Runs `body` once per row, the rows split into contiguous chunks that run in parallel:
  /// `chunksPerWorker` (4) chunks per worker, claimed in turn by `workerCount` threads, so that
  /// when another process takes a core for a while the other worker takes over the remaining
  /// chunks instead of the whole step waiting for the slow half. `body` must touch only row `row` of the buffers: that disjointness is the
  /// whole thread-safety argument, and the one `nonisolated(unsafe)` below rests on it.
  private mutating func forEachRow(_ body: (Int, inout Base, Rows) -> Void) {
    let count = environments.count
    let chunks = workerCount == 1 ? 1 : Swift.min(workerCount * VectorEnvironment.chunksPerWorker, count)
    environments.withUnsafeMutableBufferPointer { environments in
    observations.withUnsafeMutableBufferPointer { observations in
    finalObservations.withUnsafeMutableBufferPointer { finalObservations in
    rewards.withUnsafeMutableBufferPointer { rewards in
    terminated.withUnsafeMutableBufferPointer { terminated in
    truncated.withUnsafeMutableBufferPointer { truncated in
    episodeReturns.withUnsafeMutableBufferPointer { returns in
    episodeLengths.withUnsafeMutableBufferPointer { lengths in
    finishedEpisodes.withUnsafeMutableBufferPointer { finished in
      let rows = Rows(
        environments: environments, observations: observations, finalObservations: finalObservations,
        rewards: rewards, terminated: terminated, truncated: truncated, returns: returns,
        lengths: lengths, finished: finished)
      if chunks == 1 {
        for row in 0..<count { body(row, &rows.environments[row], rows) }
        return
      }
      nonisolated(unsafe) let (shared, work) = (rows, body)
      // Each of the `workerCount` workers claims the next unclaimed chunk until none is left.
      let nextChunk = Atomic<Int>(0)
      DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
        while true {
          let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
          guard chunk < chunks else { return }
          let lower = count * chunk / chunks, upper = count * (chunk + 1) / chunks
          for row in lower..<upper { work(row, &shared.environments[row], shared) }
        }
      }
    }}}}}}}}}
  }
}

/// The transitions of one rollout of a recurrent policy over many environments, step-major.
///
/// Element `[t, e]` belongs to step `t` of environment `e`. For recurrent policies the buffer also
/// keeps the state each environment's circuit had before step 0 and, per step, whether the
/// observation starts a new episode: the policy zeroes its state *before* consuming such a step,
/// both when acting and when replaying the sequence for the update, so that the two compute the
/// same probabilities (the first epoch's ratio is exactly 1).
public struct RolloutBuffer: Sendable {
  public let steps: Int
  public let environmentCount: Int
  /// Elements of one observation.
  public let observationSize: Int
  /// Elements of one action: 1 for a discrete action (its index), the vector length otherwise.
  public let actionSize: Int
  /// Elements of one environment's recurrent state (0 for feed-forward policies).
  public let stateSize: Int

  /// Whether observations are kept as bytes in ``byteObservations`` (pixel frames, grid views:
  /// `UInt8` environments) instead of ``observations``; a 4×84×84 frame then takes 28 KB a step
  /// instead of 113 KB, and is turned into `Float` only when a minibatch gathers it.
  public let storesBytes: Bool
  /// Shape: [steps, environmentCount, observationSize]; empty when ``storesBytes``.
  public var observations: [Float]
  /// Shape: [steps, environmentCount, observationSize] when ``storesBytes``, else empty.
  public var byteObservations: [UInt8]
  /// Shape: [steps, environmentCount]; 1 where the observation starts an episode.
  public var episodeStarts: [Float]
  /// Shape: [steps, environmentCount]; seconds since the previous observation (1 by default).
  public var elapsedTimes: [Float]
  /// Shape: [steps, environmentCount, actionSize].
  public var actions: [Float]
  /// Shape: [steps, environmentCount]; log π_old(a|s) when acting.
  public var logProbabilities: [Float]
  /// Shape: [steps, environmentCount]; V_old(s) when acting.
  public var values: [Float]
  /// Shape: [steps, environmentCount].
  public var rewards: [Float]
  /// Shape: [steps, environmentCount].
  public var isTerminal: [Bool]
  /// Shape: [steps, environmentCount].
  public var isTruncated: [Bool]
  /// Shape: [steps, environmentCount]; V_old of the final observation of a truncated episode.
  public var truncationValues: [Float]
  /// Shape: [environmentCount, stateSize]; the recurrent state before step 0.
  public var initialStates: [Float]

  /// - Parameter storesBytes: Keep observations as `UInt8` (for environments whose observations
  ///   are `UInt8`; every value written must be an integer in 0...255).
  public init(
    steps: Int, environmentCount: Int, observationSize: Int, actionSize: Int, stateSize: Int, storesBytes: Bool = false
  ) {
    precondition(steps > 0 && environmentCount > 0 && observationSize > 0 && actionSize > 0 && stateSize >= 0)
    self.storesBytes = storesBytes
    self.steps = steps
    self.environmentCount = environmentCount
    self.observationSize = observationSize
    self.actionSize = actionSize
    self.stateSize = stateSize
    let n = steps * environmentCount
    observations = [Float](repeating: 0, count: storesBytes ? 0 : n * observationSize)
    byteObservations = [UInt8](repeating: 0, count: storesBytes ? n * observationSize : 0)
    episodeStarts = [Float](repeating: 0, count: n)
    elapsedTimes = [Float](repeating: 1, count: n)
    actions = [Float](repeating: 0, count: n * actionSize)
    logProbabilities = [Float](repeating: 0, count: n)
    values = [Float](repeating: 0, count: n)
    rewards = [Float](repeating: 0, count: n)
    isTerminal = [Bool](repeating: false, count: n)
    isTruncated = [Bool](repeating: false, count: n)
    truncationValues = [Float](repeating: 0, count: n)
    initialStates = [Float](repeating: 0, count: environmentCount * stateSize)
  }

  /// The sequences of the environments `indices`, batch-major, as an update replays them, with
  /// the advantages and returns (step-major, like the buffer) gathered alongside.
  public func sequences(of indices: [Int], advantages: [Float]? = nil, returns: [Float]? = nil) -> Sequences {
    let b = indices.count
    var result = Sequences(
      batch: b, steps: steps, observationSize: observationSize, actionSize: actionSize, stateSize: stateSize)
    for (row, e) in indices.enumerated() {
      precondition((0..<environmentCount).contains(e), "environment \(e) is not in the rollout")
      result.observations.withUnsafeMutableBufferPointer { gathered in
        for t in 0..<steps {
          let (from, to) = ((t * environmentCount + e) * observationSize, (row * steps + t) * observationSize)
          let target = UnsafeMutableBufferPointer(rebasing: gathered[to..<to + observationSize])
          if storesBytes {
            byteObservations.withUnsafeBufferPointer { bytes in
              for k in 0..<observationSize { target[k] = Float(bytes[from + k]) }
            }
          } else {
            observations.withUnsafeBufferPointer { _ = target.update(fromContentsOf: $0[from..<from + observationSize]) }
          }
        }
      }
      for t in 0..<steps {
        let source = t * environmentCount + e
        let target = row * steps + t
        for k in 0..<actionSize { result.actions[target * actionSize + k] = actions[source * actionSize + k] }
        result.episodeStarts[target] = episodeStarts[source]
        result.elapsedTimes[target] = elapsedTimes[source]
        result.logProbabilities[target] = logProbabilities[source]
        result.values[target] = values[source]
        if let advantages { result.advantages[target] = advantages[source] }
        if let returns { result.returns[target] = returns[source] }
      }
      for k in 0..<stateSize { result.initialStates[row * stateSize + k] = initialStates[e * stateSize + k] }
    }
    return result
  }

  /// Whole environment sequences of a rollout, batch-major, for one minibatch.
  public struct Sequences: Sendable {
    public let batch: Int, steps: Int
    /// Shape: [batch, steps, observationSize].
    public var observations: [Float]
    /// Shape: [batch, steps, actionSize].
    public var actions: [Float]
    /// Shape: [batch, steps].
    public var episodeStarts: [Float]
    /// Shape: [batch, steps].
    public var elapsedTimes: [Float]
    /// Shape: [batch, steps].
    public var logProbabilities: [Float]
    /// Shape: [batch, steps].
    public var values: [Float]
    /// Shape: [batch, steps]; filled by the trainer from its advantage estimates.
    public var advantages: [Float]
    /// Shape: [batch, steps]; filled by the trainer (advantages + values).
    public var returns: [Float]
    /// Shape: [batch, stateSize].
    public var initialStates: [Float]

    init(batch: Int, steps: Int, observationSize: Int, actionSize: Int, stateSize: Int) {
      self.batch = batch
      self.steps = steps
      let n = batch * steps
      observations = [Float](repeating: 0, count: n * observationSize)
      actions = [Float](repeating: 0, count: n * actionSize)
      episodeStarts = [Float](repeating: 0, count: n)
      elapsedTimes = [Float](repeating: 1, count: n)
      logProbabilities = [Float](repeating: 0, count: n)
      values = [Float](repeating: 0, count: n)
      advantages = [Float](repeating: 0, count: n)
      returns = [Float](repeating: 0, count: n)
      initialStates = [Float](repeating: 0, count: batch * stateSize)
    }
  }
}

/// Splits environments `0..<environmentCount` into `minibatchCount` groups of whole sequences,
/// in a random order drawn from `generator` (CleanRL's `envsperbatch` scheme).
public func environmentMinibatches<G: RandomNumberGenerator>(
  environmentCount: Int, minibatchCount: Int, using generator: inout G
) -> [[Int]] {
  precondition(minibatchCount > 0 && environmentCount % minibatchCount == 0,
               "\(minibatchCount) minibatches do not divide \(environmentCount) environments")
  let order = (0..<environmentCount).shuffled(using: &generator)
  let size = environmentCount / minibatchCount
  return (0..<minibatchCount).map { Array(order[$0 * size..<($0 + 1) * size]) }
}

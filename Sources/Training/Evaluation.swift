import Dispatch
import Environments
import Foundation
import Randomness
import TensorCore

/// The returns and lengths of evaluation episodes.
public struct EvaluationResult: Codable, Hashable, Sendable {
  public var returns: [Double]
  public var lengths: [Int]

  public var episodes: Int { returns.count }
  public var meanReturn: Double { returns.reduce(0, +) / Double(max(1, returns.count)) }
  public var standardDeviationOfReturn: Double {
    let mean = meanReturn
    return (returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, returns.count))).squareRoot()
  }
  public var minimumReturn: Double { returns.min() ?? .nan }
  public var maximumReturn: Double { returns.max() ?? .nan }
  public var meanLength: Double { Double(lengths.reduce(0, +)) / Double(max(1, lengths.count)) }
}

/// Plays `episodes` whole episodes with the policy's most likely actions (greedy) or, when
/// `sampled`, with actions drawn from it (episode `k` from its own stream, seeded by `seed + k`),
/// episode `k` in a fresh environment reset with seed `seed + k`, all episodes stepped together
/// as one batch (finished ones drop out) in chunks spread over `workerCount` threads.
/// Deterministic for a seed, for any worker count.
///
/// - Parameter maxSteps: Ends an episode after this many steps even if the environment has not
///   (a greedy Breakout policy that never serves would otherwise play ALE's 27,000 steps); its
///   return so far counts. `nil`: only the environment ends episodes.
public func evaluate<Env: Environment>(
  policy: ActorCritic, makeEnvironment: () -> Env, episodes: Int, seed: UInt64, workerCount: Int = 1,
  chunkSize: Int = 16, maxSteps: Int? = nil, sampled: Bool = false
) -> EvaluationResult {
  precondition(maxSteps.map { $0 > 0 } ?? true, "evaluate: maxSteps must be positive")
  var running: [EvaluationEpisode<Env>] = (0..<episodes).map { k in
    var episode = EvaluationEpisode(
      environment: makeEnvironment(), observation: [], state: [Float](repeating: 0, count: policy.stateSize),
      actionStream: RandomStream(seed: seed &+ UInt64(k), stream: 0x4556_414C))
    episode.environment.reset(seed: seed &+ UInt64(k), scratch: &episode.scratch, into: &episode.observation)
    return episode
  }
  let chunks = stride(from: 0, to: episodes, by: chunkSize).map { $0..<min($0 + chunkSize, episodes) }
  while running.contains(where: { !$0.isDone }) {
    running.withUnsafeMutableBufferPointer { all in
      nonisolated(unsafe) let all = all  // each chunk touches only its own episodes
      let workers = max(1, min(workerCount, chunks.count))
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for c in stride(from: worker, to: chunks.count, by: workers) {
          let active = chunks[c].filter { !all[$0].isDone }
          guard !active.isEmpty else { continue }
          let b = active.count
          let (distribution, _, next) = policy.step(
            observations: Tensor(concatenated(active.map { all[$0].observation }), shape: [b] + policy.observationShape),
            state: Tensor(concatenated(active.map { all[$0].state }), shape: [b, policy.stateSize]),
            episodeStarts: Tensor(zeros: [b]), elapsedTimes: Tensor(ones: [b]))
          var streams = active.map { all[$0].actionStream }
          let actions = sampled ? distribution.sample(using: &streams) : distribution.mode
          let actionSize = actions.count / b
          for (i, k) in active.enumerated() {
            let vector = Array(actions[i * actionSize..<(i + 1) * actionSize])
            let action: Action = if case .discrete = policy.actionSpace { .discrete(Int(vector[0])) } else { .continuous(vector) }
            let step = all[k].step(action)
            all[k].state = Array(next.scalars[i * policy.stateSize..<(i + 1) * policy.stateSize])
            all[k].episodeReturn += step.reward
            all[k].length += 1
            all[k].actionStream = streams[i]
            all[k].isDone = step.isTerminal || step.isTruncated || all[k].length >= (maxSteps ?? .max)
          }
        }
      }
    }
  }
  return EvaluationResult(returns: running.map(\.episodeReturn), lengths: running.map(\.length))
}

/// One episode being evaluated.
private struct EvaluationEpisode<Env: Environment> {
  var environment: Env
  var observation: [Float]
  /// The environment writes its observations here first.
  var scratch: [Env.Scalar] = []
  var state: [Float]
  /// Draws this episode's actions when sampling.
  var actionStream: RandomStream
  var episodeReturn = 0.0
  var length = 0
  var isDone = false

  /// Steps the environment, writing the next observation into `observation`.
  mutating func step(_ action: Action) -> StepOutcome { environment.step(action, scratch: &scratch, into: &observation) }
}

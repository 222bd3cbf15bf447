// `evaluate --checkpoint`: greedy episodes of a ppo-train checkpoint's policy through
// `Training.evaluate`, statistics as text or JSON lines, and optionally a video of the episodes.

import Environments
import Foundation
import TensorCore
import Training

extension Evaluate {
  /// Evaluates the checkpoint's policy for `episodes` episodes (episode k resets with seed + k).
  func evaluateCheckpoint(_ path: String) throws {
    let url = URL(fileURLWithPath: path)
    let (configuration, policy) = try PPOCheckpoint.load(from: url)
    if let env, env != configuration.env {
      throw CLIError("\(path) was trained on \(configuration.env), not \(env)")
    }
    // Observations as the policy saw them in training (frozen normalisation when the run used it).
    let prototype = try PPOCheckpoint.environment(from: url, configuration: configuration)
    try evaluateCheckpoint(prototype, id: configuration.env, policy: policy, path: path)
  }

  private func evaluateCheckpoint<E: Environment>(_ prototype: E, id: String, policy: ActorCritic, path: String) throws {
    let result = Training.evaluate(
      policy: policy, makeEnvironment: { prototype }, episodes: episodes, seed: seed, workerCount: workers,
      maxSteps: maxSteps, sampled: sampled)
    let r = Summary(result.returns), l = Summary(result.lengths.map(Double.init))
    if json {
      for k in 0..<result.episodes {
        print("{\"episode\": \(k), \"seed\": \(seed &+ UInt64(k)), \"return\": \(result.returns[k]), \"length\": \(result.lengths[k])}")
      }
      print("{\"env\": \"\(id)\", \"checkpoint\": \(jsonString(path)), \"episodes\": \(episodes), \"seed\": \(seed), "
        + "\"return\": \(r.json), \"length\": \(l.json)}")
    } else {
      let limit = maxSteps.map { ", at most \($0) steps each" } ?? ""
      print("\(id), checkpoint \(path), \(episodes) \(sampled ? "sampled" : "greedy") episodes from seed \(seed)\(limit)")
      print("return: \(r.text)")
      print("length: \(l.text)")
    }
    if let video {
      try record(prototype, policy: policy, episodes: min(videoEpisodes ?? episodes, episodes), to: video)
    }
  }

  /// Plays episodes `0 ..< count` again (the same greedy trajectories `Training.evaluate` played:
  /// episode k resets with seed + k) and streams their frames, one after the other, through
  /// ffmpeg (PNG files when ffmpeg is not on PATH).
  private func record<E: Environment>(_ prototype: E, policy: ActorCritic, episodes count: Int, to path: String) throws {
    var writer: VideoWriter? = nil
    for k in 0..<count {
      var environment = prototype
      var observation = environment.reset(seed: seed &+ UInt64(k)).map { $0.floatValue }
      var state = [Float](repeating: 0, count: policy.stateSize)
      let first = environment.render()
      if writer == nil { writer = try VideoWriter(url: URL(fileURLWithPath: path), width: first.width, height: first.height) }
      try writer!.append(first)
      while true {
        let (distribution, _, next) = policy.step(
          observations: Tensor(observation, shape: [1] + policy.observationShape),
          state: Tensor(state, shape: [1, policy.stateSize]), episodeStarts: Tensor(zeros: [1]),
          elapsedTimes: Tensor(ones: [1]))
        let mode = distribution.mode
        let action: Action = if case .discrete = policy.actionSpace { .discrete(Int(mode[0])) } else { .continuous(mode) }
        let step = environment.step(action)
        try writer!.append(environment.render())
        observation = step.observation.map { $0.floatValue }
        state = next.scalars
        if step.isTerminal || step.isTruncated { break }
      }
    }
    try writer?.finish()
  }

  private func jsonString(_ text: String) -> String {
    String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
  }
}

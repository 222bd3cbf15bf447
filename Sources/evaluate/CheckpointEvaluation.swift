// `evaluate --checkpoint`: greedy episodes of a ppo-train checkpoint's policy through
// `Training.evaluate`, statistics as text or JSON lines, and optionally a video of episode 0.

import Environments
import Foundation
import TensorCore
import Training

extension Evaluate {
  /// Evaluates the checkpoint's policy for `episodes` episodes (episode k resets with seed + k).
  func evaluateCheckpoint(_ path: String) throws {
    let (configuration, policy) = try PPOCheckpoint.load(from: URL(fileURLWithPath: path))
    if let env, env != configuration.env {
      throw CLIError("\(path) was trained on \(configuration.env), not \(env)")
    }
    let prototype = try Catalog.make(configuration.env)
    try evaluateCheckpoint(prototype, id: configuration.env, policy: policy, path: path)
  }

  private func evaluateCheckpoint<E: Environment>(_ prototype: E, id: String, policy: ActorCritic, path: String) throws {
    let result = Training.evaluate(
      policy: policy, makeEnvironment: { prototype }, episodes: episodes, seed: seed, workerCount: workers)
    let r = Summary(result.returns), l = Summary(result.lengths.map(Double.init))
    if json {
      for k in 0..<result.episodes {
        print("{\"episode\": \(k), \"seed\": \(seed &+ UInt64(k)), \"return\": \(result.returns[k]), \"length\": \(result.lengths[k])}")
      }
      print("{\"env\": \"\(id)\", \"checkpoint\": \(jsonString(path)), \"episodes\": \(episodes), \"seed\": \(seed), "
        + "\"return\": \(r.json), \"length\": \(l.json)}")
    } else {
      print("\(id), checkpoint \(path), \(episodes) episodes from seed \(seed)")
      print("return: \(r.text)")
      print("length: \(l.text)")
    }
    if let video { try record(prototype, policy: policy, to: video) }
  }

  /// Plays episode 0 again (the same greedy trajectory `Training.evaluate` played) and writes its
  /// frames through ffmpeg, or as PNG files when ffmpeg is not on PATH.
  private func record<E: Environment>(_ prototype: E, policy: ActorCritic, to path: String) throws {
    var environment = prototype
    var observation = environment.reset(seed: seed).map(\.floatValue)
    var state = [Float](repeating: 0, count: policy.stateSize)
    var frames = [environment.render()]
    while true {
      let (distribution, _, next) = policy.step(
        observations: Tensor(observation, shape: [1] + policy.observationShape),
        state: Tensor(state, shape: [1, policy.stateSize]), episodeStarts: Tensor(zeros: [1]),
        elapsedTimes: Tensor(ones: [1]))
      let mode = distribution.mode
      let action: Action = if case .discrete = policy.actionSpace { .discrete(Int(mode[0])) } else { .continuous(mode) }
      let step = environment.step(action)
      frames.append(environment.render())
      observation = step.observation.map(\.floatValue)
      state = next.scalars
      if step.isTerminal || step.isTruncated { break }
    }
    try VideoWriter.write(frames, to: URL(fileURLWithPath: path))
  }

  private func jsonString(_ text: String) -> String {
    String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
  }
}

// `watch`: an SDL window on a catalog environment, played with the keyboard or by a PPO
// checkpoint's policy, with its action probabilities, value and neurons.
//
//   swift run watch --env CartPole-v1
//   swift run watch --env CartPole-v1 --checkpoint runs/cartpole/checkpoint.safetensors
//   SDL_VIDEODRIVER=dummy swift run watch --env CartPole-v1 --frames 30 --screenshot out.png
//   swift run watch --env MinAtar/Breakout-v1 --record demos/breakout-human   # then bc-train --demos ...

import ArgumentParser
import Environments
import Foundation
import Training
import Viewer

@main
struct Watch: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Watch an agent (or play yourself) in an SDL window.",
    discussion: """
      Keys: arrows/digits act (see Sources/Viewer/README.md), Space or P pause, N single step, \
      - and + slower/faster, R reset, S screenshot, T take over from the agent, C start/stop \
      recording what you play (a bc-train dataset), Q or Esc quit.
      Environments: \(Catalog.ids.joined(separator: ", ")).
      """)

  @Option(help: "The environment id, e.g. CartPole-v1 (default: the checkpoint's).")
  var env: String?

  @Option(help: ArgumentHelp("A ppo-train checkpoint.safetensors whose policy acts.", valueName: "path"))
  var checkpoint: String?

  @Option(help: "The seed of the first reset; later episodes add one.")
  var seed: UInt64 = 0

  @Option(help: "Run this many frames (one step each, no waiting) and exit; for headless checks.")
  var frames: Int?

  @Option(help: ArgumentHelp("Write the final window as PNG when the viewer exits.", valueName: "path"))
  var screenshot: String?

  @Option(help: ArgumentHelp(
    "Record what you play (keyboard play, or after T takes over) as a bc-train demonstration dataset in this folder (appended to if it holds one); C pauses and resumes.",
    valueName: "dir"))
  var record: String?

  func validate() throws {
    if let frames, frames <= 0 { throw ValidationError("--frames must be positive, got \(frames)") }
    if env == nil && checkpoint == nil { throw ValidationError("give --env or --checkpoint") }
  }

  func run() throws {
    do {
      let session: ViewerSession
      if let checkpoint {
        let url = URL(fileURLWithPath: checkpoint)
        let (configuration, policy) = try PPOCheckpoint.load(from: url)
        if let env, env != configuration.env {
          throw ValidationError("\(checkpoint) was trained on \(configuration.env), not \(env)")
        }
        session = try ViewerSession(
          environmentID: configuration.env, environment: try PPOCheckpoint.environment(from: url, configuration: configuration),
          policy: policy, seed: seed)
      } else {
        session = try ViewerSession(environmentID: env!, seed: seed)
      }
      let id = session.environmentID
      if let record {
        guard session.recordsRawObservations else {
          throw ValidationError(
            "--record: \(checkpoint!)'s policy sees normalised or stacked observations; record without --checkpoint")
        }
        session.recorder = try PlayRecorder(
          directory: URL(fileURLWithPath: record), environmentID: id, observationSpace: session.observationSpace,
          actionSpace: session.actionSpace)
        session.recorder!.start()
      }
      var viewer = Viewer(
        session: session, frameLimit: frames, screenshotURL: screenshot.map { URL(fileURLWithPath: $0) })
      try viewer.run()
    } catch let error as ValidationError {
      throw error
    } catch {
      FileHandle.standardError.write(Data("watch: \(error)\n".utf8))
      throw ExitCode.failure
    }
  }
}

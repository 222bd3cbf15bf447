import Environments
import Foundation
import Testing
import Training
@testable import Viewer

/// The recording tests drive the viewer headless with injected SDL key events; they belong to
/// the serialized window suite because SDL is process-global.
extension ViewerWindowTests {
  private func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("viewer-demos-\(UUID())")
  }

  @Test func keyboardPlayIsSavedAsADatasetThatBCTrainLoads() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let session = try ViewerSession(environmentID: "CartPole-v1", seed: 0)
    var viewer = Viewer(session: session, frameLimit: 40)
    viewer.log = { _ in }
    viewer.recordDirectory = directory
    // Frame f's keys act on frame f's step: → for 12 steps, ← for 18, then C stops recording.
    viewer.beforeFrame = { frame, window in
      switch frame {
      case 0:
        try window.inject(.character("c"), isDown: true)
        try window.inject(.right, isDown: true)
      case 12:
        try window.inject(.right, isDown: false)
        try window.inject(.left, isDown: true)
      case 30: try window.inject(.character("c"), isDown: true)
      default: break
      }
    }
    try viewer.run()

    let dataset = try DemonstrationDataset(contentsOf: directory)
    #expect(dataset.index.envId == "CartPole-v1" && dataset.index.source == "human")
    let actions = dataset.episodes.flatMap(\.actions)
    #expect(actions == [Float](repeating: 1, count: 12) + [Float](repeating: 0, count: 18))
    var reference = CartPole()
    #expect(Array(dataset.episodes[0].observations.prefix(4)) == reference.reset(seed: 0))
    #expect(dataset.episodes[0].seed == 0)
    for (k, episode) in dataset.episodes.enumerated() {
      #expect(episode.observations.count == 4 * (episode.steps + 1))
      // Every stretch but the last ended with its episode; the last was cut by C.
      #expect(episode.terminated.last! == (k < dataset.episodes.count - 1))
    }
    // The recorded observations are the environment's own: replaying the actions reproduces them.
    var replay = CartPole()
    var observations = replay.reset(seed: 0)
    for action in dataset.episodes[0].actions {
      observations += replay.step(.discrete(Int(action))).observation
    }
    #expect(observations == dataset.episodes[0].observations)

    let summary = try runTool("bc-train", ["--demos", directory.path, "--summary"])
    #expect(summary.status == 0, "\(summary.stderr)")
    #expect(summary.stdout.contains("source: human"))
  }

  @Test func takeoverRecordsOnlyThePersonsSteps() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (_, policy) = try PPOCheckpoint.load(from: try tinyCheckpoint.get())
    let session = try ViewerSession(environmentID: "CartPole-v1", policy: policy, seed: 0)
    session.recorder = try PlayRecorder(
      directory: directory, environmentID: "CartPole-v1", observationSpace: session.observationSpace,
      actionSpace: session.actionSpace)
    session.recorder!.start()
    var viewer = Viewer(session: session, frameLimit: 20)
    viewer.log = { _ in }
    // The agent plays frames 0–2, the person (holding ←) frames 3–9, the agent again from 10.
    viewer.beforeFrame = { frame, window in
      if frame == 3 {
        try window.inject(.character("t"), isDown: true)
        try window.inject(.left, isDown: true)
      }
      if frame == 10 { try window.inject(.character("t"), isDown: true) }
    }
    try viewer.run()
    #expect(session.agentControls)
    let dataset = try DemonstrationDataset(contentsOf: directory)
    #expect(dataset.episodes.count == 1)
    let episode = try #require(dataset.episodes.first)
    #expect(episode.actions == [Float](repeating: 0, count: 7))
    #expect(episode.seed == nil)  // it starts mid-episode
    #expect(episode.truncated.last == false && episode.terminated.last == false)  // cut, not ended
  }

  @Test func playRecorderAppendsToADatasetOfTheSameEnvironmentOnly() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var expert = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 2, seed: 0)
    try expert.write(to: directory)
    let cartPole = CartPole()
    let recorder = try PlayRecorder(
      directory: directory, environmentID: "CartPole-v1", observationSpace: cartPole.observationSpace,
      actionSpace: cartPole.actionSpace)
    #expect(recorder.episodes.count == 2)
    recorder.start()
    var environment = cartPole
    let first = environment.reset(seed: 9)
    let step = environment.step(.discrete(1))
    recorder.record(
      observation: first, seed: 9, action: .discrete(1),
      outcome: StepOutcome(reward: step.reward, isTerminal: step.isTerminal, isTruncated: step.isTruncated),
      next: step.observation)
    recorder.stop()
    #expect(try recorder.save())
    let reloaded = try DemonstrationDataset(contentsOf: directory)
    #expect(reloaded.episodes.count == 3)
    #expect(reloaded.episodes.prefix(2).map(\.actions) == expert.episodes.map(\.actions))
    #expect(reloaded.episodes[2].actions == [1] && reloaded.episodes[2].seed == 9)

    let pendulum = try Catalog.make("Pendulum-v1")
    #expect {
      try PlayRecorder(
        directory: directory, environmentID: "Pendulum-v1", observationSpace: pendulum.observationSpace,
        actionSpace: pendulum.actionSpace)
    } throws: { error in
      "\(error)".contains("index.json")
    }
  }
}

extension ViewerWindowTests {
  @Test func commandKeysPauseStepChangeSpeedAndReset() throws {
    let session = try ViewerSession(environmentID: "CartPole-v1", seed: 0)
    var viewer = Viewer(session: session, frameLimit: 10)
    viewer.log = { _ in }
    viewer.beforeFrame = { frame, window in
      let keys: [Int: [SDLWindow.Key]] = [
        0: [.character("p")], 3: [.character("n")], 5: [.character("-")], 6: [.character("+"), .character("=")],
      ]
      for key in keys[frame] ?? [] { try window.inject(key, isDown: true) }
    }
    try viewer.run()
    #expect(viewer.status.paused)
    #expect(viewer.status.stepsPerSecond == 30 / 2 * 2 * 2)
    #expect(session.episode == 1 && session.step == 1)  // paused from frame 0; N stepped once
    // R starts the next episode; unpaused, every headless frame steps.
    var again = Viewer(session: session, frameLimit: 2)
    again.log = { _ in }
    again.beforeFrame = { frame, window in if frame == 0 { try window.inject(.character("r"), isDown: true) } }
    try again.run()
    #expect(session.episode == 2 && session.step == 2)
  }
}

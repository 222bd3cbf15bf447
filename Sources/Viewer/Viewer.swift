import Environments
import Foundation

/// The interactive loop: polls keys, steps the session at the chosen speed, draws the window.
public struct Viewer {
  public var session: ViewerSession
  /// Stop after this many frames (each frame steps once, without waiting: headless runs).
  public var frameLimit: Int?
  /// Where the final window goes as PNG when the loop ends.
  public var screenshotURL: URL?
  public var status = ViewerStatus()
  /// Where C starts recording when the session has no recorder yet (default:
  /// `demos/<env>-<time>/`).
  public var recordDirectory: URL?
  /// Called at the start of every frame with the frame's number and the window, before its
  /// events are read: tests inject key presses here.
  public var beforeFrame: ((Int, SDLWindow) throws -> Void)?
  /// Where messages go (recording started, saved, screenshot written).
  public var log: (String) -> Void = { print($0) }

  public init(session: ViewerSession, frameLimit: Int? = nil, screenshotURL: URL? = nil) {
    self.session = session
    self.frameLimit = frameLimit
    self.screenshotURL = screenshotURL
  }

  /// C: starts recording (making the recorder on first use) or stops and saves.
  mutating func toggleRecording() throws {
    if let recorder = session.recorder, recorder.isRecording {
      recorder.stop()
      try saveRecording()
      return
    }
    if session.recorder == nil {
      guard session.recordsRawObservations else {
        log("cannot record: this policy's run normalised observations, and a dataset needs the environment's own")
        return
      }
      let name = session.environmentID.replacingOccurrences(of: "/", with: "-")
      let directory = recordDirectory ?? URL(fileURLWithPath: "demos/\(name)-\(Int(Date().timeIntervalSince1970))")
      session.recorder = try PlayRecorder(
        directory: directory, environmentID: session.environmentID, observationSpace: session.observationSpace,
        actionSpace: session.actionSpace)
    }
    session.recorder!.start()
    log("recording what you play to \(session.recorder!.directory.path) (C stops)")
  }

  /// Writes finished recorded stretches, if any.
  func saveRecording() throws {
    guard let recorder = session.recorder, try recorder.save() else { return }
    log("saved \(recorder.episodes.count) episodes (\(recorder.recordedSteps) steps) to \(recorder.directory.path)")
  }

  /// Runs until Q/Esc, the window closing, or `frameLimit` frames; then saves what was recorded.
  public mutating func run() throws {
    let layout = session.layout()
    let window = try SDLWindow(title: "watch \(session.environmentID)", width: layout.width, height: layout.height)
    let keys = session.keyMap
    var held: [GameKey] = []
    var lastAction: Action? = keys.idleAction
    var frames = 0
    var nextStep = Date()
    var fpsWindowStart = Date()
    var fpsFrames = 0
    if let recorder = session.recorder, recorder.isRecording {
      log("recording what you play to \(recorder.directory.path) (C stops)")
    }
    loop: while true {
      var pressed: GameKey? = nil
      var stepNow = false
      try beforeFrame?(frames, window)
      for event in window.pollEvents(spaceIsGameKey: keys.bindsSpace) {
        switch event {
        case .quit: break loop
        case .pause: status.paused.toggle()
        case .singleStep: stepNow = true
        case .slower: status.stepsPerSecond = max(0.5, status.stepsPerSecond / 2)
        case .faster: status.stepsPerSecond = min(960, status.stepsPerSecond * 2)
        case .reset: session.reset()
        case .screenshot:
          let url = URL(fileURLWithPath: "watch-\(Int(Date().timeIntervalSince1970)).png")
          try Data(try window.readBack().pngData()).write(to: url, options: .atomic)
          log("screenshot: \(url.path)")
        case .takeover: if session.policy != nil { session.agentControls.toggle() }
        case .record: try toggleRecording()
        case .press(let key):
          held.removeAll { $0 == key }
          held.append(key)
          pressed = key
        case .release(let key): held.removeAll { $0 == key }
        }
      }
      let now = Date()
      let due = frameLimit != nil || now >= nextStep
      if stepNow || (!status.paused && (due || (keys.idleAction == nil && pressed != nil))) {
        var human: Action? = nil
        if keys.idleAction == nil {
          human = pressed.flatMap { keys.bindings[$0] }  // turn-based: one step per key press
        } else if let action = keys.action(held: held) {
          human = action
          if keys.repeatsLastAction { lastAction = action }
        } else {
          human = keys.repeatsLastAction ? lastAction : keys.idleAction
        }
        if stepNow && human == nil { human = keys.idleAction ?? lastAction }
        session.advance(humanAction: human)
        nextStep = max(nextStep, now - 0.1) + 1 / status.stepsPerSecond
        try saveRecording()
      }
      fpsFrames += 1
      let elapsed = Date().timeIntervalSince(fpsWindowStart)
      if elapsed >= 0.5 {
        status.framesPerSecond = Double(fpsFrames) / elapsed
        fpsFrames = 0
        fpsWindowStart = Date()
      }
      try window.show(session.composeWindow(layout: layout, status: status))
      frames += 1
      if let frameLimit, frames >= frameLimit { break }
      if frameLimit == nil { Thread.sleep(forTimeInterval: min(1.0 / 60, max(0.001, nextStep.timeIntervalSinceNow))) }
    }
    session.recorder?.stop()
    try saveRecording()
    if let recorder = session.recorder, recorder.episodes.isEmpty {
      log("recorded nothing: no step was played by a person")
    }
    if let screenshotURL {
      try Data(try window.readBack().pngData()).write(to: screenshotURL, options: .atomic)
    }
  }
}

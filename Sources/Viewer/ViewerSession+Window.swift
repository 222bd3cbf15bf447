import Environments
import Foundation

/// What the run loop shows besides the session: measured frames per second, pause state and
/// the stepping speed.
public struct ViewerStatus: Hashable, Sendable {
  public var framesPerSecond: Double = 0
  public var paused = false
  public var stepsPerSecond: Double = 30
  public init() {}
}

extension ViewerSession {
  public static let background = Frame.Color(24, 24, 30)
  public static let textColor = Frame.Color(230, 230, 230)

  /// The layout for this session's environment (a wider panel when a policy is drawn).
  public func layout() -> ViewerLayout {
    let frame = render()
    return ViewerLayout(
      frameWidth: frame.width, frameHeight: frame.height,
      panelWidth: policy == nil ? ViewerLayout.keyboardPanelWidth : ViewerLayout.policyPanelWidth)
  }

  /// The rectangle of the circuit diagram inside `layout`: below the probabilities and value.
  public func diagramBounds(in layout: ViewerLayout) -> CircuitDiagram.Bounds {
    let top = layout.gameY + 8 + 12 * (2 + min(actionProbabilities.count, 10)) + 10
    return CircuitDiagram.Bounds(x: layout.panelX, y: top, width: layout.panelWidth, height: layout.height - top)
  }

  /// The policy's circuit diagram in `layout` (`nil` without a policy or for an MLP circuit).
  public func circuitDiagram(in layout: ViewerLayout) -> CircuitDiagram? {
    cachedDiagram(in: layout).diagram
  }

  /// The diagram and the panel's static layer (background and synapses), made once per layout.
  private func cachedDiagram(in layout: ViewerLayout) -> (diagram: CircuitDiagram?, synapses: Frame) {
    if let cache = diagramCache, cache.layout == layout { return (cache.diagram, cache.synapses) }
    let bounds = diagramBounds(in: layout)
    let diagram = policy.flatMap { CircuitDiagram(policy: $0, bounds: bounds) }
    var layer = Frame(width: layout.width, height: layout.height, color: Self.background)
    diagram?.drawSynapses(on: &layer, textColor: Frame.Color(150, 150, 160))
    diagramCache = (layout, diagram, layer)
    return (diagram, layer)
  }

  /// The value that colours a diagram node now.
  public func activation(of source: CircuitDiagram.Source) -> Float {
    switch source {
    case .input(let k): inputActivations.indices.contains(k) ? inputActivations[k] : 0
    case .state(let k): neuronActivations.indices.contains(k) ? neuronActivations[k] : 0
    case .output(let k): actionProbabilities.indices.contains(k) ? actionProbabilities[k] : 0
    }
  }

  /// The whole window as one RGB frame: status line, scaled game, policy panel.
  public func composeWindow(layout: ViewerLayout, status: ViewerStatus) -> Frame {
    var window = policy == nil
      ? Frame(width: layout.width, height: layout.height, color: Self.background) : cachedDiagram(in: layout).synapses
    let game = render().scaled(by: layout.scale)
    for y in 0..<game.height {
      let source = 3 * y * game.width
      let target = 3 * ((layout.gameY + y) * layout.width + layout.gameX)
      window.pixels.replaceSubrange(target..<target + 3 * game.width, with: game.pixels[source..<source + 3 * game.width])
    }
    var line = "EP \(episode)  STEP \(step)  RETURN \(String(format: "%.1f", episodeReturn))"
    line += "  FPS \(String(format: "%.0f", status.framesPerSecond))"
    line += "  \(agentControls ? "AGENT" : "HUMAN")  \(String(format: "%g", status.stepsPerSecond))/s"
    if status.paused { line += "  PAUSED" }
    if let recorder, recorder.isRecording { line += "  REC \(recorder.recordedSteps)" }
    window.drawText(line, x: 4, y: 2, color: Self.textColor)
    drawPanel(on: &window, layout: layout)
    return window
  }

  private func drawPanel(on window: inout Frame, layout: ViewerLayout) {
    let x = layout.panelX + 8
    var y = layout.gameY + 8
    let muted = Frame.Color(150, 150, 160)
    guard policy != nil else {
      window.drawText("KEYBOARD", x: x, y: y, color: Self.textColor)
      for (k, text) in keyHelp.enumerated() { window.drawText(text, x: x, y: y + 14 + 12 * k, color: muted) }
      return
    }
    let isDiscrete = if case .discrete = actionSpace { true } else { false }
    window.drawText(isDiscrete ? "ACTION PROBABILITIES" : "ACTION MEAN", x: x, y: y, color: Self.textColor)
    y += 12
    for (k, p) in actionProbabilities.prefix(10).enumerated() {
      window.drawText("\(k) \(String(format: "%6.3f", p))", x: x, y: y, color: muted)
      let bar = Int((Float(layout.panelWidth - 90) * min(1, abs(p))).rounded())
      window.fillRectangle(x: x + 64, y: y + 1, width: bar, height: 8, color: Frame.Color(240, 160, 40))
      y += 12
    }
    window.drawText("VALUE \(String(format: "%.3f", value ?? .nan))", x: x, y: y + 2, color: Self.textColor)
    guard let diagram = circuitDiagram(in: layout) else {
      window.drawText("NO RECURRENT STATE", x: x, y: diagramBounds(in: layout).y + 2, color: Self.textColor)
      return
    }
    diagram.drawNeurons(on: &window) { activation(of: $0) }
  }

  private var keyHelp: [String] {
    [
      "ARROWS/DIGITS ACT", keyMap.bindsSpace ? "SPACE ACTS, P PAUSE" : "SPACE/P PAUSE", "N STEP  -/+ SPEED",
      "R RESET  S SCREENSHOT", "C RECORD  Q QUIT",
    ]
  }
}

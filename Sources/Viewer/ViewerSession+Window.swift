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

  /// The layout for this session's environment.
  public func layout() -> ViewerLayout {
    let frame = render()
    return ViewerLayout(frameWidth: frame.width, frameHeight: frame.height)
  }

  /// The neuron panel inside `layout`.
  public func neuronPanel(in layout: ViewerLayout) -> NeuronPanel {
    NeuronPanel(originX: layout.panelX + 8, originY: neuronPanelTop(in: layout), width: ViewerLayout.panelWidth - 16)
  }

  private func neuronPanelTop(in layout: ViewerLayout) -> Int {
    layout.gameY + 8 + 12 * (2 + min(actionProbabilities.count, 10)) + 24
  }

  /// The whole window as one RGB frame: status line, scaled game, policy panel.
  public func composeWindow(layout: ViewerLayout, status: ViewerStatus) -> Frame {
    var window = Frame(width: layout.width, height: layout.height, color: Self.background)
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
    window.drawText(line, x: 4, y: 2, color: Self.textColor)
    drawPanel(on: &window, layout: layout)
    return window
  }

  private func drawPanel(on window: inout Frame, layout: ViewerLayout) {
    let x = layout.panelX + 8
    var y = layout.gameY + 8
    let muted = Frame.Color(150, 150, 160)
    guard let policy else {
      window.drawText("KEYBOARD", x: x, y: y, color: Self.textColor)
      for (k, text) in keyHelp.enumerated() { window.drawText(text, x: x, y: y + 14 + 12 * k, color: muted) }
      return
    }
    let isDiscrete = if case .discrete = actionSpace { true } else { false }
    window.drawText(isDiscrete ? "ACTION PROBABILITIES" : "ACTION MEAN", x: x, y: y, color: Self.textColor)
    y += 12
    for (k, p) in actionProbabilities.prefix(10).enumerated() {
      window.drawText("\(k) \(String(format: "%6.3f", p))", x: x, y: y, color: muted)
      let bar = Int((Float(ViewerLayout.panelWidth - 90) * min(1, abs(p))).rounded())
      window.fillRectangle(x: x + 64, y: y + 1, width: bar, height: 8, color: Frame.Color(240, 160, 40))
      y += 12
    }
    window.drawText("VALUE \(String(format: "%.3f", value ?? .nan))", x: x, y: y + 2, color: Self.textColor)
    let units = policy.circuit.stateSize
    window.drawText(
      units > 0 ? "NEURONS (\(units))" : "NO RECURRENT STATE", x: x, y: neuronPanelTop(in: layout) - 12,
      color: Self.textColor)
    neuronPanel(in: layout).draw(neuronActivations, on: &window)
  }

  private var keyHelp: [String] {
    [
      "ARROWS/DIGITS ACT", keyMap.bindsSpace ? "SPACE ACTS, P PAUSE" : "SPACE/P PAUSE", "N STEP  -/+ SPEED",
      "R RESET  S SCREENSHOT", "T TAKEOVER  Q QUIT",
    ]
  }
}

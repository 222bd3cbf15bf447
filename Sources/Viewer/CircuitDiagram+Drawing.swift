// Drawing a `CircuitDiagram` on a `Frame`: synapses in polarity colours (static, drawn once per
// layout and cached by the session), then one dot per neuron in its activation colour (every
// frame), then the column headers.
import Environments
import NeuralCircuits

extension CircuitDiagram {
  /// Blue for −1, grey for 0, orange for +1, saturating outside; non-finite values are grey.
  public static func color(activation: Float) -> Frame.Color {
    let a = max(-1, min(1, activation.isFinite ? activation : 0))
    let grey: Float = 90
    if a >= 0 {
      return Frame.Color(UInt8(grey + a * (255 - grey)), UInt8(grey + a * (160 - grey)), UInt8(grey * (1 - a)))
    }
    let b = -a
    return Frame.Color(UInt8(grey * (1 - b)), UInt8(grey + b * (140 - grey)), UInt8(grey + b * (255 - grey)))
  }

  /// The colour of a synapse: NeuralCircuits' diagram colours (ncps' `draw_graph` green and red).
  public static func color(of polarity: Wiring.Polarity) -> Frame.Color {
    let c = WiringDiagram.color(of: polarity)
    return Frame.Color(c.red, c.green, c.blue)
  }

  /// The ring around each dot.
  static let rim = Frame.Color(10, 10, 14)

  /// Draws every synapse (inhibitory first, so the two kinds stay apart where they cross in a
  /// stable order), the column headers and a legend line.
  public func drawSynapses(on frame: inout Frame, textColor: Frame.Color) {
    for kind in [Wiring.Polarity.inhibitory, .excitatory] {
      let color = Self.color(of: kind)
      for synapse in synapses where synapse.polarity == kind {
        for (a, b) in zip(synapse.points, synapse.points.dropFirst()) {
          frame.drawLine(from: a, to: b, thickness: 1, color: color)
        }
        if nodes[synapse.target].radius >= 3 && !synapse.arrowhead.isEmpty { frame.fillPolygon(synapse.arrowhead, color: color) }
      }
    }
    for header in headers {
      let x = header.x - Double(BitmapFont.width(of: header.text)) / 2
      frame.drawText(header.text, x: Int(x.rounded()), y: bounds.y + 2, color: textColor)
    }
    let y = bounds.y + bounds.height - Int(Self.legendHeight)
    var x = bounds.x + 8
    for (kind, name) in [(Wiring.Polarity.excitatory, "EXCITATORY"), (.inhibitory, "INHIBITORY")] {
      frame.drawLine(from: [Double(x), Double(y) + 5.5], to: [Double(x + 14), Double(y) + 5.5], thickness: 2, color: Self.color(of: kind))
      frame.drawText(name, x: x + 18, y: y + 1, color: textColor)
      x += 18 + BitmapFont.width(of: name) + 12
    }
    for (value, label) in [(Float(-1), "-1"), (0, "0"), (1, "+1")] {
      frame.fillCircle(center: [Double(x) + 4, Double(y) + 5.5], radius: 4, color: Self.color(activation: value))
      frame.drawText(label, x: x + 10, y: y + 1, color: textColor)
      x += 10 + BitmapFont.width(of: label) + 6
    }
  }

  /// Draws one dot per node, coloured by `activation(node.source)`.
  public func drawNeurons(on frame: inout Frame, activation: (Source) -> Float) {
    for node in nodes {
      frame.fillCircle(center: node.center, radius: node.radius + 1, color: Self.rim)
      frame.fillCircle(center: node.center, radius: node.radius, color: Self.color(activation: activation(node.source)))
    }
  }
}

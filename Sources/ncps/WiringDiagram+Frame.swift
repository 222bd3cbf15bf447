// Rasterises a `WiringDiagram` (NeuralCircuits) on an `Environments.Frame`, whose PNG encoder
// and bitmap font the tools share. The layout decisions all live in `WiringDiagram`; this file
// only maps its shapes to Frame primitives.
import Environments
import NeuralCircuits

extension WiringDiagram {
  /// The diagram as an RGB frame of `width × height` pixels.
  func frame() -> Frame {
    func color(_ c: Color) -> Frame.Color { Frame.Color(c.red, c.green, c.blue) }
    var frame = Frame(width: width, height: height, color: color(Self.background))
    /// Bitmap text vertically centred in the text's line.
    func text(_ t: Text, scale: Int) {
      let width = Double(BitmapFont.width(of: t.string, scale: scale))
      let x = t.isCentered ? t.origin.x - width / 2 : t.origin.x
      let y = t.origin.y + (t.height - Double(BitmapFont.glyphHeight * scale)) / 2
      frame.drawText(t.string, x: Int(x.rounded()), y: Int(y.rounded()), color: color(Self.ink), scale: scale)
    }
    text(title, scale: 2)
    for header in columnHeaders { text(header, scale: 2) }
    for edge in edges {
      let c = color(Self.color(of: edge.polarity))
      for (a, b) in zip(edge.points, edge.points.dropFirst()) { frame.drawLine(from: a, to: b, thickness: 1, color: c) }
      if !edge.arrowhead.isEmpty { frame.fillPolygon(edge.arrowhead, color: c) }
    }
    for node in nodes {
      frame.fillCircle(center: node.center, radius: nodeRadius, color: color(Self.ink))
      frame.fillCircle(center: node.center, radius: nodeRadius - 1, color: color(Self.color(of: node.type)))
      if nodeRadius >= 8 {
        let x = node.center.x - Double(BitmapFont.width(of: node.label)) / 2
        frame.drawText(node.label, x: Int(x.rounded()), y: Int((node.center.y - 5).rounded()), color: Frame.Color.white)
      }
    }
    for entry in legend {
      switch entry.marker {
      case .neuron(let type):
        frame.fillCircle(center: entry.markerCenter, radius: 8, color: color(Self.ink))
        frame.fillCircle(center: entry.markerCenter, radius: 7, color: color(Self.color(of: type)))
      case .synapse(let polarity):
        frame.drawLine(
          from: entry.markerCenter - [12, 0], to: entry.markerCenter + [12, 0], thickness: 3,
          color: color(Self.color(of: polarity)))
      }
      text(entry.text, scale: 2)
    }
    return frame
  }
}

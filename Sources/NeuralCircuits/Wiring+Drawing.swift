// Wiring diagrams: a layout of neurons and synapses, and its SVG rendering.
//
// Contract: `WiringDiagram(wiring)` places the neurons in columns by type, input side on the
// left (sensory, inter, command, motor; empty columns are skipped), each column evenly spaced
// and vertically centred; synapses are polylines from source to target with an arrowhead
// (curved when both ends share a column, a small loop for self-synapses), excitatory and
// inhibitory in two colours (ncps' `draw_graph` colours: tab:green and tab:red); a title and a
// legend with counts sit above and below. Everything is in pixels (`x` right, `y` down), so the
// same layout renders as SVG here and as a raster by whoever owns a canvas (the `ncps` tool
// draws it on an `Environments.Frame` and encodes PNG). Deterministic: no randomness.
import Foundation

public struct WiringDiagram: Hashable, Sendable {
  /// An RGB colour.
  public struct Color: Hashable, Sendable {
    public var red: UInt8, green: UInt8, blue: UInt8
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) { (self.red, self.green, self.blue) = (red, green, blue) }
    /// `#rrggbb`.
    public var hex: String { String(format: "#%02x%02x%02x", red, green, blue) }
  }

  public struct Node: Hashable, Sendable {
    /// `s3` for input 3, the neuron id otherwise.
    public var label: String
    public var type: Wiring.NeuronType
    public var center: SIMD2<Double>
  }

  public struct Edge: Hashable, Sendable {
    public var polarity: Wiring.Polarity
    /// The stroke, from the source's rim to the arrowhead's base.
    public var points: [SIMD2<Double>]
    /// A triangle whose first point is the tip (empty for self-synapses).
    public var arrowhead: [SIMD2<Double>]
  }

  /// A line of text; `origin` is its top-left corner (its top-centre when `isCentered`),
  /// `height` its line height in pixels.
  public struct Text: Hashable, Sendable {
    public var string: String
    public var origin: SIMD2<Double>
    public var height: Double
    public var isCentered = false
  }

  public struct LegendEntry: Hashable, Sendable {
    public enum Marker: Hashable, Sendable { case neuron(Wiring.NeuronType), synapse(Wiring.Polarity) }
    public var marker: Marker
    /// The marker's centre; the text starts to its right.
    public var markerCenter: SIMD2<Double>
    public var text: Text
  }

  public var width: Int
  public var height: Int
  public var nodeRadius: Double
  public var title: Text
  public var columnHeaders: [Text]
  public var nodes: [Node]
  public var edges: [Edge]
  public var legend: [LegendEntry]

  public static let background = Color(255, 255, 255)
  public static let ink = Color(33, 33, 33)

  /// matplotlib's tab10 colours, as ncps' `draw_graph` uses them (command neurons have no ncps
  /// default; tab:purple here).
  public static func color(of type: Wiring.NeuronType) -> Color {
    switch type {
    case .sensory: Color(188, 189, 34)
    case .inter: Color(31, 119, 180)
    case .command: Color(148, 103, 189)
    case .motor: Color(255, 127, 14)
    }
  }

  public static func color(of polarity: Wiring.Polarity) -> Color {
    polarity == .excitatory ? Color(44, 160, 44) : Color(214, 39, 40)
  }

  /// The layout of `wiring`, titled `title` (the wiring's specification when `nil`).
  public init(_ wiring: Wiring, title: String? = nil) {
    // Columns by neuron type, input side first.
    var columns: [(Wiring.NeuronType, [(label: String, key: Int)])] = []
    let sensory = (0..<wiring.inputCount).map { (label: "s\($0)", key: -1 - $0) }
    columns.append((.sensory, sensory))
    for type in [Wiring.NeuronType.inter, .command, .motor] {
      let ids = (0..<wiring.units).filter { wiring.neuronType(of: $0) == type }
      if !ids.isEmpty { columns.append((type, ids.map { (label: "\($0)", key: $0) })) }
    }
    let tallest = columns.map(\.1.count).max() ?? 1
    let spacing = min(40, max(12, 560 / Double(tallest)))
    nodeRadius = min(11, spacing * 0.36)
    let columnGap = 210.0, left = 90.0, top = 116.0
    let plotHeight = spacing * Double(tallest - 1)
    width = Int(left * 2 + columnGap * Double(columns.count - 1))
    let name = title ?? "\(wiring.specification.shortDescription) with \(wiring.inputCount) inputs"
    // Room for the title in a 12-pixel-wide font (the raster's) as well.
    width = max(width, 760, 48 + 12 * name.count)
    let xOffset = (Double(width) - columnGap * Double(columns.count - 1)) / 2

    var centers: [Int: SIMD2<Double>] = [:]
    nodes = []
    columnHeaders = []
    for (c, (type, members)) in columns.enumerated() {
      let x = xOffset + columnGap * Double(c)
      let y0 = top + (plotHeight - spacing * Double(members.count - 1)) / 2
      let header = "\(type.rawValue) (\(members.count))"
      columnHeaders.append(Text(string: header, origin: [x, top - 50], height: 20, isCentered: true))
      for (i, member) in members.enumerated() {
        let center = SIMD2(x, y0 + spacing * Double(i))
        centers[member.key] = center
        nodes.append(Node(label: member.label, type: type, center: center))
      }
    }

    // Synapses: sensory first, then neuron to neuron, each in matrix order (as ncps' graph).
    var edgeList: [Edge] = []
    var counts: [Wiring.Polarity: Int] = [:]
    let r = nodeRadius
    func add(_ source: SIMD2<Double>, _ target: SIMD2<Double>, _ value: Int) {
      guard let polarity = Wiring.Polarity(rawValue: value) else { return }
      counts[polarity, default: 0] += 1
      edgeList.append(Self.edge(from: source, to: target, polarity: polarity, radius: r))
    }
    for input in 0..<wiring.inputCount {
      for target in 0..<wiring.units { add(centers[-1 - input]!, centers[target]!, wiring.sensoryAdjacencyMatrix[input][target]) }
    }
    for source in 0..<wiring.units {
      for target in 0..<wiring.units { add(centers[source]!, centers[target]!, wiring.adjacencyMatrix[source][target]) }
    }

    edges = edgeList
    self.title = Text(string: name, origin: [24, 16], height: 22)

    // Legend: neuron types, then the two synapse kinds, in rows of three.
    var entries: [(LegendEntry.Marker, String)] = columns.map { type, members in
      (.neuron(type), "\(type.rawValue.prefix(1).uppercased() + type.rawValue.dropFirst()) neurons (\(members.count))")
    }
    entries.append((.synapse(.excitatory), "Excitatory synapses (\(counts[.excitatory, default: 0]))"))
    entries.append((.synapse(.inhibitory), "Inhibitory synapses (\(counts[.inhibitory, default: 0]))"))
    let legendTop = top + plotHeight + 44
    let entryWidth = (Double(width) - 48) / 2
    legend = entries.enumerated().map { index, entry in
      let center = SIMD2(24 + 14 + entryWidth * Double(index % 2), legendTop + 30 * Double(index / 2) + 10)
      return LegendEntry(
        marker: entry.0, markerCenter: center, text: Text(string: entry.1, origin: [center.x + 24, center.y - 10], height: 20))
    }
    height = Int(legendTop + 30 * Double((entries.count + 1) / 2) + 16)
  }

  /// A straight (different columns), curved (same column) or looped (self) stroke.
  private static func edge(from source: SIMD2<Double>, to target: SIMD2<Double>, polarity: Wiring.Polarity, radius r: Double) -> Edge {
    if source == target {
      let loopCenter = source + SIMD2(r * 1.7, -r * 0.9)
      let points = (0...24).map { k -> SIMD2<Double> in
        let angle = 2 * Double.pi * Double(k) / 24
        return loopCenter + SIMD2(cos(angle), sin(angle)) * r * 0.95
      }
      return Edge(polarity: polarity, points: points, arrowhead: [])
    }
    var path: [SIMD2<Double>]
    if source.x == target.x {
      // A quadratic Bézier bulging to the right, in proportion to the distance.
      let control = SIMD2(source.x + 0.45 * abs(target.y - source.y) + 2 * r, (source.y + target.y) / 2)
      path = (0...20).map { k in
        let t = Double(k) / 20
        return (1 - t) * (1 - t) * source + 2 * (1 - t) * t * control + t * t * target
      }
    } else {
      path = [source, target]
    }
    // Trim both ends to the rims and leave room for the arrowhead.
    path = trimmed(path, atStart: r, atEnd: r)
    let tip = path[path.count - 1]
    let before = path[path.count - 2]
    let direction = normalized(tip - before)
    let length = r * 0.9, halfWidth = r * 0.42
    let base = tip - direction * length
    let normal = SIMD2(-direction.y, direction.x) * halfWidth
    path[path.count - 1] = base
    return Edge(polarity: polarity, points: path, arrowhead: [tip, base + normal, base - normal])
  }

  private static func normalized(_ v: SIMD2<Double>) -> SIMD2<Double> {
    let length = (v * v).sum().squareRoot()
    return length > 0 ? v / length : SIMD2(1, 0)
  }

  /// `path` without its first `start` and last `end` pixels of arc length.
  private static func trimmed(_ path: [SIMD2<Double>], atStart start: Double, atEnd end: Double) -> [SIMD2<Double>] {
    func cut(_ points: [SIMD2<Double>], _ amount: Double) -> [SIMD2<Double>] {
      var points = points
      var remaining = amount
      while points.count > 2 {
        let step = ((points[1] - points[0]) * (points[1] - points[0])).sum().squareRoot()
        if step > remaining { break }
        remaining -= step
        points.removeFirst()
      }
      points[0] = points[0] + normalized(points[1] - points[0]) * remaining
      return points
    }
    return cut(cut(path, start).reversed(), end).reversed()
  }

  // MARK: - SVG

  /// The diagram as a standalone SVG document.
  public var svg: String {
    func f(_ v: Double) -> String { String(format: "%.1f", v) }
    func escaped(_ s: String) -> String {
      s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;")
    }
    func text(_ t: Text, size: Double, weight: String = "normal") -> String {
      "<text x=\"\(f(t.origin.x))\" y=\"\(f(t.origin.y + t.height * 0.8))\" font-size=\"\(f(size))\" "
        + "font-weight=\"\(weight)\" text-anchor=\"\(t.isCentered ? "middle" : "start")\" fill=\"\(Self.ink.hex)\">\(escaped(t.string))</text>"
    }
    var out = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"Helvetica, Arial, sans-serif\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"\(Self.background.hex)\"/>",
      text(title, size: 18, weight: "bold"),
    ]
    out += columnHeaders.map { text($0, size: 17) }
    for kind in [Wiring.Polarity.excitatory, .inhibitory] {
      let color = Self.color(of: kind).hex
      out.append("<g class=\"\(kind == .excitatory ? "excitatory" : "inhibitory")\" stroke=\"\(color)\" fill=\"\(color)\" stroke-opacity=\"0.7\">")
      for edge in edges where edge.polarity == kind {
        let points = edge.points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ")
        out.append("<polyline points=\"\(points)\" fill=\"none\" stroke-width=\"1.2\"/>")
        if !edge.arrowhead.isEmpty {
          out.append("<polygon points=\"\(edge.arrowhead.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " "))\" stroke=\"none\"/>")
        }
      }
      out.append("</g>")
    }
    for node in nodes {
      out.append(
        "<circle class=\"\(node.type.rawValue)\" cx=\"\(f(node.center.x))\" cy=\"\(f(node.center.y))\" r=\"\(f(nodeRadius))\" fill=\"\(Self.color(of: node.type).hex)\" stroke=\"\(Self.ink.hex)\" stroke-width=\"0.8\"/>")
      if nodeRadius >= 8 {
        out.append(
          "<text x=\"\(f(node.center.x))\" y=\"\(f(node.center.y + 3.5))\" font-size=\"\(f(nodeRadius * 0.9))\" text-anchor=\"middle\" fill=\"#ffffff\">\(node.label)</text>")
      }
    }
    for entry in legend {
      switch entry.marker {
      case .neuron(let type):
        out.append("<circle cx=\"\(f(entry.markerCenter.x))\" cy=\"\(f(entry.markerCenter.y))\" r=\"8\" fill=\"\(Self.color(of: type).hex)\" stroke=\"\(Self.ink.hex)\" stroke-width=\"0.8\"/>")
      case .synapse(let polarity):
        out.append("<line x1=\"\(f(entry.markerCenter.x - 12))\" y1=\"\(f(entry.markerCenter.y))\" x2=\"\(f(entry.markerCenter.x + 12))\" y2=\"\(f(entry.markerCenter.y))\" stroke=\"\(Self.color(of: polarity).hex)\" stroke-width=\"3\"/>")
      }
      out.append(text(entry.text, size: 16))
    }
    out.append("</svg>")
    return out.joined(separator: "\n") + "\n"
  }
}

extension Wiring {
  /// The wiring's diagram (see ``WiringDiagram``).
  public func diagram(title: String? = nil) -> WiringDiagram { WiringDiagram(self, title: title) }
}

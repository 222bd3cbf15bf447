// The policy's circuit as a wiring diagram inside the viewer's panel.
//
// Contract: the layout is NeuralCircuits' `WiringDiagram` (columns by neuron type, input side on
// the left, each column evenly spaced and vertically centred; synapses as polylines, curved
// within a column, looped for self-synapses) mapped into the panel's rectangle by one affine
// map for x and one per column for y (each column keeps its centre and gets the spacing that
// fits), so the viewer and `ncps wiring --png` draw the same picture. Wired circuits
// (ncp-cfc, ncp-ltc, ltc) show their wiring: sensory → inter → command → motor, synapses in the
// wiring's polarity colours. Fully connected circuits (cfc, lstm) show inputs → hidden → outputs
// (the action head), with the head's synapses coloured by the sign of its weights; the dense
// input synapses have no sign and are not drawn. Every node names the number that colours it
// each step (`Node.Source`).
import Environments
import NeuralCircuits
import Training

public struct CircuitDiagram: Sendable {
  /// What colours a node each step.
  public enum Source: Hashable, Sendable {
    /// Element `k` of the circuit's input (the encoder's output). Shape of the input: [circuit.inputSize].
    case input(Int)
    /// Element `k` of the actor circuit's recurrent state. Shape of the state: [circuit.stateSize].
    case state(Int)
    /// Action `k`'s probability (discrete) or Gaussian mean (continuous).
    case output(Int)
  }

  public struct Node: Hashable, Sendable {
    public var type: Wiring.NeuronType
    public var source: Source
    /// The centre, in window pixels.
    public var center: SIMD2<Double>
    /// The dot's radius in pixels (its column's).
    public var radius: Double
  }

  public struct Synapse: Hashable, Sendable {
    /// Indices into ``nodes``.
    public var source: Int, target: Int
    public var polarity: Wiring.Polarity
    /// The stroke in window pixels (the `WiringDiagram` edge mapped into the panel).
    public var points: [SIMD2<Double>]
    /// The arrowhead triangle, tip first (empty for self-synapses).
    public var arrowhead: [SIMD2<Double>]
  }

  /// A column header: its text and the column's centre x.
  public struct Header: Hashable, Sendable {
    public var text: String
    public var x: Double
  }

  public var nodes: [Node]
  public var synapses: [Synapse]
  public var headers: [Header]
  /// The rectangle the diagram was fitted into, in window pixels.
  public let bounds: Bounds

  /// A rectangle in window pixels.
  public struct Bounds: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) { (self.x, self.y, self.width, self.height) = (x, y, width, height) }
  }

  /// Room for the column headers above the nodes and the legend below them.
  static let headerHeight = 14.0, legendHeight = 16.0

  /// The diagram of `wiring`, fitted into `bounds`; `source(id)` tells which state element
  /// colours neuron `id`, and `names` renames the columns (by neuron type).
  init(
    wiring: Wiring, bounds frame: Bounds, source: (Int) -> Source,
    names: [Wiring.NeuronType: String] = [:]
  ) {
    bounds = frame
    let layout = WiringDiagram(wiring, title: "")
    // WiringDiagram's nodes: inputs 0..<inputCount (labels "s<k>"), then neuron ids (labels "<id>").
    let keys: [Int] = layout.nodes.map { node in
      node.label.hasPrefix("s") ? -1 - Int(node.label.dropFirst())! : Int(node.label)!
    }
    var indexOfKey: [Int: Int] = [:]
    for (index, key) in keys.enumerated() { indexOfKey[key] = index }

    // Column headers, e.g. "INTER 15"; the outer ones must fit inside the panel.
    let types = [Wiring.NeuronType.sensory, .inter, .command, .motor].filter { type in
      layout.nodes.contains { $0.type == type }
    }
    let headerTexts = types.map { type in
      "\((names[type] ?? type.rawValue).uppercased()) \(layout.nodes.count { $0.type == type })"
    }
    let widest = Double(headerTexts.map { BitmapFont.width(of: $0) }.max() ?? 0)

    // x: one affine map from the diagram's columns into the panel (less a margin). y: WiringDiagram
    // centres every column on the same middle line with one shared spacing; here each column keeps
    // that middle and gets its own spacing (at most `maxSpacing`, at most what fits), so a tall
    // sensory column does not squeeze the few command neurons. A point belongs to its nearest column.
    let columnXs = Array(Set(layout.nodes.map(\.center.x))).sorted()
    let ys = layout.nodes.map(\.center.y)
    let (minX, maxX, middle) = (columnXs.first!, columnXs.last!, (ys.min()! + ys.max()!) / 2)
    let margin = 10.0, sideMargin = max(10, widest / 2 + 4), maxSpacing = 24.0
    let box = (
      x: Double(frame.x) + sideMargin, y: Double(frame.y) + Self.headerHeight + margin,
      width: Double(frame.width) - 2 * sideMargin,
      height: Double(frame.height) - Self.headerHeight - Self.legendHeight - 2 * margin)
    let scaleX = maxX > minX ? box.width / (maxX - minX) : 1
    // The diagram's shared spacing, and each column's spacing and y scale here.
    let shared = Dictionary(grouping: layout.nodes, by: \.center.x).values.compactMap { column -> Double? in
      let sorted = column.map(\.center.y).sorted()
      return sorted.count > 1 ? sorted[1] - sorted[0] : nil
    }.first ?? 1
    let columnSpacing = columnXs.map { x -> Double in
      let count = layout.nodes.count { $0.center.x == x }
      return count > 1 ? min(maxSpacing, box.height / Double(count - 1)) : maxSpacing
    }
    func column(of p: SIMD2<Double>) -> Int {
      columnXs.indices.min { abs(columnXs[$0] - p.x) < abs(columnXs[$1] - p.x) }!
    }
    func map(_ p: SIMD2<Double>) -> SIMD2<Double> {
      let x = maxX > minX ? box.x + (p.x - minX) * scaleX : box.x + box.width / 2
      return SIMD2(x, box.y + box.height / 2 + (p.y - middle) * columnSpacing[column(of: p)] / shared)
    }
    // Dots no bigger than their column's spacing allows (and never more than 7 pixels).
    let columnRadius = columnSpacing.map { max(1.5, min(7, $0 * 0.38)) }

    var placed = zip(layout.nodes, keys).map { node, key in
      Node(
        type: node.type, source: key < 0 ? .input(-1 - key) : source(key), center: map(node.center),
        radius: columnRadius[column(of: node.center)])
    }
    headers = zip(headerTexts, layout.columnHeaders).map { Header(text: $0, x: map($1.origin).x) }

    // A sensory column too tall for `minSpacing` (conv features, raw grids) wraps into a block
    // of side-by-side sub-columns around its place, so every input stays a separate dot.
    let minSpacing = 5.0
    let sensory = placed.indices.filter { placed[$0].type == .sensory }
    let rows = Int(box.height / minSpacing) + 1
    if sensory.count > rows {
      let blocks = (sensory.count + rows - 1) / rows
      let used = (sensory.count + blocks - 1) / blocks
      let x0 = placed[sensory[0]].center.x
      for (k, index) in sensory.enumerated() {
        let (c, r) = (k / used, k % used)
        placed[index].center = SIMD2(
          x0 + (Double(c) - Double(blocks - 1) / 2) * minSpacing,
          box.y + box.height / 2 + (Double(r) - Double(used - 1) / 2) * minSpacing)
        placed[index].radius = 1.5
      }
    }
    nodes = placed

    // WiringDiagram's edges come in matrix order: sensory rows, then neuron rows, nonzero only.
    var pairs: [(Int, Int)] = []
    for input in 0..<wiring.inputCount {
      for target in 0..<wiring.units where wiring.sensoryAdjacencyMatrix[input][target] != 0 {
        pairs.append((-1 - input, target))
      }
    }
    for from in 0..<wiring.units {
      for target in 0..<wiring.units where wiring.adjacencyMatrix[from][target] != 0 { pairs.append((from, target)) }
    }
    precondition(pairs.count == layout.edges.count, "WiringDiagram's edges are the wiring's synapses in matrix order")
    synapses = zip(layout.edges, pairs).map { edge, pair in
      Synapse(
        source: indexOfKey[pair.0]!, target: indexOfKey[pair.1]!, polarity: edge.polarity,
        points: edge.points.map(map), arrowhead: edge.arrowhead.map(map))
    }
    // Sensory synapses start at their (possibly moved) dots.
    for k in synapses.indices where nodes[synapses[k].source].type == .sensory {
      synapses[k].points[0] = nodes[synapses[k].source].center
    }
  }
}

extension CircuitDiagram {
  /// The diagram of `policy`'s actor circuit fitted into `bounds`, or `nil` for a circuit without
  /// recurrent state (an MLP).
  public init?(policy: ActorCritic, bounds frame: Bounds) {
    // Mixed memory: the state is [h | c] with h in the cell's layout; the cell is drawn.
    let circuit = (policy.circuit as? MixedMemoryCircuit)?.cell ?? policy.circuit
    if let wired = circuit as? WiredCfCCircuit {
      // State layout: the wiring's layers in order ([inter | command | motor]).
      var position: [Int: Int] = [:]
      for (k, id) in wired.wiring.layers.joined().enumerated() { position[id] = k }
      self.init(wiring: wired.wiring, bounds: frame, source: { .state(position[$0]!) })
    } else if let ltc = circuit as? LTCCircuit {
      // State layout: neuron-id order.
      self.init(wiring: ltc.wiring, bounds: frame, source: { .state($0) })
    } else if circuit.stateSize > 0 {
      // cfc (state = hidden units) and lstm (state = [h | c]; h drawn).
      let hidden = circuit.outputSize
      let outputs = policy.actionSpace.size
      let signs = policy.actor.weight.scalars  // Shape: [outputs, hidden]
      guard
        var wiring = try? Wiring(units: outputs + hidden, inputCount: circuit.inputSize, outputCount: outputs)
      else { return nil }
      // Neurons 0..<outputs are the head's outputs (motor), outputs + j is hidden unit j.
      for j in 0..<hidden {
        for a in 0..<outputs where signs[a * hidden + j] != 0 {
          try? wiring.connect(outputs + j, to: a, polarity: signs[a * hidden + j] > 0 ? .excitatory : .inhibitory)
        }
      }
      self.init(
        wiring: wiring, bounds: frame, source: { $0 < outputs ? .output($0) : .state($0 - outputs) },
        names: [.sensory: "in", .inter: "hidden", .motor: "out"])
    } else {
      return nil
    }
  }
}

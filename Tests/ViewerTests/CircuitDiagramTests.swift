import Environments
import NeuralCircuits
import Testing
import Training
@testable import Viewer

private let background = Frame.Color(24, 24, 30)
private let bounds = CircuitDiagram.Bounds(x: 20, y: 30, width: 340, height: 380)

/// A policy with `circuit` on 6 inputs (no encoder) and 3 discrete actions.
private func policy(_ circuit: PolicyConfiguration.Circuit, units: Int = 12) throws -> ActorCritic {
  var configuration = PolicyConfiguration()
  configuration.circuit = circuit
  configuration.units = units
  configuration.motorNeurons = 3
  configuration.backboneUnits = 8
  return try ActorCritic(
    configuration: configuration, observationSpace: ObservationSpace(shape: [6], low: -1, high: 1),
    actionSpace: .discrete(count: 3), seed: 7)
}

/// Activations that differ per node kind and index, inside the colour scale's range.
private func activation(_ source: CircuitDiagram.Source) -> Float {
  switch source {
  case .input(let k): -0.9 + 0.1 * Float(k)
  case .state(let k): 0.95 - 0.15 * Float(k % 13)
  case .output(let k): 0.3 * Float(k)
  }
}

@Test func ncpDiagramHasTheWiringsNeuronsLayersAndSynapses() throws {
  let policy = try policy(.ncpCfC)
  let wired = try #require(policy.circuit as? WiredCfCCircuit)
  let wiring = wired.wiring
  let diagram = try #require(CircuitDiagram(policy: policy, bounds: bounds))
  #expect(diagram.nodes.count == wiring.inputCount + wiring.units)
  #expect(diagram.synapses.count == wiring.synapseCount + wiring.sensorySynapseCount)
  #expect(diagram.headers.map { $0.text.split(separator: " ")[0] } == ["SENSORY", "INTER", "COMMAND", "MOTOR"])
  // Every state element is drawn once, as a neuron of the type the wiring gives its id, and the
  // columns run sensory → inter → command → motor from left to right.
  let stateIDs = Array(wiring.layers.joined())
  var seen = Set<Int>()
  for node in diagram.nodes {
    switch node.source {
    case .input: #expect(node.type == .sensory)
    case .state(let k):
      seen.insert(k)
      #expect(node.type == wiring.neuronType(of: stateIDs[k]))
    case .output: Issue.record("a wired circuit draws no head outputs")
    }
    #expect(node.center.x > Double(bounds.x) && node.center.x < Double(bounds.x + bounds.width))
    #expect(node.center.y > Double(bounds.y) && node.center.y < Double(bounds.y + bounds.height))
  }
  #expect(seen == Set(0..<wiring.units))
  let order: [Wiring.NeuronType] = [.sensory, .inter, .command, .motor]
  for (a, b) in zip(order, order.dropFirst()) {
    let right = diagram.nodes.filter { $0.type == a }.map(\.center.x).max()!
    let left = diagram.nodes.filter { $0.type == b }.map(\.center.x).min()!
    #expect(right < left, "\(a) left of \(b)")
  }
  // Synapse polarities are the adjacency matrices' signs, source → target.
  func id(_ node: CircuitDiagram.Node) -> (input: Int?, neuron: Int?) {
    switch node.source {
    case .input(let k): (k, nil)
    case .state(let k): (nil, stateIDs[k])
    case .output: (nil, nil)
    }
  }
  for synapse in diagram.synapses {
    let (from, to) = (id(diagram.nodes[synapse.source]), id(diagram.nodes[synapse.target]))
    let target = try #require(to.neuron)
    let sign = from.input.map { wiring.sensoryAdjacencyMatrix[$0][target] } ?? wiring.adjacencyMatrix[from.neuron!][target]
    #expect(sign == synapse.polarity.rawValue)
  }
}

@Test func diagramDrawsOneDotPerNeuronAtItsPositionInItsActivationColour() throws {
  for circuit in [PolicyConfiguration.Circuit.ncpCfC, .ncpLTC, .cfc, .ltc, .lstm] {
    let diagram = try #require(CircuitDiagram(policy: try policy(circuit), bounds: bounds), "\(circuit)")
    var frame = Frame(width: 400, height: 440, color: background)
    diagram.drawSynapses(on: &frame, textColor: .white)
    diagram.drawNeurons(on: &frame, activation: activation)
    for node in diagram.nodes {
      let (x, y) = (Int(node.center.x), Int(node.center.y))
      #expect(frame[x, y] == CircuitDiagram.color(activation: activation(node.source)), "\(circuit) \(node.source)")
    }
    // Dots do not overlap: centres are at least a dot apart.
    for (i, a) in diagram.nodes.enumerated() {
      for b in diagram.nodes[(i + 1)...] {
        let d = a.center - b.center
        #expect((d * d).sum().squareRoot() >= a.radius + b.radius, "\(circuit)")
      }
    }
  }
}

@Test func fullyConnectedDiagramRunsInputsHiddenOutputsWithHeadSigns() throws {
  let policy = try policy(.cfc, units: 5)
  let diagram = try #require(CircuitDiagram(policy: policy, bounds: bounds))
  #expect(diagram.nodes.count == 6 + 5 + 3)
  #expect(diagram.headers.map(\.text) == ["IN 6", "HIDDEN 5", "OUT 3"])
  let weights = policy.actor.weight.scalars  // Shape: [3, 5]
  #expect(diagram.synapses.count == weights.count { $0 != 0 })
  for synapse in diagram.synapses {
    guard case .state(let j) = diagram.nodes[synapse.source].source,
      case .output(let a) = diagram.nodes[synapse.target].source
    else {
      Issue.record("a head synapse runs hidden → output")
      continue
    }
    #expect((weights[a * 5 + j] > 0) == (synapse.polarity == .excitatory))
  }
}

@Test func synapsesAreDrawnInTheirPolarityColour() throws {
  // Two inputs, two inter neurons and one motor neuron, synapses that never cross.
  var wiring = try Wiring(units: 3, inputCount: 2, outputCount: 1)
  try wiring.connectSensory(0, to: 1, polarity: .excitatory)
  try wiring.connectSensory(1, to: 2, polarity: .inhibitory)
  try wiring.connect(1, to: 0, polarity: .inhibitory)
  try wiring.connect(2, to: 0, polarity: .excitatory)
  let diagram = CircuitDiagram(wiring: wiring, bounds: bounds, source: { .state($0) })
  var frame = Frame(width: 400, height: 440, color: background)
  diagram.drawSynapses(on: &frame, textColor: .white)
  diagram.drawNeurons(on: &frame, activation: activation)
  #expect(diagram.synapses.map(\.polarity) == [.excitatory, .inhibitory, .inhibitory, .excitatory])
  for synapse in diagram.synapses {
    // Halfway along the stroke, clear of both dots.
    let (a, b) = (synapse.points.first!, synapse.points.last!)
    let middle = (a + b) / 2
    let around = (-1...1).flatMap { dy in (-1...1).map { dx in frame[Int(middle.x) + dx, Int(middle.y) + dy] } }
    let other: Wiring.Polarity = synapse.polarity == .excitatory ? .inhibitory : .excitatory
    #expect(around.contains(CircuitDiagram.color(of: synapse.polarity)))
    #expect(!around.contains(CircuitDiagram.color(of: other)))
  }
  #expect(CircuitDiagram.color(of: .excitatory) != CircuitDiagram.color(of: .inhibitory))
}

@Test func mlpPolicyHasNoDiagram() throws {
  #expect(CircuitDiagram(policy: try policy(.mlp), bounds: bounds) == nil)
}

@Test func activationColoursRunFromBlueThroughGreyToOrange() {
  let negative = CircuitDiagram.color(activation: -1), zero = CircuitDiagram.color(activation: 0)
  let positive = CircuitDiagram.color(activation: 1)
  #expect(negative.blue > negative.red && positive.red > positive.blue)
  #expect(zero.red == zero.green && zero.green == zero.blue)
  #expect(CircuitDiagram.color(activation: .nan) == zero)
}

@Test func manyInputsWrapIntoSeparateDots() throws {
  // 400 inputs (a raw 10×10×4 grid) into a 19-neuron NCP.
  let wiring = try Wiring.autoNCP(units: 19, outputSize: 4, sparsityLevel: 0.5, seed: 22222, inputCount: 400)
  let diagram = CircuitDiagram(wiring: wiring, bounds: bounds, source: { .state($0) })
  let sensory = diagram.nodes.filter { $0.type == .sensory }
  #expect(sensory.count == 400)
  for (i, a) in sensory.enumerated() {
    for b in sensory[(i + 1)...] {
      let d = a.center - b.center
      #expect((d * d).sum().squareRoot() >= a.radius + b.radius)
    }
    #expect(a.center.y > Double(bounds.y) && a.center.y < Double(bounds.y + bounds.height))
  }
  // The block stays left of the inter neurons, and sensory synapses start at their dots.
  let interLeft = diagram.nodes.filter { $0.type == .inter }.map(\.center.x).min()!
  #expect(sensory.map(\.center.x).max()! < interLeft)
  for synapse in diagram.synapses where diagram.nodes[synapse.source].type == .sensory {
    #expect(synapse.points[0] == diagram.nodes[synapse.source].center)
  }
}

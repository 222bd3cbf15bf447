import Foundation
import Testing
@testable import NeuralCircuits

@Test func diagramHasOneNodePerNeuronAndOneStrokePerSynapse() throws {
  let wiring = try Wiring.autoNCP(units: 16, outputSize: 4, inputCount: 8)
  let diagram = wiring.diagram()
  #expect(diagram.nodes.count == 16 + 8)
  #expect(diagram.edges.count == wiring.synapseCount + wiring.sensorySynapseCount)
  let inhibitory = wiring.adjacencyMatrix.joined().count { $0 == -1 } + wiring.sensoryAdjacencyMatrix.joined().count { $0 == -1 }
  #expect(diagram.edges.count { $0.polarity == .inhibitory } == inhibitory)
  // Columns left to right: sensory, inter, command, motor.
  let columnX = [Wiring.NeuronType.sensory, .inter, .command, .motor].map { type in
    diagram.nodes.first { $0.type == type }!.center.x
  }
  #expect(columnX == columnX.sorted() && Set(columnX).count == 4)
  #expect(diagram.legend.count == 6)
  // Everything inside the canvas.
  for node in diagram.nodes {
    #expect(node.center.x - diagram.nodeRadius >= 0 && node.center.x + diagram.nodeRadius <= Double(diagram.width))
    #expect(node.center.y - diagram.nodeRadius >= 0 && node.center.y + diagram.nodeRadius <= Double(diagram.height))
  }
}

@Test func svgDrawsEveryNeuronAndSynapseInTwoColours() throws {
  let wiring = try Wiring.fullyConnected(units: 5, outputCount: 2, inputCount: 3)
  let svg = wiring.diagram().svg
  #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
  #expect(svg.hasSuffix("</svg>\n"))
  func occurrences(_ needle: String) -> Int { svg.components(separatedBy: needle).count - 1 }
  // 8 neurons + 3 legend neuron markers (sensory, inter, motor).
  #expect(occurrences("<circle") == 8 + 3)
  #expect(occurrences("<polyline") == 25 + 15)
  #expect(occurrences("stroke=\"#2ca02c\"") >= 1 && occurrences("stroke=\"#d62728\"") >= 1)
  #expect(svg.contains("Inhibitory synapses ("))
  #expect(!svg.contains("nan") && !svg.contains("inf"))
}

@Test func summaryCountsNeuronsAndSynapses() throws {
  let wiring = try Wiring.autoNCP(units: 8, outputSize: 2, inputCount: 3)
  let lines = wiring.summary.split(separator: "\n")
  #expect(lines[0] == "AutoNCP(8, 2, sparsity_level=0.5, seed=22222) with 3 inputs")
  #expect(lines[1].contains("3 sensory, 4 inter, 2 command, 2 motor"))
  #expect(lines[2].contains("synapses:         8 ("))
  #expect(lines[3].contains("sensory synapses: 6 ("))
}

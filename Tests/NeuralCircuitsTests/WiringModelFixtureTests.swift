import Foundation
import NeuralNetworks
import Testing
@testable import NeuralCircuits

/// The wirings inside the ncps model fixtures (Scripts/make-ncps-fixtures.py) — built by ncps
/// as part of a CfC or LTC — are the wirings `Wiring` builds from the same config.
@Test func wiringsInsideNcpsModelFixturesAreRebuiltExactly() throws {
  let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ncps")
  let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".safetensors") }
  var checked = 0
  for name in names.sorted() {
    let file = try SafeTensorsFile(contentsOf: directory.appendingPathComponent(name))
    guard let adjacency = file.entries["wiring.adjacency_matrix"],
      let sensory = file.entries["wiring.sensory_adjacency_matrix"],
      let configText = file.metadata["config"],
      let config = try JSONSerialization.jsonObject(with: Data(configText.utf8)) as? [String: Any],
      let inputSize = config["input_size"] as? Int
    else { continue }
    let specification: Wiring.Specification
    if let units = config["units"] as? [String: Any] {
      let json = String(decoding: try JSONSerialization.data(withJSONObject: units), as: UTF8.self)
      specification = try Wiring.Specification(json: json)
    } else if let units = config["units"] as? Int, config["model"] as? String == "LTC" {
      specification = .fullyConnected(units: units)  // ncps' LTC wraps an int in FullyConnected(units)
    } else {
      continue
    }
    let wiring = try Wiring(specification, inputCount: inputSize)
    let units = wiring.units
    #expect(adjacency.shape == [units, units] && sensory.shape == [inputSize, units], "\(name)")
    let a = try adjacency.values(as: Int32.self).map(Int.init)
    let s = try sensory.values(as: Int32.self).map(Int.init)
    #expect(wiring.adjacencyMatrix.flatMap { $0 } == a, "\(name)")
    #expect(wiring.sensoryAdjacencyMatrix.flatMap { $0 } == s, "\(name)")
    if let wiringText = file.metadata["wiring"],
      let recorded = try JSONSerialization.jsonObject(with: Data(wiringText.utf8)) as? [String: Any]
    {
      #expect(recorded["layers"] as? [[Int]] == wiring.layers, "\(name)")
      #expect(recorded["output_dim"] as? Int == wiring.outputCount, "\(name)")
    }
    checked += 1
  }
  #expect(checked >= 10)
}

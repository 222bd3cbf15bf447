import Foundation
import NeuralNetworks
import Testing

@testable import NeuralCircuits

/// Cross-check: the wiring each ncps fixture was built with (recorded by
/// Scripts/make-ncps-fixtures.py) is the wiring our `Wiring` builds from the same config.
@Suite struct NCPSFixtureWiringTests {
  @Test(arguments: try NCPSFixtureFileTests.caseNames())
  func fixtureWiringIsOurs(_ name: String) throws {
    let file = try SafeTensorsFile(contentsOf: NCPSFixtureFileTests.directory.appendingPathComponent("\(name).safetensors"))
    guard let adjacency = file.entries["wiring.adjacency_matrix"] else { return }
    let configText = try #require(file.metadata["config"])
    let config = try #require(try JSONSerialization.jsonObject(with: Data(configText.utf8)) as? [String: Any])
    let inputCount = try #require(config["input_size"] as? Int)
    let wiring: Wiring
    if let units = config["units"] as? [String: Any] {
      let json = String(decoding: try JSONSerialization.data(withJSONObject: units), as: UTF8.self)
      wiring = try Wiring(json: json, inputCount: inputCount)
    } else {
      // LTC with int units: ncps builds FullyConnected(units) with its default seed.
      wiring = try Wiring(.fullyConnected(units: try #require(config["units"] as? Int)), inputCount: inputCount)
    }
    let sensory = try #require(file.entries["wiring.sensory_adjacency_matrix"])
    #expect(adjacency.shape == [wiring.units, wiring.units])
    #expect(sensory.shape == [inputCount, wiring.units])
    #expect(try adjacency.values(as: Int32.self).map(Int.init) == wiring.adjacencyMatrix.flatMap { $0 })
    #expect(try sensory.values(as: Int32.self).map(Int.init) == wiring.sensoryAdjacencyMatrix.flatMap { $0 })
    let recorded = try #require(file.metadata["wiring"])
    let layers = try #require(
      (try JSONSerialization.jsonObject(with: Data(recorded.utf8)) as? [String: Any])?["layers"] as? [[Int]])
    #expect(layers == wiring.layers)
  }
}

import Foundation
import NeuralNetworks
import Testing

/// The ncps parity fixtures (Scripts/make-ncps-fixtures.py) are complete and self-consistent:
/// every file loads, carries its config, inputs, outputs and a gradient for every trainable
/// parameter, and the recorded wiring agrees with the masks in the state dict.
@Suite struct NCPSFixtureFileTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/ncps")

  static func caseNames() throws -> [String] {
    let index = try JSONDecoder().decode(
      [String: String].self, from: Data(contentsOf: directory.appendingPathComponent("index.json")))
    return index.keys.sorted()
  }

  @Test func everyIndexedCaseHasAFile() throws {
    let names = try Self.caseNames()
    #expect(names.count >= 50)
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
      .filter { $0.hasSuffix(".safetensors") }.map { String($0.dropLast(".safetensors".count)) }
    #expect(Set(files) == Set(names))
  }

  @Test(arguments: try caseNames())
  func fixtureIsCompleteAndConsistent(_ name: String) throws {
    let file = try SafeTensorsFile(contentsOf: Self.directory.appendingPathComponent("\(name).safetensors"))
    #expect(file.metadata["case"] == name)
    let configText = try #require(file.metadata["config"])
    let config = try #require(
      try JSONSerialization.jsonObject(with: Data(configText.utf8)) as? [String: Any])
    let model = try #require(config["model"] as? String)
    #expect(model == "CfC" || model == "LTC")
    let mixed = try #require(config["mixed_memory"] as? Bool)

    for required in ["input", "target", "output", "hn", "grad.input"] {
      #expect(file.entries[required] != nil, "\(name) lacks \(required)")
    }
    #expect(file.entries["output"]?.shape == file.entries["target"]?.shape)
    #expect(file.entries["grad.input"]?.shape == file.entries["input"]?.shape)
    #expect((file.entries["cn"] != nil) == mixed)
    if file.entries["h0"] != nil { #expect(file.entries["grad.h0"]?.shape == file.entries["h0"]?.shape) }
    #expect(file.entries["timespans"] != nil || file.metadata["timespans"] == "none")

    // Every trainable state-dict entry (all but the frozen masks) has a gradient of its shape.
    let reserved: Set = ["input", "timespans", "h0", "c0", "target", "output", "hn", "cn"]
    let parameters = file.entries.keys.filter {
      !reserved.contains($0) && !$0.hasPrefix("grad.") && !$0.hasPrefix("wiring.") && !$0.hasSuffix("sparsity_mask")
    }
    #expect(!parameters.isEmpty)
    for parameter in parameters {
      #expect(file.entries["grad.\(parameter)"]?.shape == file.entries[parameter]?.shape, "\(name): \(parameter)")
    }

    // The wiring's adjacency agrees with the masks (LTC: |adjacency|; erev starts as adjacency).
    guard let adjacency = file.entries["wiring.adjacency_matrix"] else { return }
    let sensory = try #require(file.entries["wiring.sensory_adjacency_matrix"])
    let a = try adjacency.values(as: Int32.self).map(Float.init)
    let s = try sensory.values(as: Int32.self).map(Float.init)
    if model == "LTC" {
      #expect(try file.tensor(named: "rnn_cell.sparsity_mask").scalars == a.map(abs))
      #expect(try file.tensor(named: "rnn_cell.sensory_sparsity_mask").scalars == s.map(abs))
      #expect(try file.tensor(named: "rnn_cell.erev").scalars == a)
      #expect(try file.tensor(named: "rnn_cell.sensory_erev").scalars == s)
    } else {
      // Wired CfC layer 0: mask = [|sensory[:, layer0]|; ones] transposed, shape (|layer0|, inputs + |layer0|).
      let wiringText = try #require(file.metadata["wiring"])
      let wiring = try #require(
        try JSONSerialization.jsonObject(with: Data(wiringText.utf8)) as? [String: Any])
      let layers = try #require(wiring["layers"] as? [[Int]])
      let units = adjacency.shape[0], inputs = sensory.shape[0]
      let mask = try file.tensor(named: "rnn_cell.layer_0.sparsity_mask")
      let layer0 = layers[0]
      #expect(mask.shape == [layer0.count, inputs + layer0.count])
      for (row, target) in layer0.enumerated() {
        for source in 0..<inputs {
          #expect(mask.scalars[row * (inputs + layer0.count) + source] == abs(s[source * units + target]))
        }
      }
    }
  }
}

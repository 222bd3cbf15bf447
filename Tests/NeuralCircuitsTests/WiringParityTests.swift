import Foundation
import Testing
@testable import NeuralCircuits

/// Wirings made by ncps 1.0.1, written by `Scripts/make-wiring-fixtures.py`.
struct WiringFixture: Decodable {
  struct Case: Decodable {
    var type: String
    var args: [String: JSONValue]
    var inputDim: Int
    var units: Int
    var outputDim: Int
    var layers: [[Int]]
    var neuronTypes: [String]
    var synapseCount: Int
    var sensorySynapseCount: Int
    var adjacency: [String]
    var sensory: [String]
    var config: [String: JSONValue]?

    /// The typed JSON the `ncps wiring` tool accepts.
    var json: String {
      var fields = args
      fields["type"] = .string(type)
      return JSONValue.object(fields).serialized
    }
  }

  struct Failure: Decodable {
    var type: String
    var args: [String: JSONValue]
    var message: String
  }

  var cases: [Case]
  var errors: [Failure]

  static func load() throws -> WiringFixture {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/wirings.json")
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(WiringFixture.self, from: Data(contentsOf: url))
  }
}

extension JSONValue {
  /// Minimal serialisation for building test inputs.
  var serialized: String {
    switch self {
    case .bool(let v): "\(v)"
    case .int(let v): "\(v)"
    case .uint(let v): "\(v)"
    case .double(let v): "\(v)"
    case .string(let v): "\"\(v)\""
    case .null: "null"
    case .array(let values): "[" + values.map(\.serialized).joined(separator: ",") + "]"
    case .object(let fields):
      "{" + fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value.serialized)" }.joined(separator: ",") + "}"
    }
  }
}

/// A matrix as the fixture's row strings: '+' = +1, '-' = -1, '.' = 0.
func rowStrings(_ matrix: [[Int]]) -> [String] {
  matrix.map { String($0.map { $0 == 1 ? "+" : $0 == -1 ? "-" : "." }) }
}

@Test func everyWiringMatchesNcpsForTheSameArgumentsSeedAndInputSize() throws {
  let fixture = try WiringFixture.load()
  #expect(fixture.cases.count >= 30)
  for expected in fixture.cases {
    let wiring = try Wiring(json: expected.json, inputCount: expected.inputDim)
    let label: Comment = "\(expected.json) @ \(expected.inputDim)"
    #expect(wiring.units == expected.units, label)
    #expect(wiring.inputCount == expected.inputDim, label)
    #expect(wiring.outputCount == expected.outputDim, label)
    #expect(wiring.layers == expected.layers, label)
    #expect((0..<wiring.units).map { wiring.neuronType(of: $0).rawValue } == expected.neuronTypes, label)
    #expect(wiring.synapseCount == expected.synapseCount, label)
    #expect(wiring.sensorySynapseCount == expected.sensorySynapseCount, label)
    #expect(rowStrings(wiring.adjacencyMatrix) == expected.adjacency, label)
    #expect(rowStrings(wiring.sensoryAdjacencyMatrix) == expected.sensory, label)
    // ncps' own get_config (no "type") reads back to the same wiring.
    if let config = expected.config {
      let fromConfig = try Wiring(json: JSONValue.object(config).serialized, inputCount: expected.inputDim)
      #expect(fromConfig == wiring, label)
    }
  }
}

@Test func invalidArgumentsFailWithNcpsMessages() throws {
  let fixture = try WiringFixture.load()
  #expect(fixture.errors.count >= 10)
  for failure in fixture.errors {
    var fields = failure.args
    fields["type"] = .string(failure.type)
    let json = JSONValue.object(fields).serialized
    do {
      _ = try Wiring(json: json, inputCount: 4)
      Issue.record("\(json) did not fail")
    } catch {
      #expect(error.message == failure.message, "\(json)")
    }
  }
}

@Test func appendixAAutoNCP8x2MatchesTheReference() throws {
  // reference/ncps.md Appendix A, independent of the fixture file.
  let wiring = try Wiring.autoNCP(units: 8, outputSize: 2, inputCount: 3)
  #expect(rowStrings(wiring.adjacencyMatrix) == [
    "........", "........", "+-......", "-.+.....", "...-....", "..-.....", "..-.....", "..-.....",
  ])
  #expect(rowStrings(wiring.sensoryAdjacencyMatrix) == ["....-..-", ".....++.", ".....--."])
  #expect(wiring.synapseCount == 8 && wiring.sensorySynapseCount == 6)
}

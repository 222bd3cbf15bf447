import Foundation
import Testing
@testable import NeuralCircuits

@Test func customWiringStartsEmptyWithMotorNeuronsFirst() throws {
  let wiring = try Wiring(units: 4, inputCount: 2, outputCount: 1)
  #expect(wiring.synapseCount == 0 && wiring.sensorySynapseCount == 0)
  #expect(wiring.layers == [[0, 1, 2, 3]])
  #expect((0..<4).map { wiring.neuronType(of: $0) } == [.motor, .inter, .inter, .inter])
  #expect(try wiring.neurons(inLayer: 5) == [0, 1, 2, 3])  // ncps: any layer id of a one-layer wiring
}

@Test func synapsesAreAddedOneByOneAndOverwrite() throws {
  var wiring = try Wiring(units: 3, inputCount: 2)
  try wiring.connect(0, to: 2, polarity: .excitatory)
  try wiring.addSynapse(from: 1, to: 1, polarity: -1)
  try wiring.connect(0, to: 2, polarity: .inhibitory)
  try wiring.connectSensory(1, to: 0, polarity: .excitatory)
  #expect(wiring.adjacencyMatrix == [[0, 0, -1], [0, -1, 0], [0, 0, 0]])
  #expect(wiring.sensoryAdjacencyMatrix == [[0, 0, 0], [1, 0, 0]])
  #expect(wiring.polarity(from: 0, to: 2) == .inhibitory)
  #expect(wiring.polarity(from: 2, to: 0) == nil)
  #expect(wiring.sensoryPolarity(from: 1, to: 0) == .excitatory)
  #expect(wiring.synapseCount == 2 && wiring.sensorySynapseCount == 1)
  #expect(wiring.flatAdjacency == [0, 0, -1, 0, -1, 0, 0, 0, 0])
}

@Test func badSynapsesFailWithNcpsMessages() throws {
  var wiring = try Wiring(units: 3, inputCount: 2)
  func message(_ body: (inout Wiring) throws -> Void) -> String? {
    do { try body(&wiring); return nil } catch { return (error as? WiringError)?.message }
  }
  #expect(message { try $0.addSynapse(from: 3, to: 0, polarity: 1) } == "Cannot add synapse originating in 3 if cell has only 3 units")
  #expect(message { try $0.addSynapse(from: 0, to: -1, polarity: 1) } == "Cannot add synapse feeding into -1 if cell has only 3 units")
  #expect(message { try $0.addSynapse(from: 0, to: 1, polarity: 2) } == "Cannot add synapse with polarity 2 (expected -1 or +1)")
  #expect(message { try $0.addSensorySynapse(from: 2, to: 0, polarity: 1) } == "Cannot add sensory synapse originating in 2 if input has only 2 features")
  #expect(message { try $0.addSensorySynapse(from: 0, to: 5, polarity: -1) } == "Cannot add synapse feeding into 5 if cell has only 3 units")
  #expect(message { try $0.addSensorySynapse(from: 0, to: 1, polarity: 0) } == "Cannot add synapse with polarity 0 (expected -1 or +1)")
  #expect(wiring.synapseCount == 0)
}

@Test func ncpLayersAndTypesFollowNcpsIds() throws {
  let wiring = try Wiring.autoNCP(units: 16, outputSize: 4, inputCount: 8)
  #expect(wiring.layers == [Array(8..<16), Array(4..<8), Array(0..<4)])
  #expect(try wiring.neurons(inLayer: 1) == Array(4..<8))
  #expect(throws: WiringError("Unknown layer 3")) { try wiring.neurons(inLayer: 3) }
  #expect(wiring.neuronCount(of: .inter) == 8 && wiring.neuronCount(of: .command) == 4)
  #expect(wiring.neuronCount(of: .motor) == 4 && wiring.neuronCount(of: .sensory) == 8)
  // reference/ncps.md Appendix A
  #expect(wiring.synapseCount == 28 && wiring.sensorySynapseCount == 32)
}

@Test func autoNCPDerivesNcpsArguments() throws {
  // reference/ncps.md §6.5 examples.
  func args(_ units: Int, _ output: Int) throws -> [Int] {
    let a = try Wiring.autoNCPArguments(units: units, outputSize: output)
    return [a.interNeurons, a.commandNeurons, a.motorNeurons, a.sensoryFanout, a.interFanout,
            a.recurrentCommandSynapses, a.motorFanin]
  }
  #expect(try args(16, 4) == [8, 4, 4, 4, 2, 4, 2])
  #expect(try args(28, 10) == [11, 7, 10, 5, 3, 7, 3])
  #expect(try args(28, 4) == [15, 9, 4, 7, 4, 9, 4])
  #expect(try args(16, 1) == [9, 6, 1, 4, 3, 6, 3])
  #expect(try args(8, 2) == [4, 2, 2, 2, 1, 2, 1])
  #expect(try args(64, 8) == [34, 22, 8, 17, 11, 22, 11])
}

@Test func sameArgumentsGiveTheSameWiringAndSeedsMatter() throws {
  let a = try Wiring.autoNCP(units: 28, outputSize: 4, seed: 1, inputCount: 8)
  let b = try Wiring.autoNCP(units: 28, outputSize: 4, seed: 1, inputCount: 8)
  let c = try Wiring.autoNCP(units: 28, outputSize: 4, seed: 2, inputCount: 8)
  #expect(a == b)
  #expect(a.adjacencyMatrix != c.adjacencyMatrix)
}

@Test func specificationJSONRoundTrips() throws {
  let specifications: [Wiring.Specification] = [
    .autoNCP(units: 28, outputSize: 4, sparsityLevel: 0.9, seed: 7),
    .ncp(interNeurons: 4, commandNeurons: 3, motorNeurons: 2, sensoryFanout: 2, interFanout: 2,
         recurrentCommandSynapses: 3, motorFanin: 2, seed: 0),
    .fullyConnected(units: 5, outputCount: 2, erevInitSeed: UInt64.max, selfConnections: false),
    .random(units: 6, outputCount: 6, sparsityLevel: 0.5, randomSeed: 1111),
    .custom(units: 2, outputCount: 1, adjacencyMatrix: [[0, 1], [-1, 0]], sensoryAdjacencyMatrix: [[1, 1]]),
  ]
  for specification in specifications {
    #expect(try Wiring.Specification(json: specification.json) == specification, "\(specification.json)")
  }
  #expect(
    Wiring.Specification.autoNCP(units: 28, outputSize: 4).json
      == #"{"type": "AutoNCP", "units": 28, "output_size": 4, "sparsity_level": 0.5, "seed": 22222}"#)
}

@Test func configurationJSONReadsBackToTheSameMatrices() throws {
  let wiring = try Wiring.random(units: 7, outputCount: 2, sparsityLevel: 0.4, inputCount: 3)
  let json = wiring.configurationJSON
  #expect(json.hasPrefix(#"{"units": 7, "adjacency_matrix": [["#))
  let back = try Wiring(json: json, inputCount: 3)
  #expect(back.adjacencyMatrix == wiring.adjacencyMatrix)
  #expect(back.sensoryAdjacencyMatrix == wiring.sensoryAdjacencyMatrix)
  #expect(back.outputCount == 2 && back.generator == nil)
  // A different input size conflicts with the stored sensory matrix, as in ncps' build().
  #expect(throws: WiringError(
    "Conflicting input dimensions provided. set_input_dim() was called with 3 but actual input has dimension 4")) {
    try Wiring(json: json, inputCount: 4)
  }
}

@Test func badJSONFailsWithOneClearMessage() {
  func message(_ json: String, inputCount: Int = 4) -> String {
    do { _ = try Wiring(json: json, inputCount: inputCount); return "no error" } catch { return error.message }
  }
  #expect(message("{\"type\": \"AutoNCP\", \"units\": 28").hasPrefix("invalid wiring JSON"))
  #expect(message("[1, 2]").hasPrefix("a wiring must be a JSON object"))
  #expect(message(#"{"type": "Hopfield", "units": 3}"#)
    == #"unknown wiring type "Hopfield" (expected AutoNCP, NCP, FullyConnected, Random or Wiring)"#)
  #expect(message(#"{"type": "AutoNCP", "units": 28, "output_size": 4, "sparsity": 0.5}"#)
    == #"AutoNCP: unknown key "sparsity" (expected output_size, seed, sparsity_level, units)"#)
  #expect(message(#"{"type": "AutoNCP", "units": 28}"#) == #"AutoNCP: missing "output_size""#)
  #expect(message(#"{"type": "AutoNCP", "units": "28", "output_size": 4}"#)
    == #"AutoNCP: "units" must be an integer (given "28")"#)
  #expect(message(#"{"type": "FullyConnected", "units": 4, "erev_init_seed": -3}"#)
    == #"FullyConnected: "erev_init_seed" must be a non-negative integer below 2**64 (given -3)"#)
  #expect(message(#"{"type": "FullyConnected", "units": 4, "self_connections": 1}"#)
    == #"FullyConnected: "self_connections" must be true or false (given 1)"#)
  #expect(message(#"{"units": 4}"#).hasPrefix("wiring JSON needs a \"type\""))
  #expect(message(#"{"type": "FullyConnected", "units": 0}"#) == "units must be at least 1 (given 0)")
  #expect(message(#"{"type": "FullyConnected", "units": 4, "output_dim": 5}"#)
    == "output_dim must be between 1 and the number of units 4 (given 5)")
  #expect(message(#"{"type": "AutoNCP", "units": 28, "output_size": 4}"#, inputCount: 0)
    == "the input size must be at least 1 (given 0)")
  #expect(message(#"{"type": "NCP", "inter_neurons": 0, "command_neurons": 2, "motor_neurons": 1, "sensory_fanout": 0, "inter_fanout": 1, "recurrent_command_synapses": 1, "motor_fanin": 1}"#)
    == "inter_neurons must be at least 1 (given 0)")
  #expect(message(#"{"units": 2, "adjacency_matrix": [[0, 2], [0, 0]]}"#)
    == "adjacency_matrix[0][1] is 2 (expected -1, 0 or +1)")
  #expect(message(#"{"units": 2, "adjacency_matrix": [[0, 1]]}"#)
    == "adjacency_matrix must have shape [2, 2] (given [1, 2])")
}

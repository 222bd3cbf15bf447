// A wiring: which neurons of a recurrent circuit talk to which, and with what sign.
//
// Contract: a `Wiring` is complete when constructed (the input count is given up front; there
// is no build() phase) and is plain data. Matrices use ncps' conventions: rows are source
// neurons, values are -1 (inhibitory), 0 (no synapse) or +1 (excitatory). Neuron ids, layers
// and neuron types are those of ncps 1.0.1 (reference/ncps.md §6); the generated wirings
// (Wiring+FullyConnected.swift, Wiring+Random.swift, Wiring+NCP.swift) make the same random
// draws in the same order as ncps, so the same arguments, seed and input count give the same
// matrices.
import Foundation

public struct Wiring: Hashable, Sendable {
  /// The sign of a synapse: excitatory (+1) or inhibitory (-1).
  public enum Polarity: Int, Hashable, Sendable, CaseIterable {
    case inhibitory = -1, excitatory = 1
  }

  /// The role of a neuron. Sensory neurons are the inputs; the others are units of the cell.
  public enum NeuronType: String, Hashable, Sendable, CaseIterable {
    case sensory, inter, command, motor
  }

  /// The number of neurons in the cell (the state size).
  public let units: Int
  /// The number of input features (sensory neurons); ncps' `input_dim`.
  public let inputCount: Int
  /// The number of motor neurons, whose states are the cell's output; ncps' `output_dim`.
  /// Motor neurons are the neurons `0 ..< outputCount`.
  public let outputCount: Int
  /// The neuron ids of each layer, input side first: `layers[l]` is ncps'
  /// `get_neurons_of_layer(l)`. One layer of all units for fully connected, random and custom
  /// wirings; `[inter, command, motor]` for NCP wirings.
  public let layers: [[Int]]
  /// The synapses between neurons. Shape: [units, units]; `adjacencyMatrix[source][target]`
  /// is -1, 0 or +1.
  public internal(set) var adjacencyMatrix: [[Int]]
  /// The synapses from inputs to neurons. Shape: [inputCount, units];
  /// `sensoryAdjacencyMatrix[input][target]` is -1, 0 or +1.
  public internal(set) var sensoryAdjacencyMatrix: [[Int]]
  /// The constructor arguments this wiring was generated from; `nil` once synapses were added
  /// by hand (then ``specification`` describes the matrices themselves).
  public internal(set) var generator: Specification?

  /// The ncps class and constructor arguments of a wiring. See Wiring+JSON.swift for the JSON
  /// form.
  public enum Specification: Hashable, Sendable {
    /// ncps' base `Wiring(units)` with its synapses (its `get_config`). A missing sensory
    /// matrix means "no sensory synapses".
    case custom(units: Int, outputCount: Int?, adjacencyMatrix: [[Int]], sensoryAdjacencyMatrix: [[Int]]?)
    /// `FullyConnected(units, output_dim=None, erev_init_seed=1111, self_connections=True)`.
    case fullyConnected(units: Int, outputCount: Int? = nil, erevInitSeed: UInt64 = 1111, selfConnections: Bool = true)
    /// `Random(units, output_dim=None, sparsity_level=0.0, random_seed=1111)`.
    case random(units: Int, outputCount: Int? = nil, sparsityLevel: Double = 0, randomSeed: UInt64 = 1111)
    /// `NCP(inter_neurons, command_neurons, motor_neurons, sensory_fanout, inter_fanout,
    /// recurrent_command_synapses, motor_fanin, seed=22222)`.
    case ncp(
      interNeurons: Int, commandNeurons: Int, motorNeurons: Int, sensoryFanout: Int, interFanout: Int,
      recurrentCommandSynapses: Int, motorFanin: Int, seed: Int = 22222)
    /// `AutoNCP(units, output_size, sparsity_level=0.5, seed=22222)`.
    case autoNCP(units: Int, outputSize: Int, sparsityLevel: Double = 0.5, seed: Int = 22222)
  }

  /// A wiring with no synapses (ncps' base `Wiring(units)` after `set_output_dim` and `build`):
  /// one layer of all units; neurons `0 ..< outputCount` are motor neurons, the rest inter
  /// neurons. Add synapses with ``addSynapse(from:to:polarity:)`` and
  /// ``addSensorySynapse(from:to:polarity:)``.
  ///
  /// - Parameter outputCount: The number of motor neurons; all units when `nil`.
  public init(units: Int, inputCount: Int, outputCount: Int? = nil) throws(WiringError) {
    try Self.validate(units: units, inputCount: inputCount, outputCount: outputCount ?? units)
    self.init(
      units: units, inputCount: inputCount, outputCount: outputCount ?? units,
      layers: [Array(0..<units)], generator: nil)
  }

  /// The unchecked memberwise form used by the generators.
  init(units: Int, inputCount: Int, outputCount: Int, layers: [[Int]], generator: Specification?) {
    self.units = units
    self.inputCount = inputCount
    self.outputCount = outputCount
    self.layers = layers
    self.generator = generator
    adjacencyMatrix = Array(repeating: Array(repeating: 0, count: units), count: units)
    sensoryAdjacencyMatrix = Array(repeating: Array(repeating: 0, count: units), count: inputCount)
  }

  static func validate(units: Int, inputCount: Int, outputCount: Int) throws(WiringError) {
    guard units >= 1 else { throw WiringError("units must be at least 1 (given \(units))") }
    guard inputCount >= 1 else { throw WiringError("the input size must be at least 1 (given \(inputCount))") }
    guard (1...units).contains(outputCount) else {
      throw WiringError("output_dim must be between 1 and the number of units \(units) (given \(outputCount))")
    }
  }

  // MARK: - Neurons and layers

  /// ncps' `num_layers`.
  public var layerCount: Int { layers.count }

  /// ncps' `get_neurons_of_layer(layer)`: for single-layer wirings every layer id gives all
  /// units (as in ncps); NCP wirings have layers 0 (inter), 1 (command), 2 (motor) and throw
  /// "Unknown layer {l}" otherwise.
  public func neurons(inLayer layer: Int) throws(WiringError) -> [Int] {
    if layers.count == 1 { return layers[0] }
    guard layers.indices.contains(layer) else { throw WiringError("Unknown layer \(layer)") }
    return layers[layer]
  }

  /// ncps' `get_type_of_neuron(neuron)` for a unit id in `0 ..< units`: motor for ids below
  /// `outputCount`; in NCP wirings command for the next layer, inter for the rest.
  public func neuronType(of neuron: Int) -> NeuronType {
    if neuron < outputCount { return .motor }
    if layers.count == 3 && neuron < outputCount + layers[1].count { return .command }
    return .inter
  }

  /// The number of units of each type (sensory: the input count).
  public func neuronCount(of type: NeuronType) -> Int {
    type == .sensory ? inputCount : (0..<units).count { neuronType(of: $0) == type }
  }

  // MARK: - Synapses

  /// The number of synapses between units: `Σ |adjacencyMatrix|` (ncps' `synapse_count`).
  public var synapseCount: Int { adjacencyMatrix.reduce(0) { $0 + $1.reduce(0) { $0 + abs($1) } } }

  /// The number of synapses from inputs: `Σ |sensoryAdjacencyMatrix|`.
  public var sensorySynapseCount: Int {
    sensoryAdjacencyMatrix.reduce(0) { $0 + $1.reduce(0) { $0 + abs($1) } }
  }

  /// The polarity of the synapse from unit `source` to unit `target`, if there is one.
  public func polarity(from source: Int, to target: Int) -> Polarity? {
    Polarity(rawValue: adjacencyMatrix[source][target])
  }

  /// The polarity of the synapse from input `input` to unit `target`, if there is one.
  public func sensoryPolarity(from input: Int, to target: Int) -> Polarity? {
    Polarity(rawValue: sensoryAdjacencyMatrix[input][target])
  }

  /// ncps' `add_synapse(src, dest, polarity)`: sets (or overwrites) the synapse, with ncps'
  /// messages for a bad source, target or polarity.
  public mutating func addSynapse(from source: Int, to target: Int, polarity: Int) throws(WiringError) {
    guard (0..<units).contains(source) else {
      throw WiringError("Cannot add synapse originating in \(source) if cell has only \(units) units")
    }
    guard (0..<units).contains(target) else {
      throw WiringError("Cannot add synapse feeding into \(target) if cell has only \(units) units")
    }
    guard polarity == -1 || polarity == 1 else {
      throw WiringError("Cannot add synapse with polarity \(polarity) (expected -1 or +1)")
    }
    adjacencyMatrix[source][target] = polarity
    generator = nil
  }

  /// ``addSynapse(from:to:polarity:)`` with a typed polarity.
  public mutating func connect(_ source: Int, to target: Int, polarity: Polarity) throws(WiringError) {
    try addSynapse(from: source, to: target, polarity: polarity.rawValue)
  }

  /// ncps' `add_sensory_synapse(src, dest, polarity)`, with ncps' messages.
  public mutating func addSensorySynapse(from input: Int, to target: Int, polarity: Int) throws(WiringError) {
    guard (0..<inputCount).contains(input) else {
      throw WiringError(
        "Cannot add sensory synapse originating in \(input) if input has only \(inputCount) features")
    }
    guard (0..<units).contains(target) else {
      throw WiringError("Cannot add synapse feeding into \(target) if cell has only \(units) units")
    }
    guard polarity == -1 || polarity == 1 else {
      throw WiringError("Cannot add synapse with polarity \(polarity) (expected -1 or +1)")
    }
    sensoryAdjacencyMatrix[input][target] = polarity
    generator = nil
  }

  /// ``addSensorySynapse(from:to:polarity:)`` with a typed polarity.
  public mutating func connectSensory(_ input: Int, to target: Int, polarity: Polarity) throws(WiringError) {
    try addSensorySynapse(from: input, to: target, polarity: polarity.rawValue)
  }

  /// Sets a synapse during generation (indices and polarity already valid).
  mutating func set(_ source: Int, _ target: Int, _ polarity: Int) { adjacencyMatrix[source][target] = polarity }
  mutating func setSensory(_ input: Int, _ target: Int, _ polarity: Int) {
    sensoryAdjacencyMatrix[input][target] = polarity
  }

  // MARK: - Flat matrices for cells

  /// The adjacency matrix as floats, row-major. Shape: [units, units] (rows = source).
  public var flatAdjacency: [Float] { adjacencyMatrix.flatMap { $0.map(Float.init) } }

  /// The sensory adjacency matrix as floats, row-major. Shape: [inputCount, units].
  public var flatSensoryAdjacency: [Float] { sensoryAdjacencyMatrix.flatMap { $0.map(Float.init) } }

  /// What this wiring is: its generator's arguments, or its matrices when built by hand.
  public var specification: Specification {
    generator
      ?? .custom(
        units: units, outputCount: outputCount, adjacencyMatrix: adjacencyMatrix,
        sensoryAdjacencyMatrix: sensoryAdjacencyMatrix)
  }
}

/// A wiring that cannot be made: the message names the argument and the problem (ncps' own
/// message where ncps has one).
public struct WiringError: Error, Hashable, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

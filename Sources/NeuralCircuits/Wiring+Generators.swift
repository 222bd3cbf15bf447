// Fully connected, random and custom wirings, and construction from a specification.
//
// ncps draws FullyConnected and Random polarities from `numpy.random.default_rng(seed)`
// (`NumPyGenerator` here); `choice([-1, 1, 1])` is `[-1, 1, 1][Lemire(2)]`, so P(-1) = 1/3.
// The draws below happen in ncps' order: the constructor's (adjacency) first, then build's
// (sensory) on the same generator.
import Randomness

extension Wiring {
  /// The wiring `specification` describes, built for `inputCount` input features.
  public init(_ specification: Specification, inputCount: Int) throws(WiringError) {
    switch specification {
    case let .custom(units, outputCount, adjacency, sensory):
      self = try .custom(
        units: units, outputCount: outputCount, adjacencyMatrix: adjacency, sensoryAdjacencyMatrix: sensory,
        inputCount: inputCount)
    case let .fullyConnected(units, outputCount, seed, selfConnections):
      self = try .fullyConnected(
        units: units, outputCount: outputCount, erevInitSeed: seed, selfConnections: selfConnections,
        inputCount: inputCount)
    case let .random(units, outputCount, sparsity, seed):
      self = try .random(
        units: units, outputCount: outputCount, sparsityLevel: sparsity, randomSeed: seed, inputCount: inputCount)
    case let .ncp(inter, command, motor, sensoryFanout, interFanout, recurrent, motorFanin, seed):
      self = try .ncp(
        interNeurons: inter, commandNeurons: command, motorNeurons: motor, sensoryFanout: sensoryFanout,
        interFanout: interFanout, recurrentCommandSynapses: recurrent, motorFanin: motorFanin, seed: seed,
        inputCount: inputCount)
    case let .autoNCP(units, outputSize, sparsity, seed):
      self = try .autoNCP(units: units, outputSize: outputSize, sparsityLevel: sparsity, seed: seed, inputCount: inputCount)
    }
  }

  /// ncps `FullyConnected(units, output_dim, erev_init_seed, self_connections).build(inputCount)`:
  /// every unit connects to every unit (to itself only with `selfConnections`) and every input
  /// to every unit, each with polarity drawn as `choice([-1, 1, 1])`.
  public static func fullyConnected(
    units: Int, outputCount: Int? = nil, erevInitSeed: UInt64 = 1111, selfConnections: Bool = true,
    inputCount: Int
  ) throws(WiringError) -> Wiring {
    try validate(units: units, inputCount: inputCount, outputCount: outputCount ?? units)
    var wiring = Wiring(
      units: units, inputCount: inputCount, outputCount: outputCount ?? units, layers: [Array(0..<units)],
      generator: .fullyConnected(
        units: units, outputCount: outputCount ?? units, erevInitSeed: erevInitSeed, selfConnections: selfConnections))
    var rng = NumPyGenerator(seed: erevInitSeed)
    for source in 0..<units {
      for target in 0..<units where source != target || selfConnections {
        wiring.set(source, target, rng.choice(from: [-1, 1, 1]))
      }
    }
    for input in 0..<inputCount {
      for target in 0..<units { wiring.setSensory(input, target, rng.choice(from: [-1, 1, 1])) }
    }
    return wiring
  }

  /// ncps `Random(units, output_dim, sparsity_level, random_seed).build(inputCount)`:
  /// `round(units² · (1 − sparsity))` synapses (half to even) chosen without replacement from
  /// all (source, target) pairs in row-major order, then `round(inputCount · units · (1 −
  /// sparsity))` sensory synapses the same way. As in ncps, each sensory synapse draws its
  /// polarity twice and keeps the second (reference/ncps.md Q12).
  public static func random(
    units: Int, outputCount: Int? = nil, sparsityLevel: Double = 0, randomSeed: UInt64 = 1111, inputCount: Int
  ) throws(WiringError) -> Wiring {
    guard sparsityLevel >= 0 && sparsityLevel < 1 else {
      throw WiringError("Invalid sparsity level '\(sparsityLevel)', expected value in range [0,1)")
    }
    try validate(units: units, inputCount: inputCount, outputCount: outputCount ?? units)
    var wiring = Wiring(
      units: units, inputCount: inputCount, outputCount: outputCount ?? units, layers: [Array(0..<units)],
      generator: .random(units: units, outputCount: outputCount ?? units, sparsityLevel: sparsityLevel, randomSeed: randomSeed))
    var rng = NumPyGenerator(seed: randomSeed)
    let synapses = Int((Double(units * units) * (1 - sparsityLevel)).rounded(.toNearestOrEven))
    for pair in rng.choice(units * units, count: synapses, replace: false) {
      wiring.set(pair / units, pair % units, rng.choice(from: [-1, 1, 1]))
    }
    let sensorySynapses = Int((Double(inputCount * units) * (1 - sparsityLevel)).rounded(.toNearestOrEven))
    for pair in rng.choice(inputCount * units, count: sensorySynapses, replace: false) {
      _ = rng.choice(from: [-1, 1, 1])  // ncps draws a polarity and overwrites it at once
      wiring.setSensory(pair / units, pair % units, rng.choice(from: [-1, 1, 1]))
    }
    return wiring
  }

  /// ncps' base `Wiring.from_config`: a wiring with exactly these synapses. Rows are sources;
  /// every value must be -1, 0 or +1. A `nil` sensory matrix means no sensory synapses.
  public static func custom(
    units: Int, outputCount: Int? = nil, adjacencyMatrix: [[Int]], sensoryAdjacencyMatrix: [[Int]]?,
    inputCount: Int
  ) throws(WiringError) -> Wiring {
    var wiring = try Wiring(units: units, inputCount: inputCount, outputCount: outputCount)
    func check(_ matrix: [[Int]], _ name: String, rows: Int) throws(WiringError) {
      guard matrix.count == rows, matrix.allSatisfy({ $0.count == units }) else {
        let shape = "[\(matrix.count), \(matrix.first?.count ?? 0)]"
        throw WiringError("\(name) must have shape [\(rows), \(units)] (given \(shape))")
      }
      for (row, values) in matrix.enumerated() {
        if let column = values.firstIndex(where: { !(-1...1).contains($0) }) {
          throw WiringError("\(name)[\(row)][\(column)] is \(values[column]) (expected -1, 0 or +1)")
        }
      }
    }
    try check(adjacencyMatrix, "adjacency_matrix", rows: units)
    wiring.adjacencyMatrix = adjacencyMatrix
    if let sensory = sensoryAdjacencyMatrix {
      guard sensory.count == inputCount else {
        throw WiringError(
          "Conflicting input dimensions provided. set_input_dim() was called with \(sensory.count) but actual input has dimension \(inputCount)"
        )
      }
      try check(sensory, "sensory_adjacency_matrix", rows: inputCount)
      wiring.sensoryAdjacencyMatrix = sensory
    }
    return wiring
  }
}

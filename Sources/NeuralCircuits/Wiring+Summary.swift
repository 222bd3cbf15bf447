// Human-readable descriptions of wirings, for the `ncps wiring` tool and for logs.

extension Wiring.Specification {
  /// ncps' constructor call, e.g. `AutoNCP(28, 4, sparsity_level=0.5, seed=22222)`.
  public var shortDescription: String {
    switch self {
    case let .custom(units, _, _, _): "Wiring(\(units))"
    case let .fullyConnected(units, output, seed, selfConnections):
      "FullyConnected(\(units), output_dim=\(output ?? units), erev_init_seed=\(seed), self_connections=\(selfConnections ? "True" : "False"))"
    case let .random(units, output, sparsity, seed):
      "Random(\(units), output_dim=\(output ?? units), sparsity_level=\(sparsity), random_seed=\(seed))"
    case let .ncp(inter, command, motor, sensoryFanout, interFanout, recurrent, motorFanin, seed):
      "NCP(\(inter), \(command), \(motor), \(sensoryFanout), \(interFanout), \(recurrent), \(motorFanin), seed=\(seed))"
    case let .autoNCP(units, outputSize, sparsity, seed):
      "AutoNCP(\(units), \(outputSize), sparsity_level=\(sparsity), seed=\(seed))"
    }
  }
}

extension Wiring {
  /// A few lines: what the wiring is, its neurons per type, its synapse counts and layers.
  public var summary: String {
    func polarityCounts(_ matrix: [[Int]]) -> String {
      let excitatory = matrix.reduce(0) { $0 + $1.count { $0 == 1 } }
      let inhibitory = matrix.reduce(0) { $0 + $1.count { $0 == -1 } }
      return "\(excitatory) excitatory, \(inhibitory) inhibitory"
    }
    let types = NeuronType.allCases.map { "\(neuronCount(of: $0)) \($0.rawValue)" }.joined(separator: ", ")
    let layerText = layers.enumerated().map { index, ids in
      layers.count == 1 ? "\(ids.count) units" : "\(neuronType(of: ids[0]).rawValue) \(ids.count)"
    }.joined(separator: ", ")
    return """
      \(specification.shortDescription) with \(inputCount) inputs
      neurons:          \(types) (units \(units), output \(outputCount))
      synapses:         \(synapseCount) (\(polarityCounts(adjacencyMatrix)))
      sensory synapses: \(sensorySynapseCount) (\(polarityCounts(sensoryAdjacencyMatrix)))
      layers:           \(layers.count) (\(layerText))
      """
  }
}

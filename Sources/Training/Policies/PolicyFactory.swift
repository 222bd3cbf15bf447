import Environments
import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore

extension ActorCritic {
  /// The policy `configuration` describes, for observations of `observationSpace` and actions of
  /// `actionSpace`, initialized from `seed`.
  public init(
    configuration: PolicyConfiguration, observationSpace: ObservationSpace, actionSpace: ActionSpace, seed: UInt64
  ) throws {
    try configuration.validate()
    var generator = RandomStream(seed: seed, stream: 0x504F_4C00)
    let shape = observationSpace.shape
    let (encoder, features) = try Self.makeEncoder(configuration, observationSpace: observationSpace, using: &generator)
    func wiring(_ make: () throws(WiringError) -> Wiring) throws -> Wiring {
      do { return try make() } catch {
        throw ConfigurationError(field: "policy.units", problem: "no wiring for these sizes: \(error.message)")
      }
    }
    func autoNCP() throws -> Wiring {
      try wiring { () throws(WiringError) in
        try .autoNCP(
          units: configuration.units, outputSize: configuration.motorNeurons,
          sparsityLevel: Double(configuration.sparsity), seed: configuration.wiringSeed, inputCount: features)
      }
    }
    func makeCircuit() throws -> any PolicyCircuit {
      let cell = try makeCell()
      return configuration.mixedMemory ? MixedMemoryCircuit(cell: cell, using: &generator) : cell
    }
    func makeCell() throws -> any PolicyCircuit {
      switch configuration.circuit {
      case .mlp:
        return FeedForwardCircuit(inputSize: features, units: configuration.criticUnits, using: &generator)
      case .cfc:
        guard let mode = CfCMode(rawValue: configuration.mode) else {
          throw ConfigurationError(field: "policy.mode", problem: "must be default, pure or no_gate")
        }
        return CfCCircuit(
          configuration: CfCKernelConfiguration(
            inputSize: features, hiddenSize: configuration.units, mode: mode,
            backboneUnits: configuration.backboneUnits, backboneLayers: configuration.backboneLayers),
          using: &generator)
      case .lstm:
        return LSTMCircuit(inputSize: features, units: configuration.units, using: &generator)
      case .ltc:
        return LTCCircuit(
          wiring: try wiring { () throws(WiringError) in try .fullyConnected(units: configuration.units, inputCount: features) },
          odeUnfolds: configuration.odeUnfolds, using: &generator)
      case .ncpLTC:
        return LTCCircuit(wiring: try autoNCP(), odeUnfolds: configuration.odeUnfolds, using: &generator)
      case .ncpCfC:
        guard let mode = CfCMode(rawValue: configuration.mode) else {
          throw ConfigurationError(field: "policy.mode", problem: "must be default, pure or no_gate")
        }
        return WiredCfCCircuit(wiring: try autoNCP(), mode: mode, using: &generator)
      }
    }
    let circuit = try makeCircuit()
    let criticCircuit: (any PolicyCircuit)? =
      switch configuration.critic {
      case .shared: nil
      case .mlp: FeedForwardCircuit(inputSize: features, units: configuration.criticUnits, using: &generator)
      case .circuit: try makeCircuit()
      }
    self.init(
      encoder: encoder, circuit: circuit, criticCircuit: criticCircuit, observationShape: shape,
      actionSpace: actionSpace, actorGain: configuration.actorGain, using: &generator)
  }
}

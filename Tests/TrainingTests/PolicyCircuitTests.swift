import Environments
import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore
import Testing
@testable import Training

/// Tiny circuits of every recurrent kind: 2 inputs.
private func tinyCircuits() throws -> [(name: String, circuit: any PolicyCircuit)] {
  var generator = RandomStream(seed: 7)
  let fullyConnected = try Wiring.fullyConnected(units: 3, inputCount: 2)
  let ncp = try Wiring.autoNCP(units: 7, outputSize: 2, sparsityLevel: 0.5, seed: 22222, inputCount: 2)
  return [
    ("lstm", LSTMCircuit(inputSize: 2, units: 3, using: &generator)),
    ("ltc", LTCCircuit(wiring: fullyConnected, odeUnfolds: 3, using: &generator)),
    ("ncp-ltc", LTCCircuit(wiring: ncp, odeUnfolds: 3, using: &generator)),
    ("ncp-cfc", WiredCfCCircuit(wiring: ncp, mode: .standard, using: &generator)),
    ("ncp-cfc-pure", WiredCfCCircuit(wiring: ncp, mode: .pure, using: &generator)),
    ("cfc", CfCCircuit(
      configuration: CfCKernelConfiguration(inputSize: 2, hiddenSize: 3, backboneUnits: 4, backboneLayers: 1),
      using: &generator)),
    ("cfc-pure", CfCCircuit(
      configuration: CfCKernelConfiguration(inputSize: 2, hiddenSize: 3, mode: .pure, backboneUnits: 4), using: &generator)),
    ("cfc-mixed", MixedMemoryCircuit(
      cell: CfCCircuit(
        configuration: CfCKernelConfiguration(inputSize: 2, hiddenSize: 3, backboneUnits: 4), using: &generator),
      using: &generator)),
    ("ncp-cfc-mixed", MixedMemoryCircuit(cell: WiredCfCCircuit(wiring: ncp, mode: .standard, using: &generator), using: &generator)),
    ("ltc-mixed", MixedMemoryCircuit(cell: LTCCircuit(wiring: fullyConnected, odeUnfolds: 3, using: &generator), using: &generator)),
    ("ncp-ltc-mixed", MixedMemoryCircuit(cell: LTCCircuit(wiring: ncp, odeUnfolds: 3, using: &generator), using: &generator)),
  ]
}

/// `circuit` with its trainable tensors replaced by `values`, in visiting order.
private func replacingParameters<C: PolicyCircuit>(_ circuit: C, with values: [Tensor]) -> C {
  var copy = circuit
  var k = 0
  copy.visitTensors { _, role, tensor in
    if role == .parameter {
      tensor = values[k]
      k += 1
    }
  }
  return copy
}

private func parameters<C: PolicyCircuit>(_ circuit: C) -> [Tensor] {
  var copy = circuit
  var list: [Tensor] = []
  copy.visitTensors { _, role, tensor in if role == .parameter { list.append(tensor) } }
  return list
}

@Test func circuitShapesFollowTheirWirings() throws {
  let expected: [String: (output: Int, state: Int)] = [
    "lstm": (3, 6), "ltc": (3, 3), "ncp-ltc": (2, 7), "ncp-cfc": (2, 7), "ncp-cfc-pure": (2, 7),
    "cfc": (3, 3), "cfc-pure": (3, 3), "cfc-mixed": (3, 6), "ncp-cfc-mixed": (2, 14), "ltc-mixed": (3, 6),
    "ncp-ltc-mixed": (2, 14),
  ]
  var generator = RandomStream(seed: 3)
  for (name, circuit) in try tinyCircuits() {
    let sizes = try #require(expected[name])
    #expect(circuit.inputSize == 2 && circuit.outputSize == sizes.output && circuit.stateSize == sizes.state, "\(name)")
    let input = Tensor(uniform: [4, 2], in: -1...1, using: &generator)
    let (output, state) = circuit.step(input, state: Tensor(zeros: [4, circuit.stateSize]), elapsedTimes: Tensor(ones: [4]))
    #expect(output.shape == [4, sizes.output] && state.shape == [4, sizes.state], "\(name)")
    #expect(output.scalars.allSatisfy(\.isFinite) && state.scalars.allSatisfy(\.isFinite), "\(name)")
    let outputs = circuit.sequence(
      Tensor(uniform: [4, 5, 2], in: -1...1, using: &generator), initialState: Tensor(zeros: [4, circuit.stateSize]),
      episodeStarts: Tensor(zeros: [4, 5]), elapsedTimes: Tensor(ones: [4, 5]))
    #expect(outputs.shape == [4, 5, sizes.output], "\(name)")
  }
}

@Test func ncpCircuitsOutputTheMotorNeuronsAndStackLayersInOrder() throws {
  var generator = RandomStream(seed: 5)
  let ncp = try Wiring.autoNCP(units: 7, outputSize: 2, sparsityLevel: 0.5, seed: 22222, inputCount: 2)
  let cfc = WiredCfCCircuit(wiring: ncp, mode: .standard, using: &generator)
  #expect(cfc.configurations.map(\.hiddenSize) == ncp.layers.map(\.count))
  #expect(cfc.configurations.map(\.inputSize) == [2] + ncp.layers.dropLast().map(\.count))
  let input = Tensor(uniform: [3, 2], in: -1...1, using: &generator)
  let (output, state) = cfc.step(input, state: Tensor(zeros: [3, 7]), elapsedTimes: Tensor(ones: [3]))
  #expect(output.scalars == state.slice(axis: 1, range: 5..<7).scalars)  // [inter | command | motor]
  let ltc = LTCCircuit(wiring: ncp, odeUnfolds: 2, using: &generator)
  let (ltcOutput, ltcState) = ltc.step(input, state: Tensor(zeros: [3, 7]), elapsedTimes: Tensor(ones: [3]))
  #expect(ltcOutput.scalars == ltcState.slice(axis: 1, range: 0..<2).scalars)  // motor ids 0..<2, identity mapping
}

@Test func sequenceResetsAtEpisodeStartsAndAgreesWithSteps() throws {
  var generator = RandomStream(seed: 11)
  for (name, circuit) in try tinyCircuits() {
    let (batch, steps) = (2, 5)
    let inputs = Tensor(uniform: [batch, steps, 2], in: -1...1, using: &generator)
    let initial = Tensor(uniform: [batch, circuit.stateSize], in: -0.5...0.5, using: &generator)
    let starts = Tensor([0, 0, 0, 1, 0, 0, 1, 0, 0, 0], shape: [batch, steps])
    let times = Tensor(uniform: [batch, steps], in: 0.5...1.5, using: &generator)
    let outputs = circuit.sequence(inputs, initialState: initial, episodeStarts: starts, elapsedTimes: times)
    for b in 0..<batch {
      let row = inputs.slice(axis: 0, range: b..<(b + 1)).reshaped(to: [steps, 2])
      let rowTimes = times.slice(axis: 0, range: b..<(b + 1)).reshaped(to: [steps])
      var state = initial.slice(axis: 0, range: b..<(b + 1))
      for t in 0..<steps {
        if starts.scalars[b * steps + t] == 1 { state = Tensor(zeros: [1, circuit.stateSize]) }
        let (output, next) = circuit.step(
          row.slice(axis: 0, range: t..<(t + 1)), state: state,
          elapsedTimes: rowTimes.slice(axis: 0, range: t..<(t + 1)))
        let replayed = outputs.slice(axis: 0, range: b..<(b + 1)).slice(axis: 1, range: t..<(t + 1)).scalars
        for (a, r) in zip(output.scalars, replayed) { #expect(abs(a - r) <= 1e-5, "\(name) b\(b) t\(t)") }
        state = next
      }
    }
  }
}

@Test func circuitGradientsMatchFiniteDifferences() throws {
  var generator = RandomStream(seed: 13)
  for (name, circuit) in try tinyCircuits() {
    func check<C: PolicyCircuit>(_ circuit: C) {
      let inputs = Tensor(uniform: [2, 3, 2], in: -1...1, using: &generator)
      let initial = Tensor(uniform: [2, circuit.stateSize], in: -0.5...0.5, using: &generator)
      let starts = Tensor([0, 1, 0, 0, 0, 0], shape: [2, 3])
      let times = Tensor([1, 0.5, 1.5, 1, 1, 0.75], shape: [2, 3])
      let result = checkGradients(at: [inputs, initial] + parameters(circuit), step: 1e-2) { leaves in
        replacingParameters(circuit, with: Array(leaves.dropFirst(2))).sequence(
          leaves[0], initialState: leaves[1], episodeStarts: starts, elapsedTimes: times)
      }
      #expect(result.isPassing && result.checkedCount > 30, "\(name): \(result)")
    }
    check(circuit)
  }
}

@Test(arguments: [PolicyConfiguration.Circuit.lstm, .ltc, .ncpCfC, .ncpLTC])
func ppoRunAcceptsEveryRecurrentPolicyOnCartPole(_ kind: PolicyConfiguration.Circuit) throws {
  for critic in [PolicyConfiguration.Critic.mlp, .circuit] {
    var configuration = PPORunConfiguration()
    configuration.env = "CartPole-v1"
    configuration.policy.circuit = kind
    configuration.policy.units = 12
    configuration.policy.motorNeurons = 4
    configuration.policy.critic = critic
    try PPORun.check(configuration)
    let cartPole = try Catalog.make("CartPole-v1")
    let policy = try ActorCritic(
      configuration: configuration.policy, observationSpace: cartPole.observationSpace,
      actionSpace: cartPole.actionSpace, seed: 1)
    #expect(policy.circuit.inputSize == 4)
    #expect(policy.circuit.outputSize == (kind == .lstm || kind == .ltc ? 12 : 4))
  }
}

import Environments
import Foundation
import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore
import Testing
@testable import Training

// `policy.mixed_memory`: the policy circuits with ncps' mixed-memory LSTM equal NeuralCircuits'
// mixed-memory CfC and LTC layers (which have ncps parity fixtures), and the doubled state
// [h | c] flows through PPO (first-epoch ratio 1, resume, worker counts), checkpoints and cloning.

/// `circuit` with every tensor taken from `layer`'s state dict, by name; both must name the same
/// tensors.
private func loading<C: PolicyCircuit>(_ circuit: C, from layer: inout some ParameterVisitable) -> C {
  var dict: [String: Tensor] = [:]
  layer.visitParameters(prefix: "") { name, tensor, _ in dict[name] = tensor }
  var copy = circuit
  var names: Set<String> = []
  copy.visitTensors { name, _, tensor in
    names.insert(name)
    if let value = dict[name] {
      #expect(value.shape == tensor.shape, "\(name)")
      tensor = value
    }
  }
  #expect(names == Set(dict.keys))
  return copy
}

/// Runs `circuit` step by step from `[h0 | c0]` and compares outputs and final `[h | c]` with
/// `expected`.
private func expectSameRun(
  _ circuit: some PolicyCircuit, inputs: Tensor, h0: Tensor, c0: Tensor, times: Tensor,
  expected: (output: Tensor, state: Tensor, cell: Tensor?), _ name: String
) throws {
  let (batch, steps) = (inputs.shape[0], inputs.shape[1])
  var state = concat([h0, c0], axis: 1)
  var outputs: [Tensor] = []
  for t in 0..<steps {
    let (output, next) = circuit.step(
      inputs.slice(axis: 1, range: t..<(t + 1)).reshaped(to: [batch, circuit.inputSize]), state: state,
      elapsedTimes: times.slice(axis: 1, range: t..<(t + 1)).reshaped(to: [batch]))
    outputs.append(output)
    state = next
  }
  #expect(stack(outputs, axis: 1).isApproximatelyEqual(to: expected.output, tolerance: 1e-5), "\(name) outputs")
  let cell = try #require(expected.cell)
  #expect(state.isApproximatelyEqual(to: concat([expected.state, cell], axis: 1), tolerance: 1e-5), "\(name) [h | c]")
  let replayed = circuit.sequence(
    inputs, initialState: concat([h0, c0], axis: 1), episodeStarts: Tensor(zeros: [batch, steps]), elapsedTimes: times)
  #expect(replayed.isApproximatelyEqual(to: expected.output, tolerance: 1e-5), "\(name) sequence")
}

@Test func mixedMemoryCircuitsEqualNeuralCircuitsMixedMemoryLayers() throws {
  var g = RandomStream(seed: 21)
  let (batch, steps) = (3, 4)
  let inputs = Tensor(uniform: [batch, steps, 2], in: -1...1, using: &g)
  let times = Tensor(uniform: [batch, steps], in: 0.5...1.5, using: &g)
  let ncp = try Wiring.autoNCP(units: 7, outputSize: 2, sparsityLevel: 0.5, seed: 22222, inputCount: 2)
  let fullyConnected = try Wiring.fullyConnected(units: 3, inputCount: 2)

  var cfcLayer = CfC(inputSize: 2, units: 3, mixedMemory: true, backboneUnits: 4, backboneLayers: 1, seed: 1)
  let cfc = loading(
    MixedMemoryCircuit(
      cell: CfCCircuit(
        configuration: CfCKernelConfiguration(inputSize: 2, hiddenSize: 3, backboneUnits: 4, backboneLayers: 1),
        using: &g), using: &g), from: &cfcLayer)
  var wiredLayer = CfC(wiring: ncp, mixedMemory: true, seed: 2)
  let wired = loading(MixedMemoryCircuit(cell: WiredCfCCircuit(wiring: ncp, mode: .standard, using: &g), using: &g), from: &wiredLayer)
  var ltcLayer = LTC(wiring: fullyConnected, mixedMemory: true, odeUnfolds: 3, seed: 3)
  let ltc = loading(MixedMemoryCircuit(cell: LTCCircuit(wiring: fullyConnected, odeUnfolds: 3, using: &g), using: &g), from: &ltcLayer)
  var ncpLTCLayer = LTC(wiring: ncp, mixedMemory: true, odeUnfolds: 3, seed: 4)
  let ncpLTC = loading(MixedMemoryCircuit(cell: LTCCircuit(wiring: ncp, odeUnfolds: 3, using: &g), using: &g), from: &ncpLTCLayer)

  func initial(_ units: Int) -> (Tensor, Tensor) {
    (Tensor(uniform: [batch, units], in: -0.5...0.5, using: &g), Tensor(uniform: [batch, units], in: -0.5...0.5, using: &g))
  }
  var (h0, c0) = initial(3)
  try expectSameRun(
    cfc, inputs: inputs, h0: h0, c0: c0, times: times,
    expected: cfcLayer(inputs, initialState: h0, initialCell: c0, timespans: times), "cfc")
  try expectSameRun(
    ltc, inputs: inputs, h0: h0, c0: c0, times: times,
    expected: ltcLayer(inputs, initialState: h0, initialCell: c0, timespans: times), "ltc")
  (h0, c0) = initial(7)
  try expectSameRun(
    wired, inputs: inputs, h0: h0, c0: c0, times: times,
    expected: wiredLayer(inputs, initialState: h0, initialCell: c0, timespans: times), "ncp-cfc")
  try expectSameRun(
    ncpLTC, inputs: inputs, h0: h0, c0: c0, times: times,
    expected: ncpLTCLayer(inputs, initialState: h0, initialCell: c0, timespans: times), "ncp-ltc")
}

@Test(arguments: [PolicyConfiguration.Circuit.cfc, .ltc, .ncpCfC, .ncpLTC])
func mixedMemoryPolicyNamesNcpsTensorsAndDoublesTheState(_ kind: PolicyConfiguration.Circuit) throws {
  var configuration = PolicyConfiguration()
  (configuration.circuit, configuration.units, configuration.motorNeurons) = (kind, 10, 3)
  configuration.mixedMemory = true
  configuration.critic = .circuit
  let cartPole = try Catalog.make("CartPole-v1")
  var policy = try ActorCritic(
    configuration: configuration, observationSpace: cartPole.observationSpace, actionSpace: cartPole.actionSpace, seed: 1)
  let cell = try #require((policy.circuit as? MixedMemoryCircuit)?.cell)
  #expect(policy.circuit.stateSize == 2 * cell.stateSize && policy.stateSize == 4 * cell.stateSize)
  var shapes: [String: [Int]] = [:]
  policy.visitTensors { name, _, tensor in shapes[name] = tensor.shape }
  let hidden = cell.stateSize
  for prefix in ["circuit", "critic_circuit"] {
    #expect(shapes["\(prefix).lstm.input_map.weight"] == [4 * hidden, 4])
    #expect(shapes["\(prefix).lstm.input_map.bias"] == [4 * hidden])
    #expect(shapes["\(prefix).lstm.recurrent_map.weight"] == [4 * hidden, hidden])
  }
}

@Test func mixedMemoryConfigurationDecodesAndBadValuesNameTheField() throws {
  func decode(_ json: String) throws -> PPORunConfiguration {
    try ConfigurationFile.decode(PPORunConfiguration.self, from: Data(json.utf8), file: "run.json")
  }
  #expect(try decode(#"{"policy": {"circuit": "ltc", "mixed_memory": true}}"#).policy.mixedMemory)
  #expect(try decode(#"{"policy": {"circuit": "ltc"}}"#).policy.mixedMemory == false)
  #expect {
    try decode(#"{"policy": {"mixed_memory": "yes"}}"#)
  } throws: { error in
    "\(error)".hasPrefix("run.json: policy.mixed_memory: ") && !"\(error)".contains("\n")
  }
  for kind in [PolicyConfiguration.Circuit.lstm, .mlp] {
    var configuration = PolicyConfiguration()
    (configuration.circuit, configuration.mixedMemory) = (kind, true)
    #expect {
      try configuration.validate()
    } throws: { error in
      "\(error)" == "policy.mixed_memory: needs circuit cfc, ltc, ncp-cfc or ncp-ltc, got \(kind.rawValue)"
    }
  }
}

/// `smallPPORun()` with a mixed-memory CfC actor and critic.
private func mixedMemoryRun(workers: Int = 2) -> PPORunConfiguration {
  var configuration = smallPPORun()
  configuration.policy.mixedMemory = true
  configuration.policy.critic = .circuit
  configuration.ppo.workerCount = workers
  return configuration
}

private func checkpointTensors(_ directory: RunDirectory) throws -> [String: [Float]] {
  let file = try SafeTensorsFile(contentsOf: directory.file(PPORun.checkpointName))
  var tensors: [String: [Float]] = [:]
  for name in file.orderedNames { tensors[name] = try file.tensor(named: name).scalars }
  return tensors
}

/// Resumed = uninterrupted bit for bit, and the checkpoint loads back into a policy that acts
/// as the saved tensors say.
@Test func mixedMemoryRunResumesBitForBitAndItsCheckpointLoads() throws {
  let whole = try temporaryRunDirectory(), pieces = try temporaryRunDirectory()
  defer { for d in [whole, pieces] { try? FileManager.default.removeItem(at: d.url) } }
  let runs = try trainWholeAndInPieces(mixedMemoryRun(), whole: whole, pieces: pieces)
  #expect(runs.uninterrupted?.evalMeanReturn == runs.resumed?.evalMeanReturn)
  let (a, b) = (try checkpointTensors(whole), try checkpointTensors(pieces))
  #expect(a == b)
  #expect(a["policy.circuit.lstm.input_map.weight"] != nil && a["policy.critic_circuit.lstm.recurrent_map.weight"] != nil)

  var (configuration, policy) = try PPOCheckpoint.load(from: whole.file(PPORun.checkpointName))
  #expect(configuration.policy.mixedMemory)
  var loaded: [String: [Float]] = [:]
  policy.visitTensors { name, _, tensor in loaded["policy." + name] = tensor.scalars }
  for (name, scalars) in loaded { #expect(a[name] == scalars, "\(name)") }
  // Acting with the loaded policy changes c (the LSTM cell state) from zero.
  let step = policy.step(
    observations: Tensor([0.01, 0.02, -0.03, 0.04], shape: [1, 4]), state: Tensor(zeros: [1, policy.stateSize]),
    episodeStarts: Tensor(ones: [1]), elapsedTimes: Tensor(ones: [1]))
  let units = configuration.policy.units
  #expect(step.state.shape == [1, 4 * units])
  #expect(step.state.slice(axis: 1, range: units..<(2 * units)).scalars.contains { $0 != 0 })
}

@Test func mixedMemoryRunIsTheSameForAnyWorkerCount() throws {
  let one = try temporaryRunDirectory(), two = try temporaryRunDirectory()
  defer { for d in [one, two] { try? FileManager.default.removeItem(at: d.url) } }
  _ = try quietRun(mixedMemoryRun(workers: 1), in: one, iterationLimit: 3).run(resume: false)
  _ = try quietRun(mixedMemoryRun(workers: 2), in: two, iterationLimit: 3).run(resume: false)
  let (a, b) = (try checkpointTensors(one), try checkpointTensors(two))
  #expect(!a.isEmpty && a.keys.sorted() == b.keys.sorted())
  for name in a.keys where name.hasPrefix("policy.") { #expect(a[name] == b[name], "\(name)") }
}

/// Cloning windows replay the doubled state too: a short bc-train run of a mixed-memory LTC
/// writes a checkpoint that loads (the viewer's and evaluate's loader) with the `lstm.*` tensors
/// and acts as the run's own evaluation did.
@Test func mixedMemoryCloningRunWritesALoadableCheckpoint() throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cloning-mixed-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  var settings = BCRunConfiguration()
  (settings.policy.circuit, settings.policy.units, settings.policy.odeUnfolds) = (.ltc, 6, 2)
  settings.policy.mixedMemory = true
  (settings.bc.epochs, settings.bc.evaluationEpisodes, settings.bc.workerCount) = (2, 2, 1)
  let dataset = try DemonstrationDataset.recordExpert(envID: "CartPole-v1", episodes: 3, seed: 0)
  var run = BCRun(configuration: settings, dataset: dataset, demonstrations: "memory", directory: try RunDirectory(folder))
  (run.showsProgress, run.log) = (false, { _ in })
  let summary = try #require(try run.run())
  #expect(summary.trainLoss.isFinite)
  let (configuration, policy) = try PPOCheckpoint.load(from: folder.appendingPathComponent("checkpoint.safetensors"))
  #expect(configuration.policy.mixedMemory && policy.circuit is MixedMemoryCircuit)
  let file = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("checkpoint.safetensors"))
  #expect(file.orderedNames.contains("policy.circuit.lstm.recurrent_map.weight"))
  let replayed = evaluate(
    policy: policy, makeEnvironment: { TimeLimit(CartPole(), maxEpisodeSteps: 500) }, episodes: 2,
    seed: settings.seed &+ 1_000_000)
  #expect(replayed.meanReturn == summary.evalMeanReturn)
}

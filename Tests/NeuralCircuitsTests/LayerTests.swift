// The sequence layers beyond the fixtures: the acting stepper equals the layer, timespans per
// sample for batch > 1 equal running each sample alone (the Q1 fix), state_dict names, and the
// configuration and .npy errors that name the problem.

import Foundation
import NeuralNetworks
import Randomness
import Testing
import TensorCore
@testable import NeuralCircuits

@Test func stepperMatchesTheSequenceLayer() throws {
  var g = RandomStream(seed: 9)
  let wiring = try Wiring(.autoNCP(units: 12, outputSize: 3), inputCount: 4)
  let models: [CircuitModel] = [
    .cfc(CfC(inputSize: 4, units: 6, projectionSize: 2, mixedMemory: true, backboneUnits: 8)),
    .cfc(CfC(wiring: wiring, mode: .pure)),
    .ltc(LTC(wiring: wiring, mixedMemory: true)),
  ]
  let x = Tensor(normal: [1, 5, 4], using: &g)
  for model in models {
    let expected = model(x).output
    let stepper: CircuitStepper
    switch model {
    case .cfc(let m): stepper = CircuitStepper(m)
    case .ltc(let m): stepper = CircuitStepper(m)
    }
    var outputs: [Float] = []
    for t in 0..<5 { outputs += stepper.step(Array(x.scalars[(t * 4)..<((t + 1) * 4)])) }
    #expect(Tensor(outputs, shape: expected.shape).isApproximatelyEqual(to: expected, tolerance: 1e-5))
  }
}

@Test func timespansApplyPerSampleForAnyBatchSize() throws {
  var g = RandomStream(seed: 4)
  let wiring = try Wiring(.autoNCP(units: 10, outputSize: 2), inputCount: 3)
  let models: [CircuitModel] = [.cfc(CfC(inputSize: 3, units: 5, backboneUnits: 8)), .ltc(LTC(wiring: wiring))]
  let x = Tensor(normal: [3, 4, 3], using: &g)
  let ts = Tensor(uniform: [3, 4], in: 0.2...3, using: &g)
  for model in models {
    let together = model(x, timespans: ts).output
    for b in 0..<3 {
      let alone = model(x[b..<(b + 1)], timespans: ts[b..<(b + 1)]).output
      #expect(alone.isApproximatelyEqual(to: together[b..<(b + 1)], tolerance: 1e-6))
    }
  }
}

@Test func stateDictNamesFollowTorch() throws {
  let cfc = CfC(inputSize: 20, units: 50, projectionSize: 10, mixedMemory: true, backboneUnits: 64, backboneLayers: 3, backboneDropout: 0.1)
  let names = cfc.stateDict.map(\.name)
  #expect(names.contains("rnn_cell.backbone.5.weight") && names.contains("rnn_cell.backbone.2.bias"))
  #expect(names.contains("lstm.recurrent_map.weight") && names.contains("fc.weight"))
  let pure = CfC(inputSize: 20, units: 50, mode: .pure).stateDict.map(\.name)
  #expect(Array(pure.prefix(3)) == ["rnn_cell.w_tau", "rnn_cell.A", "rnn_cell.backbone.0.weight"])
  let wired = CfC(wiring: try Wiring(.ncp(interNeurons: 10, commandNeurons: 10, motorNeurons: 8, sensoryFanout: 6, interFanout: 6, recurrentCommandSynapses: 4, motorFanin: 6), inputCount: 8))
  let shapes = Dictionary(uniqueKeysWithValues: wired.stateDict.map { ($0.name, $0.tensor.shape) })
  #expect(shapes["rnn_cell.layer_0.sparsity_mask"] == [10, 18])
  #expect(shapes["rnn_cell.layer_1.ff1.weight"] == [10, 20])
  #expect(shapes["rnn_cell.layer_2.time_b.weight"] == [8, 18])
}

@Test func configurationErrorsNameTheKey() {
  func message(_ json: String) -> String {
    do { _ = try CircuitConfiguration(json: json); return "" } catch { return error.description }
  }
  #expect(message(#"{"model": "CfC", "input_size": 4, "units": 8, "colour": 1}"#).contains("'colour'"))
  #expect(message(#"{"model": "CfC", "input_size": 4, "units": 8, "mode": "fast"}"#).contains("'mode'"))
  #expect(message(#"{"model": "GRU", "input_size": 4, "units": 8}"#).contains("'model'"))
  #expect(message(#"{"model": "CfC", "input_size": 4}"#).contains("'units'"))
  #expect(message(#"{"model": "CfC", "input_size": 4, "units": {"type": "AutoNCP", "units": 8, "output_size": 2}, "backbone_units": 4}"#).contains("wired mode"))
  #expect(message(#"{"model": "LTC", "input_size": "4", "units": 8}"#).contains("'input_size'"))
  #expect(message(#"{"model": "LTC", "input_size": 4, "units": 8}"#) == "")
}

@Test func numpyRoundTripAndErrors() throws {
  let t = Tensor([1, -2.5, 3, 4, 5, 6], shape: [1, 2, 3])
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("circuits-\(UUID()).npy").path
  try NumpyArray.write(t, to: path)
  #expect(try NumpyArray.read(path).scalars == t.scalars)
  #expect(try NumpyArray.read(path).shape == [1, 2, 3])
  var bytes = NumpyArray.encode(t)
  bytes.removeLast(4)
  #expect(throws: NumpyError.self) { _ = try NumpyArray.decode(bytes, path: "x.npy") }
  #expect(throws: NumpyError.self) { _ = try NumpyArray.decode([1, 2, 3], path: "x.npy") }
  try? FileManager.default.removeItem(atPath: path)
}

@Test func circuitsAreNeuralNetworksLayers() throws {
  let wiring = try Wiring(.autoNCP(units: 10, outputSize: 3), inputCount: 4)
  var g = RandomStream(seed: 12)
  let x = Tensor(normal: [2, 5, 4], using: &g)
  for model in [CircuitModel.cfc(CfC(wiring: wiring, mixedMemory: true)), .ltc(LTC(wiring: wiring))] {
    // The Layer view has the torch names in state_dict order; masks are frozen, not parameters.
    #expect(model.namedTensors.map(\.name) == model.stateDict.map(\.name))
    #expect(model.namedParameters.map(\.name) == model.trainableParameters.map(\.name))
    #expect(model.namedTensors.filter { $0.role == .frozen }.allSatisfy { $0.name.hasSuffix("mask") })
    #expect(model.parameterCount == model.trainableParameters.reduce(0) { $0 + $1.tensor.count })
    // Layer's gradient path gives the same gradients as requiringGradients().
    let marked = model.requiringGradient()
    let viaLayer = (marked(x).output * marked(x).output).sum().gradients(for: marked.parameters)
    let (graph, leaves) = model.requiringGradients()
    let viaLeaves = (graph(x).output * graph(x).output).sum().gradients(for: leaves)
    #expect(zip(viaLayer, viaLeaves).allSatisfy { $0.scalars == $1.scalars })
    // stateDict() / loadStateDict round trip into a differently seeded model.
    var other: CircuitModel
    switch model {
    case .cfc: other = .cfc(CfC(wiring: wiring, mixedMemory: true, seed: 99))
    case .ltc: other = .ltc(LTC(wiring: wiring, seed: 99))
    }
    try other.loadStateDict(model.stateDict())
    #expect(other(x).output.scalars == model(x).output.scalars)
    // load(stateDict:) reports problems with NeuralNetworks' StateDictError.
    var broken = model.stateDict()
    broken["bogus"] = Tensor([1])
    #expect(throws: StateDictError.self) { try other.load(stateDict: broken) }
    try other.load(stateDict: broken, strict: false)
  }
}

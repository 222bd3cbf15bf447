// The README's quick start (Sources/NeuralCircuits/README.md), run as written where it does not
// touch files, with the shapes the README promises; and the acting stepper with a Δt other than 1
// (the stepper folds Δt into its packed gate weights and repacks when Δt changes).

import Foundation
import Randomness
import Testing
import TensorCore
@testable import NeuralCircuits

@Test func readmeQuickStartRunsWithTheDocumentedShapes() throws {
  var g = RandomStream(seed: 0)
  let rnn = CfC(inputSize: 20, units: 50)
  let x = Tensor(normal: [2, 3, 20], using: &g)
  let h0 = Tensor(zeros: [2, 50])
  let (output, hn, _) = rnn(x, initialState: h0)
  #expect(output.shape == [2, 3, 50] && hn.shape == [2, 50])

  let wiring = try Wiring(.autoNCP(units: 28, outputSize: 4), inputCount: 20)
  let cfc = CfC(wiring: wiring)
  let ltc = LTC(wiring: wiring)
  let (cfcOutput, cfcState, _) = cfc(x)
  let (ltcOutput, ltcState, _) = ltc(x, timespans: Tensor(repeating: 0.5, shape: [2, 3]))
  #expect(cfcOutput.shape == [2, 3, 4] && cfcState.shape == [2, 28])
  #expect(ltcOutput.shape == [2, 3, 4] && ltcState.shape == [2, 28])

  // A state_dict round trip through a model built from the JSON configuration.
  var model = try CircuitModel(CircuitConfiguration(json: #"{"model": "CfC", "input_size": 20, "units": 50}"#), seed: 5)
  try model.load(stateDict: Dictionary(uniqueKeysWithValues: rnn.stateDict.map { ($0.name, $0.tensor) }))
  #expect(model(x).output.isApproximatelyEqual(to: output, tolerance: 0))

  let (graph, leaves) = model.requiringGradients()
  let error = graph(x).output - Tensor(zeros: [2, 3, 50])
  let grads = (error * error).mean().gradients(for: leaves)
  #expect(grads.count == leaves.count && grads.contains { $0.scalars.contains { $0 != 0 } })

  let stepper = CircuitStepper(cfc)
  let action = stepper.step([Float](repeating: 0, count: 20))
  #expect(action.count == 4)
}

@Test func stepperWithElapsedTimeMatchesTheLayerWithTimespans() throws {
  var g = RandomStream(seed: 12)
  let wiring = try Wiring(.autoNCP(units: 12, outputSize: 3), inputCount: 4)
  let layers = [CfC(inputSize: 4, units: 6, backboneUnits: 8), CfC(wiring: wiring, mode: .noGate)]
  let x = Tensor(normal: [1, 4, 4], using: &g)
  let dts: [Float] = [0.5, 0.5, 2, 1]
  for layer in layers {
    let expected = layer(x, timespans: Tensor(dts, shape: [1, 4])).output
    let stepper = CircuitStepper(layer)
    var outputs: [Float] = []
    for t in 0..<4 { outputs += stepper.step(Array(x.scalars[(t * 4)..<((t + 1) * 4)]), elapsedTime: dts[t]) }
    #expect(Tensor(outputs, shape: expected.shape).isApproximatelyEqual(to: expected, tolerance: 1e-5))
  }
}

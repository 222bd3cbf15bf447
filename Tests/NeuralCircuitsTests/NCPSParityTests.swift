// Parity with ncps 1.0.1 over every fixture of Scripts/make-ncps-fixtures.py: build the model from
// the fixture's config, load its torch state_dict by name, run it, and compare the readout and
// final states (1e-5 absolute) and the gradients of the MSE loss (1e-4 relative) with PyTorch's.

import Foundation
import NeuralNetworks
import Testing
import TensorCore
@testable import NeuralCircuits

@Suite struct NCPSParityTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ncps")

  static func caseNames() throws -> [String] {
    let index = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: directory.appendingPathComponent("index.json")))
    return index.keys.sorted()
  }

  static let reserved: Set = ["input", "timespans", "h0", "c0", "target", "output", "hn", "cn"]

  /// max |a − b| ≤ 1e-5.
  func expectClose(_ a: Tensor, _ b: Tensor, _ label: String) {
    #expect(a.count == b.count, "\(label): \(a.shape) vs \(b.shape)")
    let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-5, "\(label) differs by \(worst)")
  }

  /// Relative error ‖a − b‖∞ / max(‖b‖∞, 1e-6) ≤ 1e-4, per tensor.
  func expectGradient(_ a: Tensor, _ b: Tensor, _ label: String) {
    #expect(a.count == b.count, "\(label): \(a.shape) vs \(b.shape)")
    let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    let scale = b.scalars.map(abs).max() ?? 0
    #expect(worst <= 1e-4 * max(scale, 1e-6), "\(label) gradient differs by \(worst) (scale \(scale))")
  }

  @Test(arguments: try caseNames())
  func matchesNCPS(_ name: String) throws {
    let file = try SafeTensorsFile(contentsOf: Self.directory.appendingPathComponent("\(name).safetensors"))
    let configuration = try CircuitConfiguration(json: try #require(file.metadata["config"]))
    var model = try CircuitModel(configuration)
    let all = try file.tensors()
    let stateDict = all.filter { !Self.reserved.contains($0.key) && !$0.key.hasPrefix("grad.") && !$0.key.hasPrefix("wiring.") }
    try model.load(stateDict: stateDict)

    let input = all["input"]!.requiringGradient()
    let h0 = all["h0"]?.requiringGradient()
    let c0 = all["c0"]?.requiringGradient()
    let (trained, leaves) = model.requiringGradients()
    let result = trained(input, initialState: h0, initialCell: c0, timespans: all["timespans"])
    expectClose(result.output, all["output"]!, "\(name) output")
    expectClose(result.state, all["hn"]!, "\(name) hn")
    if let cn = all["cn"] { expectClose(try #require(result.cell), cn, "\(name) cn") }

    let difference = result.output - all["target"]!
    let loss = (difference * difference).mean()
    let inputs = [input] + [h0, c0].compactMap { $0 }
    let grads = loss.gradients(for: inputs + leaves)
    expectGradient(grads[0], all["grad.input"]!, "\(name) input")
    var index = 1
    if h0 != nil { expectGradient(grads[index], all["grad.h0"]!, "\(name) h0"); index += 1 }
    if c0 != nil { expectGradient(grads[index], all["grad.c0"]!, "\(name) c0"); index += 1 }
    for (parameter, gradient) in zip(model.trainableParameters, grads[index...]) {
      let expected = try #require(all["grad." + parameter.name], "\(name): no gradient for \(parameter.name)")
      expectGradient(gradient, expected, "\(name) \(parameter.name)")
    }
  }
}

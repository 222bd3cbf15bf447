// The whole ncps Atari conv block (BatchNorm in training mode, the automatic conv algorithm:
// Winograd on convs 2–4) against PyTorch on the same weights and frames: features and the
// gradients of sum(features · r). Fixture: Scripts/ncps-atari-conv-parity.py.

import Foundation
import NeuralNetworks
import Randomness
import TensorCore
import Testing
@testable import Training

private struct ParityFixture: Decodable {
  struct Gradient: Decodable {
    var norm: Float
    var indices: [Int]
    var values: [Float]
  }
  var features: [Float]
  var gradients: [String: Gradient]
}

/// scale · (2u − 1), u = frac(43758.5453 · sin(12.9898·i + phase)) over the flat index i (the
/// fixture script's `formula`: uniform-looking in ±scale).
private func formula(_ shape: [Int], phase: Double, scale: Double) -> Tensor {
  let count = shape.reduce(1, *)
  let values = (0..<count).map { (i: Int) -> Float in
    let u = 43758.5453 * sin(12.9898 * Double(i) + phase)
    return Float(scale * (2 * (u - u.rounded(.down)) - 1))
  }
  return Tensor(values, shape: shape)
}

@Test func ncpsAtariConvMatchesPyTorchOnOneBatch() throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/ncps-atari-conv-parity.json")
  let fixture = try JSONDecoder().decode(ParityFixture.self, from: Data(contentsOf: url))
  var generator = RandomStream(seed: 1)
  var block = NCPSAtariConv(observationShape: [4, 84, 84], batchNorm: true, using: &generator)
  let order = [
    "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias", "conv3.weight", "conv3.bias",
    "conv4.weight", "conv4.bias", "bn4.weight", "bn4.bias",
  ]
  var fanIns: [String: Int] = [:]
  block.visitTensors { name, _, tensor in
    if name.hasPrefix("conv") && name.hasSuffix(".weight") { fanIns[String(name.prefix(5))] = tensor.count / tensor.shape[0] }
  }
  block.visitTensors { name, _, tensor in
    guard let k = order.firstIndex(of: name) else { return }
    let phase = 0.1 * Double(k)
    if name.hasPrefix("conv") {
      tensor = formula(tensor.shape, phase: phase, scale: 1 / Double(fanIns[String(name.prefix(5))]!).squareRoot())
    } else {
      tensor = formula(tensor.shape, phase: phase, scale: 0.1) + (name.hasSuffix("weight") ? 1 : 0)
    }
  }
  block.setTraining(true)
  let pixels = (0..<3 * 4 * 84 * 84).map { (i: Int) -> Float in Float((i * 37 + (i / 84) * 11) % 256) }
  let marked = block.requiringGradient()
  let features = marked(Tensor(pixels, shape: [3, 4, 84, 84]))
  let loss = (features * formula([3, 256], phase: 0.5, scale: 1)).sum()
  let gradients = loss.gradients(for: marked.parameters)

  let featureError = zip(features.scalars, fixture.features).map { abs($0 - $1) }.max() ?? .infinity
  let featureScale = fixture.features.map(abs).max() ?? 1
  #expect(featureError <= 1e-3 * featureScale, "features: max error \(featureError) of \(featureScale)")
  #expect(marked.namedParameters.map(\.name) == order)
  for (name, gradient) in zip(order, gradients) {
    guard let expected = fixture.gradients[name] else {
      Issue.record("\(name): not in the fixture")
      continue
    }
    let got = gradient.scalars
    let norm = got.reduce(Float(0)) { (sum: Float, g: Float) in sum + g * g }.squareRoot()
    // Relative to the tensor's gradient norm (Winograd F(6,3) rounds to ~1e-4, which the BatchNorm
    // backward passes amplify); biases before a BatchNorm have a zero gradient up to rounding.
    let tolerance = 5e-3 * expected.norm + 1e-3
    #expect(abs(norm - expected.norm) <= tolerance, "\(name): gradient norm \(norm), PyTorch \(expected.norm)")
    for (i, value) in zip(expected.indices, expected.values) {
      #expect(abs(got[i] - value) <= tolerance, "\(name)[\(i)]: \(got[i]), PyTorch \(value)")
    }
  }
}

import Foundation
import Randomness
import Testing
import TensorCore
@testable import NeuralNetworks

/// Every layer's forward pass and gradients against PyTorch, from the fixture written by
/// Scripts/make-layer-fixtures.py. Torch's state dict is loaded into our layer by name, so the
/// state-dict names and order are checked as well.
@Suite struct TorchLayerParityTests {
  struct Values: Decodable {
    let shape: [Int]
    let values: [Float]
    var tensor: Tensor { Tensor(values, shape: shape) }
  }
  struct Named: Decodable {
    let name: String
    let shape: [Int]
    let values: [Float]
    var tensor: Tensor { Tensor(values, shape: shape) }
  }
  struct Case: Decodable {
    let name: String
    let training: Bool
    let state: [Named]
    let inputs: [Values]
    let outputs: [Values]
    let seeds: [Values]
    let inputGradients: [Values]
    let parameterGradients: [Named]
    let stateAfter: [Named]
  }
  struct Fixture: Decodable { let cases: [Case] }

  static let fixture: Fixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/torch-layers.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  /// A layer of the case's architecture (random weights; the fixture's state dict replaces them)
  /// and the forward function from inputs to outputs.
  static func model(for name: String) -> (any Layer, (any Layer, [Tensor]) -> [Tensor]) {
    var g = RandomStream(seed: 7)
    func unary(_ layer: any UnaryLayer) -> (any Layer, (any Layer, [Tensor]) -> [Tensor]) {
      (layer, { l, x in [(l as! any UnaryLayer)(x[0])] })
    }
    switch name {
    case "linear": return unary(Linear(inputSize: 5, outputSize: 3, using: &g))
    case "linearNoBias": return unary(Linear(inputSize: 5, outputSize: 3, bias: false, using: &g))
    case "conv2d": return unary(Conv2d(inChannels: 3, outChannels: 4, kernelSize: 3, stride: 2, padding: 1, using: &g))
    case "conv2dPerAxis":
      return unary(Conv2d(inChannels: 3, outChannels: 4, kernelSize: (3, 2), stride: (2, 1), padding: (1, 2), using: &g))
    case "sequentialCNN":
      return unary(Sequential(
        Conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, using: &g), Activation.relu, MaxPool2d(kernelSize: 2),
        Conv2d(inChannels: 4, outChannels: 3, kernelSize: 3, padding: 1, using: &g), Activation.tanh,
        AvgPool2d(kernelSize: 2), Flatten(), Linear(inputSize: 12, outputSize: 5, using: &g), Activation.silu))
    case "sequentialMLP":
      return unary(Sequential(
        Linear(inputSize: 4, outputSize: 8, using: &g), Activation.lecunTanh, Dropout(probability: 0.3, seed: 1),
        Linear(inputSize: 8, outputSize: 6, using: &g), Activation.gelu, Linear(inputSize: 6, outputSize: 2, using: &g),
        Activation.softplus))
    case "layerNorm": return unary(LayerNorm(featureCount: 6))
    case "layerNorm2d": return unary(LayerNorm(normalizedShape: [2, 3]))
    case "batchNorm1dTrain", "batchNorm1dEval": return unary(BatchNorm(featureCount: 4))
    case "batchNorm2dTrain", "batchNorm2dEval": return unary(BatchNorm(featureCount: 3))
    case "lstmCell":
      return (LSTMCell(inputSize: 3, hiddenSize: 5, using: &g), { l, x in
        let s = (l as! LSTMCell)(x[0], state: .init(hidden: x[1], cell: x[2]))
        return [s.hidden, s.cell]
      })
    default:
      let activation = try! Activation(named: name == "activation.lecunTanh" ? "lecun_tanh" : String(name.dropFirst(11)))
      return unary(activation)
    }
  }

  @Test func fixtureCoversEveryCase() {
    #expect(Self.fixture.cases.count == 20)
  }

  @Test(arguments: 0..<20)
  func matchesPyTorch(index: Int) throws {
    let c = Self.fixture.cases[index]
    var (layer, forward) = Self.model(for: c.name)
    // Names and order first, then the values.
    #expect(layer.namedTensors.map(\.name) == c.state.map(\.name), "\(c.name)")
    try layer.loadStateDict(Dictionary(uniqueKeysWithValues: c.state.map { ($0.name, $0.tensor) }))
    layer.setTraining(c.training)

    let marked = layer.requiringGradient()
    let inputs = c.inputs.map { $0.tensor.requiringGradient() }
    let outputs = forward(marked, inputs)
    var loss = Tensor(0)
    for (k, output) in outputs.enumerated() {
      #expect(output.isApproximatelyEqual(to: c.outputs[k].tensor, tolerance: 1e-5), "\(c.name) output \(k)")
      loss = loss + (output * c.seeds[k].tensor).sum()
    }
    let parameters = marked.parameters
    let gradients = loss.gradients(for: inputs + parameters)
    for (k, expected) in c.inputGradients.enumerated() {
      #expect(gradients[k].isApproximatelyEqual(to: expected.tensor, tolerance: 1e-4), "\(c.name) input gradient \(k)")
    }
    #expect(marked.namedParameters.map(\.name) == c.parameterGradients.map(\.name), "\(c.name)")
    for (k, expected) in c.parameterGradients.enumerated() {
      #expect(
        gradients[inputs.count + k].isApproximatelyEqual(to: expected.tensor, tolerance: 1e-4),
        "\(c.name) gradient of \(expected.name)")
    }
    // Buffers after the forward pass (BatchNorm's running statistics in training mode): the
    // marked copy's update lands in the layer itself.
    let after = Dictionary(uniqueKeysWithValues: layer.namedTensors.map { ($0.name, $0.tensor) })
    for expected in c.stateAfter {
      #expect(after[expected.name]?.isApproximatelyEqual(to: expected.tensor, tolerance: 1e-5) == true, "\(c.name) \(expected.name) after")
    }
  }
}

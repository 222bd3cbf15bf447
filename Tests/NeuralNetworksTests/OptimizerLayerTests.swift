import Foundation
import Randomness
import TensorCore
import Testing

@testable import NeuralNetworks

/// 2 → 8 → 1 with tanh: the smallest network that can represent XOR.
private struct XORNetwork: UnaryLayer {
  var hidden: Linear
  var output: Linear

  init(using generator: inout RandomStream) {
    hidden = Linear(inputSize: 2, outputSize: 8, using: &generator)
    output = Linear(inputSize: 8, outputSize: 1, using: &generator)
  }

  mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try hidden.visitTensors(prefix: "hidden", body)
    try output.visitTensors(prefix: "output", body)
  }
  mutating func setTraining(_ isTraining: Bool) {}
  func callAsFunction(_ x: Tensor) -> Tensor { output(tanh(hidden(x))) }
}

private let inputs = Tensor([0, 0, 0, 1, 1, 0, 1, 1], shape: [4, 2])
private let targets = Tensor([0, 1, 1, 0], shape: [4, 1])

private func loss(_ model: XORNetwork) -> Tensor {
  let error = model(inputs) - targets
  return (error * error).mean()
}

@Suite struct OptimizerLayerTests {
  /// Adam with a cosine schedule and clipping fits XOR (mean squared error below 1e-3).
  @Test func adamTrainsANetworkOnXOR() {
    var generator = RandomStream(seed: 3)
    var model = XORNetwork(using: &generator)
    var optimizer = Adam(learningRate: 0.05)
    let schedule = LearningRateSchedule.cosine(from: 0.05, to: 0.005, steps: 400)
    let initial = loss(model).scalar
    for _ in 0..<400 {
      optimizer.learningRate = schedule.learningRate(atStep: optimizer.state.step)
      let marked = model.requiringGradient()
      var gradients = loss(marked).gradients(for: marked.parameters)
      clipGradientNorm(&gradients, maxNorm: 1)
      optimizer.update(&model, along: gradients)
    }
    let final = loss(model).scalar
    #expect(initial > 0.1)
    #expect(final < 1e-3, "XOR loss \(initial) -> \(final)")
    #expect(model.parameters.allSatisfy { $0.origin == nil })
  }

  /// Updating a layer is updating its parameter list in visit order; the checkpoint names the
  /// optimizer's slots after the layer's parameters.
  @Test func layerUpdateMatchesParameterListAndCheckpointsByName() throws {
    var generator = RandomStream(seed: 5)
    var model = XORNetwork(using: &generator)
    var parameters = model.parameters
    var onModel = SGD(learningRate: 0.1, momentum: 0.9)
    var onList = onModel
    for _ in 0..<3 {
      let marked = model.requiringGradient()
      let gradients = loss(marked).gradients(for: marked.parameters)
      onModel.update(&model, along: gradients)
      onList.update(&parameters, along: gradients)
      #expect(parameters.map(\.scalars) == model.parameters.map(\.scalars))
    }
    #expect(onModel.state == onList.state)

    var file = try SafeTensorsFile(tensors: model.stateDict())
    try file.setOptimizerState(onModel.state, for: model)
    #expect(file.entries["optimizer.momentum_buffer.hidden.weight"]?.shape == [8, 2])
    #expect(file.entries["optimizer.momentum_buffer.output.bias"]?.shape == [1])
    let restored = try SafeTensorsFile(bytes: file.serialized()).optimizerState(for: model, optimizer: onModel)
    #expect(restored == onModel.state)
    // A checkpoint made with another optimizer (or with its slots removed) is refused, not trapped on.
    let wrong = try #require(throws: SafeTensorsError.self) {
      try SafeTensorsFile(bytes: file.serialized()).optimizerState(for: model, optimizer: Adam())
    }
    #expect(wrong.tensor == "optimizer.exp_avg.hidden.weight")
    let plain = try #require(throws: SafeTensorsError.self) {
      try SafeTensorsFile(bytes: file.serialized()).optimizerState(for: model, optimizer: SGD(learningRate: 0.1))
    }
    #expect(plain.tensor == "optimizer.momentum_buffer")
  }
}

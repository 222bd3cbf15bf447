import Randomness
import Testing
import TensorCore
@testable import NeuralNetworks

/// Small networks that must learn, end to end through layers, losses, autodiff and optimizers.
@Suite struct TrainingTests {
  /// XOR with a 2-8-1 tanh MLP and Adam (lr 0.05): mean squared error below 1e-3 within 300 steps.
  @Test func mlpLearnsXOR() {
    var generator = RandomStream(seed: 42)
    var model = Sequential(
      Linear(inputSize: 2, outputSize: 8, using: &generator), Activation.tanh,
      Linear(inputSize: 8, outputSize: 1, using: &generator))
    let x = Tensor([0, 0, 0, 1, 1, 0, 1, 1], shape: [4, 2])
    let y = Tensor([0, 1, 1, 0], shape: [4, 1])
    var optimizer = Adam(learningRate: 0.05)
    var loss = Float.infinity
    for _ in 0..<300 {
      let marked = model.requiringGradient()
      let l = mseLoss(marked(x), y)
      loss = l.scalar
      optimizer.update(&model, along: l.gradients(for: marked.parameters))
    }
    #expect(loss < 1e-3, "final MSE \(loss)")
    #expect(model(x).scalars.map { $0 > 0.5 ? 1 : 0 } == [0, 1, 1, 0])
  }

  /// sin(x) on [−π, π] with a 1-32-32-1 SiLU MLP, plain SGD written here (lr 0.1, momentum-free,
  /// full batch of 64): mean squared error below 0.01 within 1500 steps.
  @Test func mlpFitsASineWithPlainGradientDescent() {
    var generator = RandomStream(seed: 7)
    var model = Sequential(
      Linear(inputSize: 1, outputSize: 32, using: &generator), Activation.silu,
      Linear(inputSize: 32, outputSize: 32, using: &generator), Activation.silu,
      Linear(inputSize: 32, outputSize: 1, using: &generator))
    let xs = (0..<64).map { -Float.pi + 2 * Float.pi * Float($0) / 63 }
    let x = Tensor(xs, shape: [64, 1])
    let y = Tensor(xs.map { Float(_sin(Double($0))) }, shape: [64, 1])
    let initial = mseLoss(model(x), y).scalar
    var loss = initial
    for _ in 0..<1500 {
      let marked = model.requiringGradient()
      let l = mseLoss(marked(x), y)
      loss = l.scalar
      model.applyGradients(l.gradients(for: marked.parameters)) { _, p, g in p -= 0.1 * g }
    }
    #expect(loss < 0.01, "MSE \(initial) -> \(loss)")
  }

  /// A linear softmax classifier on three separable clusters reaches full accuracy.
  @Test func crossEntropyTrainsAClassifier() {
    var generator = RandomStream(seed: 3)
    let centres: [(Float, Float)] = [(2, 0), (-1, 2), (-1, -2)]
    var points: [Float] = [], labels: [Int] = []
    for i in 0..<90 {
      let (cx, cy) = centres[i % 3]
      points += [cx + 0.4 * generator.nextNormal(), cy + 0.4 * generator.nextNormal()]
      labels.append(i % 3)
    }
    let x = Tensor(points, shape: [90, 2])
    var model = Linear(inputSize: 2, outputSize: 3, using: &generator)
    var optimizer = SGD(learningRate: 0.5)
    for _ in 0..<100 {
      let marked = model.requiringGradient()
      let l = crossEntropyLoss(marked(x), labels: labels)
      optimizer.update(&model, along: l.gradients(for: marked.parameters))
    }
    #expect(Categorical(logits: model(x)).mode == labels)
  }
}

import Foundation
private func _sin(_ x: Double) -> Double { Foundation.sin(x) }

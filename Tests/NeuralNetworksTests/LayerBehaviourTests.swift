import Foundation
import Randomness
import Testing
import TensorCore
@testable import NeuralNetworks

/// Training/evaluation behaviour, the shared-state rules, and finite-difference gradients of
/// the composites.
@Suite struct LayerBehaviourTests {
  @Test func activationGradientsMatchFiniteDifferences() {
    let x = randomTensor([12], in: -3...3, seed: 21)
    for activation in Activation.allCases where activation != .relu {
      expectGradientsMatch([x]) { v in activation(v[0]) }
    }
  }

  @Test func activationNamesFollowNcps() throws {
    #expect(try Activation(named: "lecun_tanh") == .lecunTanh)
    #expect(throws: UnknownActivationError(name: "swish")) { try Activation(named: "swish") }
    let x = Tensor([-1, 0, 2])
    #expect(lecunTanh(x).isApproximatelyEqual(to: Tensor([1.7159 * Foundation.tanh(Float(-0.666)), 0, 1.7159 * Foundation.tanh(Float(1.332))])))
  }

  @Test func normalizationGradientsMatchFiniteDifferences() {
    var layerNorm = LayerNorm(featureCount: 5)
    layerNorm.weight = randomTensor([5], seed: 2)
    layerNorm.bias = randomTensor([5], seed: 3)
    expectGradientsMatch([randomTensor([3, 5], in: -2...2, seed: 1), layerNorm.weight!, layerNorm.bias!]) { v in
      var l = layerNorm
      l.weight = v[1]
      l.bias = v[2]
      return l(v[0])
    }
    let batchNorm = BatchNorm(featureCount: 2)
    expectGradientsMatch([randomTensor([3, 2, 2, 2], in: -2...2, seed: 4)]) { v in batchNorm(v[0]) }
  }

  @Test func lstmCellGradientsMatchFiniteDifferences() {
    var g = RandomStream(seed: 9)
    let cell = LSTMCell(inputSize: 3, hiddenSize: 4, using: &g)
    let state = LSTMCell.State(hidden: randomTensor([2, 4], seed: 2), cell: randomTensor([2, 4], seed: 3))
    expectGradientsMatch([randomTensor([2, 3], seed: 1), state.hidden, state.cell, cell.weightIH, cell.weightHH]) { v in
      var c = cell
      c.weightIH = v[3]
      c.weightHH = v[4]
      let s = c(v[0], state: .init(hidden: v[1], cell: v[2]))
      return concat([s.hidden, s.cell], axis: 1)
    }
    #expect(cell.zeroState(batchSize: 3).hidden.shape == [3, 4])
  }

  @Test func dropoutZeroesAboutPAndScalesTheRestInTrainingOnly() {
    var layer = Dropout(probability: 0.25, seed: 3)
    let x = Tensor(ones: [10_000])
    let y = layer(x)
    let zeros = y.scalars.filter { $0 == 0 }.count
    #expect(abs(Double(zeros) / 10_000 - 0.25) < 0.02)
    #expect(y.scalars.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-6 })
    #expect(layer(x).scalars != y.scalars, "each call draws a new mask")
    layer.setTraining(false)
    #expect(layer(x).scalars == x.scalars)
    // The gradient passes through the kept elements with the same scale.
    var seeded = RandomStream(seed: 4)
    let leaf = x.requiringGradient()
    let out = dropout(leaf, probability: 0.5, using: &seeded)
    #expect(out.sum().gradients(for: [leaf])[0].scalars == out.scalars)
  }

  @Test func batchNormSnapshotInEvaluationModeIsIndependent() {
    var model = Sequential(Linear(weight: Tensor([1, 0, 0, 1], shape: [2, 2]), bias: nil), BatchNorm(featureCount: 2))
    var snapshot = model
    snapshot.setTraining(false)
    let x = Tensor([1, 2, 3, 5, -1, 0], shape: [3, 2])
    _ = model.requiringGradient()(x)  // a training step's marked copy updates the model's statistics
    let stats = model.stateDict()
    #expect(stats["1.num_batches_tracked"]!.scalar == 1)
    #expect(stats["1.running_mean"]!.isApproximatelyEqual(to: Tensor([0.1, 0.2333333])))
    #expect(snapshot.stateDict()["1.num_batches_tracked"]!.scalar == 0)
    #expect(snapshot.stateDict()["1.running_mean"]!.scalars == [0, 0])
    // Loading a state dict into a copy leaves the original alone.
    var copy = model
    var zeroed = stats
    zeroed["1.running_mean"] = Tensor(zeros: [2])
    try! copy.loadStateDict(zeroed)
    #expect(model.stateDict()["1.running_mean"]!.isApproximatelyEqual(to: Tensor([0.1, 0.2333333])))
    #expect(copy.stateDict()["1.running_mean"]!.scalars == [0, 0])
  }

  @Test func flattenKeepsTheBatchAxis() {
    #expect(Flatten()(Tensor(zeros: [2, 3, 4, 5])).shape == [2, 60])
    #expect(GlobalAvgPool2d()(Tensor(ones: [2, 3, 4, 5])).shape == [2, 3])
  }
}


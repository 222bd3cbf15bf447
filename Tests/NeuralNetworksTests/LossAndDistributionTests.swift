import Foundation
import Randomness
import Testing
import TensorCore
@testable import NeuralNetworks

/// Losses and distributions against PyTorch (fixture from Scripts/make-layer-fixtures.py), against
/// finite differences, and sampling against the probabilities.
@Suite struct LossAndDistributionTests {
  struct Values: Decodable {
    let shape: [Int]
    let values: [Float]
    var tensor: Tensor { Tensor(values, shape: shape) }
  }
  struct Case: Decodable {
    let name: String
    let inputs: [Values]
    let labels: [Int]
    let output: Values
    let seed: Values
    let gradients: [Values]
  }
  struct Fixture: Decodable { let cases: [Case] }

  static let fixture: Fixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/torch-losses.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  static func function(_ name: String, labels: [Int]) -> ([Tensor]) -> Tensor {
    switch name {
    case "mse": { mseLoss($0[0], $0[1]) }
    case "huber": { huberLoss($0[0], $0[1], delta: 0.7) }
    case "smoothL1": { smoothL1Loss($0[0], $0[1], beta: 0.5) }
    case "crossEntropy": { crossEntropyLoss($0[0], labels: labels) }
    case "crossEntropySmoothed": { crossEntropyLoss($0[0], labels: labels, labelSmoothing: 0.2) }
    case "nll": { nllLoss(logSoftmax($0[0], alongAxis: 1), labels: labels) }
    case "categoricalLogProb": { Categorical(logits: $0[0]).logProbability(of: labels) }
    case "categoricalEntropy": { Categorical(logits: $0[0]).entropy() }
    case "gaussianLogProb": { DiagonalGaussian(mean: $0[0], logStandardDeviation: $0[1]).logProbability(of: $0[2]) }
    case "gaussianEntropy": { DiagonalGaussian(mean: $0[0], logStandardDeviation: $0[1]).entropy() }
    default: fatalError("unknown case \(name)")
    }
  }

  @Test func fixtureCoversEveryCase() { #expect(Self.fixture.cases.count == 10) }

  @Test(arguments: 0..<10)
  func matchesPyTorch(index: Int) {
    let c = Self.fixture.cases[index]
    let f = Self.function(c.name, labels: c.labels)
    let leaves = c.inputs.map { $0.tensor.requiringGradient() }
    let y = f(leaves)
    #expect(y.isApproximatelyEqual(to: c.output.tensor, tolerance: 1e-5), "\(c.name): \(y) vs \(c.output.tensor)")
    let gradients = y.gradients(for: leaves, seed: c.seed.tensor)
    for (k, expected) in c.gradients.enumerated() {
      #expect(gradients[k].isApproximatelyEqual(to: expected.tensor, tolerance: 1e-4), "\(c.name) gradient \(k)")
    }
    // And against finite differences, independently of torch.
    let check = checkGradients(at: c.inputs.map(\.tensor), step: 1e-2, absoluteTolerance: 2e-3, relativeTolerance: 1e-2, f)
    #expect(check.isPassing, "\(c.name): \(check)")
  }

  @Test func huberIsQuadraticInsideAndLinearOutside() {
    let loss = huberLoss(Tensor([0.5, 3]), Tensor([0, 0]), delta: 1)
    #expect(abs(loss.scalar - (0.125 + 2.5) / 2) < 1e-6)
  }

  @Test func categoricalSamplesFollowTheProbabilities() {
    let logits = Tensor([ln(0.2), ln(0.5), ln(0.3), 0, 0, -Float.infinity], shape: [2, 3])
    let distribution = Categorical(logits: logits)
    var generator = RandomStream(seed: 31)
    var counts = [[Int]](repeating: [0, 0, 0], count: 2)
    let draws = 20_000
    for _ in 0..<draws {
      let actions = distribution.sample(using: &generator)
      counts[0][actions[0]] += 1
      counts[1][actions[1]] += 1
    }
    for (k, p) in [0.2, 0.5, 0.3].enumerated() {
      #expect(abs(Double(counts[0][k]) / Double(draws) - p) < 0.015)
    }
    #expect(counts[1][2] == 0, "a class with probability 0 is never drawn")
    #expect(distribution.mode == [1, 0])
    #expect(abs(distribution.entropy().scalars[1] - ln(2)) < 1e-6)
  }

  @Test func gaussianSamplesHaveTheMeanAndSpreadAndCarryGradients() {
    let mean = Tensor(repeating: 1.5, shape: [4000, 2]).requiringGradient()
    let logStd = Tensor([ln(0.5), ln(2)]).requiringGradient()
    let distribution = DiagonalGaussian(mean: mean, logStandardDeviation: logStd)
    var generator = RandomStream(seed: 32)
    let sample = distribution.sample(using: &generator)
    let columns = sample.detached.transposed()
    let (m0, v0) = moments(columns[0]), (m1, v1) = moments(columns[1])
    #expect(abs(m0 - 1.5) < 0.03 && abs(v0.squareRoot() - 0.5) < 0.02)
    #expect(abs(m1 - 1.5) < 0.1 && abs(v1.squareRoot() - 2) < 0.08)
    // Reparameterised: d(sample)/d(mean) = 1.
    let gradients = sample.sum().gradients(for: [mean, logStd])
    #expect(gradients[0].scalars.allSatisfy { $0 == 1 })
    #expect(distribution.mode.scalars == mean.scalars)
  }
}

private func ln(_ x: Float) -> Float { Foundation.log(x) }

import Randomness
import Testing
import TensorCore
@testable import NeuralNetworks

/// A two-level container used to check names, order and the visitor-built API.
private struct Net: UnaryLayer {
  var encoder: Linear
  var head: Linear
  var mask: Tensor
  var isTraining = true

  init(using generator: inout RandomStream) {
    encoder = Linear(inputSize: 3, outputSize: 4, using: &generator)
    head = Linear(inputSize: 4, outputSize: 2, bias: false, using: &generator)
    mask = Tensor(ones: [2, 4])
  }

  mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try body("mask", .frozen, &mask)
    try encoder.visitTensors(prefix: "encoder", body)
    try head.visitTensors(prefix: "head", body)
  }

  mutating func setTraining(_ isTraining: Bool) { self.isTraining = isTraining }

  func callAsFunction(_ x: Tensor) -> Tensor {
    matmul(tanh(encoder(x)), head.weight * mask, transposeB: true)
  }
}

@Suite struct LayerTests {
  @Test func namesFollowRegistrationOrderWithDottedPrefixes() {
    var generator = RandomStream(seed: 1)
    let net = Net(using: &generator)
    #expect(net.namedTensors.map(\.name) == ["mask", "encoder.weight", "encoder.bias", "head.weight"])
    #expect(net.namedTensors.map(\.role) == [.frozen, .parameter, .parameter, .parameter])
    #expect(net.namedParameters.map(\.name) == ["encoder.weight", "encoder.bias", "head.weight"])
    #expect(net.parameters.map(\.shape) == [[4, 3], [4], [2, 4]])
    #expect(net.parameterCount == 12 + 4 + 8)
    #expect(Set(net.stateDict().keys) == ["mask", "encoder.weight", "encoder.bias", "head.weight"])
  }

  @Test func loadingAStateDictReplacesEveryTensor() throws {
    var generator = RandomStream(seed: 1)
    var net = Net(using: &generator)
    let other = Net(using: &generator)
    #expect(net.encoder.weight.scalars != other.encoder.weight.scalars)
    try net.loadStateDict(other.stateDict())
    for (a, b) in zip(net.namedTensors, other.namedTensors) {
      #expect(a.name == b.name && a.tensor.shape == b.tensor.shape && a.tensor.scalars == b.tensor.scalars)
    }
  }

  @Test func loadingReportsMissingUnexpectedAndMismatchedKeysAndChangesNothing() {
    var generator = RandomStream(seed: 1)
    var net = Net(using: &generator)
    let before = net.stateDict()
    var dict = before
    dict["encoder.bias"] = nil
    dict["head.weight"] = Tensor(zeros: [4, 2])
    dict["decoder.weight"] = Tensor(zeros: [1])
    #expect(throws: StateDictError(problems: [
      .missingKey("encoder.bias", expectedShape: [4]),
      .shapeMismatch("head.weight", expected: [2, 4], found: [4, 2]),
      .unexpectedKey("decoder.weight", shape: [1]),
    ])) { try net.loadStateDict(dict) }
    do {
      try net.loadStateDict(dict)
    } catch {
      #expect(error.description.contains("the layer has shape [2, 4], the state dict has shape [4, 2]"))
      #expect(error.description.contains("missing key 'encoder.bias'"))
      #expect(error.description.contains("unexpected key 'decoder.weight'"))
    }
    #expect(net.stateDict()["head.weight"]!.scalars == before["head.weight"]!.scalars)
    #expect(net.stateDict()["encoder.bias"]!.scalars == before["encoder.bias"]!.scalars)
  }

  @Test func requiringGradientMarksOnlyTrainableParameters() {
    var generator = RandomStream(seed: 2)
    let net = Net(using: &generator)
    let marked = net.requiringGradient()
    #expect(marked.parameters.allSatisfy { $0.isRecording })
    #expect(!marked.mask.isRecording)
    #expect(net.parameters.allSatisfy { !$0.isRecording })
  }

  @Test func gradientStepAppliesInVisitOrderAndDetaches() {
    var generator = RandomStream(seed: 3)
    var net = Net(using: &generator)
    let x = randomTensor([5, 3], seed: 9)
    let marked = net.requiringGradient()
    let loss = (marked(x) * marked(x)).mean()
    let gradients = loss.gradients(for: marked.parameters)
    let before = net.parameters
    var indices: [Int] = []
    net.applyGradients(gradients) { index, p, g in
      indices.append(index)
      p -= 0.1 * g
    }
    #expect(indices == [0, 1, 2])
    for (i, p) in net.parameters.enumerated() {
      #expect(!p.isRecording)
      #expect(p.isApproximatelyEqual(to: before[i] - 0.1 * gradients[i]))
    }
    let newLoss = (net(x) * net(x)).mean()
    #expect(newLoss.scalar < loss.scalar)
  }

  @Test func linearGradientsMatchFiniteDifferences() {
    let x = randomTensor([3, 4], seed: 1)
    let w = randomTensor([2, 4], seed: 2)
    let b = randomTensor([2], seed: 3)
    expectGradientsMatch([x, w, b]) { v in Linear(weight: v[1], bias: v[2])(v[0]) }
    // Rank-1 and rank-3 inputs reshape around the same GEMM.
    expectGradientsMatch([randomTensor([2, 3, 4], seed: 4), w]) { v in Linear(weight: v[1], bias: nil)(v[0]) }
    let single = Linear(weight: w, bias: b)(x[0])
    #expect(single.isApproximatelyEqual(to: Linear(weight: w, bias: b)(x)[0]))
  }

  @Test func linearDefaultInitIsUniformWithinOneOverRootFanIn() {
    var generator = RandomStream(seed: 4)
    let layer = Linear(inputSize: 64, outputSize: 200, using: &generator)
    let bound: Float = 1 / 8
    #expect(layer.weight.shape == [200, 64] && layer.bias?.shape == [200])
    #expect(layer.weight.scalars.allSatisfy { abs($0) <= bound })
    #expect(layer.bias!.scalars.allSatisfy { abs($0) <= bound })
    // U(−b, b) has variance b²/3.
    let (mean, variance) = moments(layer.weight)
    #expect(abs(mean) < 0.003)
    #expect(abs(variance - Double(bound * bound) / 3) < 0.03 * Double(bound * bound) / 3)
    #expect(layer.weight.scalars.max()! > 0.95 * bound && layer.weight.scalars.min()! < -0.95 * bound)
  }
}

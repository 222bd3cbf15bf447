import Environments
import NeuralNetworks
import Randomness
import TensorCore
import Testing
@testable import Training

/// The tensors of `layer` named `names`, in that order.
private func tensors<L: Layer>(_ layer: L, _ names: [String]) -> [Tensor] {
  let all = Dictionary(uniqueKeysWithValues: layer.namedTensors.map { ($0.name, $0.tensor) })
  return names.map { all[$0]! }
}

/// `layer` with the tensors named `names` replaced by `values`.
private func replacing<L: Layer>(_ layer: L, _ names: [String], with values: [Tensor]) -> L {
  var copy = layer
  let byName = Dictionary(uniqueKeysWithValues: zip(names, values))
  copy.visitTensors { name, _, tensor in if let value = byName[name] { tensor = value } }
  return copy
}

private func shapes<L: Layer>(_ layer: L) -> [String] {
  layer.namedTensors.map { "\($0.name) \($0.tensor.shape)" }
}

@Test func natureCNNHasCleanRLNamesAndShapes() {
  var generator = RandomStream(seed: 1)
  // 16 features, not CleanRL's 512: orthogonalizing [512, 3136] takes seconds in debug builds.
  let cnn = NatureCNN(observationShape: [4, 84, 84], features: 16, using: &generator)
  #expect(shapes(cnn) == [
    "0.weight [32, 4, 8, 8]", "0.bias [32]", "2.weight [64, 32, 4, 4]", "2.bias [64]",
    "4.weight [64, 64, 3, 3]", "4.bias [64]", "7.weight [16, 3136]", "7.bias [16]",
  ])
  #expect(cnn.namedTensors.filter { $0.name.hasSuffix("bias") }.allSatisfy { $0.tensor.scalars.allSatisfy { $0 == 0 } })
  // Orthogonal rows with gain √2: W·Wᵀ = 2·I for the first conv (32 rows of 256).
  let w = cnn.namedTensors[0].tensor.reshaped(to: [32, 256])
  let gram = matmul(w, w.transposed())
  let identity = Tensor((0..<(32 * 32)).map { $0 / 32 == $0 % 32 ? 2 : 0 }, shape: [32, 32])
  #expect(gram.isApproximatelyEqual(to: identity, tolerance: 1e-4))
  let frames = Tensor(uniform: [2, 4, 84, 84], in: 0...255, using: &generator)
  let features = cnn(frames)
  #expect(features.shape == [2, 16] && features.scalars.allSatisfy { $0 >= 0 && $0.isFinite })
}

@Test func natureCNNReadsChannelsLastFramesAsTheirPermutation() {
  var g1 = RandomStream(seed: 5), g2 = RandomStream(seed: 5), data = RandomStream(seed: 6)
  let first = NatureCNN(observationShape: [3, 40, 44], features: 8, using: &g1)
  let last = NatureCNN(observationShape: [40, 44, 3], isChannelsLast: true, features: 8, using: &g2)
  let frames = Tensor(uniform: [2, 40, 44, 3], in: 0...255, using: &data)
  #expect(last(frames).isApproximatelyEqual(to: first(frames.permuted([0, 3, 1, 2]))))
}

@Test func natureCNNGradientsMatchFiniteDifferences() {
  var generator = RandomStream(seed: 2)
  let cnn = NatureCNN(observationShape: [2, 36, 36], features: 4, inputScale: 1, using: &generator)
  let input = Tensor(uniform: [1, 2, 36, 36], in: 0...1, using: &generator)
  let names = ["7.weight", "7.bias"]
  let check = checkGradients(at: [input] + tensors(cnn, names), step: 1e-3, absoluteTolerance: 2e-3) { x in
    replacing(cnn, names, with: Array(x.dropFirst()))(x[0])
  }
  #expect(check.isPassing, "\(check)")
}

@Test func ncpsAtariConvHasTorchNamesAndSpatialMean() {
  var generator = RandomStream(seed: 3)
  let block = NCPSAtariConv(observationShape: [4, 84, 84], batchNorm: true, using: &generator)
  #expect(shapes(block) == [
    "conv1.weight [64, 4, 5, 5]", "conv1.bias [64]", "conv2.weight [128, 64, 5, 5]", "conv2.bias [128]",
    "bn2.weight [128]", "bn2.bias [128]", "bn2.running_mean [128]", "bn2.running_var [128]",
    "bn2.num_batches_tracked []",
    "conv3.weight [128, 128, 5, 5]", "conv3.bias [128]", "conv4.weight [256, 128, 5, 5]", "conv4.bias [256]",
    "bn4.weight [256]", "bn4.bias [256]", "bn4.running_mean [256]", "bn4.running_var [256]",
    "bn4.num_batches_tracked []",
  ])
  var evaluation = block
  evaluation.setTraining(false)
  let features = evaluation(Tensor(uniform: [1, 4, 84, 84], in: 0...255, using: &generator))
  #expect(features.shape == [1, 256] && features.scalars.allSatisfy { $0 >= 0 && $0.isFinite })
  let plain = NCPSAtariConv(observationShape: [4, 84, 84], using: &generator)
  #expect(!plain.namedTensors.contains { $0.name.hasPrefix("bn") })
}

@Test func ncpsAtariConvGradientsMatchFiniteDifferences() {
  var generator = RandomStream(seed: 4)
  let block = NCPSAtariConv(observationShape: [1, 12, 12], inputScale: 1, using: &generator)
  let input = Tensor(uniform: [2, 1, 12, 12], in: 0...1, using: &generator)
  // Only tensors whose small changes move many pre-activations a little: deep pre-activations are
  // ~0.01 with PyTorch's default init, and stepping conv4's bias would cross ReLU kinks.
  let names = ["conv1.bias"]
  let check = checkGradients(at: [input] + tensors(block, names), step: 1e-4, absoluteTolerance: 2e-3) { x in
    replacing(block, names, with: Array(x.dropFirst()))(x[0])
  }
  #expect(check.isPassing, "\(check)")
}

@Test func gridEncoderOneHotsEachChannel() {
  var generator = RandomStream(seed: 8)
  let encoder = GridEncoder(observationShape: [7, 7, 3], valueCounts: [11, 6, 3], features: 16, using: &generator)
  #expect(shapes(encoder) == [
    "image_conv.0.weight [16, 20, 2, 2]", "image_conv.0.bias [16]", "image_conv.3.weight [32, 16, 2, 2]",
    "image_conv.3.bias [32]", "image_conv.5.weight [64, 32, 2, 2]", "image_conv.5.bias [64]",
    "linear.weight [16, 64]", "linear.bias [16]",
  ])
  var view = [Float](repeating: 0, count: 7 * 7 * 3)
  view[0..<3] = [5, 4, 0]  // cell 0: a yellow key
  view[3 * 10..<3 * 10 + 3] = [4, 4, 2]  // cell 10: a locked yellow door
  let planes = encoder.oneHotPlanes(Tensor(view, shape: [1, 7, 7, 3]))
  #expect(planes.shape == [1, 20, 7, 7])
  let p = planes.scalars
  func at(_ plane: Int, _ cell: Int) -> Float { p[plane * 49 + cell] }
  #expect(at(5, 0) == 1 && at(11 + 4, 0) == 1 && at(17 + 0, 0) == 1)
  #expect(at(4, 10) == 1 && at(11 + 4, 10) == 1 && at(17 + 2, 10) == 1)
  #expect(at(0, 1) == 1 && at(11, 1) == 1 && at(17, 1) == 1)  // unseen, red, open
  #expect(p.reduce(0, +) == Float(49 * 3))
  #expect(encoder(Tensor(view, shape: [1, 7, 7, 3])).shape == [1, 16])
  // Binary channels (MinAtar) stay one plane each.
  let minAtar = GridEncoder(observationShape: [10, 10, 4], valueCounts: [2, 2, 2, 2], features: 8, using: &generator)
  #expect(minAtar.namedTensors[0].tensor.shape == [16, 4, 2, 2] && minAtar.namedTensors[6].tensor.shape == [8, 256])
}

@Test func gridEncoderGradientsMatchFiniteDifferences() {
  var generator = RandomStream(seed: 9)
  let encoder = GridEncoder(observationShape: [7, 7, 2], valueCounts: [3, 2], features: 3, using: &generator)
  // Continuous planes: one-hot planes make max-pooling windows tie, where max has no derivative.
  let planes = Tensor(uniform: [2, 4, 7, 7], in: 0...1, using: &generator)
  let names = ["image_conv.0.weight", "image_conv.5.bias", "linear.weight"]
  // A small step: a larger one moves pooled values past their neighbours (max has kinks there).
  let check = checkGradients(at: tensors(encoder, names), step: 1e-4, absoluteTolerance: 2e-3) { x in
    replacing(encoder, names, with: x).encode(planes: planes)
  }
  #expect(check.isPassing, "\(check)")
}

@Test func automaticEncoderFollowsTheObservations() throws {
  let expected: [(String, PolicyConfiguration.Encoder)] = [
    ("CartPole-v1", .mlp), ("Arcade/Breakout-v0", .natureCNN), ("Arcade/BreakoutNoFrameskip-v0", .natureCNN),
    ("MiniGrid-DoorKey-5x5-v0", .grid), ("MinAtar/Breakout-v1", .grid),
  ]
  for (id, encoder) in expected {
    let space = try Catalog.make(id).observationSpace
    #expect(try PolicyConfiguration.Encoder.automatic.resolved(for: space) == encoder, "\(id)")
  }
  let screen = ObservationSpace(shape: [210, 160, 3], low: 0, high: 255, elementType: .uint8).frameLayout
  #expect(screen.channels == 3 && screen.height == 210 && screen.width == 160 && screen.isChannelsLast)
  let stack = ObservationSpace(shape: [4, 84, 84], low: 0, high: 255, elementType: .uint8).frameLayout
  #expect(stack.channels == 4 && stack.height == 84 && stack.width == 84 && !stack.isChannelsLast)
}

@Test func policiesForPixelsAndGridsEncodeThenAct() throws {
  let cases: [(id: String, encoder: PolicyConfiguration.Encoder, features: Int)] = [
    ("Arcade/Breakout-v0", .natureCNN, 16), ("MiniGrid-DoorKey-5x5-v0", .grid, 32), ("MinAtar/Breakout-v1", .automatic, 32),
  ]
  for (id, encoder, features) in cases {
    var configuration = PolicyConfiguration()
    configuration.encoder = encoder
    configuration.encoderFeatures = features
    configuration.units = 8
    configuration.backboneUnits = 8
    var environment = try Catalog.make(id)
    let policy = try ActorCritic(
      configuration: configuration, observationSpace: environment.observationSpace,
      actionSpace: environment.actionSpace, seed: 1)
    #expect(policy.circuit.inputSize == features, "\(id)")
    #expect(policy.namedTensors.contains { $0.name.hasPrefix("encoder.") }, "\(id)")
    let observation = environment.reset(seed: 1).map(\.floatValue)
    let (distribution, values, state) = policy.step(
      observations: Tensor(observation + observation, shape: [2] + environment.observationSpace.shape),
      state: Tensor(zeros: [2, policy.stateSize]), episodeStarts: Tensor(ones: [2]), elapsedTimes: Tensor(ones: [2]))
    #expect(values.shape == [2] && state.shape == [2, policy.stateSize], "\(id)")
    let entropies = distribution.entropy().scalars
    #expect(entropies.allSatisfy { $0.isFinite }, "\(id)")
  }
}

@Test func encodersThatDoNotFitAreConfigurationErrors() throws {
  func problem(_ id: String, _ encoder: PolicyConfiguration.Encoder) throws -> String? {
    var configuration = PolicyConfiguration()
    configuration.encoder = encoder
    let environment = try Catalog.make(id)
    do {
      _ = try ActorCritic(
        configuration: configuration, observationSpace: environment.observationSpace,
        actionSpace: environment.actionSpace, seed: 1)
      return nil
    } catch let error as ConfigurationError {
      #expect(error.field == "policy.encoder")
      return error.problem
    }
  }
  #expect(try problem("MiniGrid-DoorKey-5x5-v0", .natureCNN)?.contains("36×36") == true)
  #expect(try problem("CartPole-v1", .grid)?.contains("grid") == true)
  #expect(try problem("Arcade/Breakout-v0", .mlp)?.contains("nature-cnn") == true)
}

import Environments
import NeuralNetworks
import Randomness
import TensorCore

extension PolicyConfiguration.Encoder {
  /// The encoder `automatic` stands for with observations of `space`; other cases are
  /// themselves.
  ///
  /// - Throws: `ConfigurationError` for observations no encoder fits automatically.
  public func resolved(for space: ObservationSpace) throws -> Self {
    guard self == .automatic else { return self }
    switch (space.shape.count, space.elementType) {
    case (1, _): return .mlp
    case (2, .uint8), (3, .uint8): return space.isGridView ? .grid : .natureCNN
    default:
      throw ConfigurationError(
        field: "policy.encoder",
        problem: "no encoder fits \(space.elementType.rawValue) observations of shape \(space.shape) automatically;"
          + " set one of mlp, nature-cnn, ncps-atari, grid")
    }
  }
}

extension ObservationSpace {
  /// Whether observations look like a categorical grid view: `UInt8` [height, width, channels]
  /// whose values are small category indices (at most 15), as MiniGrid and MinAtar give.
  var isGridView: Bool {
    shape.count == 3 && elementType == .uint8 && (high.max() ?? 0) <= 15
  }

  /// The frame layout of image-like observations: [channels, height, width], unless the last axis
  /// is a small channel axis of a larger frame (raw RGB screens, [210, 160, 3]). Rank 2 is one
  /// channel.
  var frameLayout: (channels: Int, height: Int, width: Int, isChannelsLast: Bool) {
    if shape.count == 2 { return (1, shape[0], shape[1], false) }
    if shape[2] <= 4 && shape[0] > 4 { return (shape[2], shape[0], shape[1], true) }
    return (shape[0], shape[1], shape[2], false)
  }
}

extension ActorCritic {
  /// The observation encoder `configuration` asks for and the width of its output, or `nil`
  /// for an MLP encoder without layers (the observation feeds the circuit as it is).
  static func makeEncoder(
    _ configuration: PolicyConfiguration, observationSpace space: ObservationSpace, using generator: inout RandomStream
  ) throws -> (encoder: (any UnaryLayer & Sendable)?, features: Int) {
    let shape = space.shape
    func fail(_ problem: String) -> ConfigurationError {
      ConfigurationError(field: "policy.encoder", problem: problem)
    }
    let kind = try configuration.encoder.resolved(for: space)
    switch kind {
    case .automatic:
      preconditionFailure("resolved(for:) never returns automatic")
    case .mlp:
      guard shape.count == 1 else {
        throw fail("mlp encodes vectors; observations of shape \(shape) need nature-cnn, ncps-atari or grid")
      }
      guard !configuration.encoderUnits.isEmpty else { return (nil, shape[0]) }
      let mlp = MLP(inputSize: shape[0], units: configuration.encoderUnits, using: &generator)
      return (mlp, mlp.outputSize)
    case .natureCNN, .ncpsAtari:
      guard shape.count == 2 || shape.count == 3 else {
        throw fail("\(kind.rawValue) encodes frames of rank 2 or 3, not observations of shape \(shape)")
      }
      let layout = space.frameLayout
      let frame = [layout.channels, layout.height, layout.width]
      let scale: Float = space.elementType == .uint8 ? 1 / 255 : 1
      if kind == .ncpsAtari {
        var conv = NCPSAtariConv(
          observationShape: frame, isChannelsLast: layout.isChannelsLast, batchNorm: configuration.encoderBatchNorm,
          inputScale: scale, using: &generator)
        conv.setTraining(false)  // act with running statistics; trainers switch to batch statistics
        return (shape.count == 2 ? FrameEncoder(conv, observationShape: shape) : conv, conv.outputSize)
      }
      guard NatureCNN.convolvedSize(height: layout.height, width: layout.width) != nil else {
        throw fail("nature-cnn needs frames of at least 36×36, got \(layout.height)×\(layout.width) (shape \(shape))")
      }
      let cnn = NatureCNN(
        observationShape: layout.isChannelsLast ? [layout.height, layout.width, layout.channels] : frame,
        isChannelsLast: layout.isChannelsLast, channels: configuration.encoderChannels,
        features: configuration.encoderFeatures, inputScale: scale, using: &generator)
      return (shape.count == 2 ? FrameEncoder(cnn, observationShape: shape) : cnn, cnn.outputSize)
    case .grid:
      guard shape.count == 3, space.elementType == .uint8 else {
        throw fail("grid encodes UInt8 views [height, width, channels], not \(space.elementType.rawValue) \(shape)")
      }
      guard GridEncoder.convolvedSize(height: shape[0], width: shape[1]) != nil else {
        throw fail("grid needs views of at least 7×7, got \(shape[0])×\(shape[1])")
      }
      let counts = (0..<shape[2]).map { c in
        Int(stride(from: c, to: space.high.count, by: shape[2]).map { space.high[$0] }.max() ?? 0) + 1
      }
      guard counts.allSatisfy({ $0 <= 256 }) else {
        throw fail("grid needs small category values, but a channel's upper bound is \(counts.max()! - 1)")
      }
      let grid = GridEncoder(
        observationShape: shape, valueCounts: counts, features: configuration.encoderFeatures, using: &generator)
      return (grid, grid.outputSize)
    }
  }
}

/// A conv encoder seen through the environment's declared observation shape: rank-2 frames
/// ([height, width]) get their channel axis here, so the encoder itself always sees rank 3.
/// It holds no tensors of its own; names are the wrapped encoder's.
struct FrameEncoder: UnaryLayer, Sendable {
  var encoder: any UnaryLayer & Sendable
  let observationShape: [Int]

  init(_ encoder: any UnaryLayer & Sendable, observationShape: [Int]) {
    self.encoder = encoder
    self.observationShape = observationShape
  }

  mutating func visitTensors(_ body: TensorVisitor) rethrows { try encoder.visitTensors(body) }
  mutating func setTraining(_ isTraining: Bool) { encoder.setTraining(isTraining) }

  /// Shape: [n] + observationShape → [n, features].
  func callAsFunction(_ input: Tensor) -> Tensor {
    guard observationShape.count == 2 else { return encoder(input) }
    return encoder(input.reshaped(to: [input.shape[0], 1] + observationShape))
  }
}

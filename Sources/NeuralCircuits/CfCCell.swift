// CfCCell: ncps' closed-form continuous-time cell (reference/ncps.md §1) with its torch parameter
// names. The math lives in the fused kernel (Kernels/CfCSequenceKernel.swift); the composed
// TensorCore version in CfCCell+Composed.swift is the readable reference the kernel is tested
// against.

import Randomness
import TensorCore

/// A CfC cell: backbone MLP on `[input | hidden]`, then ff1/ff2/time_a/time_b heads.
public struct CfCCell: Sendable, ParameterVisitable {
  public typealias Mode = CfCMode
  public typealias Activation = BackboneActivation

  public let inputSize: Int
  public let hiddenSize: Int
  public let mode: Mode
  public let activation: Activation
  public let backboneUnits: Int
  public let backboneLayers: Int
  /// Dropout after backbone layers 2… (never after the first, as in ncps, quirk Q2).
  public let backboneDropout: Float
  /// All parameters (see ``CfCWeights``); `weights.sparsityMask` is frozen.
  public var weights: CfCWeights

  /// A freshly initialized cell with ncps' initialization (xavier-uniform matrices, torch Linear
  /// default biases).
  ///
  /// - Parameter sparsityMask: Shape: [hidden, input + hidden] (torch layout, `abs(mask.T)`);
  ///   requires `backboneLayers == 0`.
  public init(
    inputSize: Int, hiddenSize: Int, mode: Mode = .standard, activation: Activation = .lecunTanh,
    backboneUnits: Int = 128, backboneLayers: Int = 1, backboneDropout: Float = 0, sparsityMask: Tensor? = nil,
    using generator: inout RandomStream
  ) {
    precondition(inputSize > 0 && hiddenSize > 0, "CfCCell: sizes must be positive")
    precondition(sparsityMask == nil || backboneLayers == 0, "CfCCell: a sparsity mask needs backboneLayers == 0")
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.mode = mode
    self.activation = activation
    self.backboneUnits = backboneLayers == 0 ? 0 : backboneUnits
    self.backboneLayers = backboneLayers
    self.backboneDropout = backboneDropout
    let c = CfCKernelConfiguration(
      inputSize: inputSize, hiddenSize: hiddenSize, mode: mode, activation: activation,
      backboneUnits: backboneUnits, backboneLayers: backboneLayers)
    let backbone = (0..<backboneLayers).map { k in
      AffineParameters.torchLinear(inputSize: c.backboneFanIn(k), outputSize: backboneUnits, xavier: true, using: &generator)
    }
    let width = c.headInputSize
    func head() -> AffineParameters {
      .torchLinear(inputSize: width, outputSize: hiddenSize, xavier: true, using: &generator)
    }
    var weights = CfCWeights(backbone: backbone, ff1: head(), sparsityMask: sparsityMask)
    if mode == .pure {
      let bound = (6 / Float(hiddenSize + 1)).squareRoot()
      weights.tau = Tensor(uniform: [1, hiddenSize], in: -bound...bound, using: &generator)
      weights.amplitude = Tensor(uniform: [1, hiddenSize], in: -bound...bound, using: &generator)
    } else {
      weights.ff2 = head()
      weights.timeA = head()
      weights.timeB = head()
    }
    self.weights = weights
  }

  /// The kernel's view of this cell.
  public var kernelConfiguration: CfCKernelConfiguration {
    CfCKernelConfiguration(
      inputSize: inputSize, hiddenSize: hiddenSize, mode: mode, activation: activation,
      backboneUnits: backboneUnits, backboneLayers: backboneLayers)
  }

  /// The state_dict index of backbone Linear k: 0, 2, 4… (5, 8… after the first with dropout).
  func backboneModuleIndex(_ k: Int) -> Int {
    k == 0 ? 0 : (backboneDropout > 0 ? 2 + 3 * (k - 1) : 2 * k)
  }

  public mutating func visitParameters(
    prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows {
    if weights.sparsityMask != nil { try body(prefix + "sparsity_mask", &weights.sparsityMask!, false) }
    if mode == .pure {
      try body(prefix + "w_tau", &weights.tau!, true)
      try body(prefix + "A", &weights.amplitude!, true)
    }
    for k in 0..<backboneLayers { try weights.backbone[k].visit(prefix + "backbone.\(backboneModuleIndex(k)).", body) }
    try weights.ff1.visit(prefix + "ff1.", body)
    if mode != .pure {
      try weights.ff2!.visit(prefix + "ff2.", body)
      try weights.timeA!.visit(prefix + "time_a.", body)
      try weights.timeB!.visit(prefix + "time_b.", body)
    }
  }

  /// Runs the cell over a sequence with the fused kernel (one differentiable op).
  ///
  /// - Parameters:
  ///   - input: Shape: [length, batch, inputSize] (time-major), or [batch, length, inputSize]
  ///     when `batchFirst`.
  ///   - initialState: Shape: [batch, hiddenSize].
  ///   - timespans: Shape: [length, batch] ([batch, length] when `batchFirst`); `nil` means 1.
  ///   - resets: Non-zero where a sample's state is zeroed before a step (episode starts).
  ///     Shape: [length, batch] ([batch, length] when `batchFirst`); `nil` means none. See
  ///     ``cfcSequence(_:initialState:weights:configuration:timespans:dropout:resets:batchFirst:)``.
  ///   - dropoutGenerator: Draws backbone dropout masks (training); `nil` runs without dropout.
  ///     The masks are the same in both layouts.
  /// - Returns: Shape: [length, batch, hiddenSize] ([batch, length, hiddenSize] when `batchFirst`).
  public func sequence(
    _ input: Tensor, initialState: Tensor, timespans: Tensor? = nil, resets: Tensor? = nil,
    batchFirst: Bool = false, dropoutGenerator: inout RandomStream?
  ) -> Tensor {
    let c = kernelConfiguration
    var dropout: Tensor? = nil
    if backboneDropout > 0, backboneLayers > 1, var generator = dropoutGenerator {
      let (length, batch) = batchFirst ? (input.shape[1], input.shape[0]) : (input.shape[0], input.shape[1])
      let keep = 1 - backboneDropout
      let count = length * backboneLayers * batch * backboneUnits
      dropout = Tensor((0..<count).map { _ in generator.nextFloat() < keep ? 1 / keep : 0 }, shape: [length, backboneLayers, batch, backboneUnits])
      dropoutGenerator = generator
    }
    return cfcSequence(
      input, initialState: initialState, weights: weights, configuration: c, timespans: timespans, dropout: dropout,
      resets: resets, batchFirst: batchFirst)
  }

  /// One step with the fused kernel. Shapes: input [batch, inputSize], state [batch, hiddenSize],
  /// elapsedTime [batch] or `nil` (1); returns the new state [batch, hiddenSize].
  public func callAsFunction(_ input: Tensor, state: Tensor, elapsedTime: Tensor? = nil) -> Tensor {
    var none: RandomStream? = nil
    let batch = input.shape[0]
    return sequence(
      input.reshaped(to: [1, batch, inputSize]), initialState: state,
      timespans: elapsedTime?.reshaped(to: [1, batch]), dropoutGenerator: &none
    ).reshaped(to: [batch, hiddenSize])
  }
}

extension AffineParameters {
  /// torch `nn.Linear` initialization: bias U(±1/√fanIn); weight the same, or xavier-uniform
  /// U(±√(6/(fanIn+fanOut))) when `xavier` (ncps' `init_weights`).
  static func torchLinear(inputSize: Int, outputSize: Int, xavier: Bool, bias: Bool = true, using g: inout RandomStream) -> AffineParameters {
    let linearBound = 1 / Float(inputSize).squareRoot()
    let bound = xavier ? (6 / Float(inputSize + outputSize)).squareRoot() : linearBound
    let weight = Tensor(uniform: [outputSize, inputSize], in: -bound...bound, using: &g)
    let b = bias ? Tensor(uniform: [outputSize], in: -linearBound...linearBound, using: &g) : Tensor(zeros: [outputSize])
    return AffineParameters(weight: weight, bias: b)
  }
}

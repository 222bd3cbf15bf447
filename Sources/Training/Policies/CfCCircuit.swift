import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore

/// A fully connected CfC cell (ncps' `CfCCell` with a backbone) as a policy circuit, run by the
/// fused CfC kernel of NeuralCircuits. Parameter names are ncps' (`rnn_cell.backbone.0.weight`,
/// `rnn_cell.ff1.weight`, …) and the initialization is ncps': xavier-uniform weights and
/// PyTorch's default biases.
public struct CfCCircuit: PolicyCircuit {
  public let configuration: CfCKernelConfiguration
  public var weights: CfCWeights

  public init(configuration: CfCKernelConfiguration, using generator: inout RandomStream) {
    self.configuration = configuration
    let c = configuration
    func affine(_ fanIn: Int, _ fanOut: Int) -> AffineParameters {
      AffineParameters(
        weight: Initializer.xavierUniform()([fanOut, fanIn], using: &generator),
        bias: Initializer.pytorchDefaultBias([fanOut], fanIn: fanIn, using: &generator))
    }
    let backbone = (0..<c.backboneLayers).map { k in
      affine(k == 0 ? c.inputSize + c.hiddenSize : c.backboneUnits, c.backboneUnits)
    }
    let headInput = c.backboneLayers == 0 ? c.inputSize + c.hiddenSize : c.backboneUnits
    if c.mode == .pure {
      weights = CfCWeights(
        backbone: backbone, ff1: affine(headInput, c.hiddenSize),
        tau: Initializer.xavierUniform()([1, c.hiddenSize], using: &generator),
        amplitude: Initializer.xavierUniform()([1, c.hiddenSize], using: &generator))
    } else {
      weights = CfCWeights(
        backbone: backbone, ff1: affine(headInput, c.hiddenSize), ff2: affine(headInput, c.hiddenSize),
        timeA: affine(headInput, c.hiddenSize), timeB: affine(headInput, c.hiddenSize))
    }
  }

  public var inputSize: Int { configuration.inputSize }
  public var outputSize: Int { configuration.hiddenSize }
  public var stateSize: Int { configuration.hiddenSize }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    func visit(_ name: String, _ parameters: inout AffineParameters) throws {
      try body("rnn_cell.\(name).weight", .parameter, &parameters.weight)
      try body("rnn_cell.\(name).bias", .parameter, &parameters.bias)
    }
    if weights.tau != nil { try body("rnn_cell.w_tau", .parameter, &weights.tau!) }
    if weights.amplitude != nil { try body("rnn_cell.A", .parameter, &weights.amplitude!) }
    for k in weights.backbone.indices { try visit("backbone.\(2 * k)", &weights.backbone[k]) }
    try visit("ff1", &weights.ff1)
    if weights.ff2 != nil { try visit("ff2", &weights.ff2!) }
    if weights.timeA != nil { try visit("time_a", &weights.timeA!) }
    if weights.timeB != nil { try visit("time_b", &weights.timeB!) }
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  public func step(_ input: Tensor, state: Tensor, elapsedTimes: Tensor) -> (output: Tensor, state: Tensor) {
    let batch = input.shape[0]
    let output = cfcSequence(
      input.reshaped(to: [1, batch, inputSize]), initialState: state, weights: weights,
      configuration: configuration, timespans: elapsedTimes.reshaped(to: [1, batch])
    ).reshaped(to: [batch, stateSize])
    return (output, output)
  }

  /// The whole minibatch of sequences as one fused kernel call; episode starts reset the state
  /// inside the kernel.
  public func sequence(_ inputs: Tensor, initialState: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor)
    -> Tensor
  {
    fusedSequence(inputs, episodeStarts: episodeStarts, elapsedTimes: elapsedTimes) { x, resets, times in
      cfcSequence(
        x, initialState: initialState, weights: weights, configuration: configuration, timespans: times,
        resets: resets)
    }
  }
}

extension PolicyCircuit {
  /// Runs `kernel` on the time-major form of batch-major sequences and returns its output
  /// batch-major again.
  ///
  /// - Parameters:
  ///   - inputs: Shape: [batch, steps, inputSize].
  ///   - episodeStarts, elapsedTimes: Shape: [batch, steps].
  ///   - kernel: Receives the inputs [steps, batch, inputSize], the resets and the timespans
  ///     [steps, batch]; returns [steps, batch, width].
  /// - Returns: Shape: [batch, steps, width].
  func fusedSequence(
    _ inputs: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor,
    kernel: (_ inputs: Tensor, _ resets: Tensor, _ timespans: Tensor) -> Tensor
  ) -> Tensor {
    let (batch, steps) = (inputs.shape[0], inputs.shape[1])
    precondition(
      inputs.shape == [batch, steps, inputSize] && episodeStarts.shape == [batch, steps]
        && elapsedTimes.shape == [batch, steps],
      "sequence: inputs \(inputs.shape), starts \(episodeStarts.shape), times \(elapsedTimes.shape) disagree")
    let timeMajor = steps == 1 ? inputs.reshaped(to: [1, batch, inputSize]) : inputs.permuted([1, 0, 2])
    let output = kernel(timeMajor, episodeStarts.detached.transposed(), elapsedTimes.detached.transposed())
    let width = output.shape[2]
    return steps == 1 ? output.reshaped(to: [batch, 1, width]) : output.permuted([1, 0, 2])
  }
}

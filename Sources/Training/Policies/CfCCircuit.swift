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
}

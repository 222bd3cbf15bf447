import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore

/// An LTC cell (ncps' `LTC` module: `LTCCell` with affine input and output mappings and softplus
/// parameter constraints) on any wiring, run one step at a time by the fused LTC kernel of
/// NeuralCircuits. A fully connected wiring gives ncps' `LTC(input, units)`; an AutoNCP wiring
/// gives `LTC(input, AutoNCP(...))`.
///
/// Parameter names are ncps' (`rnn_cell.gleak`, `rnn_cell.sensory_w`, `rnn_cell.input_w`, …) and
/// the initialization follows reference/ncps.md §4.1. The state holds every neuron in neuron-id
/// order (shape [batch, units]); the output is the mapped motor neurons `0 ..< outputCount`.
public struct LTCCircuit: PolicyCircuit {
  public let configuration: LTCKernelConfiguration
  public let wiring: Wiring
  public var weights: LTCWeights
  /// Affine input mapping. Shape: [inputCount] each.
  public var inputWeight, inputBias: Tensor
  /// Affine output mapping. Shape: [outputCount] each.
  public var outputWeight, outputBias: Tensor

  public init(wiring: Wiring, odeUnfolds: Int, using generator: inout RandomStream) {
    self.wiring = wiring
    let (n, s, m) = (wiring.units, wiring.inputCount, wiring.outputCount)
    configuration = LTCKernelConfiguration(
      units: n, sensoryCount: s, odeUnfolds: odeUnfolds, usesSoftplusConstraints: true)
    func uniform(_ shape: [Int], _ low: Float, _ high: Float) -> Tensor {
      Tensor(uniform: shape, in: low...high, using: &generator)
    }
    let adjacency = Tensor(wiring.flatAdjacency, shape: [n, n])
    let sensoryAdjacency = Tensor(wiring.flatSensoryAdjacency, shape: [s, n])
    weights = LTCWeights(
      gleak: uniform([n], 0.001, 1), vleak: uniform([n], -0.2, 0.2), cm: uniform([n], 0.4, 0.6),
      sigma: uniform([n, n], 3, 8), mu: uniform([n, n], 0.3, 0.8), w: uniform([n, n], 0.001, 1), erev: adjacency,
      sensorySigma: uniform([s, n], 3, 8), sensoryMu: uniform([s, n], 0.3, 0.8), sensoryW: uniform([s, n], 0.001, 1),
      sensoryErev: sensoryAdjacency,
      sparsityMask: Tensor(wiring.flatAdjacency.map(abs), shape: [n, n]),
      sensorySparsityMask: Tensor(wiring.flatSensoryAdjacency.map(abs), shape: [s, n]))
    inputWeight = Tensor(ones: [s])
    inputBias = Tensor(zeros: [s])
    outputWeight = Tensor(ones: [m])
    outputBias = Tensor(zeros: [m])
  }

  public var inputSize: Int { configuration.sensoryCount }
  public var outputSize: Int { wiring.outputCount }
  public var stateSize: Int { configuration.units }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    func visit(_ name: String, _ role: TensorRole, _ tensor: inout Tensor) throws {
      try body("rnn_cell.\(name)", role, &tensor)
    }
    try visit("gleak", .parameter, &weights.gleak)
    try visit("vleak", .parameter, &weights.vleak)
    try visit("cm", .parameter, &weights.cm)
    try visit("sigma", .parameter, &weights.sigma)
    try visit("mu", .parameter, &weights.mu)
    try visit("w", .parameter, &weights.w)
    try visit("erev", .parameter, &weights.erev)
    try visit("sensory_sigma", .parameter, &weights.sensorySigma)
    try visit("sensory_mu", .parameter, &weights.sensoryMu)
    try visit("sensory_w", .parameter, &weights.sensoryW)
    try visit("sensory_erev", .parameter, &weights.sensoryErev)
    try visit("sparsity_mask", .frozen, &weights.sparsityMask)
    try visit("sensory_sparsity_mask", .frozen, &weights.sensorySparsityMask)
    try visit("input_w", .parameter, &inputWeight)
    try visit("input_b", .parameter, &inputBias)
    try visit("output_w", .parameter, &outputWeight)
    try visit("output_b", .parameter, &outputBias)
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  public func step(_ input: Tensor, state: Tensor, elapsedTimes: Tensor) -> (output: Tensor, state: Tensor) {
    let batch = input.shape[0]
    let mapped = input * inputWeight + inputBias
    let next = ltcSequence(
      mapped.reshaped(to: [1, batch, inputSize]), initialState: state, weights: weights,
      configuration: configuration, timespans: elapsedTimes.reshaped(to: [1, batch])
    ).reshaped(to: [batch, stateSize])
    let motor = outputSize < stateSize ? next.slice(axis: 1, range: 0..<outputSize) : next
    return (motor * outputWeight + outputBias, next)
  }

  /// The whole sequence in one call of the fused LTC kernel, which zeroes a sample's state
  /// before each step flagged as an episode start (no gradient crosses a reset).
  public func sequence(_ inputs: Tensor, initialState: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor) -> Tensor {
    let (batch, steps) = (inputs.shape[0], inputs.shape[1])
    precondition(
      inputs.shape == [batch, steps, inputSize] && initialState.shape == [batch, stateSize]
        && episodeStarts.shape == [batch, steps] && elapsedTimes.shape == [batch, steps],
      "sequence: inputs \(inputs.shape), state \(initialState.shape), starts \(episodeStarts.shape), times \(elapsedTimes.shape) disagree")
    // Shape: [steps, batch, inputSize], time-major as the kernel wants.
    let mapped = (inputs * inputWeight + inputBias).permuted([1, 0, 2])
    let states = ltcSequence(
      mapped, initialState: initialState, weights: weights, configuration: configuration,
      timespans: elapsedTimes.transposed(), resets: episodeStarts.transposed())
    let motor = outputSize < stateSize ? states.slice(axis: 2, range: 0..<outputSize) : states
    return (motor * outputWeight + outputBias).permuted([1, 0, 2])
  }
}

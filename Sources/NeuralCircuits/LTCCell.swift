// LTCCell: ncps' liquid time-constant cell (reference/ncps.md §4.1) with its torch parameter
// names and initialization ranges. The ODE solver is the fused kernel
// (Kernels/LTCSequenceKernel.swift); the input and output mappings are composed ops.

import Randomness
import TensorCore

/// An LTC cell over a wiring: `units` neurons, `sensoryCount` inputs, `motorCount` outputs
/// (neurons 0..<motorCount).
public struct LTCCell: Sendable, ParameterVisitable {
  /// ncps' `input_mapping` / `output_mapping`.
  public enum Mapping: String, Sendable, Hashable, Codable, CaseIterable {
    /// `x·w + b`.
    case affine
    /// `x·w`.
    case linear
    /// Identity (ncps: any other value, e.g. `None`).
    case none
  }

  public let units: Int
  public let sensoryCount: Int
  public let motorCount: Int
  public let inputMapping: Mapping
  public let outputMapping: Mapping
  public let odeUnfolds: Int
  public let epsilon: Float
  /// Softplus on gleak, cm, w, sensory_w (`implicit_param_constraints=True`). Otherwise call
  /// ``applyWeightConstraints()`` after each optimizer step, as ncps requires.
  public let usesImplicitConstraints: Bool
  /// gleak, vleak, cm, sigma, mu, w, erev, sensory_*, masks.
  public var weights: LTCWeights
  /// input_w, input_b [sensoryCount]; output_w, output_b [motorCount] (present per mapping).
  public var inputWeight, inputBias, outputWeight, outputBias: Tensor?

  /// ncps' initialization for `wiring` (ranges of §4.1; erev from the adjacency signs).
  public init(
    wiring: Wiring, inputMapping: Mapping = .affine, outputMapping: Mapping = .affine, odeUnfolds: Int = 6,
    epsilon: Float = 1e-8, implicitConstraints: Bool = false, using g: inout RandomStream
  ) {
    let (n, s) = (wiring.units, wiring.inputCount)
    units = n
    sensoryCount = s
    motorCount = wiring.outputCount
    self.inputMapping = inputMapping
    self.outputMapping = outputMapping
    self.odeUnfolds = odeUnfolds
    self.epsilon = epsilon
    usesImplicitConstraints = implicitConstraints
    func uniform(_ shape: [Int], _ range: ClosedRange<Float>) -> Tensor { Tensor(uniform: shape, in: range, using: &g) }
    let erev = Tensor(wiring.adjacencyMatrix.flatMap { $0.map(Float.init) }, shape: [n, n])
    let sensoryErev = Tensor(wiring.sensoryAdjacencyMatrix.flatMap { $0.map(Float.init) }, shape: [s, n])
    let gleak = uniform([n], 0.001...1), vleak = uniform([n], -0.2...0.2), cm = uniform([n], 0.4...0.6)
    let sigma = uniform([n, n], 3...8), mu = uniform([n, n], 0.3...0.8), w = uniform([n, n], 0.001...1)
    let ssigma = uniform([s, n], 3...8), smu = uniform([s, n], 0.3...0.8), sw = uniform([s, n], 0.001...1)
    weights = LTCWeights(
      gleak: gleak, vleak: vleak, cm: cm, sigma: sigma, mu: mu, w: w, erev: erev, sensorySigma: ssigma,
      sensoryMu: smu, sensoryW: sw, sensoryErev: sensoryErev, sparsityMask: abs(erev),
      sensorySparsityMask: abs(sensoryErev))
    if inputMapping != .none { inputWeight = Tensor(ones: [s]) }
    if inputMapping == .affine { inputBias = Tensor(zeros: [s]) }
    if outputMapping != .none { outputWeight = Tensor(ones: [motorCount]) }
    if outputMapping == .affine { outputBias = Tensor(zeros: [motorCount]) }
  }

  public var kernelConfiguration: LTCKernelConfiguration {
    LTCKernelConfiguration(
      units: units, sensoryCount: sensoryCount, odeUnfolds: odeUnfolds, epsilon: epsilon,
      usesSoftplusConstraints: usesImplicitConstraints)
  }

  public mutating func visitParameters(
    prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows {
    try body(prefix + "gleak", &weights.gleak, true)
    try body(prefix + "vleak", &weights.vleak, true)
    try body(prefix + "cm", &weights.cm, true)
    try body(prefix + "sigma", &weights.sigma, true)
    try body(prefix + "mu", &weights.mu, true)
    try body(prefix + "w", &weights.w, true)
    try body(prefix + "erev", &weights.erev, true)
    try body(prefix + "sensory_sigma", &weights.sensorySigma, true)
    try body(prefix + "sensory_mu", &weights.sensoryMu, true)
    try body(prefix + "sensory_w", &weights.sensoryW, true)
    try body(prefix + "sensory_erev", &weights.sensoryErev, true)
    try body(prefix + "sparsity_mask", &weights.sparsityMask, false)
    try body(prefix + "sensory_sparsity_mask", &weights.sensorySparsityMask, false)
    if inputWeight != nil { try body(prefix + "input_w", &inputWeight!, true) }
    if inputBias != nil { try body(prefix + "input_b", &inputBias!, true) }
    if outputWeight != nil { try body(prefix + "output_w", &outputWeight!, true) }
    if outputBias != nil { try body(prefix + "output_b", &outputBias!, true) }
  }

  /// ncps' `apply_weight_constraints()`: w, sensory_w, cm, gleak ← relu(·) (only meaningful
  /// without implicit constraints).
  public mutating func applyWeightConstraints() {
    guard !usesImplicitConstraints else { return }
    for path in [\LTCWeights.w, \LTCWeights.sensoryW, \LTCWeights.cm, \LTCWeights.gleak] {
      weights[keyPath: path] = Tensor(weights[keyPath: path].scalars.map { max($0, 0) }, shape: weights[keyPath: path].shape)
    }
  }

  /// The mapped input. Shape: same as `x` ([…, sensoryCount]).
  func mappedInput(_ x: Tensor) -> Tensor {
    var y = x
    if let inputWeight { y = y * inputWeight }
    if let inputBias { y = y + inputBias }
    return y
  }

  /// The mapped motor outputs of states [..., units] -> [..., motorCount].
  func readout(_ states: Tensor) -> Tensor {
    var y = motorCount < units ? states.slice(axis: -1, range: 0..<motorCount) : states
    if let outputWeight { y = y * outputWeight }
    if let outputBias { y = y + outputBias }
    return y
  }

  /// Runs the cell over a sequence (one fused op for the ODE).
  ///
  /// - Parameters: input [length, batch, sensoryCount] (time-major), initialState [batch, units],
  ///   timespans [length, batch] or `nil` (1), resets [length, batch] or `nil` (non-zero: the
  ///   sample's state is zeroed before the step, see ``ltcSequence(_:initialState:weights:configuration:timespans:resets:)``).
  /// - Returns: all states [length, batch, units] (neuron-id order).
  public func sequence(_ input: Tensor, initialState: Tensor, timespans: Tensor? = nil, resets: Tensor? = nil) -> Tensor {
    ltcSequence(
      mappedInput(input), initialState: initialState, weights: weights, configuration: kernelConfiguration,
      timespans: timespans, resets: resets)
  }

  /// One step: input [batch, sensoryCount], state [batch, units], elapsedTime [batch] or `nil`.
  /// Returns the mapped output [batch, motorCount] and the new state [batch, units].
  public func callAsFunction(_ input: Tensor, state: Tensor, elapsedTime: Tensor? = nil) -> (output: Tensor, state: Tensor) {
    let batch = input.shape[0]
    let next = sequence(
      input.reshaped(to: [1, batch, sensoryCount]), initialState: state, timespans: elapsedTime?.reshaped(to: [1, batch])
    ).reshaped(to: [batch, units])
    return (readout(next), next)
  }
}

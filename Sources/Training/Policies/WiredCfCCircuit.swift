import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore

/// ncps' `WiredCfCCell` (reference/ncps.md §3) as a policy circuit: one masked CfC cell per
/// wiring layer (inter, command, motor for an NCP), each without a backbone, fed by the layer
/// before it, run by the fused CfC kernel of NeuralCircuits.
///
/// Layer `l` reads `[previous layer's state | its own state]` through a mask that keeps the
/// wiring's synapses from the previous layer (sensory synapses for layer 0) and connects the
/// layer's own neurons fully. State layout: the layers in order, `[inter | command | motor]`
/// (shape [batch, units]); the output is the last layer's state (the motor neurons).
/// Parameter names are ncps': `rnn_cell.layer_{l}.ff1.weight`, `rnn_cell.layer_{l}.sparsity_mask`, ….
public struct WiredCfCCircuit: PolicyCircuit {
  public let wiring: Wiring
  /// One kernel configuration per layer.
  public let configurations: [CfCKernelConfiguration]
  public var layers: [CfCWeights]

  public init(wiring: Wiring, mode: CfCMode, using generator: inout RandomStream) {
    self.wiring = wiring
    var configurations: [CfCKernelConfiguration] = []
    var layers: [CfCWeights] = []
    var previous: [Int]? = nil
    for neurons in wiring.layers {
      let fanIn = previous?.count ?? wiring.inputCount
      let width = neurons.count
      let c = CfCKernelConfiguration(inputSize: fanIn, hiddenSize: width, mode: mode, backboneLayers: 0)
      // Shape: [width, fanIn + width]; row = target neuron of this layer.
      var mask = [Float](repeating: 1, count: width * (fanIn + width))
      for (j, target) in neurons.enumerated() {
        for i in 0..<fanIn {
          let synapse =
            previous.map { wiring.adjacencyMatrix[$0[i]][target] } ?? wiring.sensoryAdjacencyMatrix[i][target]
          mask[j * (fanIn + width) + i] = Float(abs(synapse))
        }
      }
      func affine() -> AffineParameters {
        AffineParameters(
          weight: Initializer.xavierUniform()([width, fanIn + width], using: &generator),
          bias: Initializer.pytorchDefaultBias([width], fanIn: fanIn + width, using: &generator))
      }
      let maskTensor = Tensor(mask, shape: [width, fanIn + width])
      if mode == .pure {
        layers.append(
          CfCWeights(
            backbone: [], ff1: affine(), tau: Initializer.xavierUniform()([1, width], using: &generator),
            amplitude: Initializer.xavierUniform()([1, width], using: &generator), sparsityMask: maskTensor))
      } else {
        layers.append(
          CfCWeights(
            backbone: [], ff1: affine(), ff2: affine(), timeA: affine(), timeB: affine(), sparsityMask: maskTensor))
      }
      configurations.append(c)
      previous = neurons
    }
    self.configurations = configurations
    self.layers = layers
  }

  public var inputSize: Int { wiring.inputCount }
  public var outputSize: Int { configurations[configurations.count - 1].hiddenSize }
  public var stateSize: Int { wiring.units }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    for l in layers.indices {
      let prefix = "rnn_cell.layer_\(l)"
      func visit(_ name: String, _ parameters: inout AffineParameters) throws {
        try body("\(prefix).\(name).weight", .parameter, &parameters.weight)
        try body("\(prefix).\(name).bias", .parameter, &parameters.bias)
      }
      try body("\(prefix).sparsity_mask", .frozen, &layers[l].sparsityMask!)
      if layers[l].tau != nil { try body("\(prefix).w_tau", .parameter, &layers[l].tau!) }
      if layers[l].amplitude != nil { try body("\(prefix).A", .parameter, &layers[l].amplitude!) }
      try visit("ff1", &layers[l].ff1)
      if layers[l].ff2 != nil { try visit("ff2", &layers[l].ff2!) }
      if layers[l].timeA != nil { try visit("time_a", &layers[l].timeA!) }
      if layers[l].timeB != nil { try visit("time_b", &layers[l].timeB!) }
    }
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  public func step(_ input: Tensor, state: Tensor, elapsedTimes: Tensor) -> (output: Tensor, state: Tensor) {
    let batch = input.shape[0]
    let states = state.split(sizes: configurations.map(\.hiddenSize), alongAxis: 1)
    let times = elapsedTimes.reshaped(to: [1, batch])
    var x = input
    var next: [Tensor] = []
    for l in layers.indices {
      let c = configurations[l]
      x = cfcSequence(
        x.reshaped(to: [1, batch, c.inputSize]), initialState: states[l], weights: layers[l], configuration: c,
        timespans: times
      ).reshaped(to: [batch, c.hiddenSize])
      next.append(x)
    }
    return (x, concat(next, axis: 1))
  }

  /// Layer after layer, each over the whole minibatch of sequences as one fused kernel call
  /// (layer l at step t reads layer l − 1 at step t); episode starts reset every layer's state
  /// inside the kernel.
  public func sequence(_ inputs: Tensor, initialState: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor)
    -> Tensor
  {
    let states = initialState.split(sizes: configurations.map(\.hiddenSize), alongAxis: 1)
    return fusedSequence(inputs, episodeStarts: episodeStarts, elapsedTimes: elapsedTimes) { x, resets, times in
      var x = x
      for l in layers.indices {
        x = cfcSequence(
          x, initialState: states[l], weights: layers[l], configuration: configurations[l], timespans: times,
          resets: resets)
      }
      return x
    }
  }
}

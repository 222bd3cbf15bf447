import NeuralNetworks
import Randomness
import TensorCore

/// The feed-forward baseline: an ``MLP`` with no memory (CleanRL's 64-64 tanh network). It sees
/// only the current observation, which is what the memory probes are built to defeat.
public struct FeedForwardCircuit: PolicyCircuit {
  public var body: MLP

  public init(inputSize: Int, units: [Int], using generator: inout RandomStream) {
    body = MLP(inputSize: inputSize, units: units, using: &generator)
  }

  public var inputSize: Int { body.inputSize }
  public var outputSize: Int { body.outputSize }
  public var stateSize: Int { 0 }

  public mutating func visitTensors(_ body: TensorVisitor) rethrows {
    try self.body.visitTensors(prefix: "body", body)
  }

  public mutating func setTraining(_ isTraining: Bool) {}

  public func step(_ input: Tensor, state: Tensor, elapsedTimes: Tensor) -> (output: Tensor, state: Tensor) {
    (body(input), state)
  }

  public func sequence(_ inputs: Tensor, initialState: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor)
    -> Tensor
  {
    let (batch, steps) = (inputs.shape[0], inputs.shape[1])
    return body(inputs.reshaped(to: [batch * steps, inputSize])).reshaped(to: [batch, steps, outputSize])
  }
}

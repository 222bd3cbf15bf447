import NeuralNetworks
import TensorCore

/// The recurrent core of a policy, as rollouts (one step at a time) and updates (whole
/// sequences with episode boundaries inside) use it.
///
/// A state is a flat row per sample (`stateSize` elements; zero for feed-forward circuits).
/// Episode starts zero a sample's state *before* the step they flag, in acting and in replay
/// alike, so the probabilities an update recomputes equal those of the rollout.
public protocol PolicyCircuit: Layer, Sendable {
  /// Elements of one sample's input.
  var inputSize: Int { get }
  /// Elements of one sample's output.
  var outputSize: Int { get }
  /// Elements of one sample's recurrent state; 0 when the circuit has no memory.
  var stateSize: Int { get }

  /// Advances every sample one step.
  ///
  /// - Parameters:
  ///   - input: Shape: [batch, inputSize].
  ///   - state: Shape: [batch, stateSize].
  ///   - elapsedTimes: Shape: [batch]. Seconds since the previous observation (1 for ticks).
  /// - Returns: The output, shape [batch, outputSize], and the next state, [batch, stateSize].
  func step(_ input: Tensor, state: Tensor, elapsedTimes: Tensor) -> (output: Tensor, state: Tensor)

  /// Runs whole sequences, zeroing the state of a sample before each step flagged as an
  /// episode start.
  ///
  /// - Parameters:
  ///   - inputs: Shape: [batch, steps, inputSize].
  ///   - initialState: Shape: [batch, stateSize]; the state before step 0.
  ///   - episodeStarts: Shape: [batch, steps]; 1 where a step starts an episode, else 0.
  ///   - elapsedTimes: Shape: [batch, steps].
  /// - Returns: The outputs, shape [batch, steps, outputSize].
  func sequence(_ inputs: Tensor, initialState: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor) -> Tensor
}

extension PolicyCircuit {
  /// The step-by-step replay, for circuits without a fused sequence kernel.
  public func sequence(_ inputs: Tensor, initialState: Tensor, episodeStarts: Tensor, elapsedTimes: Tensor)
    -> Tensor
  {
    let (batch, steps) = (inputs.shape[0], inputs.shape[1])
    precondition(
      inputs.shape == [batch, steps, inputSize] && initialState.shape == [batch, stateSize]
        && episodeStarts.shape == [batch, steps] && elapsedTimes.shape == [batch, steps],
      "sequence: inputs \(inputs.shape), state \(initialState.shape), starts \(episodeStarts.shape), times \(elapsedTimes.shape) disagree")
    let stepInputs = inputs.split(count: steps, alongAxis: 1)
    let keeps = (1 - episodeStarts).split(count: steps, alongAxis: 1)
    let times = elapsedTimes.split(count: steps, alongAxis: 1)
    var state = initialState
    var outputs: [Tensor] = []
    outputs.reserveCapacity(steps)
    for t in 0..<steps {
      if stateSize > 0 { state = state * keeps[t] }
      let (output, next) = step(stepInputs[t].reshaped(to: [batch, inputSize]), state: state, elapsedTimes: times[t].reshaped(to: [batch]))
      outputs.append(output)
      state = next
    }
    return stack(outputs, axis: 1)
  }
}

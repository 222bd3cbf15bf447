// The fused LTC sequence as a differentiable TensorCore op (one recorded node for the whole
// sequence). Input/output mappings are cheap element-wise ops and stay outside, composed.

import TensorCore

/// The parameters of an LTC cell as tensors in torch layout (reference/ncps.md §4.1).
/// Matrices are [source, target]; `N` units, `S` sensory inputs.
public struct LTCWeights: Sendable {
  /// Shape: [N] each.
  public var gleak, vleak, cm: Tensor
  /// Shape: [N, N] each.
  public var sigma, mu, w, erev: Tensor
  /// Shape: [S, N] each.
  public var sensorySigma, sensoryMu, sensoryW, sensoryErev: Tensor
  /// Frozen masks. Shape: [N, N] and [S, N].
  public var sparsityMask, sensorySparsityMask: Tensor

  public init(
    gleak: Tensor, vleak: Tensor, cm: Tensor, sigma: Tensor, mu: Tensor, w: Tensor, erev: Tensor,
    sensorySigma: Tensor, sensoryMu: Tensor, sensoryW: Tensor, sensoryErev: Tensor,
    sparsityMask: Tensor, sensorySparsityMask: Tensor
  ) {
    self.gleak = gleak; self.vleak = vleak; self.cm = cm
    self.sigma = sigma; self.mu = mu; self.w = w; self.erev = erev
    self.sensorySigma = sensorySigma; self.sensoryMu = sensoryMu; self.sensoryW = sensoryW
    self.sensoryErev = sensoryErev
    self.sparsityMask = sparsityMask; self.sensorySparsityMask = sensorySparsityMask
  }

  /// The trainable tensors in the op's input order (after input and state).
  var trainable: [Tensor] { [gleak, vleak, cm, sigma, mu, w, erev, sensorySigma, sensoryMu, sensoryW, sensoryErev] }

  func packed(_ c: LTCKernelConfiguration) -> LTCPackedWeights {
    LTCPackedWeights(
      c, gleak: gleak.scalars, vleak: vleak.scalars, cm: cm.scalars, sigma: sigma.scalars, mu: mu.scalars,
      w: w.scalars, erev: erev.scalars, mask: sparsityMask.scalars, sensorySigma: sensorySigma.scalars,
      sensoryMu: sensoryMu.scalars, sensoryW: sensoryW.scalars, sensoryErev: sensoryErev.scalars,
      sensoryMask: sensorySparsityMask.scalars)
  }
}

/// Runs an LTC cell over a whole sequence as one differentiable op.
///
/// - Parameters:
///   - input: Already mapped. Shape: [length, batch, S] (time-major).
///   - initialState: Shape: [batch, N].
///   - timespans: Δt per step and sample. Shape: [length, batch]; `nil` means 1. Differentiated
///     when it records (e.g. a learned time step).
///   - resets: Episode starts: where `resets[t, b] != 0` the state of sample `b` is set to zero
///     before step `t` (so `initialState` row `b` is ignored when `resets[0, b] != 0`), and no
///     gradient flows back across that step. Shape: [length, batch]; `nil` means none.
///     Not differentiated.
/// - Returns: The state after every step (all neurons, neuron-id order). Shape: [length, batch, N].
public func ltcSequence(
  _ input: Tensor, initialState: Tensor, weights: LTCWeights, configuration c: LTCKernelConfiguration,
  timespans: Tensor? = nil, resets: Tensor? = nil
) -> Tensor {
  precondition(input.rank == 3 && input.shape[2] == c.sensoryCount, "ltcSequence: input shape \(input.shape) is not [length, batch, \(c.sensoryCount)]")
  let (length, batch) = (input.shape[0], input.shape[1])
  precondition(initialState.shape == [batch, c.units], "ltcSequence: initial state shape \(initialState.shape) is not [\(batch), \(c.units)]")
  precondition(timespans == nil || timespans!.count == length * batch, "ltcSequence: timespans shape \(timespans!.shape) is not [\(length), \(batch)]")
  precondition(resets == nil || resets!.count == length * batch, "ltcSequence: resets shape \(resets!.shape) is not [\(length), \(batch)]")
  let timespansRecord = timespans?.isRecording ?? false
  let inputs = [input, initialState] + weights.trainable + (timespansRecord ? [timespans!] : [])
  let recording = inputs.contains { $0.isRecording }
  let packed = weights.packed(c)
  let tape = LTCTape(c, packed, slots: recording ? length : 1, batch: batch)
  var output = [Float](repeating: 0, count: length * batch * c.units)
  let ts = timespans?.scalars, cut = resets?.scalars
  input.scalars.withUnsafeBufferPointer { x in
    initialState.scalars.withUnsafeBufferPointer { h0 in
      output.withUnsafeMutableBufferPointer { out in
        withOptionalPointer(ts) { tsp in
          withOptionalPointer(cut) { rp in
            LTCSequenceKernel.forward(
              c, packed, length: length, batch: batch, input: x.baseAddress!, initialState: h0.baseAddress!,
              timespans: tsp, resets: rp, output: out.baseAddress!, tape: tape)
          }
        }
      }
    }
  }
  let result = Tensor(output, shape: [length, batch, c.units])
  guard recording else { return result }
  let shapes = inputs.map(\.shape)
  return result.recorded(from: inputs) { dOutput in
    let g = dOutput.scalars.withUnsafeBufferPointer { dy in
      withOptionalPointer(ts) { tsp in
        withOptionalPointer(cut) { rp in
          LTCSequenceKernel.backward(
            c, packed, length: length, batch: batch, timespans: tsp, resets: rp, tape: tape,
            outputGradient: dy.baseAddress!, needsTimespanGradient: timespansRecord)
        }
      }
    }
    let grads = [
      g.input, g.initialState, g.gleak, g.vleak, g.cm, g.sigma, g.mu, g.w, g.erev,
      g.sensorySigma, g.sensoryMu, g.sensoryW, g.sensoryErev,
    ] + (timespansRecord ? [g.timespans] : [])
    return zip(grads, shapes).map { Tensor($0, shape: $1) }
  }
}

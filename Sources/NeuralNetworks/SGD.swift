// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
// exactly as `torch.optim.SGD` (single-tensor path), per element:
//
//   g = grad + weightDecay * p                             (if weightDecay != 0)
//   b = g                         on the first step        (if momentum != 0; no dampening)
//   b = momentum * b + (1 - dampening) * g   afterwards
//   g = g + momentum * b  (Nesterov)   or   g = b
//   p = p - learningRate * g
//
// Each `x + α·y` is one fused multiply-add, as torch's CPU kernels compute `add(x, y, alpha)`.

import TensorCore

/// Stochastic gradient descent, with PyTorch's `torch.optim.SGD` semantics.
public struct SGD: Optimizer {
  public var learningRate: Double
  /// The momentum factor μ (0 disables momentum and its buffer).
  public var momentum: Double
  /// The dampening τ applied to new gradients in the momentum buffer (not on the first step).
  public var dampening: Double
  /// The L2 penalty λ added to the gradient as λ·p.
  public var weightDecay: Double
  /// Whether to use Nesterov momentum (requires momentum > 0 and dampening 0, as in PyTorch).
  public var nesterov: Bool
  /// Slot `momentum_buffer` once momentum is used.
  public var state = OptimizerState()

  /// - Precondition: `momentum >= 0`, `weightDecay >= 0`; Nesterov needs momentum > 0 and
  ///   dampening 0 (PyTorch raises the same errors).
  public init(
    learningRate: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false
  ) {
    precondition(learningRate >= 0, "SGD: invalid learning rate \(learningRate)")
    precondition(momentum >= 0, "SGD: invalid momentum \(momentum)")
    precondition(weightDecay >= 0, "SGD: invalid weight decay \(weightDecay)")
    precondition(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov momentum requires a momentum and zero dampening")
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.weightDecay = weightDecay
    self.nesterov = nesterov
  }

  public var slotNames: [String] { momentum != 0 ? ["momentum_buffer"] : [] }

  public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
    checkPairing(parameters, gradients, "SGD.update")
    let useMomentum = momentum != 0
    var buffers = state.slots["momentum_buffer"]
    let isFirst = !slotFits(buffers, parameters)
    if useMomentum && isFirst {
      precondition(buffers == nil, "SGD.update: the momentum_buffer state does not fit the parameters")
      buffers = parameters.map { Tensor(zeros: $0.shape) }
    }
    // Scalars are computed in Double like torch's Python floats, then used as Float.
    let (lr, mu, wd) = (Float(learningRate), Float(momentum), Float(weightDecay))
    let keep = Float(1 - dampening)
    for i in parameters.indices {
      var p = parameters[i].scalars
      let g = gradients[i].scalars
      var b = useMomentum ? buffers![i].scalars : []
      for j in p.indices {
        var d = g[j]
        if wd != 0 { d = d.addingProduct(wd, p[j]) }
        if useMomentum {
          b[j] = isFirst ? d : (b[j] * mu).addingProduct(keep, d)
          d = nesterov ? d.addingProduct(mu, b[j]) : b[j]
        }
        p[j] = p[j].addingProduct(-lr, d)
      }
      parameters[i] = Tensor(p, shape: parameters[i].shape)
      if useMomentum { buffers![i] = Tensor(b, shape: parameters[i].shape) }
    }
    if useMomentum { state.slots["momentum_buffer"] = buffers }
    state.step += 1
  }
}

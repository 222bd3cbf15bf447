// Adam and AdamW, exactly as `torch.optim.Adam` / `torch.optim.AdamW` (single-tensor path).
// Per element, at step t (counting from 1), with β1, β2, ε, λ = weightDecay, η = learningRate:
//
//   p = p * (1 - η λ)                         AdamW only (decoupled weight decay)
//   g = grad + λ p                            Adam only, if λ != 0 (L2 penalty)
//   m = m + (1 - β1) (g - m)                  (torch: exp_avg.lerp_(grad, 1 - β1))
//   v = v β2 + (1 - β2) g g
//   v̂max = max(v̂max, v)                       amsgrad only; then used in place of v
//   denom = sqrt(v) / sqrt(1 - β2^t) + ε      ε is added AFTER the bias correction
//   p = p + (-η / (1 - β1^t) * m) / denom      (torch: param.addcdiv_(exp_avg, denom, value=-step_size))
//
// Bias corrections are computed in Double (Python floats in torch) and applied as Float. The
// element operations follow torch's CPU kernels: `x + α·y` and `x + α·y·z` as fused
// multiply-adds, lerp as torch's two-sided formula, addcdiv as (value·m)/denom + p.

import Foundation
import TensorCore

/// Adam (Kingma & Ba) with PyTorch's update formulas; optional L2 weight decay and AMSGrad.
public struct Adam: Optimizer {
  public var learningRate: Double
  /// The decay rate of the first-moment estimate; β1 in the paper.
  public var beta1: Double
  /// The decay rate of the second-moment estimate; β2 in the paper.
  public var beta2: Double
  /// Added to the bias-corrected root of the second moment; ε in the paper.
  public var epsilon: Double
  /// λ: an L2 penalty added to the gradient (Adam) or decoupled shrinkage of the weights (AdamW).
  public var weightDecay: Double
  /// Whether weight decay shrinks the weights directly (AdamW) instead of entering the gradient.
  public var decouplesWeightDecay: Bool
  /// Whether to use the maximum of past second moments (AMSGrad).
  public var amsgrad: Bool
  /// Slots `exp_avg`, `exp_avg_sq` (and `max_exp_avg_sq` with AMSGrad) after the first step.
  public var state = OptimizerState()

  /// PyTorch's defaults: η = 1e-3, β = (0.9, 0.999), ε = 1e-8, no weight decay.
  public init(
    learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0, decouplesWeightDecay: Bool = false, amsgrad: Bool = false
  ) {
    precondition(learningRate >= 0, "Adam: invalid learning rate \(learningRate)")
    precondition(epsilon >= 0, "Adam: invalid epsilon \(epsilon)")
    precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam: betas must lie in [0, 1), got \(beta1), \(beta2)")
    precondition(weightDecay >= 0, "Adam: invalid weight decay \(weightDecay)")
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decouplesWeightDecay = decouplesWeightDecay
    self.amsgrad = amsgrad
  }

  public var slotNames: [String] { amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"] : ["exp_avg", "exp_avg_sq"] }

  public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
    checkPairing(parameters, gradients, "Adam.update")
    var m = state.slots["exp_avg"], v = state.slots["exp_avg_sq"], vMax = state.slots["max_exp_avg_sq"]
    if m == nil && v == nil {
      let zeros = parameters.map { Tensor(zeros: $0.shape) }
      (m, v) = (zeros, zeros)
    }
    precondition(slotFits(m, parameters), "Adam.update: the exp_avg state does not fit the parameters")
    if amsgrad && vMax == nil { vMax = parameters.map { Tensor(zeros: $0.shape) } }
    precondition(slotFits(v, parameters) && (!amsgrad || slotFits(vMax, parameters)),
                 "Adam.update: the saved state does not fit the parameters")

    state.step += 1
    let t = Double(state.step)
    // Scalars are computed in Double like torch's Python floats, then used as Float.
    let correction1 = 1 - pow(beta1, t)
    let correction2Root = Float(sqrt(1 - pow(beta2, t)))
    let stepSize = Float(learningRate / correction1)
    let shrink = Float(1 - learningRate * weightDecay)
    let (b1Weight, b2, b2Weight) = (Float(1 - beta1), Float(beta2), Float(1 - beta2))
    let (wd, eps, decoupled) = (Float(weightDecay), Float(epsilon), decouplesWeightDecay)

    for i in parameters.indices {
      var p = parameters[i].scalars
      let grad = gradients[i].scalars
      var mi = m![i].scalars, vi = v![i].scalars
      var vMaxI = amsgrad ? vMax![i].scalars : []
      if wd == 0 && !amsgrad && abs(b1Weight) < 0.5 {
        // The common case without per-element branches or copy-on-write checks, so that it
        // vectorizes: the same operations in the same order as the general loop below.
        p.withUnsafeMutableBufferPointer { p in
          mi.withUnsafeMutableBufferPointer { mi in
            vi.withUnsafeMutableBufferPointer { vi in
              grad.withUnsafeBufferPointer { grad in
                for j in 0..<p.count {
                  let g = grad[j]
                  mi[j] = mi[j].addingProduct(b1Weight, g - mi[j])
                  vi[j] = (vi[j] * b2).addingProduct(b2Weight * g, g)
                  let denominator = vi[j].squareRoot() / correction2Root + eps
                  p[j] = p[j] + (-stepSize * mi[j]) / denominator
                }
              }
            }
          }
        }
      } else {
        for j in p.indices {
          var g = grad[j]
          if wd != 0 {
            if decoupled { p[j] = p[j] * shrink } else { g = g.addingProduct(wd, p[j]) }
          }
          mi[j] = lerp(mi[j], g, b1Weight)
          vi[j] = (vi[j] * b2).addingProduct(b2Weight * g, g)
          var second = vi[j]
          if amsgrad {
            vMaxI[j] = max(vMaxI[j], vi[j])
            second = vMaxI[j]
          }
          let denominator = second.squareRoot() / correction2Root + eps
          p[j] = p[j] + (-stepSize * mi[j]) / denominator
        }
      }
      let shape = parameters[i].shape
      parameters[i] = Tensor(p, shape: shape)
      m![i] = Tensor(mi, shape: shape)
      v![i] = Tensor(vi, shape: shape)
      if amsgrad { vMax![i] = Tensor(vMaxI, shape: shape) }
    }
    state.slots["exp_avg"] = m
    state.slots["exp_avg_sq"] = v
    if amsgrad { state.slots["max_exp_avg_sq"] = vMax }
  }
}

/// torch's lerp: `start + weight·(end − start)` for weight < 0.5, else
/// `end − (end − start)·(1 − weight)`, each as one fused multiply-add.
@inline(__always)
func lerp(_ start: Float, _ end: Float, _ weight: Float) -> Float {
  let difference = end - start
  return abs(weight) < 0.5
    ? start.addingProduct(weight, difference)
    : end.addingProduct(-difference, 1 - weight)
}

/// AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, PyTorch's defaults
/// (η = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0.01).
public struct AdamW: Optimizer {
  /// The underlying Adam with `decouplesWeightDecay == true`.
  public var adam: Adam

  public init(
    learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
    weightDecay: Double = 0.01, amsgrad: Bool = false
  ) {
    adam = Adam(
      learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
      decouplesWeightDecay: true, amsgrad: amsgrad)
  }

  public var learningRate: Double {
    get { adam.learningRate }
    set { adam.learningRate = newValue }
  }
  public var state: OptimizerState {
    get { adam.state }
    set { adam.state = newValue }
  }
  public var slotNames: [String] { adam.slotNames }
  public mutating func update(_ parameters: inout [Tensor], along gradients: [Tensor]) {
    adam.update(&parameters, along: gradients)
  }
}

// The fused kernels against the same math composed from TensorCore primitives (whose pullbacks
// are checked in TensorCoreTests): forward values and every gradient must agree.

import Randomness
import Testing
import TensorCore
@testable import NeuralCircuits

/// One CfC step from TensorCore ops. x [B, in], h [B, H], dt [B, 1].
func composedCfCStep(_ cell: CfCCell, _ x: Tensor, _ h: Tensor, _ dt: Tensor) -> Tensor {
  let w = cell.weights
  var z = concat([x, h], axis: 1)
  for layer in w.backbone {
    let pre = matmul(z, layer.weight, transposeB: true) + layer.bias
    switch cell.activation {
    case .lecunTanh: z = 1.7159 * tanh(0.666 * pre)
    case .silu: z = pre * sigmoid(pre)
    case .relu: z = relu(pre)
    case .tanh: z = tanh(pre)
    case .gelu: z = 0.5 * pre * (1 + erf(pre * 0.70710678118654752))
    }
  }
  func head(_ p: AffineParameters, masked: Bool) -> Tensor {
    let weight = masked && w.sparsityMask != nil ? p.weight * w.sparsityMask! : p.weight
    return matmul(z, weight, transposeB: true) + p.bias
  }
  let f1 = head(w.ff1, masked: true)
  if cell.mode == .pure {
    let a = w.amplitude!
    return -a * exp(-dt * (abs(w.tau!) + abs(f1))) * f1 + a
  }
  let t1 = tanh(f1), t2 = tanh(head(w.ff2!, masked: true))
  let g = sigmoid(head(w.timeA!, masked: false) * dt + head(w.timeB!, masked: false))
  return cell.mode == .standard ? t1 * (1 - g) + g * t2 : t1 + g * t2
}

@Test(arguments: CfCMode.allCases)
func fusedCfCMatchesComposedOps(_ mode: CfCMode) {
  var g = RandomStream(seed: 3)
  let cell = CfCCell(inputSize: 3, hiddenSize: 5, mode: mode, activation: .silu, backboneUnits: 6, backboneLayers: 2, using: &g)
  let (length, batch) = (4, 2)
  let x = Tensor(uniform: [length, batch, 3], in: -1...1, using: &g)
  let h0 = Tensor(uniform: [batch, 5], in: -1...1, using: &g)
  let ts = Tensor(uniform: [length, batch], in: 0.5...1.5, using: &g)
  let r = Tensor(uniform: [length, batch, 5], in: 0.5...1.5, using: &g)
  let (model, leaves) = cell.requiringGradients()
  var none: RandomStream? = nil
  let fused = model.sequence(x, initialState: h0, timespans: ts, dropoutGenerator: &none)
  var h = h0
  var steps: [Tensor] = []
  for t in 0..<length {
    h = composedCfCStep(model, x[t], h, ts[t].reshaped(to: [batch, 1]))
    steps.append(h)
  }
  let composed = stack(steps, axis: 0)
  #expect(fused.isApproximatelyEqual(to: composed, tolerance: 1e-5))
  let a = (fused * r).sum().gradients(for: leaves)
  let b = (composed * r).sum().gradients(for: leaves)
  for (name, (x, y)) in zip(cell.trainableParameters.map(\.name), zip(a, b)) {
    #expect(x.isApproximatelyEqual(to: y, tolerance: 1e-4), "\(mode) \(name)")
  }
}

@Test func fusedLTCMatchesComposedOps() throws {
  var g = RandomStream(seed: 5)
  let wiring = try Wiring(.autoNCP(units: 8, outputSize: 2), inputCount: 3)
  let cell = LTCCell(wiring: wiring, odeUnfolds: 3, implicitConstraints: true, using: &g)
  let (length, batch) = (3, 2)
  let x = Tensor(uniform: [length, batch, 3], in: -1...1, using: &g)
  let h0 = Tensor(uniform: [batch, 8], in: -0.5...0.5, using: &g)
  let r = Tensor(uniform: [length, batch, 8], in: 0.5...1.5, using: &g)
  let (model, leaves) = cell.requiringGradients()
  let fused = model.sequence(x, initialState: h0)
  // Composed: [B, S, N] and [B, N, N] activations, as ncps computes them.
  let w = model.weights
  func f(_ t: Tensor) -> Tensor { softplus(t) }
  var v = h0
  var steps: [Tensor] = []
  for t in 0..<length {
    let xm = model.mappedInput(x[t])
    let sa = f(w.sensoryW) * sigmoid(w.sensorySigma * (xm.reshaped(to: [batch, 3, 1]) - w.sensoryMu)) * w.sensorySparsityMask
    let numS = (sa * w.sensoryErev).sum(alongAxis: 1), denS = sa.sum(alongAxis: 1)
    let cmt = f(w.cm) / (1.0 / 3)
    for _ in 0..<3 {
      let a = f(w.w) * sigmoid(w.sigma * (v.reshaped(to: [batch, 8, 1]) - w.mu)) * w.sparsityMask
      let num = (a * w.erev).sum(alongAxis: 1) + numS
      let den = a.sum(alongAxis: 1) + denS
      v = (cmt * v + f(w.gleak) * w.vleak + num) / (cmt + f(w.gleak) + den + 1e-8)
    }
    steps.append(v)
  }
  let composed = stack(steps, axis: 0)
  #expect(fused.isApproximatelyEqual(to: composed, tolerance: 1e-5))
  let a = (fused * r).sum().gradients(for: leaves)
  let b = (composed * r).sum().gradients(for: leaves)
  for (name, (x, y)) in zip(cell.trainableParameters.map(\.name), zip(a, b)) {
    #expect(x.isApproximatelyEqual(to: y, tolerance: 1e-4), "LTC \(name)")
  }
}

// Double-precision reference implementations of ncps' CfC and LTC math (reference/ncps.md §1.3,
// §4.1), written as plain loops independent of the kernels. Tests differentiate them by central
// differences in Double and compare with the kernels' Float gradients.

import Foundation
@testable import NeuralCircuits

/// Row-major dense parameters of a CfC cell in Double, torch layout.
struct CfCReference {
  var c: CfCKernelConfiguration
  /// Flat list of tensors in `CfCWeights.trainable` order.
  var parameters: [[Double]]
  var mask: [Double]?

  static func activation(_ kind: BackboneActivation, _ x: Double) -> Double {
    switch kind {
    case .lecunTanh: return 1.7159 * tanh(0.666 * x)
    case .silu: return x / (1 + exp(-x))
    case .relu: return max(x, 0)
    case .tanh: return tanh(x)
    case .gelu: return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
    }
  }

  /// y = x·Wᵀ + b for one row.
  static func affine(_ x: [Double], _ w: [Double], _ b: [Double], mask: [Double]? = nil) -> [Double] {
    let (outputs, inputs) = (b.count, x.count)
    return (0..<outputs).map { o in
      var s = b[o]
      for i in 0..<inputs { s += x[i] * w[o * inputs + i] * (mask?[o * inputs + i] ?? 1) }
      return s
    }
  }

  /// Outputs h_t for every step; input [L][B][in], h0 [B][H], ts [L][B] or nil, dropout [L][k][B][U],
  /// resets [L][B] or nil (non-zero: the sample's state is zero before the step).
  func run(
    _ input: [[[Double]]], _ h0: [[Double]], _ ts: [[Double]]?, _ dropout: [[[[Double]]]]? = nil,
    resets: [[Double]]? = nil
  ) -> [[[Double]]] {
    var h = h0
    var outputs: [[[Double]]] = []
    for t in input.indices {
      if let resets { for b in h.indices where resets[t][b] != 0 { h[b] = h[b].map { _ in 0 } } }
      var next: [[Double]] = []
      for b in h.indices {
        var z = input[t][b] + h[b]
        var p = 0
        for k in 0..<c.backboneLayers {
          z = Self.affine(z, parameters[p], parameters[p + 1]).map { Self.activation(c.activation, $0) }
          if k >= 1, let dropout { z = zip(z, dropout[t][k][b]).map(*) }
          p += 2
        }
        let dt = ts?[t][b] ?? 1
        let f1 = Self.affine(z, parameters[p], parameters[p + 1], mask: mask)
        if c.mode == .pure {
          let (tau, a) = (parameters[p + 2], parameters[p + 3])
          next.append((0..<c.hiddenSize).map { j in
            -a[j] * exp(-dt * (abs(tau[j]) + abs(f1[j]))) * f1[j] + a[j]
          })
        } else {
          let f2 = Self.affine(z, parameters[p + 2], parameters[p + 3], mask: mask)
          let ta = Self.affine(z, parameters[p + 4], parameters[p + 5])
          let tb = Self.affine(z, parameters[p + 6], parameters[p + 7])
          next.append((0..<c.hiddenSize).map { j in
            let (a, b2) = (tanh(f1[j]), tanh(f2[j]))
            let g = 1 / (1 + exp(-(ta[j] * dt + tb[j])))
            return c.mode == .standard ? a * (1 - g) + g * b2 : a + g * b2
          })
        }
      }
      h = next
      outputs.append(h)
    }
    return outputs
  }
}

/// Dense Double LTC reference; parameters in `LTCWeights.trainable` order.
struct LTCReference {
  var c: LTCKernelConfiguration
  var parameters: [[Double]]
  var mask: [Double]
  var sensoryMask: [Double]

  func f(_ x: Double) -> Double { c.usesSoftplusConstraints ? (x > 20 ? x : log1p(exp(x))) : x }

  func run(_ input: [[[Double]]], _ h0: [[Double]], _ ts: [[Double]]?, resets: [[Double]]? = nil) -> [[[Double]]] {
    let (n, s, unfolds) = (c.units, c.sensoryCount, c.odeUnfolds)
    let (gleak, vleak, cm, sigma, mu, w, erev) = (
      parameters[0], parameters[1], parameters[2], parameters[3], parameters[4], parameters[5], parameters[6])
    let (ssigma, smu, sw, serev) = (parameters[7], parameters[8], parameters[9], parameters[10])
    func sig(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    var h = h0
    var outputs: [[[Double]]] = []
    for t in input.indices {
      if let resets { for b in h.indices where resets[t][b] != 0 { h[b] = h[b].map { _ in 0 } } }
      for b in h.indices {
        let x = input[t][b]
        var numS = [Double](repeating: 0, count: n), denS = numS
        for i in 0..<s {
          for j in 0..<n {
            let a = f(sw[i * n + j]) * sig(ssigma[i * n + j] * (x[i] - smu[i * n + j])) * sensoryMask[i * n + j]
            numS[j] += a * serev[i * n + j]
            denS[j] += a
          }
        }
        let dt = ts?[t][b] ?? 1
        var v = h[b]
        for _ in 0..<unfolds {
          var num = numS, den = denS
          for i in 0..<n {
            for j in 0..<n {
              let a = f(w[i * n + j]) * sig(sigma[i * n + j] * (v[i] - mu[i * n + j])) * mask[i * n + j]
              num[j] += a * erev[i * n + j]
              den[j] += a
            }
          }
          v = (0..<n).map { j in
            let cmt = f(cm[j]) / (dt / Double(unfolds))
            return (cmt * v[j] + f(gleak[j]) * vleak[j] + num[j]) / (cmt + f(gleak[j]) + den[j] + Double(c.epsilon))
          }
        }
        h[b] = v
      }
      outputs.append(h)
    }
    return outputs
  }
}

/// Reshapes a flat row-major array into [a][b][c].
func nested(_ flat: [Double], _ a: Int, _ b: Int, _ c: Int) -> [[[Double]]] {
  (0..<a).map { i in (0..<b).map { j in Array(flat[((i * b + j) * c)..<((i * b + j + 1) * c)]) } }
}

func nested(_ flat: [Double], _ a: Int, _ b: Int) -> [[Double]] {
  (0..<a).map { i in Array(flat[(i * b)..<((i + 1) * b)]) }
}

/// Central-difference gradient of `f` with respect to every element of `points[index]`.
func numericGradient(_ points: [[Double]], index: Int, step: Double = 1e-6, _ f: ([[Double]]) -> Double) -> [Double] {
  var p = points
  return (0..<points[index].count).map { e in
    let original = p[index][e]
    p[index][e] = original + step
    let plus = f(p)
    p[index][e] = original - step
    let minus = f(p)
    p[index][e] = original
    return (plus - minus) / (2 * step)
  }
}

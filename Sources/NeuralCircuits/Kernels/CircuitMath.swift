// Scalar math shared by the fused CfC and LTC kernels: the CfC backbone activations with their
// derivatives side by side, the logistic sigmoid, torch's softplus, and the raw GEMM wrapper.
// Everything here is Float32 and matches torch's definitions (reference/ncps.md §1.1).

import CBLAS
import Foundation
import TensorCore

/// The three CfC cell variants of ncps (`mode=` in Python).
public enum CfCMode: String, Sendable, Hashable, Codable, CaseIterable {
  /// `h = f1·(1 − g) + g·f2`: the gated closed-form solution (ncps `"default"`).
  case standard = "default"
  /// `h = −A·exp(−t·(|w_τ| + |f1|))·f1 + A`: the direct closed form (ncps `"pure"`).
  case pure
  /// `h = f1 + g·f2`: no interpolation gate (ncps `"no_gate"`).
  case noGate = "no_gate"
}

/// The activation of the CfC backbone layers (ncps `backbone_activation=`).
public enum BackboneActivation: String, Sendable, Hashable, Codable, CaseIterable {
  /// `1.7159·tanh(0.666·x)` (the constants of ncps, not 2/3).
  case lecunTanh = "lecun_tanh"
  /// `x·σ(x)`.
  case silu
  case relu
  case tanh
  /// The exact erf GELU `0.5·x·(1 + erf(x/√2))`.
  case gelu

  /// The activation at `x`.
  @inline(__always)
  func value(_ x: Float) -> Float {
    switch self {
    case .lecunTanh: return 1.7159 * Foundation.tanh(0.666 * x)
    case .silu: return x * logistic(x)
    case .relu: return x > 0 ? x : 0
    case .tanh: return Foundation.tanh(x)
    case .gelu: return 0.5 * x * (1 + Foundation.erf(x * 0.70710678118654752))
    }
  }

  /// The derivative of the activation at `x`.
  @inline(__always)
  func derivative(_ x: Float) -> Float {
    switch self {
    case .lecunTanh:
      let t = Foundation.tanh(0.666 * x)
      return 1.7159 * 0.666 * (1 - t * t)
    case .silu:
      let s = logistic(x)
      return s * (1 + x * (1 - s))
    case .relu: return x > 0 ? 1 : 0
    case .tanh:
      let t = Foundation.tanh(x)
      return 1 - t * t
    case .gelu:
      return 0.5 * (1 + Foundation.erf(x * 0.70710678118654752))
        + x * Foundation.exp(-0.5 * x * x) * 0.39894228040143268
    }
  }
}

extension BackboneActivation {
  /// Writes act(pre) into `output` and replaces `pre` with act'(pre), element-wise over `count`
  /// values (the forward pass saves the derivative so the backward needs no transcendental).
  @inline(__always)
  func apply(_ pre: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int) {
    switch self {
    case .lecunTanh:
      for i in 0..<count { output[i] = 0.666 * pre[i] }
      vectorTanh(output, output, count)
      for i in 0..<count {
        let t = output[i]
        output[i] = 1.7159 * t
        pre[i] = 1.7159 * 0.666 * (1 - t * t)
      }
    case .tanh:
      vectorTanh(pre, output, count)
      for i in 0..<count { pre[i] = 1 - output[i] * output[i] }
    case .silu:
      vectorSigmoid(pre, output, count)
      for i in 0..<count {
        let (x, s) = (pre[i], output[i])
        output[i] = x * s
        pre[i] = s * (1 + x * (1 - s))
      }
    case .relu, .gelu:
      for i in 0..<count {
        let x = pre[i]
        output[i] = value(x)
        pre[i] = derivative(x)
      }
    }
  }
}

/// y = tanh(x) over `count` floats (`y` may be `x`), TensorCore's vectorized kernel.
@inline(__always)
func vectorTanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
  VectorMath.tanh(x, into: y, count: count)
}

/// y = σ(x) over `count` floats (`y` may be `x`), TensorCore's vectorized kernel.
@inline(__always)
func vectorSigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
  VectorMath.sigmoid(x, into: y, count: count)
}

/// y = eˣ over `count` floats (`y` may be `x`), TensorCore's vectorized kernel.
@inline(__always)
func vectorExp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
  VectorMath.exp(x, into: y, count: count)
}

/// The logistic sigmoid σ(x) = 1 / (1 + e^−x), stable for large |x|.
@inline(__always)
func logistic(_ x: Float) -> Float {
  if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
  let e = Foundation.exp(x)
  return e / (1 + e)
}

/// torch's `softplus` (β 1, threshold 20): `log(1 + eˣ)`, or `x` when `x > 20`.
@inline(__always)
func softplusValue(_ x: Float) -> Float {
  x > 20 ? x : Foundation.log1p(Foundation.exp(x))
}

/// The derivative of ``softplusValue(_:)``: σ(x), or 1 above the threshold.
@inline(__always)
func softplusDerivative(_ x: Float) -> Float {
  x > 20 ? 1 : logistic(x)
}

/// The sign of `x` with sign(0) = 0: torch's gradient of `abs`.
@inline(__always)
func signum(_ x: Float) -> Float {
  x > 0 ? 1 : (x < 0 ? -1 : 0)
}

/// Row-major GEMM: `c = alpha · op(a) · op(b) + beta · c`, op(a) [m, k], op(b) [k, n].
@inline(__always)
func sgemm(
  _ transposeA: Bool, _ transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float = 1, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    if beta == 0 { for r in 0..<m { (c + r * ldc).update(repeating: 0, count: n) } }
    return
  }
  if m == 1 && !transposeA {
    // One row: y = op(b)ᵀ·a as a matrix-vector product (b is [n, k] when transposed, else [k, n]).
    cblas_sgemv(
      CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, Int32(transposeB ? n : k), Int32(transposeB ? k : n),
      alpha, b, Int32(ldb), a, 1, beta, c, 1)
    return
  }
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

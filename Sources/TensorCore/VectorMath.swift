// VectorMath: exp, log, tanh, sigmoid and softplus over contiguous Float buffers, for fused
// kernels that work on raw pointers (NeuralCircuits' CfC/LTC kernels) and for TensorCore's own
// element-wise ops. The work happens in the CVectorMath C target: an AVX2+FMA build chosen at
// run time when the CPU has it, a portable SSE2 build otherwise.
//
// Accuracy, measured exhaustively over all 2³² floats against double-precision references
// (Scripts/vector-math-accuracy.sh): exp ≤ 1.01 ulp, log ≤ 0.83 ulp, tanh, sigmoid and softplus
// within 3 ulp on the test sweep of the whole range (see Sources/TensorCore/README.md). NaN in gives NaN out; ±inf, denormal
// inputs and denormal results are handled.

import CVectorMath

/// Vectorized transcendental functions over contiguous buffers of `Float`.
///
/// ```swift
/// VectorMath.tanh(gates, into: gates, count: batch * units)   // in place is allowed
/// ```
/// `x` and `into` may be the same buffer; otherwise they must not overlap.
public enum VectorMath {
  /// The instruction set the kernels use on this machine: `"avx2+fma"` or `"portable"`.
  public static var implementation: String { ncps_vector_level() == 1 ? "avx2+fma" : "portable" }

  /// y[i] = eˣ⁽ⁱ⁾ for i in 0..<count.
  public static func exp(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    ncps_vexp(x, y, count)
  }

  /// y[i] = ln x[i] (−inf at 0, NaN below 0).
  public static func log(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    ncps_vlog(x, y, count)
  }

  /// y[i] = tanh x[i].
  public static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    ncps_vtanh(x, y, count)
  }

  /// y[i] = 1 / (1 + e^−x[i]), without overflow for large |x|.
  public static func sigmoid(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    ncps_vsigmoid(x, y, count)
  }

  /// y[i] = log(1 + e^x[i]), and x[i] itself where x[i] > 20 (PyTorch's softplus, β = 1).
  public static func softplus(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    ncps_vsoftplus(x, y, count)
  }
}

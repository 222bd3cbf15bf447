// Matrix products through OpenBLAS `cblas_sgemm`. Operands may be used transposed without a
// copy, so `Linear` (x·Wᵀ) and every pullback below run as one GEMM each.

import CBLAS

/// Raw row-major GEMM: `c = alpha · op(a) · op(b) + beta · c`, with op(a) [m, k] and op(b) [k, n].
@inline(__always)
func gemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// The matrix product op(a) · op(b), where op transposes when asked.
///
/// - Parameters:
///   - a: Shape: [m, k], or [k, m] when `transposeA`.
///   - b: Shape: [k, n], or [n, k] when `transposeB`.
/// - Returns: Shape: [m, n].
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
  precondition(
    a.rank == 2 && b.rank == 2,
    "matmul: operands must be matrices, got shapes \(a.shape) and \(b.shape)")
  let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
  let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
  precondition(
    k == k2,
    "matmul: inner dimensions differ for shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")")
  let y = a.scalars.withUnsafeBufferPointer { pa in
    b.scalars.withUnsafeBufferPointer { pb in
      Tensor.build(shape: [m, n], count: m * n) { out in
        if k == 0 {
          for i in 0..<(m * n) { out[i] = 0 }
        } else {
          gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1], c: out, ldc: n)
        }
      }
    }
  }
  guard a.origin != nil || b.origin != nil else { return y }
  let (av, bv) = (a.detached, b.detached)
  return y.recorded(from: [a, b]) { dy in
    // C = op(A)·op(B):  dop(A) = dC·op(B)ᵀ,  dop(B) = op(A)ᵀ·dC; transposed operands swap roles.
    switch (transposeA, transposeB) {
    case (false, false):
      return [matmul(dy, bv, transposeB: true), matmul(av, dy, transposeA: true)]
    case (false, true):
      return [matmul(dy, bv), matmul(dy, av, transposeA: true)]
    case (true, false):
      return [matmul(bv, dy, transposeB: true), matmul(av, dy)]
    case (true, true):
      return [matmul(bv, dy, transposeA: true, transposeB: true), matmul(dy, av, transposeA: true, transposeB: true)]
    }
  }
}

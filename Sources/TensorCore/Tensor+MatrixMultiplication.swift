// Matrix products through OpenBLAS `cblas_sgemm`. Operands may be used transposed without a
// copy, so `Linear` (x·Wᵀ) and every pullback below run as one GEMM each.

import CBLAS
import CVectorMath

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

/// Row-major c[m, n] = a[m, k] · op(b) for a handful of rows: CVectorMath's linear kernel when b
/// is transposed (b is [n, k]), SIMD row updates when it is not (b is [k, n]).
@inline(__always)
func smallGemm(
  transposeB: Bool, m: Int, n: Int, k: Int,
  a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
) {
  if transposeB {
    ncps_linear(a, b, nil, c, m, n, k)
  } else {
    for i in 0..<m {
      let out = c + i * n
      out.initialize(repeating: 0, count: n)
      for p in 0..<k {
        let s = a[i * k + p], source = b + p * n
        for j in 0..<n { out[j] = out[j] + s * source[j] }
      }
    }
  }
}

/// The matrix product op(a) · op(b), where op transposes the last two axes when asked.
/// Rank-3 operands are batches of matrices multiplied pairwise (one GEMM per batch element).
///
/// - Parameters:
///   - a: Shape: [m, k], or [k, m] when `transposeA`; with a leading [batch] axis when rank 3.
///   - b: Shape: [k, n], or [n, k] when `transposeB`; with the same leading [batch] axis.
/// - Returns: Shape: [m, n], or [batch, m, n].
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
  precondition(
    (a.rank == 2 && b.rank == 2) || (a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0]),
    "matmul: operands must be two matrices or two equal-size batches of matrices, got shapes \(a.shape) and \(b.shape)")
  let batched = a.rank == 3
  let batch = batched ? a.shape[0] : 1
  let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
  let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
  let (m, k) = transposeA ? (ac, ar) : (ar, ac)
  let (k2, n) = transposeB ? (bc, br) : (br, bc)
  precondition(
    k == k2,
    "matmul: inner dimensions differ for shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")")
  let shape = batched ? [batch, m, n] : ShapeCache.matrix(m, n)
  let y = a.scalars.withUnsafeBufferPointer { pa in
    b.scalars.withUnsafeBufferPointer { pb in
      Tensor.build(shape: shape, count: batch * m * n) { out in
        if k == 0 {
          out.initialize(repeating: 0, count: batch * m * n)
          return
        }
        if !batched && !transposeA && m <= 4 && m * n * k <= 65_536 {
          // A few rows (a policy acting on one observation): BLAS call overhead would dominate.
          smallGemm(transposeB: transposeB, m: m, n: n, k: k, a: pa.baseAddress!, b: pb.baseAddress!, c: out)
          return
        }
        for i in 0..<batch {
          gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: pa.baseAddress! + i * ar * ac, lda: ac, b: pb.baseAddress! + i * br * bc, ldb: bc,
            c: out + i * m * n, ldc: n)
        }
      }
    }
  }
  guard a.origin != nil || b.origin != nil else { return y }
  let (av, bv) = (a.detached, b.detached)
  let (needsA, needsB) = (a.origin != nil, b.origin != nil)
  return y.recorded(from: [a, b]) { dy in
    // C = op(A)·op(B):  dop(A) = dC·op(B)ᵀ,  dop(B) = op(A)ᵀ·dC; transposed operands swap roles.
    // An operand that does not record gets a placeholder instead of a wasted GEMM.
    let da: Tensor, db: Tensor
    switch (transposeA, transposeB) {
    case (false, false):
      da = needsA ? matmul(dy, bv, transposeB: true) : .placeholder
      db = needsB ? matmul(av, dy, transposeA: true) : .placeholder
    case (false, true):
      da = needsA ? matmul(dy, bv) : .placeholder
      db = needsB ? matmul(dy, av, transposeA: true) : .placeholder
    case (true, false):
      da = needsA ? matmul(bv, dy, transposeB: true) : .placeholder
      db = needsB ? matmul(av, dy) : .placeholder
    case (true, true):
      da = needsA ? matmul(bv, dy, transposeA: true, transposeB: true) : .placeholder
      db = needsB ? matmul(dy, av, transposeA: true, transposeB: true) : .placeholder
    }
    return [da, db]
  }
}

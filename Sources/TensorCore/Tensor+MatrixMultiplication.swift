// Matrix products through OpenBLAS `cblas_sgemm`. Operands may be used transposed without a
// copy, so `Linear` (x·Wᵀ) and every pullback below run as one GEMM each.

import CBLAS

/// Eight Float lanes (one AVX register; two SSE registers on baseline x86-64).
typealias FloatVector = SIMD8<Float>

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

/// Row-major c[m, n] = a[m, k] · op(b) for a handful of rows, as SIMD dot products (b transposed:
/// b is [n, k]) or row updates (b is [k, n]).
@inline(__always)
func smallGemm(
  transposeB: Bool, m: Int, n: Int, k: Int,
  a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
) {
  if transposeB {
    for i in 0..<m {
      let row = a + i * k
      var j = 0
      // Four outputs at a time share each load of the row and keep four independent chains.
      while j + 4 <= n {
        let (b0, b1, b2, b3) = (b + j * k, b + (j + 1) * k, b + (j + 2) * k, b + (j + 3) * k)
        var (s0, s1, s2, s3) = (FloatVector(), FloatVector(), FloatVector(), FloatVector())
        var p = 0
        while p + 8 <= k {
          let x = UnsafeRawPointer(row + p).loadUnaligned(as: FloatVector.self)
          s0 = s0 + x * UnsafeRawPointer(b0 + p).loadUnaligned(as: FloatVector.self)
          s1 = s1 + x * UnsafeRawPointer(b1 + p).loadUnaligned(as: FloatVector.self)
          s2 = s2 + x * UnsafeRawPointer(b2 + p).loadUnaligned(as: FloatVector.self)
          s3 = s3 + x * UnsafeRawPointer(b3 + p).loadUnaligned(as: FloatVector.self)
          p += 8
        }
        var out = SIMD4<Float>(horizontalSum(s0), horizontalSum(s1), horizontalSum(s2), horizontalSum(s3))
        while p < k {
          out = out + row[p] * SIMD4<Float>(b0[p], b1[p], b2[p], b3[p])
          p += 1
        }
        c[i * n + j] = out[0]
        c[i * n + j + 1] = out[1]
        c[i * n + j + 2] = out[2]
        c[i * n + j + 3] = out[3]
        j += 4
      }
      while j < n {
        c[i * n + j] = dotProduct(row, b + j * k, k)
        j += 1
      }
    }
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

/// The sum of the eight lanes as a halving tree (SIMD's `sum()` adds them one after another).
@inline(__always)
func horizontalSum(_ v: FloatVector) -> Float {
  let v4 = v.lowHalf + v.highHalf
  let v2 = v4.lowHalf + v4.highHalf
  return v2[0] + v2[1]
}

/// Σ x[i]·y[i] with two eight-lane accumulators.
@inline(__always)
func dotProduct(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
  var acc0 = FloatVector(repeating: 0), acc1 = FloatVector(repeating: 0)
  var i = 0
  while i + 16 <= n {
    acc0 = acc0 + UnsafeRawPointer(x + i).loadUnaligned(as: FloatVector.self) * UnsafeRawPointer(y + i).loadUnaligned(as: FloatVector.self)
    acc1 = acc1 + UnsafeRawPointer(x + i + 8).loadUnaligned(as: FloatVector.self) * UnsafeRawPointer(y + i + 8).loadUnaligned(as: FloatVector.self)
    i += 16
  }
  if i + 8 <= n {
    acc0 = acc0 + UnsafeRawPointer(x + i).loadUnaligned(as: FloatVector.self) * UnsafeRawPointer(y + i).loadUnaligned(as: FloatVector.self)
    i += 8
  }
  // Horizontal sum as a halving tree (SIMD's `sum()` adds the lanes one after another).
  let v = acc0 + acc1
  let v4 = v.lowHalf + v.highHalf
  let v2 = v4.lowHalf + v4.highHalf
  var total = v2[0] + v2[1]
  while i < n { total += x[i] * y[i]; i += 1 }
  return total
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
  let shape = batched ? [batch, m, n] : [m, n]
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

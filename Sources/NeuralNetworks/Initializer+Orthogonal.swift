// The orthogonal initializer: Householder QR of a standard normal matrix, in Double.
//
// torch.nn.init.orthogonal_ on a [rows, cols] matrix: draw A ~ N(0,1) of shape [rows, cols];
// if rows < cols, factor Aᵀ instead; Q, R = qr(A) (reduced); Q ← Q·diag(sign(diag R)) so the
// factorisation is unique; transpose back if needed; multiply by gain.

import Randomness
import TensorCore

extension Initializer {
  static func orthogonal(_ shape: [Int], gain: Float, using generator: inout RandomStream) -> Tensor {
    precondition(shape.count >= 2, "Initializer.orthogonal: needs a tensor of rank ≥ 2, got shape \(shape)")
    let rows = shape[0]
    let cols = shape.dropFirst().reduce(1, *)
    let normal = Tensor(normal: [rows, cols], using: &generator)
    // Factor a tall matrix [m, n] with m ≥ n.
    let transposed = rows < cols
    let (m, n) = transposed ? (cols, rows) : (rows, cols)
    var a = [Double](repeating: 0, count: m * n)  // row-major [m, n]
    for r in 0..<rows {
      for c in 0..<cols {
        let value = Double(normal.scalars[r * cols + c])
        if transposed { a[c * n + r] = value } else { a[r * n + c] = value }
      }
    }
    let q = householderQ(a, rows: m, columns: n)
    var scalars = [Float](repeating: 0, count: rows * cols)
    for i in 0..<m {
      for j in 0..<n {
        let value = Float(q[i * n + j]) * gain
        if transposed { scalars[j * cols + i] = value } else { scalars[i * cols + j] = value }
      }
    }
    return Tensor(scalars, shape: shape)
  }

  /// The reduced Q factor [m, n] (m ≥ n) of the QR decomposition of `matrix` (row-major
  /// [m, n]), with each column multiplied by the sign of the matching diagonal element of R —
  /// the unique factor with a positive diagonal in R.
  ///
  /// Works on a column-major copy (column j at j·m) so every reflection runs over contiguous
  /// memory; row-major columns are m strides of n apart and miss the cache on large matrices.
  static func householderQ(_ matrix: [Double], rows m: Int, columns n: Int) -> [Double] {
    precondition(m >= n)
    var a = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { a[j * m + i] = matrix[i * n + j] } }
    var reflectors: [[Double]] = []  // v_k of length m - k, with H_k = I − 2 v vᵀ / vᵀv
    var diagonalSigns = [Double](repeating: 1, count: n)
    for k in 0..<n {
      var v = Array(a[(k * m + k)..<(k * m + m)])
      let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      // Reflect x onto −sign(x₀)·‖x‖·e₀ (avoids cancellation).
      let alpha = v[0] >= 0 ? -norm : norm
      v[0] -= alpha
      let vv = v.reduce(0) { $0 + $1 * $1 }
      if vv > 0 { reflect(&a, columns: k..<n, rows: m, by: v, from: k, vv: vv) }
      reflectors.append(v)
      diagonalSigns[k] = a[k * m + k] < 0 ? -1 : 1  // R[k, k] after the reflection
    }
    // Q = H_0 H_1 … H_{n−1} applied to the first n columns of the identity.
    var q = [Double](repeating: 0, count: m * n)
    for j in 0..<n { q[j * m + j] = 1 }
    for k in stride(from: n - 1, through: 0, by: -1) {
      let v = reflectors[k]
      let vv = v.reduce(0) { $0 + $1 * $1 }
      guard vv > 0 else { continue }
      reflect(&q, columns: 0..<n, rows: m, by: v, from: k, vv: vv)
    }
    var result = [Double](repeating: 0, count: m * n)  // row-major, signs applied
    for i in 0..<m { for j in 0..<n { result[i * n + j] = q[j * m + i] * diagonalSigns[j] } }
    return result
  }

  /// Applies H = I − 2 v vᵀ / vᵀv (v acting on rows k..<m) to `columns` of the column-major
  /// [m, ·] matrix `x`.
  private static func reflect(
    _ x: inout [Double], columns: Range<Int>, rows m: Int, by v: [Double], from k: Int, vv: Double
  ) {
    x.withUnsafeMutableBufferPointer { x in
      v.withUnsafeBufferPointer { v in
        for j in columns {
          let column = x.baseAddress! + j * m + k
          var dot = 0.0
          for i in 0..<(m - k) { dot += v[i] * column[i] }
          let scale = 2 * dot / vv
          for i in 0..<(m - k) { column[i] -= scale * v[i] }
        }
      }
    }
  }
}

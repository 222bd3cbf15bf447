// The fused affine map of a linear layer, y = x·Wᵀ + b (torch.nn.functional.linear), as one op:
// one result buffer, the bias added inside the product, and one graph node instead of two.
// A few rows go through CVectorMath's small-matrix kernel (a BLAS call's fixed cost would
// dominate); more rows start from the broadcast bias and accumulate one GEMM into it.

import CBLAS
import CVectorMath

/// x·Wᵀ + b, the affine map of `torch.nn.Linear`.
///
/// - Parameters:
///   - x: Shape: [batch, inputSize].
///   - weight: Shape: [outputSize, inputSize] (torch's layout).
///   - bias: Shape: [outputSize], or `nil` for none.
/// - Returns: Shape: [batch, outputSize].
///
/// Pullback: dx = dy·W, dW = dyᵀ·x, db = Σ_batch dy (inputs that do not record are skipped).
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
  precondition(
    x.rank == 2 && weight.rank == 2 && x.shape[1] == weight.shape[1],
    "linear: input shape \(x.shape) does not match weight shape \(weight.shape) ([outputSize, inputSize])")
  let (m, k, n) = (x.shape[0], x.shape[1], weight.shape[0])
  if let bias {
    precondition(bias.rank == 1 && bias.shape[0] == n, "linear: bias shape \(bias.shape) does not match weight shape \(weight.shape)")
  }
  let y = x.scalars.withUnsafeBufferPointer { px in
    weight.scalars.withUnsafeBufferPointer { pw in
      Tensor.build(shape: [m, n], count: m * n) { out in
        withOptionalPointer(bias) { pb in
          if m <= 4 || k == 0 {
            ncps_linear(px.baseAddress, pw.baseAddress, pb, out, m, n, k)
            return
          }
          if let pb {
            for i in 0..<m { (out + i * n).update(from: pb, count: n) }
          }
          gemm(
            transposeA: false, transposeB: true, m: m, n: n, k: k, a: px.baseAddress!, lda: k,
            b: pw.baseAddress!, ldb: k, beta: pb == nil ? 0 : 1, c: out, ldc: n)
        }
      }
    }
  }
  let recording = x.origin != nil || weight.origin != nil || bias?.origin != nil
  guard recording else { return y }
  let (xv, wv) = (x.detached, weight.detached)
  let needs = (x: x.origin != nil, weight: weight.origin != nil, bias: bias?.origin != nil)
  let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
  return y.recorded(from: inputs) { dy in
    var gradients = [
      needs.x ? matmul(dy, wv) : .placeholder,
      needs.weight ? matmul(dy, xv, transposeA: true) : .placeholder,
    ]
    if inputs.count == 3 {
      gradients.append(needs.bias ? Tensor(shape: [n], scalars: Tensor.sumKeepingAxes(dy, [0]).scalars) : .placeholder)
    }
    return gradients
  }
}

/// `body` with the base address of `tensor`'s scalars, or with `nil` when there is no tensor.
@inline(__always)
func withOptionalPointer<R>(_ tensor: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
  guard let tensor else { return body(nil) }
  return tensor.scalars.withUnsafeBufferPointer { body($0.baseAddress) }
}

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
  let (m, n) = (x.shape[0], weight.shape[0])
  let y: Tensor
  let biasRecords: Bool
  if let scalars = bias?.scalars {
    precondition(scalars.count == n && bias?.rank == 1, "linear: bias shape \(bias!.shape) does not match weight shape \(weight.shape)")
    y = Tensor(shape: ShapeCache.matrix(m, n), scalars: scalars.withUnsafeBufferPointer { linearValues(x, weight, $0.baseAddress) })
    biasRecords = bias?.origin != nil
  } else {
    y = Tensor(shape: ShapeCache.matrix(m, n), scalars: linearValues(x, weight, nil))
    biasRecords = false
  }
  guard x.origin != nil || weight.origin != nil || biasRecords else { return y }
  let (xv, wv) = (x.detached, weight.detached)
  let needs = (x: x.origin != nil, weight: weight.origin != nil, bias: biasRecords)
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

/// The scalars of x·Wᵀ + b (no recording). Shape: [batch, outputSize].
@inline(__always)
private func linearValues(_ x: borrowing Tensor, _ weight: borrowing Tensor, _ bias: UnsafePointer<Float>?) -> [Float] {
  let (m, k, n) = (x.shape[0], x.shape[1], weight.shape[0])
  return x.scalars.withUnsafeBufferPointer { px in
    weight.scalars.withUnsafeBufferPointer { pw in
      newScalars(m * n) { out in
        if m <= 4 || k == 0 {
          ncps_linear(px.baseAddress, pw.baseAddress, bias, out, m, n, k)
          return
        }
        if let bias {
          for i in 0..<m { (out + i * n).update(from: bias, count: n) }
        }
        gemm(
          transposeA: false, transposeB: true, m: m, n: n, k: k, a: px.baseAddress!, lda: k,
          b: pw.baseAddress!, ldb: k, beta: bias == nil ? 0 : 1, c: out, ldc: n)
      }
    }
  }
}

/// `body` with the base address of `tensor`'s scalars, or with `nil` when there is no tensor.
@inline(__always)
func withOptionalPointer<R>(_ tensor: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
  guard let tensor else { return body(nil) }
  return tensor.scalars.withUnsafeBufferPointer { body($0.baseAddress) }
}

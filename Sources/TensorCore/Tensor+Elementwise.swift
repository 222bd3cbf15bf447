// Element-wise math, each with its derivative beside it. Free functions read like the math:
// `tanh(x)`, `sigmoid(x)`. Composites (softmax, logSoftmax, losses) live elsewhere and have no
// pullback of their own.

import RealModule

/// e^x, element-wise. d/dx = e^x.
public func exp(_ x: Tensor) -> Tensor {
  let y = Tensor.mapBuffer(x, VectorMath.exp)
  guard x.origin != nil else { return y }
  let yv = y.detached
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, yv) { $0 * $1 }] }
}

/// Natural logarithm, element-wise. d/dx = 1/x.
public func log(_ x: Tensor) -> Tensor {
  let y = Tensor.mapBuffer(x, VectorMath.log)
  guard x.origin != nil else { return y }
  let xv = x.detached
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, xv) { $0 / $1 }] }
}

/// Hyperbolic tangent, element-wise. d/dx = 1 - tanh²(x).
public func tanh(_ x: Tensor) -> Tensor {
  let y = Tensor.mapBuffer(x, VectorMath.tanh)
  guard x.origin != nil else { return y }
  let yv = y.detached
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, yv) { g, t in g * (1 - t * t) }] }
}

/// The logistic function 1 / (1 + e^-x), element-wise (stable for large |x|). d/dx = σ(1 - σ).
public func sigmoid(_ x: Tensor) -> Tensor {
  let y = Tensor.mapBuffer(x, VectorMath.sigmoid)
  guard x.origin != nil else { return y }
  let yv = y.detached
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, yv) { g, s in g * s * (1 - s) }] }
}

/// max(x, 0), element-wise. d/dx = 1 where x > 0, else 0 (0 at 0, like PyTorch).
public func relu(_ x: Tensor) -> Tensor {
  let y = Tensor.map(x) { max($0, 0) }
  guard x.origin != nil else { return y }
  let xv = x.detached
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, xv) { g, v in v > 0 ? g : 0 }] }
}

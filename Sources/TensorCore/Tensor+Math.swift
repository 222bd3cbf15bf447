// More element-wise math: softplus, abs, sqrt, pow, erf, clamp. Each derivative sits beside its
// forward. Conventions follow PyTorch where it makes a choice (softplus threshold, abs'(0) = 0,
// clamp passing the gradient on the closed interval).

import RealModule

/// log(1 + eˣ), element-wise, returning x itself where x > `threshold` (PyTorch: threshold 20).
/// d/dx = σ(x) (1 above the threshold).
public func softplus(_ x: Tensor, threshold: Float = 20) -> Tensor {
  let y = threshold == 20
    ? Tensor.mapBuffer(x, VectorMath.softplus)
    : Tensor.map(x) { v in v > threshold ? v : Float.log(onePlus: Float.exp(v)) }
  guard x.origin != nil else { return y }
  let xv = x.detached
  return y.recorded(from: [x]) { dy in
    let s = Tensor.mapBuffer(xv, VectorMath.sigmoid)
    return [Tensor.zipMap(dy, xv, s) { g, v, s in v > threshold ? g : g * s }]
  }
}

/// |x|, element-wise. d/dx = sign(x), 0 at 0 (PyTorch's convention).
public func abs(_ x: Tensor) -> Tensor {
  let y = Tensor.map(x) { Swift.abs($0) }
  guard x.origin != nil else { return y }
  let xv = x.detached
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, xv) { g, v in v > 0 ? g : (v < 0 ? -g : 0) }] }
}

/// √x, element-wise. d/dx = 1 / (2√x).
public func sqrt(_ x: Tensor) -> Tensor {
  let y = Tensor.map(x) { $0.squareRoot() }
  guard x.origin != nil else { return y }
  let yv = y.detached
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, yv) { g, r in g * 0.5 / r }] }
}

/// xᵖ for a constant exponent, element-wise. d/dx = p·xᵖ⁻¹.
public func pow(_ x: Tensor, _ p: Float) -> Tensor {
  if p == 2 {
    let y = Tensor.map(x) { $0 * $0 }
    guard x.origin != nil else { return y }
    let xv = x.detached
    return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, xv) { g, v in 2 * g * v }] }
  }
  let y = Tensor.map(x) { Float.pow($0, p) }
  guard x.origin != nil else { return y }
  let xv = x.detached
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, xv) { g, v in g * p * Float.pow(v, p - 1) }] }
}

/// xʸ with broadcasting (x > 0 where y is not an integer).
/// ∂/∂x = y·xʸ⁻¹, ∂/∂y = xʸ·ln x (taken as 0 where x = 0).
public func pow(_ x: Tensor, _ y: Tensor) -> Tensor {
  let z = Tensor.broadcasting(x, y, function: "pow") { Float.pow($0, $1) }
  guard x.origin != nil || y.origin != nil else { return z }
  let (xv, yv, zv) = (x.detached, y.detached, z.detached)
  return z.recorded(from: [x, y]) { dz in
    let shape = zv.shape
    let (xb, yb) = (xv.broadcasted(to: shape), yv.broadcasted(to: shape))
    let dx = Tensor.zipMap(dz, xb, yb) { g, a, b in g * b * Float.pow(a, b - 1) }
    let dy = Tensor.zipMap(dz, xb, zv) { g, a, r in a == 0 ? 0 : g * r * Float.log(a) }
    return [dx.unbroadcasted(to: xv.shape), dy.unbroadcasted(to: yv.shape)]
  }
}

/// The Gauss error function, element-wise. d/dx = 2/√π · e^(−x²).
public func erf(_ x: Tensor) -> Tensor {
  let y = Tensor.map(x) { Float.erf($0) }
  guard x.origin != nil else { return y }
  let xv = x.detached
  let c: Float = 2 / Float.pi.squareRoot()
  return y.recorded(from: [x]) { dy in [Tensor.zipMap(dy, xv) { g, v in g * c * Float.exp(-v * v) }] }
}

extension Tensor {
  /// Each element limited to `range`. The gradient passes where `range` contains x (PyTorch).
  public func clamped(to range: ClosedRange<Float>) -> Tensor {
    clamped(min: range.lowerBound, max: range.upperBound)
  }

  /// Each element limited to `[min, max]` (either bound optional).
  public func clamped(min lower: Float? = nil, max upper: Float? = nil) -> Tensor {
    let lo = lower ?? -.infinity, hi = upper ?? .infinity
    let y = Tensor.map(self) { Swift.min(Swift.max($0, lo), hi) }
    guard origin != nil else { return y }
    let xv = detached
    return y.recorded(from: [self]) { dy in [Tensor.zipMap(dy, xv) { g, v in v >= lo && v <= hi ? g : 0 }] }
  }
}

/// Each element of `x` limited to `[min, max]`.
public func clamp(_ x: Tensor, min lower: Float? = nil, max upper: Float? = nil) -> Tensor {
  x.clamped(min: lower, max: upper)
}

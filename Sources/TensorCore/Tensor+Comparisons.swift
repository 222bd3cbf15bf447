// Comparisons give 0/1 masks (no gradient: they are piecewise constant); `where` selects between
// two tensors by a mask and routes the gradient to the chosen side.

infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence

extension Tensor {
  @inline(__always)
  static func mask(_ a: Tensor, _ b: Tensor, _ function: String, _ test: (Float, Float) -> Bool) -> Tensor {
    broadcasting(a.detached, b.detached, function: function) { test($0, $1) ? 1 : 0 }
  }

  /// 1 where a < b, else 0 (broadcasting). No gradient.
  public static func .< (a: Tensor, b: Tensor) -> Tensor { mask(a, b, ".<") { $0 < $1 } }
  /// 1 where a ≤ b, else 0.
  public static func .<= (a: Tensor, b: Tensor) -> Tensor { mask(a, b, ".<=") { $0 <= $1 } }
  /// 1 where a > b, else 0.
  public static func .> (a: Tensor, b: Tensor) -> Tensor { mask(a, b, ".>") { $0 > $1 } }
  /// 1 where a ≥ b, else 0.
  public static func .>= (a: Tensor, b: Tensor) -> Tensor { mask(a, b, ".>=") { $0 >= $1 } }
  /// 1 where a == b, else 0.
  public static func .== (a: Tensor, b: Tensor) -> Tensor { mask(a, b, ".==") { $0 == $1 } }
  /// 1 where a != b, else 0.
  public static func .!= (a: Tensor, b: Tensor) -> Tensor { mask(a, b, ".!=") { $0 != $1 } }

  public static func .< (a: Tensor, s: Float) -> Tensor { map(a) { $0 < s ? 1 : 0 } }
  public static func .<= (a: Tensor, s: Float) -> Tensor { map(a) { $0 <= s ? 1 : 0 } }
  public static func .> (a: Tensor, s: Float) -> Tensor { map(a) { $0 > s ? 1 : 0 } }
  public static func .>= (a: Tensor, s: Float) -> Tensor { map(a) { $0 >= s ? 1 : 0 } }
  public static func .== (a: Tensor, s: Float) -> Tensor { map(a) { $0 == s ? 1 : 0 } }
  public static func .!= (a: Tensor, s: Float) -> Tensor { map(a) { $0 != s ? 1 : 0 } }

  /// `a` where `condition` is nonzero, else `b`; all three broadcast together.
  /// The gradient goes to `a` where the condition holds and to `b` elsewhere.
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    select(condition, a, b)
  }
}

/// `a` where `condition` is nonzero, else `b` (NumPy's `where`); all three broadcast together.
public func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
  let shape = broadcastShape(broadcastShape(condition.shape, a.shape, function: "where"), b.shape, function: "where")
  let c = condition.detached.broadcasted(to: shape)
  let y = Tensor.zipMap(c, a.detached.broadcasted(to: shape), b.detached.broadcasted(to: shape)) { m, x, z in
    m != 0 ? x : z
  }
  guard a.origin != nil || b.origin != nil else { return y }
  let (sa, sb) = (a.shape, b.shape)
  return y.recorded(from: [a, b]) { dy in
    [
      Tensor.zipMap(dy, c) { g, m in m != 0 ? g : 0 }.unbroadcasted(to: sa),
      Tensor.zipMap(dy, c) { g, m in m != 0 ? 0 : g }.unbroadcasted(to: sb),
    ]
  }
}

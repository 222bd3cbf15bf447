// Element-wise arithmetic with NumPy broadcasting, and with scalars. Each op's pullback sits
// beside its forward; gradients of broadcast operands are summed back to the operand's shape.

extension Tensor {
  /// `self` broadcast to `shape` (NumPy rules). Pullback: sum back over the broadcast axes.
  public func broadcasted(to shape: [Int]) -> Tensor {
    if self.shape == shape { return self }
    let target = broadcastShape(self.shape, shape)
    precondition(target == shape, "broadcasted(to:): shape \(self.shape) cannot be broadcast to \(shape)")
    let y: Tensor
    if count == 1 {
      y = Tensor(repeating: scalars[0], shape: shape)
    } else if shape.suffix(rank).elementsEqual(self.shape) {
      // Repeat the whole block: [n] -> [rows, n].
      let total = shape.reduce(1, *), width = count
      y = scalars.withUnsafeBufferPointer { xs in
        Tensor.build(shape: shape, count: total) { out in
          for r in 0..<(total / width) { (out + r * width).update(from: xs.baseAddress!, count: width) }
        }
      }
    } else {
      let zeros = Tensor(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
      y = Tensor.broadcasting(self.detached, zeros) { x, _ in x }
    }
    let sourceShape = self.shape
    return y.recorded(from: [self]) { dy in [dy.unbroadcasted(to: sourceShape)] }
  }

  /// The sum of `self` over the axes along which `shape` was broadcast to `self.shape`; the
  /// adjoint of ``broadcasted(to:)``. Shape: `shape`.
  public func unbroadcasted(to shape: [Int]) -> Tensor {
    if self.shape == shape { return self }
    precondition(shape.count <= rank, "unbroadcasted(to:): shape \(self.shape) was not broadcast from \(shape)")
    let lead = rank - shape.count
    var axes: [Int] = Array(0..<lead)
    for i in 0..<shape.count where shape[i] != self.shape[lead + i] {
      precondition(shape[i] == 1, "unbroadcasted(to:): shape \(self.shape) was not broadcast from \(shape)")
      axes.append(lead + i)
    }
    let y = Tensor(shape: shape, scalars: Tensor.sumKeepingAxes(self.detached, axes).scalars)
    let sourceShape = self.shape
    return y.recorded(from: [self]) { dy in [dy.broadcasted(to: sourceShape)] }
  }

  /// Sums over `axes` keeping them as size-1 axes (raw kernel, no recording).
  static func sumKeepingAxes(_ x: Tensor, _ axes: [Int]) -> Tensor {
    // Fast path: reducing all leading axes of a contiguous block (bias gradients, row sums).
    if !axes.isEmpty && axes == Array(0..<axes.count) {
      let rows = x.shape[..<axes.count].reduce(1, *)
      let width = x.count / Swift.max(rows, 1)
      var shape = x.shape
      for a in axes { shape[a] = 1 }
      return x.scalars.withUnsafeBufferPointer { xs in
        build(shape: shape, count: width) { out in
          let p = xs.baseAddress!
          if width == 1 {
            out[0] = contiguousSum(p, rows)
            return
          }
          for j in 0..<width { out[j] = 0 }
          for r in 0..<rows {
            let row = p + r * width
            for j in 0..<width { out[j] += row[j] }
          }
        }
      }
    }
    var result = x
    for axis in axes {
      result = result.shape[axis] == 0
        ? Tensor(zeros: result.shape.enumerated().map { $0.offset == axis ? 1 : $0.element })
        : sumKernel(result, axis: axis)
    }
    return result
  }
}

// MARK: - Binary ops

extension Tensor {
  @inline(__always)
  static func recording(_ a: Tensor, _ b: Tensor) -> Bool { a.origin != nil || b.origin != nil }

  /// Element-wise sum with broadcasting.
  public static func + (a: Tensor, b: Tensor) -> Tensor {
    let y = broadcasting(a, b, function: "+") { $0 + $1 }
    guard recording(a, b) else { return y }
    let (sa, sb) = (a.shape, b.shape)
    return y.recorded(from: [a, b]) { dy in [dy.unbroadcasted(to: sa), dy.unbroadcasted(to: sb)] }
  }

  /// Element-wise difference with broadcasting.
  public static func - (a: Tensor, b: Tensor) -> Tensor {
    let y = broadcasting(a, b, function: "-") { $0 - $1 }
    guard recording(a, b) else { return y }
    let (sa, sb) = (a.shape, b.shape)
    return y.recorded(from: [a, b]) { dy in [dy.unbroadcasted(to: sa), (-dy).unbroadcasted(to: sb)] }
  }

  /// Element-wise product with broadcasting.
  public static func * (a: Tensor, b: Tensor) -> Tensor {
    let y = broadcasting(a, b, function: "*") { $0 * $1 }
    guard recording(a, b) else { return y }
    let (av, bv) = (a.detached, b.detached)
    return y.recorded(from: [a, b]) { dy in
      [(dy * bv).unbroadcasted(to: av.shape), (dy * av).unbroadcasted(to: bv.shape)]
    }
  }

  /// Element-wise quotient with broadcasting.
  public static func / (a: Tensor, b: Tensor) -> Tensor {
    let y = broadcasting(a, b, function: "/") { $0 / $1 }
    guard recording(a, b) else { return y }
    let (av, bv) = (a.detached, b.detached)
    return y.recorded(from: [a, b]) { dy in
      // d(a/b)/da = 1/b ; d(a/b)/db = -a/b²
      let da = dy / bv
      let db = broadcasting(dy * av, bv) { g, b in -g / (b * b) }
      return [da.unbroadcasted(to: av.shape), db.unbroadcasted(to: bv.shape)]
    }
  }

  /// Negation.
  public static prefix func - (x: Tensor) -> Tensor {
    let y = map(x) { -$0 }
    guard x.origin != nil else { return y }
    return y.recorded(from: [x]) { dy in [-dy] }
  }
}

// MARK: - Scalar operands

extension Tensor {
  public static func + (a: Tensor, s: Float) -> Tensor {
    let y = map(a) { $0 + s }
    guard a.origin != nil else { return y }
    return y.recorded(from: [a]) { dy in [dy] }
  }

  public static func + (s: Float, a: Tensor) -> Tensor { a + s }

  public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }

  public static func - (s: Float, a: Tensor) -> Tensor {
    let y = map(a) { s - $0 }
    guard a.origin != nil else { return y }
    return y.recorded(from: [a]) { dy in [-dy] }
  }

  public static func * (a: Tensor, s: Float) -> Tensor {
    let y = map(a) { $0 * s }
    guard a.origin != nil else { return y }
    return y.recorded(from: [a]) { dy in [dy * s] }
  }

  public static func * (s: Float, a: Tensor) -> Tensor { a * s }

  public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }

  public static func / (s: Float, a: Tensor) -> Tensor {
    let y = map(a) { s / $0 }
    guard a.origin != nil else { return y }
    let av = a.detached
    // d(s/a)/da = -s/a²
    return y.recorded(from: [a]) { dy in [zipMap(dy, av) { g, x in -g * s / (x * x) }] }
  }

  public static func += (a: inout Tensor, b: Tensor) { a = a + b }
  public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
  public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
  public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
  public static func += (a: inout Tensor, s: Float) { a = a + s }
  public static func -= (a: inout Tensor, s: Float) { a = a - s }
  public static func *= (a: inout Tensor, s: Float) { a = a * s }
  public static func /= (a: inout Tensor, s: Float) { a = a / s }
}

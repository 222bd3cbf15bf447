// Raw kernels shared by the ops: element-wise maps, broadcasting binary loops, and axis
// reductions. They build origin-free results; the ops in Tensor+*.swift add the pullbacks.
// Kept as plain loops over buffer pointers so the optimizer vectorizes them.

extension Tensor {
  /// Builds a tensor of `shape` by filling a buffer of `count` elements (uninitialized, or zeros
  /// when that is cheaper: `fill` must write every element).
  @inline(__always)
  static func build(shape: [Int], count: Int, _ fill: (UnsafeMutablePointer<Float>) -> Void) -> Tensor {
    Tensor(shape: shape, scalars: newScalars(count, fill))
  }
}

/// The largest buffer `newScalars` zero-fills instead of leaving uninitialized (1 KB).
@usableFromInline let zeroFilledScalarLimit = 256

/// A new array of `count` floats written by `fill`.
///
/// `[Float](unsafeUninitializedCapacity:)` goes through the stdlib's unspecialized
/// `_ContiguousArrayBuffer(_uninitializedCount:minimumCapacity:)`, which looks up the storage
/// class's generic metadata in the runtime's hash table on every call (~20 ns, measured with
/// perf: 9 % of a 1×64 concat). Building from `repeatElement` takes a specialized path with a
/// cached metadata accessor; zero-filling up to 1 KB costs less than that lookup. Larger
/// buffers stay uninitialized (writing them twice would cost more).
@inline(__always)
func newScalars(_ count: Int, _ fill: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
  if count <= zeroFilledScalarLimit {
    var scalars = [Float](repeatElement(0, count: count))
    if count > 0 { scalars.withUnsafeMutableBufferPointer { fill($0.baseAddress!) } }
    return scalars
  }
  return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    fill(buffer.baseAddress!)
    initialized = count
  }
}

extension Tensor {

  /// `f` applied to every element. Shape: same as `x`.
  @inline(__always)
  static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    let n = x.count
    return x.scalars.withUnsafeBufferPointer { xs in
      build(shape: x.shape, count: n) { out in
        for i in 0..<n { out[i] = f(xs[i]) }
      }
    }
  }

  /// `f` applied element by element to two tensors of the same shape.
  @inline(__always)
  static func zipMap(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    precondition(a.shape == b.shape, "element-wise op: shapes \(a.shape) and \(b.shape) differ")
    let n = a.count
    return a.scalars.withUnsafeBufferPointer { xs in
      b.scalars.withUnsafeBufferPointer { ys in
        build(shape: a.shape, count: n) { out in
          for i in 0..<n { out[i] = f(xs[i], ys[i]) }
        }
      }
    }
  }

  /// `f` applied element by element to three tensors of the same shape.
  @inline(__always)
  static func zipMap(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
    precondition(
      a.shape == b.shape && b.shape == c.shape,
      "element-wise op: shapes \(a.shape), \(b.shape) and \(c.shape) differ")
    let n = a.count
    return a.scalars.withUnsafeBufferPointer { xs in
      b.scalars.withUnsafeBufferPointer { ys in
        c.scalars.withUnsafeBufferPointer { zs in
          build(shape: a.shape, count: n) { out in
            for i in 0..<n { out[i] = f(xs[i], ys[i], zs[i]) }
          }
        }
      }
    }
  }

  /// Adds `other` (same shape) into this tensor's scalars in place. Used to accumulate gradients.
  mutating func accumulate(_ other: Tensor) {
    precondition(shape == other.shape, "accumulate: shapes \(shape) and \(other.shape) differ")
    let n = count
    other.scalars.withUnsafeBufferPointer { ys in
      scalars.withUnsafeMutableBufferPointer { xs in
        for i in 0..<n { xs[i] += ys[i] }
      }
    }
  }
}

// MARK: - Shapes

extension [Int] {
  /// This shape with `self[axis] = value`: from the thread's ``ShapeCache`` for [n] and [1, n],
  /// else built fresh (a copy-on-write copy followed by a store costs twice as much).
  @inline(__always)
  func replacing(_ axis: Int, with value: Int) -> [Int] {
    if count == 1 && axis == 0 { return ShapeCache.vector(value) }
    if count == 2 && (axis == 0 || axis == 1) {
      return ShapeCache.matrix(axis == 0 ? value : self[0], axis == 1 ? value : self[1])
    }
    var result = [Int](repeatElement(0, count: count))
    withUnsafeBufferPointer { source in
      result.withUnsafeMutableBufferPointer { target in
        for i in 0..<source.count { target[i] = i == axis ? value : source[i] }
      }
    }
    return result
  }
}

// MARK: - Broadcasting

/// The shape two operands broadcast to (NumPy rules: align trailing axes; sizes equal or 1).
func broadcastShape(_ a: [Int], _ b: [Int], function: String = #function) -> [Int] {
  let rank = max(a.count, b.count)
  var result = [Int](repeating: 1, count: rank)
  for i in 0..<rank {
    let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
    let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
    precondition(x == y || x == 1 || y == 1, "\(function): shapes \(a) and \(b) cannot be broadcast together")
    result[i] = x == 1 ? y : x
  }
  return result
}

/// Row-major strides of `shape` aligned to `rank` axes, with 0 on axes of size 1 (broadcast).
func broadcastStrides(_ shape: [Int], rank: Int) -> [Int] {
  var strides = [Int](repeating: 0, count: rank)
  var step = 1
  for i in stride(from: shape.count - 1, through: 0, by: -1) {
    let axis = i + rank - shape.count
    strides[axis] = shape[i] == 1 ? 0 : step
    step *= shape[i]
  }
  return strides
}

/// Loop dimensions after dropping size-1 axes and merging axes that are contiguous in both operands.
func coalescedDimensions(_ shape: [Int], _ sa: [Int], _ sb: [Int]) -> (sizes: [Int], sa: [Int], sb: [Int]) {
  var sizes: [Int] = [], outA: [Int] = [], outB: [Int] = []
  for i in 0..<shape.count where shape[i] != 1 {
    if let last = sizes.last, outA.last! == sa[i] * shape[i], outB.last! == sb[i] * shape[i] {
      sizes[sizes.count - 1] = last * shape[i]
      outA[outA.count - 1] = sa[i]
      outB[outB.count - 1] = sb[i]
    } else {
      sizes.append(shape[i]); outA.append(sa[i]); outB.append(sb[i])
    }
  }
  if sizes.isEmpty { return ([1], [0], [0]) }
  return (sizes, outA, outB)
}

extension Tensor {
  /// `f` applied element-wise with NumPy broadcasting. Fast paths: same shape, scalar operand;
  /// otherwise a strided loop over the coalesced dimensions with a contiguous inner loop.
  @inline(__always)
  static func broadcasting(
    _ a: Tensor, _ b: Tensor, function: String = #function, _ f: (Float, Float) -> Float
  ) -> Tensor {
    if a.shape == b.shape { return zipMap(a, b, f) }
    if b.count == 1 && b.rank <= a.rank {
      let s = b.scalars[0]
      return map(a) { f($0, s) }
    }
    if a.count == 1 && a.rank <= b.rank {
      let s = a.scalars[0]
      return map(b) { f(s, $0) }
    }
    // Same elements, shapes differing only by leading 1s: [1, n] with [n].
    if a.count == b.count && a.shape.drop(while: { $0 == 1 }).elementsEqual(b.shape.drop(while: { $0 == 1 })) {
      let r = zipMap(Tensor(shape: b.shape, scalars: a.scalars), b, f)
      return a.rank >= b.rank ? Tensor(shape: a.shape, scalars: r.scalars) : r
    }
    // Row broadcast: one operand's shape is a suffix of the other's ([batch, n] with [n]).
    if b.rank < a.rank && b.count > 0 && a.shape.suffix(b.rank).elementsEqual(b.shape) {
      return rows(a, b, f)
    }
    if a.rank < b.rank && a.count > 0 && b.shape.suffix(a.rank).elementsEqual(a.shape) {
      return rows(b, a) { f($1, $0) }
    }
    let shape = broadcastShape(a.shape, b.shape, function: function)
    let (sizes, sa, sb) = coalescedDimensions(
      shape, broadcastStrides(a.shape, rank: shape.count), broadcastStrides(b.shape, rank: shape.count))
    let count = shape.reduce(1, *)
    let inner = sizes[sizes.count - 1]
    let ia = sa[sa.count - 1], ib = sb[sb.count - 1]
    let outerRank = sizes.count - 1
    return a.scalars.withUnsafeBufferPointer { xa in
      b.scalars.withUnsafeBufferPointer { xb in
        build(shape: shape, count: count) { out in
          var index = [Int](repeating: 0, count: Swift.max(outerRank, 1))
          var offsetA = 0, offsetB = 0, position = 0
          while position < count {
            let pa = xa.baseAddress! + offsetA, pb = xb.baseAddress! + offsetB, po = out + position
            switch (ia, ib) {
            case (1, 1): for i in 0..<inner { po[i] = f(pa[i], pb[i]) }
            case (1, 0): let y = pb[0]; for i in 0..<inner { po[i] = f(pa[i], y) }
            case (0, 1): let x = pa[0]; for i in 0..<inner { po[i] = f(x, pb[i]) }
            default: for i in 0..<inner { po[i] = f(pa[i * ia], pb[i * ib]) }
            }
            position += inner
            // Advance the odometer over the outer dimensions.
            var axis = outerRank - 1
            while axis >= 0 {
              index[axis] += 1
              offsetA += sa[axis]
              offsetB += sb[axis]
              if index[axis] < sizes[axis] { break }
              offsetA -= sa[axis] * sizes[axis]
              offsetB -= sb[axis] * sizes[axis]
              index[axis] = 0
              axis -= 1
            }
          }
        }
      }
    }
  }
}

extension Tensor {
  /// `f(a[r, j], b[j])` for every row r of `a` viewed as [rows, b.count]. Shape: `a.shape`.
  @inline(__always)
  static func rows(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    let width = b.count, rows = a.count / width
    return a.scalars.withUnsafeBufferPointer { xa in
      b.scalars.withUnsafeBufferPointer { xb in
        build(shape: a.shape, count: a.count) { out in
          for r in 0..<rows {
            let pa = xa.baseAddress! + r * width, po = out + r * width
            for j in 0..<width { po[j] = f(pa[j], xb[j]) }
          }
        }
      }
    }
  }
}

// MARK: - Reductions

/// Sum of `n` contiguous floats with eight independent accumulators (vectorizes; stable enough).
@inline(__always)
func contiguousSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
  var acc = SIMD8<Float>(repeating: 0)
  var i = 0
  while i + 8 <= n {
    acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
    i += 8
  }
  let v4 = acc.lowHalf + acc.highHalf
  let v2 = v4.lowHalf + v4.highHalf
  var total = v2[0] + v2[1]
  while i < n { total += p[i]; i += 1 }
  return total
}

extension Tensor {
  /// Reduces one axis with `combine`, viewing the tensor as [outer, n, inner]; keeps the axis as
  /// size 1. `initial` seeds each output element with the first slice.
  @inline(__always)
  static func reduce(
    _ x: Tensor, axis: Int, _ combine: (Float, Float) -> Float
  ) -> Tensor {
    let n = x.shape[axis]
    precondition(n > 0, "reduction over the empty axis \(axis) of shape \(x.shape)")
    let outer = x.shape[..<axis].reduce(1, *)
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    let shape = x.shape.replacing(axis, with: 1)
    return x.scalars.withUnsafeBufferPointer { xs in
      build(shape: shape, count: outer * inner) { out in
        let p = xs.baseAddress!
        for o in 0..<outer {
          let source = p + o * n * inner, target = out + o * inner
          for i in 0..<inner { target[i] = source[i] }
          for k in 1..<Swift.max(n, 1) {
            let row = source + k * inner
            for i in 0..<inner { target[i] = combine(target[i], row[i]) }
          }
        }
      }
    }
  }

  /// Sum over one axis (kept as size 1), with the fast contiguous sum when the axis is innermost.
  static func sumKernel(_ x: Tensor, axis: Int) -> Tensor {
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    guard inner == 1 else { return reduce(x, axis: axis, +) }
    let n = x.shape[axis]
    let outer = x.count / Swift.max(n, 1)
    let shape = x.shape.replacing(axis, with: 1)
    return x.scalars.withUnsafeBufferPointer { xs in
      build(shape: shape, count: outer) { out in
        for o in 0..<outer { out[o] = n == 0 ? 0 : contiguousSum(xs.baseAddress! + o * n, n) }
      }
    }
  }
}

extension Tensor {
  /// `kernel(x, y, n)` over the whole buffer: a CVectorMath map. Shape: same as `x`.
  @inline(__always)
  static func mapBuffer(
    _ x: Tensor, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
  ) -> Tensor {
    let n = x.count
    return x.scalars.withUnsafeBufferPointer { xs in
      build(shape: x.shape, count: n) { out in kernel(xs.baseAddress!, out, n) }
    }
  }
}

// Shape ops: reshape, permute/transpose, slice, concat. Data moves; values do not change, so each
// pullback moves the gradient back the other way.

extension Tensor {
  /// The same scalars viewed with a new shape; one dimension may be -1 (inferred).
  public func reshaped(to newShape: [Int]) -> Tensor {
    var newShape = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
      precondition(known > 0 && count % known == 0, "reshaped(to:): cannot infer -1 in \(newShape) for shape \(shape)")
      newShape[inferred] = count / known
    }
    precondition(
      newShape.allSatisfy { $0 >= 0 } && newShape.reduce(1, *) == count,
      "reshaped(to:): shape \(shape) (\(count) elements) cannot become \(newShape)")
    let y = Tensor(shape: newShape, scalars: scalars)
    guard origin != nil else { return y }
    let sourceShape = shape
    return y.recorded(from: [self]) { dy in [Tensor(shape: sourceShape, scalars: dy.scalars)] }
  }

  /// The axes reordered: axis `i` of the result is axis `axes[i]` of `self`.
  public func permuted(_ axes: [Int]) -> Tensor {
    precondition(
      axes.count == rank && Set(axes.map { normalizedAxis($0) }).count == rank,
      "permuted: \(axes) is not a permutation of the axes of shape \(shape)")
    let axes = axes.map { normalizedAxis($0) }
    if axes == Array(0..<rank) { return self }
    let y = Tensor.permuteKernel(detached, axes)
    guard origin != nil else { return y }
    var inverse = [Int](repeating: 0, count: rank)
    for (i, a) in axes.enumerated() { inverse[a] = i }
    return y.recorded(from: [self]) { [inverse] dy in [dy.permuted(inverse)] }
  }

  /// A matrix with its two axes swapped (or the last two axes of a higher-rank tensor).
  public func transposed() -> Tensor {
    precondition(rank >= 2, "transposed: needs at least 2 axes, got shape \(shape)")
    var axes = Array(0..<rank)
    axes.swapAt(rank - 1, rank - 2)
    return permuted(axes)
  }

  static func permuteKernel(_ x: Tensor, _ axes: [Int]) -> Tensor {
    let rank = x.rank
    var sourceStrides = [Int](repeating: 1, count: rank)
    for i in stride(from: rank - 2, through: 0, by: -1) { sourceStrides[i] = sourceStrides[i + 1] * x.shape[i + 1] }
    let shape = axes.map { x.shape[$0] }
    let strides = axes.map { sourceStrides[$0] }
    let count = x.count
    let inner = shape[rank - 1], innerStride = strides[rank - 1]
    return x.scalars.withUnsafeBufferPointer { xs in
      build(shape: shape, count: count) { out in
        guard count > 0 else { return }
        var index = [Int](repeating: 0, count: rank)
        var offset = 0, position = 0
        let p = xs.baseAddress!
        while position < count {
          for i in 0..<inner { out[position + i] = p[offset + i * innerStride] }
          position += inner
          var axis = rank - 2
          while axis >= 0 {
            index[axis] += 1
            offset += strides[axis]
            if index[axis] < shape[axis] { break }
            offset -= strides[axis] * shape[axis]
            index[axis] = 0
            axis -= 1
          }
        }
      }
    }
  }
}

// MARK: - Slicing and concatenation

extension Tensor {
  /// The elements with index in `range` along `axis`. Shape: `shape` with `shape[axis] = range.count`.
  public func slice(axis: Int, range: Range<Int>) -> Tensor {
    let axis = normalizedAxis(axis)
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[axis],
      "slice: range \(range) is out of bounds for axis \(axis) of shape \(shape)")
    if range == 0..<shape[axis] { return self }
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    let n = shape[axis], width = range.count * inner
    let newShape = shape.replacing(axis, with: range.count)
    let y = scalars.withUnsafeBufferPointer { xs in
      Tensor.build(shape: newShape, count: outer * width) { out in
        for o in 0..<outer {
          let source = xs.baseAddress! + (o * n + range.lowerBound) * inner
          (out + o * width).update(from: source, count: width)
        }
      }
    }
    guard origin != nil else { return y }
    let sourceShape = shape
    return y.recorded(from: [self]) { dy in
      // Scatter the gradient into zeros of the source shape.
      [Tensor.build(shape: sourceShape, count: sourceShape.reduce(1, *)) { out in
        out.initialize(repeating: 0, count: sourceShape.reduce(1, *))
        dy.scalars.withUnsafeBufferPointer { g in
          for o in 0..<outer {
            (out + (o * n + range.lowerBound) * inner).update(from: g.baseAddress! + o * width, count: width)
          }
        }
      }]
    }
  }

  /// Rows `range` along the first axis.
  public subscript(range: Range<Int>) -> Tensor { slice(axis: 0, range: range) }

  /// Row `index` along the first axis, with that axis removed.
  public subscript(index: Int) -> Tensor {
    let row = slice(axis: 0, range: index..<(index + 1))
    return row.reshaped(to: Array(shape.dropFirst()))
  }
}

/// The tensors joined along `axis`; all other axes must agree.
/// Shape: the common shape with `shape[axis]` = the sum of the inputs' sizes along `axis`.
public func concat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
  precondition(!tensors.isEmpty, "concat: no tensors")
  let rank = tensors[0].rank
  let axis = tensors[0].normalizedAxis(axis, function: "concat")
  // Indexing (not `for t in tensors`) borrows each element instead of copying (retaining) it.
  var total = 0, recording = false
  for index in tensors.indices {
    if tensors[index].rank != rank { concatShapeMismatch(tensors[0].shape, tensors[index].shape, axis) }
    for i in 0..<rank where i != axis && tensors[index].shape[i] != tensors[0].shape[i] {
      concatShapeMismatch(tensors[0].shape, tensors[index].shape, axis)
    }
    total += tensors[index].shape[axis]
    recording = recording || tensors[index].origin != nil
  }
  var outer = 1, inner = 1
  for i in 0..<axis { outer *= tensors[0].shape[i] }
  for i in (axis + 1)..<rank { inner *= tensors[0].shape[i] }
  let shape = tensors[0].shape.replacing(axis, with: total)
  let rowWidth = total * inner
  let y = Tensor.build(shape: shape, count: outer * rowWidth) { out in
    var start = 0
    for index in tensors.indices {
      let width = tensors[index].shape[axis] * inner
      tensors[index].scalars.withUnsafeBufferPointer { xs in
        let source = xs.baseAddress!
        if outer == 1 {
          (out + start).update(from: source, count: width)
        } else {
          for o in 0..<outer { (out + o * rowWidth + start).update(from: source + o * width, count: width) }
        }
      }
      start += width
    }
  }
  guard recording else { return y }
  let sizes = tensors.map { $0.shape[axis] }
  return y.recorded(from: tensors) { dy in
    var offset = 0
    return sizes.map { size in
      defer { offset += size }
      return dy.slice(axis: axis, range: offset..<(offset + size))
    }
  }
}

private func concatShapeMismatch(_ a: [Int], _ b: [Int], _ axis: Int) -> Never {
  preconditionFailure("concat: shapes \(a) and \(b) differ outside axis \(axis)")
}

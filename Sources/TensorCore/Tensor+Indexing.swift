// Split, stack, and gathers by integer index. Indices come from the program (actions, batch
// permutations) and are checked with messages naming the index and the shape.

extension Tensor {
  /// Pieces of the given sizes along `axis` (the sizes must add up to `shape[axis]`).
  public func split(sizes: [Int], alongAxis axis: Int = 0) -> [Tensor] {
    let a = normalizedAxis(axis, function: "split(sizes:)")
    precondition(
      sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[a],
      "split: sizes \(sizes) do not add up to \(shape[a]) along axis \(a) of shape \(shape)")
    var start = 0
    return sizes.map { size in
      defer { start += size }
      return slice(axis: a, range: start..<(start + size))
    }
  }

  /// `count` equal pieces along `axis`.
  public func split(count: Int, alongAxis axis: Int = 0) -> [Tensor] {
    let a = normalizedAxis(axis, function: "split(count:)")
    precondition(count > 0 && shape[a] % count == 0, "split: axis \(a) of shape \(shape) does not split into \(count) equal pieces")
    return split(sizes: [Int](repeating: shape[a] / count, count: count), alongAxis: a)
  }

  /// The slices at `indices` along `axis`, in that order (PyTorch's `index_select`).
  /// Shape: `shape` with `shape[axis] = indices.count`. Repeated indices accumulate gradients.
  public func gathering(atIndices indices: [Int], alongAxis axis: Int = 0) -> Tensor {
    let a = normalizedAxis(axis, function: "gathering(atIndices:)")
    let n = shape[a]
    for i in indices {
      precondition(i >= 0 && i < n, "gathering: index \(i) is out of range 0..<\(n) for axis \(a) of shape \(shape)")
    }
    let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
    let newShape = shape.replacing(a, with: indices.count)
    let k = indices.count
    let y = scalars.withUnsafeBufferPointer { xs in
      Tensor.build(shape: newShape, count: outer * k * inner) { out in
        for o in 0..<outer {
          for (j, i) in indices.enumerated() {
            (out + (o * k + j) * inner).update(from: xs.baseAddress! + (o * n + i) * inner, count: inner)
          }
        }
      }
    }
    guard origin != nil else { return y }
    let sourceShape = shape
    return y.recorded(from: [self]) { dy in
      [Tensor.build(shape: sourceShape, count: outer * n * inner) { out in
        out.initialize(repeating: 0, count: outer * n * inner)
        dy.scalars.withUnsafeBufferPointer { g in
          for o in 0..<outer {
            for (j, i) in indices.enumerated() {
              let target = out + (o * n + i) * inner, source = g.baseAddress! + (o * k + j) * inner
              for t in 0..<inner { target[t] += source[t] }
            }
          }
        }
      }]
    }
  }

  /// One element along `axis` for every position of the other axes: `indices` holds, row-major
  /// over `shape` without `axis`, which element to take (PyTorch's `gather` with a size-1 index
  /// axis, squeezed). Shape: `shape` without `axis`. Picks log-probabilities of taken actions.
  public func taking(indices: [Int], alongAxis axis: Int = -1) -> Tensor {
    let a = normalizedAxis(axis, function: "taking(indices:)")
    let n = shape[a]
    let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
    precondition(
      indices.count == outer * inner,
      "taking(indices:): \(indices.count) indices for shape \(shape) without axis \(a) (\(outer * inner) positions)")
    for i in indices {
      precondition(i >= 0 && i < n, "taking(indices:): index \(i) is out of range 0..<\(n) for axis \(a) of shape \(shape)")
    }
    var newShape = shape
    newShape.remove(at: a)
    let y = scalars.withUnsafeBufferPointer { xs in
      Tensor.build(shape: newShape, count: outer * inner) { out in
        for o in 0..<outer {
          for t in 0..<inner { out[o * inner + t] = xs[(o * n + indices[o * inner + t]) * inner + t] }
        }
      }
    }
    guard origin != nil else { return y }
    let sourceShape = shape
    return y.recorded(from: [self]) { dy in
      [Tensor.build(shape: sourceShape, count: outer * n * inner) { out in
        out.initialize(repeating: 0, count: outer * n * inner)
        dy.scalars.withUnsafeBufferPointer { g in
          for o in 0..<outer {
            for t in 0..<inner { out[(o * n + indices[o * inner + t]) * inner + t] = g[o * inner + t] }
          }
        }
      }]
    }
  }
}

/// The tensors (all the same shape) stacked along a new axis at `axis`.
/// Shape: the common shape with `tensors.count` inserted at `axis`.
public func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
  precondition(!tensors.isEmpty, "stack: no tensors")
  let shape = tensors[0].shape
  for t in tensors {
    precondition(t.shape == shape, "stack: shapes \(shape) and \(t.shape) differ")
  }
  let a = axis < 0 ? axis + shape.count + 1 : axis
  precondition(a >= 0 && a <= shape.count, "stack: axis \(axis) is out of range for shape \(shape)")
  var expanded = shape
  expanded.insert(1, at: a)
  return concat(tensors.map { $0.reshaped(to: expanded) }, axis: a)
}

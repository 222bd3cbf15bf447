// Sums and means over axes. Pullback of a sum: broadcast the upstream gradient back over the
// reduced axes; of a mean: the same divided by the number of reduced elements.

extension Tensor {
  /// Normalized, sorted, de-duplicated axes; all axes when `axes` is nil.
  func reductionAxes(_ axes: [Int]?, function: String) -> [Int] {
    guard let axes else { return Array(0..<rank) }
    return Array(Set(axes.map { normalizedAxis($0, function: function) })).sorted()
  }

  /// The shape after reducing `axes` (kept as 1 or removed).
  func reducedShape(_ axes: [Int], keepingDimensions: Bool) -> [Int] {
    if keepingDimensions { return shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element } }
    return shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
  }

  /// The sum of all elements. Shape: [].
  public func sum() -> Tensor { sum(alongAxes: Array(0..<rank)) }

  /// The sum over `axes` (negative axes count from the end).
  /// Shape: `shape` without `axes`, or with them set to 1 when `keepingDimensions`.
  public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = reductionAxes(axes, function: "sum(alongAxes:)")
    let kept = Tensor.sumKeepingAxes(detached, axes)
    let y = Tensor(shape: reducedShape(axes, keepingDimensions: keepingDimensions), scalars: kept.scalars)
    guard origin != nil else { return y }
    let (sourceShape, keptShape) = (shape, kept.shape)
    return y.recorded(from: [self]) { dy in
      [Tensor(shape: keptShape, scalars: dy.scalars).broadcasted(to: sourceShape)]
    }
  }

  /// The sum over one axis. Shape: `shape` without `axis` (or with it as 1 when `keepingDimensions`).
  public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }

  /// The mean of all elements. Shape: [].
  public func mean() -> Tensor { mean(alongAxes: Array(0..<rank)) }

  /// The mean over `axes`.
  public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = reductionAxes(axes, function: "mean(alongAxes:)")
    let n = axes.reduce(1) { $0 * shape[$1] }
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Float(Swift.max(n, 1)))
  }

  /// The mean over one axis.
  public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }
}

// MARK: - Extremes

extension Tensor {
  /// The maximum over `axes`. The gradient is split evenly among tied maxima (PyTorch's `amax`).
  public func max(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    extreme(alongAxes: axes, keepingDimensions: keepingDimensions, function: "max(alongAxes:)") { Swift.max($0, $1) }
  }

  /// The maximum over one axis.
  public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    max(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }

  /// The maximum of all elements. Shape: [].
  public func max() -> Tensor { max(alongAxes: Array(0..<rank)) }

  /// The minimum over `axes`. The gradient is split evenly among tied minima.
  public func min(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    extreme(alongAxes: axes, keepingDimensions: keepingDimensions, function: "min(alongAxes:)") { Swift.min($0, $1) }
  }

  /// The minimum over one axis.
  public func min(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    min(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }

  /// The minimum of all elements. Shape: [].
  public func min() -> Tensor { min(alongAxes: Array(0..<rank)) }

  @inline(__always)
  private func extreme(
    alongAxes axes: [Int], keepingDimensions: Bool, function: String, _ pick: (Float, Float) -> Float
  ) -> Tensor {
    let axes = reductionAxes(axes, function: function)
    var kept = detached
    for axis in axes { kept = Tensor.reduce(kept, axis: axis, pick) }
    let y = Tensor(shape: reducedShape(axes, keepingDimensions: keepingDimensions), scalars: kept.scalars)
    guard origin != nil else { return y }
    let xv = detached
    let extremes = kept
    return y.recorded(from: [self]) { dy in
      let hits = Tensor.broadcasting(xv, extremes) { $0 == $1 ? 1 : 0 }
      let ties = Tensor.sumKeepingAxes(hits, axes)
      let share = Tensor.zipMap(Tensor(shape: extremes.shape, scalars: dy.scalars), ties) { $0 / $1 }
      return [Tensor.broadcasting(hits, share) { $0 * $1 }]
    }
  }

  /// The index of the first maximum along `axis`, for every position of the other axes
  /// (row-major over `shape` without `axis`).
  public func argmax(alongAxis axis: Int = -1) -> [Int] {
    let axis = normalizedAxis(axis, function: "argmax(alongAxis:)")
    let n = shape[axis]
    precondition(n > 0, "argmax: axis \(axis) of shape \(shape) is empty")
    let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
    var result = [Int](repeating: 0, count: outer * inner)
    scalars.withUnsafeBufferPointer { xs in
      for o in 0..<outer {
        for i in 0..<inner {
          let base = o * n * inner + i
          var best = xs[base], bestIndex = 0
          for k in 1..<n where xs[base + k * inner] > best {
            best = xs[base + k * inner]
            bestIndex = k
          }
          result[o * inner + i] = bestIndex
        }
      }
    }
    return result
  }

  /// log Σ exp(x) over `axes`, computed stably by shifting by the maximum.
  /// Composite: its gradient (the softmax) comes from the primitives.
  public func logSumExp(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = reductionAxes(axes, function: "logSumExp(alongAxes:)")
    // The shift is a constant (detached): the result does not depend on it mathematically.
    let shift = Tensor.map(detached.max(alongAxes: axes, keepingDimensions: true)) { $0.isFinite ? $0 : 0 }
    let y = log(exp(self - shift).sum(alongAxes: axes, keepingDimensions: true)) + shift
    return keepingDimensions ? y : y.reshaped(to: reducedShape(axes, keepingDimensions: false))
  }

  /// log Σ exp(x) over one axis.
  public func logSumExp(alongAxis axis: Int = -1, keepingDimensions: Bool = false) -> Tensor {
    logSumExp(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }
}

/// exp(x) / Σ exp(x) along `axis` (composite: x − logsumexp, then exp).
public func softmax(_ x: Tensor, alongAxis axis: Int = -1) -> Tensor {
  exp(logSoftmax(x, alongAxis: axis))
}

/// x − log Σ exp(x) along `axis` (composite).
public func logSoftmax(_ x: Tensor, alongAxis axis: Int = -1) -> Tensor {
  x - x.logSumExp(alongAxis: axis, keepingDimensions: true)
}

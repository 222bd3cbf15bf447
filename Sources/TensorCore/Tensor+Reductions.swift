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
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) * (1 / Float(max(n, 1)))
  }

  /// The mean over one axis.
  public func mean(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    mean(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }
}

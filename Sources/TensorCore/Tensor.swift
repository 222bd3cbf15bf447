// Tensor: a Float32, row-major, copy-on-write array with a shape, and (when it needs gradients)
// the node of the reverse-mode graph that produced it.
//
// Contract:
// - `scalars.count == shape.product` always; a scalar tensor has shape `[]` and one element.
// - `origin == nil` means the tensor records nothing: ops on origin-free tensors allocate the
//   result and return, so inference pays no autodiff cost.
// - Values are immutable in spirit: ops return new tensors. Mutating `scalars` of a tensor that
//   has an origin detaches nothing and is the caller's responsibility.

import Randomness

/// A Float32 tensor: a shape, its scalars in row-major order, and an optional graph origin.
public struct Tensor: Sendable {
  /// The size of each axis, outermost first. `[]` for a scalar.
  public let shape: [Int]
  /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
  public var scalars: [Float]
  /// The graph node that produced this tensor, or `nil` when it records nothing.
  public var origin: Origin?

  /// A tensor with the given scalars (row-major) and shape.
  ///
  /// - Precondition: `scalars.count` equals the product of `shape`.
  public init(_ scalars: [Float], shape: [Int]) {
    precondition(
      shape.allSatisfy { $0 >= 0 } && scalars.count == shape.reduce(1, *),
      "Tensor: \(scalars.count) scalars do not fill shape \(shape) (\(shape.reduce(1, *)) elements)")
    self.shape = shape
    self.scalars = scalars
    self.origin = nil
  }

  /// A tensor with the given scalars and shape, throwing instead of trapping when they disagree.
  /// Use this for data that comes from users (files, arguments).
  public init(validating scalars: [Float], shape: [Int]) throws(ShapeError) {
    guard shape.allSatisfy({ $0 >= 0 }), scalars.count == shape.reduce(1, *) else {
      throw ShapeError("\(scalars.count) scalars do not fill shape \(shape)")
    }
    self.init(scalars, shape: shape)
  }

  /// Internal: no validation (the caller guarantees the count).
  @inlinable
  init(shape: [Int], scalars: [Float]) {
    self.shape = shape
    self.scalars = scalars
    self.origin = nil
  }

  /// A rank-0 tensor holding one value.
  public init(_ value: Float) {
    self.init(shape: [], scalars: [value])
  }

  /// A 1-D tensor of the given values.
  public init(_ scalars: [Float]) {
    self.init(shape: ShapeCache.vector(scalars.count), scalars: scalars)
  }

  /// A tensor of the given shape with every element equal to `value`.
  public init(repeating value: Float, shape: [Int]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
    let count = shape.reduce(1, *)
    self.init(shape: shape, scalars: newScalars(count) { $0.initialize(repeating: value, count: count) })
  }

  /// A tensor of zeros.
  public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

  /// A tensor of ones.
  public init(ones shape: [Int]) { self.init(repeating: 1, shape: shape) }

  /// Uniform samples in `range` drawn from `generator` (row-major order).
  public init(uniform shape: [Int], in range: ClosedRange<Float> = 0...1, using generator: inout RandomStream) {
    let count = shape.reduce(1, *)
    let width = range.upperBound - range.lowerBound
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count { values[i] = range.lowerBound + width * generator.nextFloat() }
    self.init(values, shape: shape)
  }

  /// Normal samples with the given mean and standard deviation drawn from `generator`.
  public init(
    normal shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using generator: inout RandomStream
  ) {
    let count = shape.reduce(1, *)
    var values = [Float](repeating: 0, count: count)
    for i in 0..<count { values[i] = mean + standardDeviation * generator.nextNormal() }
    self.init(values, shape: shape)
  }

  /// The number of elements.
  @inlinable public var count: Int { scalars.count }
  /// The number of axes.
  @inlinable public var rank: Int { shape.count }

  /// The single element of a one-element tensor.
  public var scalar: Float {
    precondition(scalars.count == 1, "Tensor.scalar: tensor of shape \(shape) has \(scalars.count) elements")
    return scalars[0]
  }

  /// The same values without a graph origin (gradients do not flow through the result).
  @inlinable public var detached: Tensor { Tensor(shape: shape, scalars: scalars) }

  /// The same values with every element equal to within `tolerance` (absolute + relative).
  public func isApproximatelyEqual(to other: Tensor, tolerance: Float = 1e-5) -> Bool {
    guard shape == other.shape else { return false }
    for (a, b) in zip(scalars, other.scalars) {
      if !(abs(a - b) <= tolerance * (1 + Swift.max(abs(a), abs(b)))) { return false }
    }
    return true
  }

  /// Maps `axis` (possibly negative, counting from the end) into `0..<rank`.
  @inlinable
  func normalizedAxis(_ axis: Int, rank: Int? = nil, function: String = #function) -> Int {
    let r = rank ?? self.rank
    let a = axis < 0 ? axis + r : axis
    precondition(a >= 0 && a < r, "\(function): axis \(axis) is out of range for shape \(shape)")
    return a
  }
}

/// A shape problem in data that came from outside the program.
public struct ShapeError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let shown = scalars.prefix(16).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(shape: \(shape), [\(shown)\(scalars.count > 16 ? ", …" : "")])"
  }
}

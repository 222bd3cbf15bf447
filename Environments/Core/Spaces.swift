/// The shape, bounds and element type of an environment's observations (Gymnasium's `Box`).
public struct ObservationSpace: Hashable, Sendable {
  /// How each element is stored.
  public enum ElementType: String, Hashable, Sendable, Codable { case float32, uint8 }

  /// Shape, row-major; pixel frames are `[height, width, channels]`.
  public var shape: [Int]
  /// Lower bound of each element, flat (`elementCount` values); `-.infinity` when unbounded.
  public var low: [Float]
  /// Upper bound of each element, flat (`elementCount` values); `.infinity` when unbounded.
  public var high: [Float]
  public var elementType: ElementType

  /// A space whose elements share one pair of bounds.
  public init(shape: [Int], low: Float, high: Float, elementType: ElementType = .float32) {
    let count = shape.reduce(1, *)
    self.init(
      shape: shape, low: [Float](repeating: low, count: count),
      high: [Float](repeating: high, count: count), elementType: elementType)
  }

  /// A space with per-element bounds.
  public init(shape: [Int], low: [Float], high: [Float], elementType: ElementType = .float32) {
    precondition(low.count == shape.reduce(1, *) && high.count == low.count,
                 "bounds must have one value per element of shape \(shape)")
    self.shape = shape
    self.low = low
    self.high = high
    self.elementType = elementType
  }

  /// The number of elements in one observation.
  public var elementCount: Int { shape.reduce(1, *) }

  /// Whether every element of `observation` lies within its bounds.
  public func contains<S: ObservationScalar>(_ observation: some Collection<S>) -> Bool {
    guard observation.count == elementCount else { return false }
    return zip(observation, zip(low, high)).allSatisfy { value, bounds in
      let v = value.floatValue
      return v >= bounds.0 && v <= bounds.1
    }
  }
}

/// The actions an environment accepts.
public enum ActionSpace: Hashable, Sendable {
  /// Actions `0 ..< count` (Gymnasium's `Discrete(count)`).
  case discrete(count: Int)
  /// Real vectors with per-element bounds (Gymnasium's `Box`), `low.count` elements.
  case continuous(low: [Float], high: [Float])

  /// The number of discrete actions, or the length of a continuous action vector.
  public var size: Int {
    switch self {
    case .discrete(let count): count
    case .continuous(let low, _): low.count
    }
  }
}

/// One action: an index into a discrete space, or a vector in a continuous one.
public enum Action: Hashable, Sendable {
  case discrete(Int)
  case continuous([Float])

  /// The discrete index; a continuous action here is a programming error.
  public var index: Int {
    guard case .discrete(let index) = self else { preconditionFailure("expected a discrete action, got \(self)") }
    return index
  }

  /// The continuous vector; a discrete action here is a programming error.
  public var vector: [Float] {
    guard case .continuous(let vector) = self else { preconditionFailure("expected a continuous action, got \(self)") }
    return vector
  }
}

/// An RGB picture, row-major, 3 bytes a pixel.
public struct Frame: Hashable, Sendable {
  public var width: Int
  public var height: Int
  /// Shape: [height, width, 3].
  public var pixels: [UInt8]

  /// A frame filled with one colour.
  public init(width: Int, height: Int, fill: (red: UInt8, green: UInt8, blue: UInt8) = (0, 0, 0)) {
    self.width = width
    self.height = height
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for p in 0..<(width * height) {
      pixels[3 * p] = fill.red
      pixels[3 * p + 1] = fill.green
      pixels[3 * p + 2] = fill.blue
    }
    self.pixels = pixels
  }
}

/// numpy's legacy `RandomState(seed)` on ``MT19937`` — the generator ncps' `NCP` wiring uses.
///
/// Contract: for the same seed, every method below makes exactly the draws numpy makes for the
/// call named in its documentation and returns the same values (checked against fixtures
/// written by `Scripts/make-random-fixtures.py`). Bounded integers use masked rejection
/// ("smallest 2ᵏ − 1 ≥ range, redraw until ≤ range") on 32-bit draws when the range fits in 32
/// bits, else on 64-bit draws. `RandomState` streams are frozen by numpy's compatibility policy.
///
/// Invalid arguments (an empty range, a sample larger than the population) are programming
/// errors and trap; seeds from user input go through ``init(validatingSeed:)``.
public struct NumPyRandomState: Hashable, Sendable, Codable {
  /// The bit generator; its state is the whole state of this generator.
  public var bitGenerator: MT19937
  /// The second normal of the last polar-method pair, not yet handed out (numpy's `gauss`).
  public private(set) var cachedGaussian: Double?

  /// An invalid legacy seed.
  public struct SeedError: Error, CustomStringConvertible, Hashable, Sendable {
    public let seed: Int
    public var description: String { "Seed must be between 0 and 2**32 - 1" }
  }

  /// `numpy.random.RandomState(seed)`.
  public init(seed: UInt32) {
    bitGenerator = MT19937(seed: seed)
  }

  /// `RandomState(seed)` for a seed from user input; numpy's error outside `0 ... 2³² − 1`.
  public init(validatingSeed seed: Int) throws(SeedError) {
    guard let word = UInt32(exactly: seed) else { throw SeedError(seed: seed) }
    self.init(seed: word)
  }

  // MARK: - Floating point

  /// `random_sample()`: a double in `[0, 1)` with 53 bits from two 32-bit draws.
  public mutating func randomSample() -> Double {
    bitGenerator.nextDouble()
  }

  /// `uniform(low, high)`: `low + (high − low) · random_sample()`.
  public mutating func uniform(low: Double = 0, high: Double = 1) -> Double {
    let range = high - low
    precondition(range.isFinite, "Range exceeds valid bounds")
    return low + range * bitGenerator.nextDouble()
  }

  /// `uniform(low, high, size=count)`.
  public mutating func uniform(low: Double = 0, high: Double = 1, count: Int) -> [Double] {
    (0..<count).map { _ in uniform(low: low, high: high) }
  }

  /// `standard_normal()`: the legacy polar (Marsaglia) method, which makes normals in pairs and
  /// keeps the second for the next call.
  public mutating func standardNormal() -> Double {
    if let cached = cachedGaussian {
      cachedGaussian = nil
      return cached
    }
    var x1 = 0.0, x2 = 0.0, r2 = 0.0
    repeat {
      x1 = 2 * bitGenerator.nextDouble() - 1
      x2 = 2 * bitGenerator.nextDouble() - 1
      r2 = x1 * x1 + x2 * x2
    } while r2 >= 1 || r2 == 0
    let f = (-2 * _log(r2) / r2).squareRoot()
    cachedGaussian = f * x1
    return f * x2
  }

  // MARK: - Integers

  /// A uniform value in `0 ... range` by masked rejection (numpy's `random_interval` and the
  /// masked paths of `randint`); no draw when `range` is 0.
  public mutating func boundedMasked(_ range: UInt64) -> UInt64 {
    if range == 0 { return 0 }
    var mask = range
    mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4
    mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32
    if range <= UInt64(UInt32.max) {
      var value: UInt64
      repeat { value = UInt64(bitGenerator.nextUInt32()) & mask } while value > range
      return value
    }
    var value: UInt64
    repeat { value = bitGenerator.nextUInt64() & mask } while value > range
    return value
  }

  /// `randint(low, high)` (dtype int64): a uniform integer in `low ..< high`.
  public mutating func randint(low: Int = 0, high: Int) -> Int {
    precondition(low < high, "low >= high")
    let range = UInt64(bitPattern: Int64(high) &- 1 &- Int64(low))
    return Int(Int64(bitPattern: UInt64(bitPattern: Int64(low)) &+ boundedMasked(range)))
  }

  /// `randint(low, high, size=count)`.
  public mutating func randint(low: Int = 0, high: Int, count: Int) -> [Int] {
    (0..<count).map { _ in randint(low: low, high: high) }
  }

  // MARK: - Permutations and sampling

  /// `shuffle(values)`: Fisher–Yates from the back, `j = random_interval(i)`.
  public mutating func shuffle<T>(_ values: inout [T]) {
    var i = values.count - 1
    while i >= 1 {
      values.swapAt(i, Int(boundedMasked(UInt64(i))))
      i -= 1
    }
  }

  /// `permutation(n)`: a shuffled `0 ..< n`.
  public mutating func permutation(_ n: Int) -> [Int] {
    var values = Array(0..<n)
    shuffle(&values)
    return values
  }

  /// `choice(populationSize)`: `randint(0, populationSize)`.
  public mutating func choice(_ populationSize: Int) -> Int {
    precondition(populationSize > 0, "a must be greater than 0 unless no samples are taken")
    return randint(low: 0, high: populationSize)
  }

  /// `choice(elements)`: one element, uniformly.
  public mutating func choice<C: RandomAccessCollection>(from elements: C) -> C.Element {
    elements[elements.index(elements.startIndex, offsetBy: choice(elements.count))]
  }

  /// `choice(populationSize, size=count, replace=replace)`: with replacement
  /// `randint(0, populationSize, size=count)`, without `permutation(populationSize)[:count]`.
  public mutating func choice(_ populationSize: Int, count: Int, replace: Bool = true) -> [Int] {
    precondition(count >= 0, "negative dimensions are not allowed")
    precondition(populationSize > 0 || count == 0, "a cannot be empty unless no samples are taken")
    if replace { return randint(low: 0, high: populationSize, count: count) }
    precondition(count <= populationSize, "Cannot take a larger sample than population when 'replace=False'")
    return Array(permutation(populationSize).prefix(count))
  }

  /// `choice(elements, size=count, replace=replace)`.
  public mutating func choice<C: RandomAccessCollection>(
    from elements: C, count: Int, replace: Bool = true
  ) -> [C.Element] {
    choice(elements.count, count: count, replace: replace).map {
      elements[elements.index(elements.startIndex, offsetBy: $0)]
    }
  }
}

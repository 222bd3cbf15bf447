/// numpy's `Generator` on a ``PCG64`` — what `numpy.random.default_rng(seed)` returns.
///
/// Contract: for the same seed, every method below makes exactly the draws numpy 2.x makes for
/// the call named in its documentation and returns the same values (checked against fixtures
/// written by `Scripts/make-random-fixtures.py`). Bounded integers use Lemire's multiply-shift
/// rejection: through 32-bit draws (``PCG64/nextUInt32()``, which caches half a 64-bit draw)
/// when the inclusive range fits in 32 bits, else through 64-bit draws.
///
/// numpy documents that `Generator` streams may change between numpy versions (NEP 19); the
/// fixtures pin numpy 2.4.6. Invalid arguments (an empty range, a sample larger than the
/// population) are programming errors and trap, as `Int.random(in:)` does.
public struct NumPyGenerator: Hashable, Sendable, Codable {
  /// The bit generator; its state is the whole state of this generator.
  public var bitGenerator: PCG64

  /// `numpy.random.default_rng(seed)`.
  public init(seed: UInt64) {
    bitGenerator = PCG64(seed: seed)
  }

  /// `Generator(bit_generator)`.
  public init(bitGenerator: PCG64) {
    self.bitGenerator = bitGenerator
  }

  // MARK: - Floating point

  /// `random()`: a double in `[0, 1)`, `(next_u64 >> 11) · 2⁻⁵³`.
  public mutating func random() -> Double {
    bitGenerator.nextDouble()
  }

  /// `uniform(low, high)`: `low + (high − low) · random()`.
  public mutating func uniform(low: Double = 0, high: Double = 1) -> Double {
    let range = high - low
    precondition(range.isFinite, "Range exceeds valid bounds")
    return low + range * bitGenerator.nextDouble()
  }

  /// `uniform(low, high, size=count)`: `count` draws of ``uniform(low:high:)`` in order.
  public mutating func uniform(low: Double = 0, high: Double = 1, count: Int) -> [Double] {
    (0..<count).map { _ in uniform(low: low, high: high) }
  }

  // MARK: - Integers

  /// `integers(low, high)` (dtype int64): a uniform integer in `low ..< high`, or in
  /// `low ... high` when `endpoint` is true.
  public mutating func integers(low: Int = 0, high: Int, endpoint: Bool = false) -> Int {
    precondition(endpoint ? low <= high : low < high, "low >= high")
    let inclusiveHigh = endpoint ? high : high - 1
    let range = UInt64(bitPattern: Int64(inclusiveHigh) &- Int64(low))
    return Int(Int64(bitPattern: UInt64(bitPattern: Int64(low)) &+ boundedLemire(range)))
  }

  /// `integers(low, high, size=count)`: `count` draws of ``integers(low:high:endpoint:)``.
  public mutating func integers(low: Int = 0, high: Int, count: Int, endpoint: Bool = false) -> [Int] {
    (0..<count).map { _ in integers(low: low, high: high, endpoint: endpoint) }
  }

  /// numpy's `random_bounded_uint64(state, 0, range, 0, use_masked=False)`: a uniform value in
  /// `0 ... range` by Lemire's rejection; no draw when `range` is 0.
  public mutating func boundedLemire(_ range: UInt64) -> UInt64 {
    if range == 0 { return 0 }
    if range <= UInt64(UInt32.max) {
      if range == UInt64(UInt32.max) { return UInt64(bitGenerator.nextUInt32()) }
      return UInt64(boundedLemire32(UInt32(range)))
    }
    if range == UInt64.max { return bitGenerator.next() }
    return boundedLemire64(range)
  }

  /// `buffered_bounded_lemire_uint32`: 32-bit draws, `range < 2³² − 1`.
  private mutating func boundedLemire32(_ range: UInt32) -> UInt32 {
    let exclusive = UInt64(range) + 1
    var product = UInt64(bitGenerator.nextUInt32()) * exclusive
    if UInt32(truncatingIfNeeded: product) < UInt32(truncatingIfNeeded: exclusive) {
      let threshold = (UInt32.max - range) % UInt32(truncatingIfNeeded: exclusive)
      while UInt32(truncatingIfNeeded: product) < threshold {
        product = UInt64(bitGenerator.nextUInt32()) * exclusive
      }
    }
    return UInt32(truncatingIfNeeded: product >> 32)
  }

  /// `bounded_lemire_uint64`: 64-bit draws, `2³² ≤ range < 2⁶⁴ − 1`.
  private mutating func boundedLemire64(_ range: UInt64) -> UInt64 {
    let exclusive = range + 1
    var product = bitGenerator.next().multipliedFullWidth(by: exclusive)
    if product.low < exclusive {
      let threshold = (UInt64.max - range) % exclusive
      while product.low < threshold {
        product = bitGenerator.next().multipliedFullWidth(by: exclusive)
      }
    }
    return product.high
  }

  // MARK: - Sampling

  /// `choice(populationSize)`: one index in `0 ..< populationSize`, uniformly.
  public mutating func choice(_ populationSize: Int) -> Int {
    precondition(populationSize > 0, "a must be a positive integer unless no samples are taken")
    return integers(low: 0, high: populationSize)
  }

  /// `choice(elements)`: one element, uniformly.
  public mutating func choice<C: RandomAccessCollection>(from elements: C) -> C.Element {
    elements[elements.index(elements.startIndex, offsetBy: choice(elements.count))]
  }

  /// `choice(populationSize, size=count, replace=replace)` (shuffle=True): indices in
  /// `0 ..< populationSize`. Without replacement numpy uses a tail shuffle of the whole range
  /// when `populationSize > 10000` and `count > populationSize / 50`, and Floyd's algorithm
  /// followed by a shuffle of the sample otherwise.
  public mutating func choice(_ populationSize: Int, count: Int, replace: Bool = true) -> [Int] {
    precondition(count >= 0, "negative dimensions are not allowed")
    precondition(populationSize > 0 || count == 0, "a cannot be empty unless no samples are taken")
    if replace { return integers(low: 0, high: populationSize, count: count) }
    precondition(count <= populationSize, "Cannot take a larger sample than population when replace is False")
    if populationSize > 10_000 && count > populationSize / 50 {
      var indices = Array(0..<populationSize)
      shuffleTail(&indices, first: max(populationSize - count, 1))
      return Array(indices[(populationSize - count)...])
    }
    var sample: [Int] = []
    sample.reserveCapacity(count)
    var selected = Set<Int>()
    for j in (populationSize - count)..<populationSize {
      let value = Int(boundedLemire(UInt64(j)))
      let pick = selected.contains(value) ? j : value
      selected.insert(pick)
      sample.append(pick)
    }
    shuffleTail(&sample, first: 1)
    return sample
  }

  /// `choice(elements, size=count, replace=replace)`: the elements at ``choice(_:count:replace:)``.
  public mutating func choice<C: RandomAccessCollection>(
    from elements: C, count: Int, replace: Bool = true
  ) -> [C.Element] {
    choice(elements.count, count: count, replace: replace).map {
      elements[elements.index(elements.startIndex, offsetBy: $0)]
    }
  }

  /// numpy's `_shuffle_int(n, first, data)`: for `i = n−1` down to `first`, swap `data[i]` with
  /// `data[Lemire(i)]`.
  private mutating func shuffleTail(_ values: inout [Int], first: Int) {
    var i = values.count - 1
    while i >= first {
      let j = Int(boundedLemire(UInt64(i)))
      values.swapAt(i, j)
      i -= 1
    }
  }
}

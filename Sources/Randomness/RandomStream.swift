/// The project's one seedable, splittable random generator (xoshiro256**, seeded by SplitMix64).
///
/// Every consumer of randomness in swift-ncps owns a `RandomStream` value; none is shared between
/// threads. Independent streams come from one seed by index — `RandomStream(seed: s, stream: i)`
/// gives environment `i` or worker `i` its own sequence, so results do not depend on how work is
/// spread over threads — or from an existing stream with ``split()``.
///
/// The state is a plain value: copying a stream snapshots it, and `Codable` lets a training run
/// save and restore it exactly.
public struct RandomStream: RandomNumberGenerator, Hashable, Sendable, Codable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  /// A stream determined by `seed` and, for families of independent streams, `stream`.
  public init(seed: UInt64, stream: UInt64 = 0) {
    var mixer = SplitMix64(state: seed)
    // Fold the stream index in through a second SplitMix64 pass so that (seed, stream) pairs
    // map to unrelated states.
    var streamMixer = SplitMix64(state: stream &+ 0x6A09_E667_F3BC_C909)
    let offset = streamMixer.next()
    mixer.state ^= offset
    state = (mixer.next(), mixer.next(), mixer.next(), mixer.next())
    if state == (0, 0, 0, 0) { state.0 = 1 }  // xoshiro's one forbidden state
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, by: 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotateLeft(state.3, by: 45)
    return result
  }

  /// A new stream, independent of this one, that consumes one draw of this stream.
  public mutating func split() -> RandomStream {
    RandomStream(seed: next(), stream: next())
  }

  /// A uniform `Float` in `[0, 1)` with 24 random bits.
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * 0x1p-24
  }

  /// A uniform `Double` in `[0, 1)` with 53 random bits.
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1p-53
  }

  /// A standard normal sample (Box–Muller; one of the pair is discarded so the stream stays a
  /// plain value without a cached half).
  public mutating func nextNormal() -> Float {
    let u1 = 1 - nextDouble()  // (0, 1]: log is finite
    let u2 = nextDouble()
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }

  /// A uniform integer in `0 ..< bound` without modulo bias (Lemire's method).
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive, got \(bound)")
    return Int(next(upperBound: UInt64(bound)))
  }

  // MARK: Codable (tuples are not Codable)

  private enum CodingKeys: String, CodingKey { case state }

  public init(from decoder: Decoder) throws {
    let words = try decoder.container(keyedBy: CodingKeys.self).decode([UInt64].self, forKey: .state)
    guard words.count == 4, words != [0, 0, 0, 0] else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "RandomStream state must be 4 words, not all zero"))
    }
    state = (words[0], words[1], words[2], words[3])
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode([state.0, state.1, state.2, state.3], forKey: .state)
  }

  // MARK: Hashable (tuples are not Hashable)

  public static func == (a: RandomStream, b: RandomStream) -> Bool { a.state == b.state }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(state.0)
    hasher.combine(state.1)
    hasher.combine(state.2)
    hasher.combine(state.3)
  }
}

/// SplitMix64 (Steele, Lea, Flood 2014): expands one 64-bit seed into well-mixed words.
public struct SplitMix64: RandomNumberGenerator, Hashable, Sendable {
  public var state: UInt64

  public init(state: UInt64) { self.state = state }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

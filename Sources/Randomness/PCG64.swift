/// numpy's `PCG64` bit generator: PCG XSL-RR 128/64 (O'Neill), seeded as numpy seeds it.
///
/// Contract: `PCG64(seed: s)` produces the stream of `numpy.random.PCG64(s)` (and so of
/// `default_rng(s)`): ``next()`` is numpy's `next_uint64`, ``nextUInt32()`` its `next_uint32`
/// (which hands out the upper half of a 64-bit draw it cached on the previous call), and
/// ``nextDouble()`` its `next_double`. A plain value: copying it snapshots the stream.
public struct PCG64: RandomNumberGenerator, Hashable, Sendable, Codable {
  /// The 128-bit LCG state.
  public private(set) var state: UInt128
  /// The odd LCG increment (`(initseq << 1) | 1`).
  public let increment: UInt128
  /// The upper half of the last 64-bit draw made by ``nextUInt32()``, not yet handed out.
  public private(set) var cachedHalf: UInt32?

  static let multiplier: UInt128 = 0x2360_ED05_1FC6_5DA4_4385_DF64_9FCC_F645

  /// The generator `numpy.random.PCG64(seed)` creates.
  public init(seed: UInt64) {
    self.init(seedSequence: SeedSequence(seed))
  }

  /// The generator `PCG64(seed_sequence)` creates: four 64-bit state words, the first two the
  /// initial state and the last two the stream selector (high word first, as numpy's
  /// `pcg64_set_seed` reads them).
  public init(seedSequence: SeedSequence) {
    let words = seedSequence.generateState64(wordCount: 4)
    self.init(
      initialState: UInt128(words[0]) << 64 | UInt128(words[1]),
      sequence: UInt128(words[2]) << 64 | UInt128(words[3]))
  }

  /// PCG's `srandom_r(initstate, initseq)`.
  public init(initialState: UInt128, sequence: UInt128) {
    increment = sequence << 1 | 1
    state = 0
    step()
    state &+= initialState
    step()
  }

  private mutating func step() { state = state &* Self.multiplier &+ increment }

  /// The next 64 bits (numpy's `next_uint64`; leaves the cached half alone).
  public mutating func next() -> UInt64 {
    step()
    let mixed = UInt64(truncatingIfNeeded: state >> 64) ^ UInt64(truncatingIfNeeded: state)
    let rotation = UInt64(truncatingIfNeeded: state >> 122)
    return mixed >> rotation | mixed << ((64 &- rotation) & 63)
  }

  /// The next 32 bits (numpy's `next_uint32`): the cached upper half if there is one, else the
  /// lower half of a new 64-bit draw whose upper half is cached.
  public mutating func nextUInt32() -> UInt32 {
    if let half = cachedHalf {
      cachedHalf = nil
      return half
    }
    let value = next()
    cachedHalf = UInt32(truncatingIfNeeded: value >> 32)
    return UInt32(truncatingIfNeeded: value)
  }

  /// A double in `[0, 1)` with 53 random bits: `(next() >> 11) · 2⁻⁵³` (numpy's `next_double`).
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1p-53
  }
}

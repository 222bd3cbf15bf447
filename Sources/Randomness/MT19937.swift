/// The Mersenne Twister MT19937 (Matsumoto & Nishimura), seeded by `init_genrand` — the bit
/// generator behind numpy's legacy `RandomState(seed)` and C++'s `std::mt19937(seed)`.
///
/// Contract: ``nextUInt32()`` is `genrand_int32`; ``nextUInt64()`` is numpy's `mt19937_next64`
/// (two draws, the first one high); ``nextDouble()`` is numpy's `random_sample`
/// (`(a >> 5, b >> 6)` combined into 53 bits). A plain value: copying it snapshots the stream.
public struct MT19937: Hashable, Sendable, Codable {
  private static let n = 624, m = 397
  private static let matrixA: UInt32 = 0x9908_B0DF
  private static let upperMask: UInt32 = 0x8000_0000, lowerMask: UInt32 = 0x7FFF_FFFF

  /// The 624 state words.
  public private(set) var key: [UInt32]
  /// The index of the next state word to temper; 624 means "regenerate first".
  public private(set) var position: Int

  /// `init_genrand(seed)`: `mt[0] = seed; mt[i] = 1812433253·(mt[i−1] ^ (mt[i−1] >> 30)) + i`.
  public init(seed: UInt32) {
    var key = [UInt32](repeating: 0, count: Self.n)
    key[0] = seed
    for i in 1..<Self.n {
      key[i] = 1_812_433_253 &* (key[i - 1] ^ (key[i - 1] >> 30)) &+ UInt32(i)
    }
    self.key = key
    position = Self.n
  }

  /// Refills the state (the "twist").
  private mutating func regenerate() {
    let n = Self.n, m = Self.m
    key.withUnsafeMutableBufferPointer { mt in
      func twisted(_ i: Int, _ next: Int, _ far: Int) -> UInt32 {
        let y = (mt[i] & Self.upperMask) | (mt[next] & Self.lowerMask)
        return mt[far] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : Self.matrixA)
      }
      for i in 0..<(n - m) { mt[i] = twisted(i, i + 1, i + m) }
      for i in (n - m)..<(n - 1) { mt[i] = twisted(i, i + 1, i + m - n) }
      mt[n - 1] = twisted(n - 1, 0, m - 1)
    }
    position = 0
  }

  /// `genrand_int32`: the next 32 tempered bits.
  public mutating func nextUInt32() -> UInt32 {
    if position == Self.n { regenerate() }
    var y = key[position]
    position += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  /// Two 32-bit draws, the first as the high word (numpy's `mt19937_next64`).
  public mutating func nextUInt64() -> UInt64 {
    let high = UInt64(nextUInt32())
    return high << 32 | UInt64(nextUInt32())
  }

  /// A double in `[0, 1)` with 53 random bits: `((a >> 5)·2²⁶ + (b >> 6)) / 2⁵³`.
  public mutating func nextDouble() -> Double {
    let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
    return (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
  }
}

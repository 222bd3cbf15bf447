/// numpy's `SeedSequence`: turns a seed of any size into well-mixed state words.
///
/// Contract: `SeedSequence(entropy:spawnKey:)` followed by ``generateState(wordCount:)`` /
/// ``generateState64(wordCount:)`` gives exactly the words of
/// `numpy.random.SeedSequence(entropy, spawn_key=...).generate_state(n, dtype)` (pool size 4,
/// numpy's hash constants, all arithmetic mod 2³²). `default_rng(seed)` seeds ``PCG64`` with
/// `generate_state(4, uint64)`.
public struct SeedSequence: Hashable, Sendable, Codable {
  /// The mixed entropy pool (numpy's `pool`, size 4).
  public let pool: [UInt32]

  private static let poolSize = 4
  private static let initA: UInt32 = 0x43B0_D7E5, multA: UInt32 = 0x931E_8875
  private static let initB: UInt32 = 0x8B51_F9DD, multB: UInt32 = 0x58F3_8DED
  private static let mixMultL: UInt32 = 0xCA01_F9DD, mixMultR: UInt32 = 0x4973_F715

  /// A sequence seeded by a non-negative integer: its little-endian 32-bit words (`0` is `[0]`).
  public init(_ seed: UInt64, spawnKey: [UInt32] = []) {
    var words: [UInt32] = [UInt32(truncatingIfNeeded: seed)]
    if seed >> 32 != 0 { words.append(UInt32(truncatingIfNeeded: seed >> 32)) }
    self.init(entropy: words, spawnKey: spawnKey)
  }

  /// A sequence seeded by the little-endian 32-bit words of an arbitrarily large integer (or an
  /// array of seeds), with an optional spawn key, as numpy assembles them: when a spawn key is
  /// present the entropy is zero-padded to the pool size first.
  public init(entropy: [UInt32], spawnKey: [UInt32] = []) {
    var run = entropy.isEmpty ? [0] : entropy
    if !spawnKey.isEmpty && run.count < Self.poolSize {
      run += [UInt32](repeating: 0, count: Self.poolSize - run.count)
    }
    run += spawnKey
    pool = Self.mixEntropy(run)
  }

  /// numpy's `mix_entropy`: hash every word into the pool, then cross-mix the pool.
  private static func mixEntropy(_ entropy: [UInt32]) -> [UInt32] {
    var hashConstant = initA
    func hashmix(_ value: UInt32) -> UInt32 {
      var v = value ^ hashConstant
      hashConstant &*= multA
      v &*= hashConstant
      return v ^ (v >> 16)
    }
    func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
      let r = mixMultL &* x &- mixMultR &* y
      return r ^ (r >> 16)
    }
    var pool = (0..<poolSize).map { hashmix($0 < entropy.count ? entropy[$0] : 0) }
    for source in 0..<poolSize {
      for destination in 0..<poolSize where source != destination {
        pool[destination] = mix(pool[destination], hashmix(pool[source]))
      }
    }
    for source in poolSize..<max(poolSize, entropy.count) {
      for destination in 0..<poolSize {
        pool[destination] = mix(pool[destination], hashmix(entropy[source]))
      }
    }
    return pool
  }

  /// `generate_state(wordCount, np.uint32)`.
  public func generateState(wordCount: Int) -> [UInt32] {
    var hashConstant = Self.initB
    return (0..<wordCount).map { k in
      var v = pool[k % Self.poolSize] ^ hashConstant
      hashConstant &*= Self.multB
      v &*= hashConstant
      return v ^ (v >> 16)
    }
  }

  /// `generate_state(wordCount, np.uint64)`: pairs of 32-bit words, low word first.
  public func generateState64(wordCount: Int) -> [UInt64] {
    let words = generateState(wordCount: 2 * wordCount)
    return (0..<wordCount).map { UInt64(words[2 * $0]) | UInt64(words[2 * $0 + 1]) << 32 }
  }
}

/// Gymnasium's `np_random` for environments that must match it bit for bit:
/// `numpy.random.Generator(PCG64(SeedSequence(seed)))` and the draws Gymnasium's envs make.
///
/// A plain value: copying it snapshots the stream. Environments that need no numpy parity use
/// `RandomStream` (module Randomness) instead.
public struct GymRandom: Hashable, Sendable {
  private var generator: NumpyPCG64

  /// The stream of `np.random.default_rng(seed)` (Gymnasium's `reset(seed=)`).
  public init(seed: UInt64) {
    generator = NumpyPCG64(seed: seed)
  }

  /// A double in `[0, 1)`: numpy's `next_double`, `(next64 >> 11) / 2⁵³`.
  public mutating func nextDouble() -> Double {
    Double(generator.next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
  }

  /// numpy's `Generator.uniform(low, high)`: `low + (high - low) * next_double`.
  public mutating func uniform(low: Double, high: Double) -> Double {
    low + (high - low) * nextDouble()
  }
}

/// numpy's PCG64 (XSL-RR 128/64) seeded through `SeedSequence`, as `default_rng(seed)` does.
///
/// Interim implementation until module Randomness provides the shared one; the Gymnasium
/// fixtures check it (see reference/ncps.md §6.6 for the algorithm).
struct NumpyPCG64: Hashable, Sendable {
  private var state: UInt128
  private let increment: UInt128
  private static let multiplier: UInt128 = 0x2360_ED05_1FC6_5DA4_4385_DF64_9FCC_F645

  init(seed: UInt64) {
    let words = SeedSequence.generateState(entropy: seed, wordCount: 4)
    let initialState = UInt128(words[0]) << 64 | UInt128(words[1])
    let sequence = UInt128(words[2]) << 64 | UInt128(words[3])
    increment = sequence << 1 | 1
    state = 0
    step()
    state &+= initialState
    step()
  }

  private mutating func step() { state = state &* Self.multiplier &+ increment }

  mutating func next() -> UInt64 {
    step()
    let mixed = UInt64(truncatingIfNeeded: state >> 64) ^ UInt64(truncatingIfNeeded: state)
    let rotation = UInt64(truncatingIfNeeded: state >> 122)
    return mixed >> rotation | mixed << ((64 &- rotation) & 63)
  }
}

/// numpy's `SeedSequence` for a single non-negative integer seed with no spawn key.
enum SeedSequence {
  static func generateState(entropy seed: UInt64, wordCount: Int) -> [UInt64] {
    let initA: UInt32 = 0x43B0_D7E5, multA: UInt32 = 0x931E_8875
    let initB: UInt32 = 0x8B51_F9DD, multB: UInt32 = 0x58F3_8DED
    let mixMultL: UInt32 = 0xCA01_F9DD, mixMultR: UInt32 = 0x4973_F715
    // The seed as little-endian 32-bit words; 0 is [0].
    var entropy: [UInt32] = [UInt32(truncatingIfNeeded: seed)]
    if seed >> 32 != 0 { entropy.append(UInt32(truncatingIfNeeded: seed >> 32)) }
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
    var pool = (0..<4).map { hashmix($0 < entropy.count ? entropy[$0] : 0) }
    for source in 0..<4 {
      for destination in 0..<4 where source != destination {
        pool[destination] = mix(pool[destination], hashmix(pool[source]))
      }
    }
    // Entropy words beyond the pool size (none for a 64-bit seed) would be mixed in here.
    var hashB = initB
    var words32: [UInt32] = []
    for k in 0..<(2 * wordCount) {
      var v = pool[k % 4] ^ hashB
      hashB &*= multB
      v &*= hashB
      words32.append(v ^ (v >> 16))
    }
    return (0..<wordCount).map { UInt64(words32[2 * $0]) | UInt64(words32[2 * $0 + 1]) << 32 }
  }
}

import Foundation
import Testing
@testable import Randomness

@Test func splitMix64MatchesTheReferenceSequence() {
  // First outputs of SplitMix64 seeded with 1234567, from the reference C implementation
  // (Vigna, prng.di.unimi.it/splitmix64.c), as used in the xoshiro test vectors.
  var mixer = SplitMix64(state: 1_234_567)
  #expect(mixer.next() == 6_457_827_717_110_365_317)
  #expect(mixer.next() == 3_203_168_211_198_807_973)
  #expect(mixer.next() == 9_817_491_932_198_370_423)
}

@Test func sameSeedAndStreamGiveTheSameSequence() {
  var a = RandomStream(seed: 7, stream: 3)
  var b = RandomStream(seed: 7, stream: 3)
  #expect((0..<100).map { _ in a.next() } == (0..<100).map { _ in b.next() })
}

@Test func streamsOfOneSeedDiffer() {
  let firsts = (0..<64).map { i -> UInt64 in
    var stream = RandomStream(seed: 7, stream: UInt64(i))
    return stream.next()
  }
  #expect(Set(firsts).count == 64)
}

@Test func uniformFloatsAreInRangeWithMeanOneHalf() {
  var stream = RandomStream(seed: 1)
  let samples = (0..<100_000).map { _ in stream.nextFloat() }
  #expect(samples.allSatisfy { $0 >= 0 && $0 < 1 })
  let mean = samples.reduce(0, +) / Float(samples.count)
  #expect(abs(mean - 0.5) < 0.005)  // 5 standard errors (σ/√n ≈ 0.0009)
}

@Test func normalSamplesHaveUnitMoments() {
  var stream = RandomStream(seed: 2)
  let samples = (0..<100_000).map { _ in Double(stream.nextNormal()) }
  let mean = samples.reduce(0, +) / Double(samples.count)
  let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
  #expect(abs(mean) < 0.02)
  #expect(abs(variance - 1) < 0.02)
}

@Test func boundedIntegersCoverTheRangeEvenly() {
  var stream = RandomStream(seed: 3)
  var counts = [Int](repeating: 0, count: 6)
  for _ in 0..<60_000 { counts[stream.nextInt(below: 6)] += 1 }
  #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
}

@Test func codableRoundTripResumesTheStream() throws {
  var stream = RandomStream(seed: 11)
  _ = stream.next()
  let data = try JSONEncoder().encode(stream)
  var restored = try JSONDecoder().decode(RandomStream.self, from: data)
  #expect(restored.next() == stream.next())
}

@Test func decodingAnAllZeroStateThrows() {
  let data = Data(#"{"state":[0,0,0,0]}"#.utf8)
  #expect(throws: DecodingError.self) { try JSONDecoder().decode(RandomStream.self, from: data) }
}

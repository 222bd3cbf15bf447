import Testing
import TensorCore

@Suite struct MemoryPolicyTests {
  @Test func glibcTakesTheSettings() {
    #if os(Linux)
    // glibc accepts both settings (they only change where freed memory goes).
    #expect(MemoryPolicy.retainFreedMemory())
    let big = [Float](repeating: 1, count: 1 << 22)  // 16 MB, from the heap now
    #expect(big.reduce(0, +) == Float(1 << 22))
    #endif
  }
}

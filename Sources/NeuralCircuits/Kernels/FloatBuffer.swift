// A heap block of Float32 that the kernels index with raw pointers. Kernels keep their saved
// forward values (tapes) and scratch space in these so no array copy-on-write or exclusivity
// check sits in an inner loop. Owned by one kernel call or one stepper at a time.
//
// Released blocks go back to a small process-wide pool (``FloatBufferPool``) instead of to
// malloc: a training loop allocates the same tape sizes every step, and fresh blocks of many
// megabytes come from the kernel as untouched pages (a page fault per 4 KiB on first write),
// which cost more than the arithmetic on them.

import Synchronization

/// A fixed-size, heap-allocated block of `Float`.
final class FloatBuffer: @unchecked Sendable {
  /// The first element. Valid for `count` elements until the buffer is released.
  let base: UnsafeMutablePointer<Float>
  let count: Int

  /// A zero-initialized buffer.
  init(count: Int) {
    self.count = count
    base = FloatBufferPool.shared.take(max(count, 1))
    base.update(repeating: 0, count: max(count, 1))
  }

  /// A buffer whose contents are undefined until written (for buffers the caller fills completely).
  init(uninitializedCount count: Int) {
    self.count = count
    base = FloatBufferPool.shared.take(max(count, 1))
  }

  /// A buffer holding a copy of `values`.
  convenience init(_ values: [Float]) {
    self.init(uninitializedCount: values.count)
    values.withUnsafeBufferPointer { if let p = $0.baseAddress { base.update(from: p, count: values.count) } }
  }

  deinit { FloatBufferPool.shared.give(base, count: max(count, 1)) }

  /// Sets every element to zero.
  func zero() { base.update(repeating: 0, count: count) }

  /// The contents as an array.
  var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

/// Released ``FloatBuffer`` blocks of at least ``minimumCount`` floats, kept by exact size for
/// reuse, up to ``capacity`` floats in all (the oldest go back to malloc first). Small blocks are
/// not pooled: malloc serves them from warm memory anyway.
final class FloatBufferPool: Sendable {
  static let shared = FloatBufferPool()
  /// Blocks smaller than this (64 KiB) are freed at once.
  static let minimumCount = 16_384
  /// At most this many floats (256 MiB) stay pooled.
  static let capacity = 64 << 20

  /// Blocks are kept as addresses (plain integers) so the lock's state is Sendable.
  private struct State {
    var free: [Int: [UInt]] = [:]
    /// Release order, oldest first, for eviction.
    var order: [(count: Int, address: UInt)] = []
    var pooled = 0
  }
  private let state = Mutex(State())

  /// A block of exactly `count` floats (uninitialized).
  func take(_ count: Int) -> UnsafeMutablePointer<Float> {
    if count >= Self.minimumCount {
      let reused = state.withLock { s -> UInt? in
        guard let address = s.free[count]?.popLast() else { return nil }
        s.pooled -= count
        if let i = s.order.lastIndex(where: { $0.address == address }) { s.order.remove(at: i) }
        return address
      }
      if let reused { return UnsafeMutablePointer(bitPattern: reused)! }
    }
    return .allocate(capacity: count)
  }

  /// Returns a block obtained from ``take(_:)``.
  func give(_ block: UnsafeMutablePointer<Float>, count: Int) {
    guard count >= Self.minimumCount, count <= Self.capacity else { block.deallocate(); return }
    let address = UInt(bitPattern: block)
    let evicted = state.withLock { s -> [UInt] in
      s.free[count, default: []].append(address)
      s.order.append((count, address))
      s.pooled += count
      var evicted: [UInt] = []
      while s.pooled > Self.capacity, !s.order.isEmpty {
        let oldest = s.order.removeFirst()
        if let i = s.free[oldest.count]?.firstIndex(of: oldest.address) { s.free[oldest.count]!.remove(at: i) }
        s.pooled -= oldest.count
        evicted.append(oldest.address)
      }
      return evicted
    }
    for address in evicted { UnsafeMutablePointer<Float>(bitPattern: address)!.deallocate() }
  }
}

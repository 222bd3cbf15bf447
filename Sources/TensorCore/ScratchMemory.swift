// Reusable scratch memory for the large temporary buffers of conv2d (unfolded columns, gathered
// gradients). Allocating tens of megabytes per call cost page faults and zeroing on every step;
// a small pool hands the same buffers out again. Thread-safe: each caller takes a buffer for
// itself (rollout workers run inference concurrently) and gives it back when done.

import Synchronization

/// One block of scratch floats, owned by whoever took it from the pool.
final class ScratchBuffer: @unchecked Sendable {
  // Safety: a buffer is in the pool (no user) or taken by exactly one caller.
  let base: UnsafeMutablePointer<Float>
  let capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
    base = .allocate(capacity: capacity)
  }

  deinit { base.deallocate() }
}

enum ScratchMemory {
  /// Buffers kept between calls at most, and the total floats kept (1 GiB of floats is not kept).
  private static let maximumBuffers = 8
  private static let maximumFloats = 64 << 20
  private static let pool = Mutex<[ScratchBuffer]>([])

  /// Runs `body` with at least `count` uninitialised floats that no one else uses meanwhile.
  static func withBuffer<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    let buffer = take(count: Swift.max(count, 1))
    defer { giveBack(buffer) }
    return try body(buffer.base)
  }

  private static func take(count: Int) -> ScratchBuffer {
    let reused: ScratchBuffer? = pool.withLock { buffers in
      // The smallest buffer that is large enough.
      var best: Int?
      for (i, b) in buffers.enumerated() where b.capacity >= count {
        if best == nil || b.capacity < buffers[best!].capacity { best = i }
      }
      return best.map { buffers.remove(at: $0) }
    }
    return reused ?? ScratchBuffer(capacity: count)
  }

  private static func giveBack(_ buffer: ScratchBuffer) {
    pool.withLock { buffers in
      buffers.append(buffer)
      buffers.sort { $0.capacity > $1.capacity }
      // Keep the largest few; drop the rest (freed outside the pool's users).
      var total = 0, kept = 0
      for b in buffers {
        if kept == maximumBuffers || total + b.capacity > maximumFloats { break }
        total += b.capacity
        kept += 1
      }
      buffers.removeLast(buffers.count - kept)
    }
  }
}

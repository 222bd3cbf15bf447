// Parallel loops. The whole concurrency story of the kernels is here: `parallelChunks` splits a
// range over Dispatch workers, and `SendableBuffer` is the one audited `@unchecked Sendable`
// pointer box. Invariant: every worker writes only the elements of its own chunk.

import CBLAS
import Dispatch
import Synchronization

/// How many threads TensorCore kernels may use (default: the number of active cores).
///
/// Benchmarks against single-threaded references set this to 1. Reading it is one atomic load.
public enum ComputeThreads {
  private static let limit = Atomic<Int>(0)

  /// The maximum number of workers a kernel may split its work over (at least 1).
  public static var maximum: Int {
    get {
      let value = limit.load(ordering: .relaxed)
      return value > 0 ? value : defaultCount
    }
    set { limit.store(max(1, newValue), ordering: .relaxed) }
  }

  private static let defaultCount = max(1, System.activeProcessorCount)

  /// Limits OpenBLAS's own thread pool to `count` threads (process-wide). Callers that already
  /// spread work over Dispatch workers — rollout workers, training drivers — set 1: OpenBLAS's
  /// threads otherwise spin (sched_yield) around the small GEMMs a policy makes, which cost a
  /// CartPole PPO run 10 s of system time in 100k steps here.
  public static func setBLASThreads(_ count: Int) {
    openblas_set_num_threads(Int32(max(1, count)))
  }
}

/// Number of online processors, read once.
enum System {
  static var activeProcessorCount: Int {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 1
    #endif
  }
}

#if canImport(Glibc)
import Glibc
#endif

/// A raw pointer that may cross into Dispatch workers.
///
/// Safety: only used inside `parallelChunks` bodies, where each worker touches a disjoint range
/// of indices, and only while the owning buffer is pinned by `withUnsafe…BufferPointer`.
struct SendableBuffer<Element>: @unchecked Sendable {
  let base: UnsafeMutablePointer<Element>
  init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
  init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.base = buffer.baseAddress! }
  init(_ buffer: UnsafeBufferPointer<Element>) { self.base = UnsafeMutablePointer(mutating: buffer.baseAddress!) }
  @inline(__always) subscript(i: Int) -> Element {
    get { base[i] }
    nonmutating set { base[i] = newValue }
  }
}

/// Runs `body` over `0..<count` split into contiguous chunks, in parallel when each worker gets at
/// least `minimumChunk` iterations (choose it so a chunk is ≥ ~100 µs of work), else inline.
@inline(__always)
func parallelChunks(count: Int, minimumChunk: Int, _ body: (Range<Int>) -> Void) {
  let workers = min(ComputeThreads.maximum, count / max(1, minimumChunk))
  if workers <= 1 {
    body(0..<count)
    return
  }
  withoutActuallyEscaping(body) { body in
    nonisolated(unsafe) let body = body
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      let start = count * worker / workers
      let end = count * (worker + 1) / workers
      body(start..<end)
    }
  }
}

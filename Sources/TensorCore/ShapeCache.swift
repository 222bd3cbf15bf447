// Per-thread shared shape arrays for the shapes a batch-1 policy creates on every op: [n] and
// [1, n] up to n = 1024. A result shape that is not an input's shape costs a heap array
// (~20 ns to allocate, more to free) — a third of a small op. From this table it costs a table
// read and a retain.
//
// Thread safety: each thread owns its table (POSIX thread-specific data, released when the
// thread exits); no table is ever read or written by another thread. The arrays it hands out
// are ordinary immutable arrays, so tensors holding them may move between threads freely.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum ShapeCache {
  /// The largest `n` with a shared [n] and [1, n].
  static let limit = 1024

  /// [n]: shared when 0 ≤ n ≤ ``limit``.
  @inline(__always)
  static func vector(_ n: Int) -> [Int] {
    guard n >= 0 && n <= limit else { return [n] }
    return ShapeTable.withCurrent { $0.shape(slot: n, dimensions: 1, n) }
  }

  /// [m, n]: shared when m == 1 and 0 ≤ n ≤ ``limit``.
  @inline(__always)
  static func matrix(_ m: Int, _ n: Int) -> [Int] {
    guard m == 1 && n >= 0 && n <= limit else { return [m, n] }
    return ShapeTable.withCurrent { $0.shape(slot: limit + 1 + n, dimensions: 2, n) }
  }
}

/// One thread's shapes: slot n holds [n], slot limit + 1 + n holds [1, n] (made on first use).
final class ShapeTable {
  private let slots: UnsafeMutablePointer<[Int]?>
  private static let count = 2 * (ShapeCache.limit + 1)

  private init() {
    slots = .allocate(capacity: Self.count)
    slots.initialize(repeating: nil, count: Self.count)
  }

  deinit {
    slots.deinitialize(count: Self.count)
    slots.deallocate()
  }

  @inline(__always)
  func shape(slot: Int, dimensions: Int, _ n: Int) -> [Int] {
    if let shape = slots[slot] { return shape }
    let shape = dimensions == 1 ? [n] : [1, n]
    slots[slot] = shape
    return shape
  }

  /// `body` with the calling thread's table (borrowed: the thread-specific slot keeps it alive).
  @inline(__always)
  static func withCurrent<R>(_ body: (ShapeTable) -> R) -> R {
    guard let pointer = pthread_getspecific(key) else { return body(install()) }
    return Unmanaged<ShapeTable>.fromOpaque(pointer)._withUnsafeGuaranteedRef(body)
  }

  @inline(never)
  private static func install() -> ShapeTable {
    let table = ShapeTable()
    let status = pthread_setspecific(key, Unmanaged.passRetained(table).toOpaque())
    precondition(status == 0, "ShapeTable: pthread_setspecific failed (\(status))")
    return table
  }

  /// The thread-specific key; its destructor releases a thread's table when the thread exits.
  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key, releaseTable)
    precondition(status == 0, "ShapeTable: pthread_key_create failed (\(status))")
    return key
  }()
}

#if canImport(Darwin)
private func releaseTable(_ pointer: UnsafeMutableRawPointer) {
  Unmanaged<ShapeTable>.fromOpaque(pointer).release()
}
#else
private func releaseTable(_ pointer: UnsafeMutableRawPointer?) {
  if let pointer { Unmanaged<ShapeTable>.fromOpaque(pointer).release() }
}
#endif

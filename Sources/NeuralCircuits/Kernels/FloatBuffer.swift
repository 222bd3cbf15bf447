// A heap block of Float32 that the kernels index with raw pointers. Kernels keep their saved
// forward values (tapes) and scratch space in these so no array copy-on-write or exclusivity
// check sits in an inner loop. Owned by one kernel call or one stepper at a time.

/// A fixed-size, zero-initialized, heap-allocated block of `Float`.
final class FloatBuffer: @unchecked Sendable {
  /// The first element. Valid for `count` elements until the buffer is released.
  let base: UnsafeMutablePointer<Float>
  let count: Int

  init(count: Int) {
    self.count = count
    base = .allocate(capacity: max(count, 1))
    base.initialize(repeating: 0, count: max(count, 1))
  }

  /// A buffer whose contents are undefined until written (for buffers the caller fills completely).
  init(uninitializedCount count: Int) {
    self.count = count
    base = .allocate(capacity: max(count, 1))
  }

  /// A buffer holding a copy of `values`.
  convenience init(_ values: [Float]) {
    self.init(count: values.count)
    values.withUnsafeBufferPointer { if let p = $0.baseAddress { base.update(from: p, count: values.count) } }
  }

  deinit { base.deallocate() }

  /// Sets every element to zero.
  func zero() { base.update(repeating: 0, count: count) }

  /// The contents as an array.
  var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

// A lock-protected box for the little state a forward pass updates: Dropout's random stream
// and BatchNorm's running statistics. Forward passes are non-mutating (`let model` runs on many
// threads), so this state lives in a box that the copies of a layer share; in particular the
// copy made by `requiringGradient()` for a training step updates the original's statistics.
// Every mutating entry point (visiting tensors, `setTraining`) first gives the layer its own box
// when the box is shared, so snapshots taken with `var s = model; s.setTraining(false)` or by
// loading a state dict are independent (copy-on-write at the layer's mutation boundary).

import Synchronization

final class Shared<Value: Sendable>: Sendable {
  private let storage: Mutex<Value>

  init(_ value: Value) { storage = Mutex(value) }

  /// The current value.
  var value: Value { storage.withLock { $0 } }

  /// Runs `body` with exclusive access to the value.
  func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
    storage.withLock { value in body(&value) }
  }
}

extension Shared {
  /// `box` itself if this is its only reference, else a new box holding a copy.
  static func unique(_ box: inout Shared<Value>) {
    if !isKnownUniquelyReferenced(&box) { box = Shared(box.value) }
  }
}

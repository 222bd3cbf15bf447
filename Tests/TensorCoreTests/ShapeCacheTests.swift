import Dispatch
import Foundation
import Testing
@testable import TensorCore

/// The per-thread table of [n] and [1, n] shapes: right values at the edges, and ops that take
/// their result shapes from it agree across threads running at once (each thread has its own
/// table; the arrays it hands out are shared by tensors that outlive or leave the thread).
@Suite struct ShapeCacheTests {
  @Test(arguments: [0, 1, 7, 1023, 1024, 1025, 5000])
  func sharedShapesHaveTheRequestedDimensions(_ n: Int) {
    #expect(ShapeCache.vector(n) == [n])
    #expect(ShapeCache.matrix(1, n) == [1, n])
    #expect(ShapeCache.matrix(3, n) == [3, n])
    #expect(ShapeCache.vector(n) == ShapeCache.vector(n))
    #expect([n, 2].replacing(1, with: 9) == [n, 9])
    #expect([1, n].replacing(0, with: 4) == [4, n])
    #expect([n].replacing(0, with: 3) == [3])
    #expect([2, n, 5].replacing(1, with: 1) == [2, 1, 5])
  }

  @Test func threadsBuildAndKeepTensorsWithSharedShapes() {
    let w = randomTensor([24, 16], seed: 21), b = randomTensor([24], seed: 22)
    let x = randomTensor([1, 16], seed: 23)
    let expected = concat([linear(x, weight: w, bias: b), x], axis: 1).sum(alongAxes: [0])
    let outputs = UnsafeTensorSlots(count: 16)
    DispatchQueue.concurrentPerform(iterations: 16) { i in
      var y = Tensor(zeros: [1])
      for _ in 0..<200 { y = concat([linear(x, weight: w, bias: b), x], axis: 1).sum(alongAxes: [0]) }
      outputs.set(i, y)
    }
    // Threads have finished (and may have exited): the tensors they made are still whole.
    for i in 0..<16 {
      #expect(outputs[i].shape == [40])
      #expect(outputs[i].scalars == expected.scalars)
    }
  }

  @Test func aThreadThatExitsLeavesItsShapesValid() {
    let box = UnsafeTensorSlots(count: 1)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      box.set(0, concat([Tensor(ones: [1, 3]), Tensor(zeros: [1, 2])], axis: 1))
      done.signal()
    }
    thread.start()
    done.wait()
    usleep(20_000)  // let the thread exit and its table destructor run
    #expect(box[0].shape == [1, 5])
    #expect(box[0].scalars == [1, 1, 1, 0, 0])
  }
}

/// Per-index tensor slots for the threading tests; each writer writes only its own slot.
final class UnsafeTensorSlots: @unchecked Sendable {
  private var values: [Tensor]
  init(count: Int) { values = [Tensor](repeating: Tensor(zeros: [0]), count: count) }
  func set(_ i: Int, _ value: Tensor) { values.withUnsafeMutableBufferPointer { $0[i] = value } }
  subscript(i: Int) -> Tensor { values[i] }
}

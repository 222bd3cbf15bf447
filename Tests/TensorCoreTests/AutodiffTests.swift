import Dispatch
import Testing
@testable import TensorCore

@Suite struct AutodiffTests {
  @Test func inferenceTensorsRecordNothing() {
    let x = Tensor([1, 2, 3], shape: [3])
    let y = tanh(x * x + 1)
    #expect(y.origin == nil)
  }

  @Test func recordedReturnsSelfWhenNoInputRecords() {
    let x = Tensor([1, 2], shape: [2])
    let y = x.recorded(from: [x]) { dy in [dy] }
    #expect(y.origin == nil)
  }

  @Test func sharedNodeGradientsAccumulate() {
    // y = x·x + x (x used three times): dy/dx = 2x + 1.
    let x = Tensor([1, -2, 3], shape: [3]).requiringGradient()
    let y = (x * x + x).sum()
    let dx = y.gradients(for: [x])[0]
    #expect(dx.isClose(to: [3, -3, 7]))
  }

  @Test func diamondGraphVisitsEachNodeOnce() {
    // a = 2x; b = a + a; c = b·a => c = 8x², dc/dx = 16x.
    let x = Tensor([0.5, 1], shape: [2]).requiringGradient()
    let a = x * 2
    let b = a + a
    let c = (b * a).sum()
    #expect(c.gradients(for: [x])[0].isClose(to: [8, 16]))
  }

  @Test func unrelatedLeafGetsZeros() {
    let x = Tensor([1, 2], shape: [2]).requiringGradient()
    let z = Tensor([5, 6, 7], shape: [3]).requiringGradient()
    let g = (x * 3).sum().gradients(for: [x, z])
    #expect(g[0].isClose(to: [3, 3]))
    #expect(g[1].isClose(to: [0, 0, 0]))
  }

  @Test func seededGradientIsVectorJacobianProduct() {
    let x = Tensor([1, 2], shape: [2]).requiringGradient()
    let y = x * x
    let g = y.gradients(for: [x], seed: Tensor([10, 100], shape: [2]))[0]
    #expect(g.isClose(to: [20, 400]))
  }

  @Test func gradientWithRespectToIntermediate() {
    let x = Tensor([1, 2], shape: [2]).requiringGradient()
    let h = x * 3
    let y = (h * h).sum()
    let g = y.gradients(for: [h, x])
    #expect(g[0].isClose(to: [6, 12]))
    #expect(g[1].isClose(to: [18, 36]))
  }

  @Test func longChainDoesNotOverflowTheStack() {
    let x = Tensor([1], shape: [1]).requiringGradient()
    var y = x
    for _ in 0..<20_000 { y = y + 0 }
    #expect(y.sum().gradients(for: [x])[0].isClose(to: [1]))
  }

  @Test func manyThreadsDifferentiateAtOnce() {
    let results = UnsafeResults(count: 8)
    DispatchQueue.concurrentPerform(iterations: 8) { i in
      let x = Tensor([Float(i + 1), 1], shape: [2]).requiringGradient()
      var y = x
      for _ in 0..<50 { y = tanh(y) * 0.5 + x }
      let g = (y * y).sum().gradients(for: [x])[0]
      results.set(i, g.scalars[0].isFinite && g.scalars[0] > 0)
    }
    #expect(results.all)
  }
}

/// Per-index result slots for the threading test; each iteration writes only its own slot.
final class UnsafeResults: @unchecked Sendable {
  private var values: [Bool]
  init(count: Int) { values = [Bool](repeating: false, count: count) }
  func set(_ i: Int, _ v: Bool) { values.withUnsafeMutableBufferPointer { $0[i] = v } }
  var all: Bool { values.allSatisfy { $0 } }
}

@Suite struct GradientCheckerTests {
  @Test func checkerRejectsAWrongPullback() {
    // y = x² with a pullback that forgets the factor 2.
    func wrongSquare(_ x: Tensor) -> Tensor {
      let xv = x.detached
      return Tensor.zipMap(xv, xv) { $0 * $1 }.recorded(from: [x]) { dy in [dy * xv] }
    }
    let check = checkGradients(at: [Tensor([0.5, 1, 2], shape: [3])]) { wrongSquare($0[0]) }
    #expect(!check.isPassing)
    #expect(check.checkedCount == 3)
  }

  @Test func checkerAcceptsTheRightPullback() {
    let check = checkGradients(at: [Tensor([0.5, 1, 2], shape: [3])]) { $0[0] * $0[0] }
    #expect(check.isPassing)
    #expect(check.maximumAbsoluteError < 1e-3)
  }
}

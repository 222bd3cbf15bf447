import Testing
@testable import TensorCore

@Suite struct ArithmeticTests {
  @Test func broadcastingMatchesNumPyRules() {
    let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    #expect((a + Tensor([10, 20, 30], shape: [3])).isClose(to: [11, 22, 33, 14, 25, 36]))
    #expect((a * Tensor([2, 3], shape: [2, 1])).isClose(to: [2, 4, 6, 12, 15, 18]))
    let outer = Tensor([1, 2], shape: [2, 1]) - Tensor([1, 2, 3], shape: [1, 3])
    #expect(outer.shape == [2, 3])
    #expect(outer.isClose(to: [0, -1, -2, 1, 0, -1]))
    #expect((a / Tensor(2)).isClose(to: [0.5, 1, 1.5, 2, 2.5, 3]))
    let c = Tensor([1, 2, 3, 4], shape: [2, 1, 2, 1]) + Tensor([10, 20, 30], shape: [3, 1, 1])
    #expect(c.shape == [2, 3, 2, 1])
    #expect(c.isClose(to: [11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34]))
  }

  @Test func broadcastOverInnerAndOuterAxes() {
    // [2, 3, 2] + [3, 1]: the channel-bias pattern.
    let x = Tensor((0..<12).map(Float.init), shape: [2, 3, 2])
    let b = Tensor([100, 200, 300], shape: [3, 1])
    let y = x + b
    #expect(y.shape == [2, 3, 2])
    #expect(y.isClose(to: [100, 101, 202, 203, 304, 305, 106, 107, 208, 209, 310, 311]))
  }

  @Test func scalarOperands() {
    let x = Tensor([1, 2], shape: [2])
    #expect((x + 1).isClose(to: [2, 3]))
    #expect((1 - x).isClose(to: [0, -1]))
    #expect((2 / x).isClose(to: [2, 1]))
    #expect((x * 3).isClose(to: [3, 6]))
    #expect((-x).isClose(to: [-1, -2]))
  }

  @Test func binaryGradientsWithBroadcasting() {
    let a = randomTensor([3, 4], seed: 1)
    let b = randomTensor([4], seed: 2)
    let c = randomTensor([3, 1], in: 0.5...2, seed: 3)
    expectGradientsMatch([a, b]) { $0[0] + $0[1] }
    expectGradientsMatch([a, c]) { $0[0] - $0[1] }
    expectGradientsMatch([a, b]) { $0[0] * $0[1] }
    expectGradientsMatch([a, c]) { $0[0] / $0[1] }
    expectGradientsMatch([b, a]) { $0[0] - $0[1] }
    expectGradientsMatch([c, a]) { $0[1] / $0[0] }
    expectGradientsMatch([a, Tensor(1.5)]) { $0[0] * $0[1] }
    expectGradientsMatch([randomTensor([2, 1, 3], seed: 4), randomTensor([4, 1], seed: 5)]) { $0[0] * $0[1] }
  }

  @Test func scalarOperandGradients() {
    let a = randomTensor([2, 3], in: 0.5...2)
    expectGradientsMatch([a]) { 2 - $0[0] * 3 + 1 }
    expectGradientsMatch([a]) { 2 / $0[0] - $0[0] / 4 }
    expectGradientsMatch([a]) { -$0[0] }
  }

  @Test func broadcastAndItsAdjoint() {
    let a = randomTensor([3, 1], seed: 7)
    expectGradientsMatch([a]) { $0[0].broadcasted(to: [2, 3, 4]) }
    expectGradientsMatch([randomTensor([2, 3, 4])]) { $0[0].unbroadcasted(to: [3, 1]) }
  }
}

@Suite struct ElementwiseTests {
  @Test func forwardValues() {
    let x = Tensor([-1, 0, 2], shape: [3])
    #expect(exp(x).isClose(to: [0.36787944, 1, 7.389056]))
    #expect(tanh(x).isClose(to: [-0.7615942, 0, 0.9640276]))
    #expect(sigmoid(x).isClose(to: [0.26894143, 0.5, 0.8807971]))
    #expect(relu(x).isClose(to: [0, 0, 2]))
    #expect(log(Tensor([1, 2.718281828], shape: [2])).isClose(to: [0, 1]))
    #expect(sigmoid(Tensor([-100, 100], shape: [2])).isClose(to: [0, 1]))
  }

  @Test func unaryGradients() {
    let x = randomTensor([2, 5], in: -2...2)
    expectGradientsMatch([x]) { exp($0[0]) }
    expectGradientsMatch([x]) { tanh($0[0]) }
    expectGradientsMatch([x]) { sigmoid($0[0]) }
    expectGradientsMatch([randomTensor([2, 5], in: 0.5...3)]) { log($0[0]) }
    // relu: stay away from the kink at 0.
    expectGradientsMatch([Tensor([-1.5, -0.3, 0.2, 0.7, 2], shape: [5])]) { relu($0[0]) }
  }
}

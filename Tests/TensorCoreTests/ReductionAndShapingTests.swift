import Testing
@testable import TensorCore

@Suite struct ReductionTests {
  let x = Tensor((1...24).map(Float.init), shape: [2, 3, 4])

  @Test func sumsAndMeans() {
    #expect(x.sum().shape == [])
    #expect(x.sum().scalar == 300)
    let s1 = x.sum(alongAxis: 1)
    #expect(s1.shape == [2, 4])
    #expect(s1.isClose(to: [15, 18, 21, 24, 51, 54, 57, 60]))
    let s2 = x.sum(alongAxes: [0, 2], keepingDimensions: true)
    #expect(s2.shape == [1, 3, 1])
    #expect(s2.isClose(to: [68, 100, 132]))
    #expect(x.sum(alongAxis: -1).isClose(to: [10, 26, 42, 58, 74, 90]))
    #expect(x.mean(alongAxis: 0).isClose(to: (13...24).map { Float($0) - 6 }))
    #expect(x.mean().scalar == 12.5)
  }

  @Test func reductionGradients() {
    let x = randomTensor([2, 3, 4])
    expectGradientsMatch([x]) { $0[0].sum() }
    expectGradientsMatch([x]) { $0[0].sum(alongAxis: 1) }
    expectGradientsMatch([x]) { $0[0].sum(alongAxes: [0, 2], keepingDimensions: true) }
    expectGradientsMatch([x]) { $0[0].mean(alongAxis: -1) }
    expectGradientsMatch([x]) { $0[0].mean() }
  }
}

@Suite struct ShapingTests {
  @Test func reshapeAndTranspose() {
    let x = Tensor((0..<6).map(Float.init), shape: [2, 3])
    #expect(x.reshaped(to: [3, -1]).shape == [3, 2])
    let t = x.transposed()
    #expect(t.shape == [3, 2])
    #expect(t.isClose(to: [0, 3, 1, 4, 2, 5]))
    let y = Tensor((0..<24).map(Float.init), shape: [2, 3, 4]).permuted([2, 0, 1])
    #expect(y.shape == [4, 2, 3])
    #expect(y.scalars.prefix(6).map { $0 } == [0, 4, 8, 12, 16, 20])
    expectGradientsMatch([randomTensor([2, 3])]) { $0[0].reshaped(to: [3, 2]) * Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2]) }
    expectGradientsMatch([randomTensor([2, 3])]) { $0[0].transposed() }
    expectGradientsMatch([randomTensor([2, 3, 4])]) { $0[0].permuted([1, 2, 0]) }
  }

  @Test func sliceAndConcat() {
    let x = Tensor((0..<12).map(Float.init), shape: [3, 4])
    #expect(x.slice(axis: 1, range: 1..<3).isClose(to: [1, 2, 5, 6, 9, 10]))
    #expect(x[1..<3].isClose(to: (4..<12).map(Float.init)))
    #expect(x[2].shape == [4])
    let c = concat([x, x.slice(axis: 1, range: 0..<1)], axis: 1)
    #expect(c.shape == [3, 5])
    #expect(c.isClose(to: [0, 1, 2, 3, 0, 4, 5, 6, 7, 4, 8, 9, 10, 11, 8]))
    #expect(concat([x, x], axis: 0).shape == [6, 4])
    expectGradientsMatch([randomTensor([3, 4])]) { $0[0].slice(axis: 1, range: 1..<3) }
    expectGradientsMatch([randomTensor([3, 4])]) { $0[0][1] }
    expectGradientsMatch([randomTensor([2, 3], seed: 1), randomTensor([2, 2], seed: 2)]) { concat($0, axis: -1) }
    expectGradientsMatch([randomTensor([1, 3], seed: 1), randomTensor([2, 3], seed: 2)]) { concat($0) * 2 }
  }
}

@Suite struct MatrixMultiplicationTests {
  @Test func productValues() {
    let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    let b = Tensor([1, 0, 0, 1, 1, 1], shape: [3, 2])
    #expect(matmul(a, b).isClose(to: [4, 5, 10, 11]))
    #expect(matmul(a, a, transposeB: true).isClose(to: [14, 32, 32, 77]))
    #expect(matmul(a, a, transposeA: true).shape == [3, 3])
    #expect(matmul(b, a, transposeA: true, transposeB: true).isClose(to: matmul(a, b).transposed().scalars))
  }

  @Test func gradientsForEveryTransposeCombination() {
    let a = randomTensor([3, 4], seed: 1), b = randomTensor([4, 2], seed: 2)
    expectGradientsMatch([a, b]) { matmul($0[0], $0[1]) }
    expectGradientsMatch([a, randomTensor([2, 4], seed: 3)]) { matmul($0[0], $0[1], transposeB: true) }
    expectGradientsMatch([randomTensor([4, 3], seed: 4), b]) { matmul($0[0], $0[1], transposeA: true) }
    expectGradientsMatch([randomTensor([4, 3], seed: 5), randomTensor([2, 4], seed: 6)]) {
      matmul($0[0], $0[1], transposeA: true, transposeB: true)
    }
  }

  @Test func fewRowKernelAgreesWithBLAS() {
    // m ≤ 4 takes the SIMD path; a batch of one matrix always goes through cblas_sgemm.
    for (m, n, k) in [(1, 128, 80), (3, 19, 37), (4, 5, 7)] {
      let a = randomTensor([m, k], seed: 1)
      let b = randomTensor([k, n], seed: 2), bt = randomTensor([n, k], seed: 3)
      let viaBLAS = matmul(a.reshaped(to: [1, m, k]), b.reshaped(to: [1, k, n])).reshaped(to: [m, n])
      #expect(matmul(a, b).isApproximatelyEqual(to: viaBLAS, tolerance: 1e-5))
      let viaBLAST = matmul(a.reshaped(to: [1, m, k]), bt.reshaped(to: [1, n, k]), transposeB: true)
      #expect(matmul(a, bt, transposeB: true).isApproximatelyEqual(to: viaBLAST.reshaped(to: [m, n]), tolerance: 1e-5))
    }
  }

  @Test func linearLayerComposite() {
    let x = randomTensor([5, 3], seed: 1), w = randomTensor([4, 3], seed: 2), bias = randomTensor([4], seed: 3)
    expectGradientsMatch([x, w, bias]) { tanh(matmul($0[0], $0[1], transposeB: true) + $0[2]) }
  }
}

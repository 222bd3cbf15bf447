import Foundation
import Testing
@testable import TensorCore

@Suite struct MathTests {
  @Test func forwardValues() {
    let x = Tensor([-2, -0.5, 0.5, 25], shape: [4])
    #expect(softplus(x).isClose(to: [0.126928, 0.474077, 0.974077, 25]))
    #expect(abs(x).isClose(to: [2, 0.5, 0.5, 25]))
    #expect(sqrt(Tensor([4, 2], shape: [2])).isClose(to: [2, 1.4142135]))
    #expect(pow(Tensor([2, 3], shape: [2]), 3).isClose(to: [8, 27]))
    #expect(pow(Tensor([2, 9], shape: [2]), Tensor([0.5, 0.5], shape: [2])).isClose(to: [1.4142135, 3]))
    #expect(erf(Tensor([0, 1], shape: [2])).isClose(to: [0, 0.8427008]))
    #expect(x.clamped(to: -1...1).isClose(to: [-1, -0.5, 0.5, 1]))
    #expect(clamp(x, min: 0).isClose(to: [0, 0, 0.5, 25]))
  }

  @Test func gradients() {
    let x = randomTensor([2, 4], in: -3...3)
    expectGradientsMatch([x]) { softplus($0[0]) }
    expectGradientsMatch([Tensor([21, 30, -1], shape: [3])]) { softplus($0[0]) }  // above the threshold
    expectGradientsMatch([Tensor([-1.5, -0.2, 0.3, 2], shape: [4])]) { abs($0[0]) }
    let positive = randomTensor([2, 3], in: 0.5...3, seed: 9)
    expectGradientsMatch([positive]) { sqrt($0[0]) }
    expectGradientsMatch([positive]) { pow($0[0], 2.5) }
    expectGradientsMatch([x]) { pow($0[0], 2) }
    expectGradientsMatch([positive, randomTensor([3], in: -2...2, seed: 4)]) { pow($0[0], $0[1]) }
    expectGradientsMatch([x]) { erf($0[0]) }
    expectGradientsMatch([Tensor([-2.5, -0.5, 0.3, 1.7], shape: [4])]) { $0[0].clamped(to: -1...1) }
  }

  @Test func comparisonsAndWhere() {
    let a = Tensor([1, 2, 3], shape: [3]), b = Tensor([2, 2, 2], shape: [3])
    #expect((a .< b).isClose(to: [1, 0, 0]))
    #expect((a .<= b).isClose(to: [1, 1, 0]))
    #expect((a .> b).isClose(to: [0, 0, 1]))
    #expect((a .>= 2).isClose(to: [0, 1, 1]))
    #expect((a .== b).isClose(to: [0, 1, 0]))
    #expect((a .!= 2).isClose(to: [1, 0, 1]))
    let mask = Tensor([1, 0, 1], shape: [3])
    #expect(Tensor.where(mask, a, Tensor(-1)).isClose(to: [1, -1, 3]))
    let x = randomTensor([2, 3], seed: 1), y = randomTensor([3], seed: 2)
    expectGradientsMatch([x, y]) { select(mask, $0[0], $0[1]) }
  }
}

@Suite struct ExtremesAndSoftmaxTests {
  @Test func maxMinArgmax() {
    let x = Tensor([1, 5, 2, 7, 3, 0], shape: [2, 3])
    #expect(x.max(alongAxis: 1).isClose(to: [5, 7]))
    #expect(x.min(alongAxis: 0).isClose(to: [1, 3, 0]))
    #expect(x.max().scalar == 7)
    #expect(x.argmax(alongAxis: 1) == [1, 0])
    #expect(x.argmax(alongAxis: 0) == [1, 0, 0])
    expectGradientsMatch([randomTensor([3, 4])]) { $0[0].max(alongAxis: 1) }
    expectGradientsMatch([randomTensor([3, 4])]) { $0[0].min(alongAxes: [0, 1], keepingDimensions: true) }
    // Ties split the gradient evenly.
    let t = Tensor([2, 2, 1], shape: [3]).requiringGradient()
    #expect(t.max().gradients(for: [t])[0].isClose(to: [0.5, 0.5, 0]))
  }

  @Test func logSumExpAndSoftmaxMatchDefinitions() {
    let x = randomTensor([3, 5], in: -4...4)
    let direct = log(exp(x).sum(alongAxis: 1))
    #expect(x.logSumExp(alongAxis: 1).isApproximatelyEqual(to: direct, tolerance: 1e-5))
    let big = Tensor([1000, 1000], shape: [1, 2])
    #expect(big.logSumExp(alongAxis: 1).isClose(to: [1000.6931]))
    let s = softmax(x)
    #expect(s.isApproximatelyEqual(to: exp(x) / exp(x).sum(alongAxis: 1, keepingDimensions: true)))
    #expect(s.sum(alongAxis: 1).isClose(to: [1, 1, 1]))
    #expect(logSoftmax(x).isApproximatelyEqual(to: log(s), tolerance: 1e-5))
    expectGradientsMatch([x]) { $0[0].logSumExp(alongAxis: 1) }
    expectGradientsMatch([x]) { softmax($0[0], alongAxis: 0) }
    expectGradientsMatch([x]) { logSoftmax($0[0]) }
  }
}

@Suite struct IndexingTests {
  @Test func splitStackGather() {
    let x = Tensor((0..<12).map(Float.init), shape: [3, 4])
    let parts = x.split(sizes: [1, 3], alongAxis: 1)
    #expect(parts[0].isClose(to: [0, 4, 8]))
    #expect(parts[1].shape == [3, 3])
    #expect(x.split(count: 3).map(\.shape) == [[1, 4], [1, 4], [1, 4]])
    let s = stack([x, x * 2], axis: 1)
    #expect(s.shape == [3, 2, 4])
    #expect(s[0].isClose(to: [0, 1, 2, 3, 0, 2, 4, 6]))
    #expect(x.gathering(atIndices: [2, 0, 2]).isClose(to: [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]))
    #expect(x.gathering(atIndices: [3], alongAxis: 1).isClose(to: [3, 7, 11]))
    #expect(x.taking(indices: [1, 3, 0], alongAxis: 1).isClose(to: [1, 7, 8]))
    #expect(x.taking(indices: [2, 0, 1, 1], alongAxis: 0).isClose(to: [8, 1, 6, 7]))

    let r = randomTensor([3, 4])
    expectGradientsMatch([r]) { $0[0].split(sizes: [1, 3], alongAxis: 1)[1] }
    expectGradientsMatch([r, randomTensor([3, 4], seed: 2)]) { stack($0, axis: 2) }
    expectGradientsMatch([r]) { $0[0].gathering(atIndices: [2, 0, 2], alongAxis: 0) }
    expectGradientsMatch([r]) { $0[0].taking(indices: [1, 3, 0], alongAxis: 1) }
  }
}

@Suite struct BatchedMatmulTests {
  @Test func batchedProductsMatchPerMatrixProducts() {
    let a = randomTensor([2, 3, 4], seed: 1), b = randomTensor([2, 4, 5], seed: 2)
    let c = matmul(a, b)
    #expect(c.shape == [2, 3, 5])
    #expect(c[1].isApproximatelyEqual(to: matmul(a[1], b[1])))
    expectGradientsMatch([a, b]) { matmul($0[0], $0[1]) }
    expectGradientsMatch([a, randomTensor([2, 5, 4], seed: 3)]) { matmul($0[0], $0[1], transposeB: true) }
    expectGradientsMatch([randomTensor([2, 4, 3], seed: 4), b]) { matmul($0[0], $0[1], transposeA: true) }
  }
}

@Suite struct ConvolutionTests {
  /// Direct definition: y[n,o,i,j] = b[o] + Σ_c,u,v x[n,c,i·s+u−p, j·s+v−p] · w[o,c,u,v].
  func naiveConv(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride s: Int, padding p: Int) -> [Float] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1
    var out = [Float]()
    for ni in 0..<n { for oi in 0..<o { for i in 0..<oh { for j in 0..<ow {
      var acc = b.scalars[oi]
      for ci in 0..<c { for u in 0..<kh { for v in 0..<kw {
        let r = i * s + u - p, q = j * s + v - p
        if r >= 0 && r < h && q >= 0 && q < wd {
          acc += x.scalars[((ni * c + ci) * h + r) * wd + q] * w.scalars[((oi * c + ci) * kh + u) * kw + v]
        }
      } } }
      out.append(acc)
    } } } }
    return out
  }

  @Test(arguments: [(1, 0), (2, 1), (3, 2)])
  func convolutionMatchesDefinition(stride: Int, padding: Int) {
    let x = randomTensor([2, 3, 7, 6], seed: 1), w = randomTensor([4, 3, 3, 2], seed: 2), b = randomTensor([4], seed: 3)
    let y = conv2d(x, weight: w, bias: b, stride: stride, padding: padding)
    #expect(y.shape == [2, 4, (7 + 2 * padding - 3) / stride + 1, (6 + 2 * padding - 2) / stride + 1])
    #expect(y.isClose(to: naiveConv(x, w, b, stride: stride, padding: padding), tolerance: 1e-5))
  }

  @Test func convolutionGradients() {
    let x = randomTensor([2, 2, 5, 5], seed: 1), w = randomTensor([3, 2, 3, 3], seed: 2), b = randomTensor([3], seed: 3)
    expectGradientsMatch([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
    expectGradientsMatch([x, w]) { conv2d($0[0], weight: $0[1]) }
    expectGradientsMatch([x, randomTensor([4, 2, 1, 1], seed: 4)]) { conv2d($0[0], weight: $0[1]) }  // pointwise path
  }

  @Test func weightGradientWithoutInputGradient() {
    // The input does not record: only dW and db are computed; they must equal the full ones.
    let x = randomTensor([3, 2, 6, 6], seed: 1), w = randomTensor([2, 2, 3, 3], seed: 2), b = randomTensor([2], seed: 3)
    let (wl, bl) = (w.requiringGradient(), b.requiringGradient())
    let partial = conv2d(x, weight: wl, bias: bl, stride: 2).sum().gradients(for: [wl, bl])
    let xl = x.requiringGradient()
    let full = conv2d(xl, weight: wl, bias: bl, stride: 2).sum().gradients(for: [wl, bl])
    #expect(partial[0].isApproximatelyEqual(to: full[0]))
    #expect(partial[1].isApproximatelyEqual(to: full[1]))
  }

  @Test func pooling() {
    let x = Tensor((0..<16).map(Float.init), shape: [1, 1, 4, 4])
    #expect(maxPool2d(x, kernelSize: 2).isClose(to: [5, 7, 13, 15]))
    #expect(avgPool2d(x, kernelSize: 2).isClose(to: [2.5, 4.5, 10.5, 12.5]))
    #expect(maxPool2d(x, kernelSize: 3, stride: 1).isClose(to: [10, 11, 14, 15]))
    #expect(avgPool2d(x, kernelSize: 2, stride: 2, padding: 1).isClose(to: [0, 0.75, 0.75, 3, 7.5, 4.5, 3, 6.75, 3.75]))
    #expect(globalAvgPool2d(x).isClose(to: [7.5]))
    let r = randomTensor([2, 2, 5, 5], seed: 5)
    // Distinct values 0.1 apart, so no window holds a near-tie the finite differences would cross.
    let distinct = Tensor((0..<100).map { Float(($0 * 37) % 100) * 0.1 }, shape: [2, 2, 5, 5])
    expectGradientsMatch([distinct]) { maxPool2d($0[0], kernelSize: 2, stride: 2) }
    expectGradientsMatch([distinct]) { maxPool2d($0[0], kernelSize: 3, stride: 2, padding: 1) }
    expectGradientsMatch([r]) { avgPool2d($0[0], kernelSize: 3, stride: 2, padding: 1) }
    expectGradientsMatch([r]) { globalAvgPool2d($0[0]) }
  }
}

@Suite struct TranscendentalAccuracyTests {
  /// A dense grid over [-30, 30] plus the extremes.
  static let grid: [Float] = stride(from: Float(-30), through: 30, by: 0.0137).map { $0 }
    + [0, -0, 1e-8, -1e-8, 0.624, 0.626, -0.625, 80, 88.5, 89, -87, -88, -104, 200, -200]

  @Test func expMatchesLibm() {
    let y = exp(Tensor(Self.grid))
    for (x, v) in zip(Self.grid, y.scalars) {
      let reference = Foundation.exp(Double(x))
      if reference > Double(Float.greatestFiniteMagnitude) {
        #expect(v == .infinity)
      } else if reference < 1e-37 {
        #expect(v >= 0 && v < 1e-37)
      } else {
        #expect(Swift.abs(Double(v) - reference) <= 3e-7 * reference, "exp(\(x)) = \(v), want \(reference)")
      }
    }
  }

  @Test func tanhAndSigmoidMatchLibm() {
    let t = tanh(Tensor(Self.grid)), s = sigmoid(Tensor(Self.grid))
    for (i, x) in Self.grid.enumerated() {
      let rt = Foundation.tanh(Double(x)), rs = 1 / (1 + Foundation.exp(-Double(x)))
      #expect(Swift.abs(Double(t.scalars[i]) - rt) <= 3e-7 * Swift.max(Swift.abs(rt), 1e-30) + 1e-45, "tanh(\(x))")
      #expect(Swift.abs(Double(s.scalars[i]) - rs) <= 3e-7 * rs + 1e-45, "sigmoid(\(x))")
    }
  }

  @Test func nanPropagates() {
    let x = Tensor([.nan, 1], shape: [2])
    #expect(exp(x).scalars[0].isNaN)
    #expect(tanh(x).scalars[0].isNaN)
    #expect(sigmoid(x).scalars[0].isNaN)
  }
}

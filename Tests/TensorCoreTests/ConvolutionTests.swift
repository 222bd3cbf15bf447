// conv2d beyond MathTests' ConvolutionTests: strides and paddings that differ along height and width
// (against the definition and finite differences), and the chunked GEMM path (several samples
// per GEMM, a short last chunk) against sample-by-sample results.

import Testing
import TensorCore

@Suite struct ConvolutionGeometryTests {
  /// The definition of conv2d with per-axis stride (sh, sw) and padding (ph, pw). Shape: NCHW.
  func definition(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride: (Int, Int), padding: (Int, Int)) -> [Float] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * padding.0 - kh) / stride.0 + 1, ow = (wd + 2 * padding.1 - kw) / stride.1 + 1
    var out = [Float]()
    for ni in 0..<n { for oi in 0..<o { for i in 0..<oh { for j in 0..<ow {
      var acc = b.scalars[oi]
      for ci in 0..<c { for u in 0..<kh { for v in 0..<kw {
        let r = i * stride.0 + u - padding.0, q = j * stride.1 + v - padding.1
        if r >= 0 && r < h && q >= 0 && q < wd {
          acc += x.scalars[((ni * c + ci) * h + r) * wd + q] * w.scalars[((oi * c + ci) * kh + u) * kw + v]
        }
      } } }
      out.append(acc)
    } } } }
    return out
  }

  @Test(arguments: [((1, 2), (0, 1)), ((2, 1), (1, 0)), ((3, 2), (2, 1)), ((1, 1), (0, 2))])
  func perAxisStrideAndPaddingMatchDefinition(stride: (Int, Int), padding: (Int, Int)) {
    let x = randomTensor([2, 3, 7, 6], seed: 1), w = randomTensor([4, 3, 3, 2], seed: 2), b = randomTensor([4], seed: 3)
    let y = conv2d(x, weight: w, bias: b, stride: stride, padding: padding)
    #expect(y.shape == [2, 4, (7 + 2 * padding.0 - 3) / stride.0 + 1, (6 + 2 * padding.1 - 2) / stride.1 + 1])
    #expect(y.isClose(to: definition(x, w, b, stride: stride, padding: padding), tolerance: 1e-5))
  }

  @Test func perAxisStrideAndPaddingGradients() {
    let x = randomTensor([2, 2, 6, 5], seed: 4), w = randomTensor([3, 2, 3, 2], seed: 5), b = randomTensor([3], seed: 6)
    expectGradientsMatch([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: (2, 1), padding: (1, 0)) }
    expectGradientsMatch([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: (1, 3), padding: (0, 2)) }
    // One sample: the GEMM writes in place (no chunk gather or scatter).
    let one = randomTensor([1, 2, 5, 5], seed: 7)
    expectGradientsMatch([one, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: (1, 2), padding: (1, 1)) }
  }

  @Test func chunkedBatchMatchesSampleBySample() {
    // 7×7 outputs: 6 samples per GEMM, so 7 samples run as chunks of 6 and 1.
    let x = randomTensor([7, 2, 7, 7], seed: 8), w = randomTensor([3, 2, 3, 3], seed: 9), b = randomTensor([3], seed: 10)
    let seed = randomTensor([7, 3, 7, 7], seed: 11)
    let (xl, wl, bl) = (x.requiringGradient(), w.requiringGradient(), b.requiringGradient())
    let y = conv2d(xl, weight: wl, bias: bl, padding: 1)
    let batched = y.gradients(for: [xl, wl, bl], seed: seed)
    var dw = Tensor(zeros: w.shape), db = Tensor(zeros: b.shape)
    for n in 0..<7 {
      let xn = x[n..<(n + 1)].requiringGradient()
      let yn = conv2d(xn, weight: wl, bias: bl, padding: 1)
      #expect(yn.isApproximatelyEqual(to: y.detached[n..<(n + 1)], tolerance: 1e-4))
      let g = yn.gradients(for: [xn, wl, bl], seed: seed[n..<(n + 1)])
      #expect(g[0].isApproximatelyEqual(to: batched[0][n..<(n + 1)], tolerance: 1e-4))
      dw = dw + g[1]
      db = db + g[2]
    }
    #expect(batched[1].isApproximatelyEqual(to: dw, tolerance: 1e-4))
    #expect(batched[2].isApproximatelyEqual(to: db, tolerance: 1e-4))
  }
}

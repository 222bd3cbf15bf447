// The fused training-mode batchNormalization op against its composite definition and finite
// differences (input, γ and β), for [N, C, H, W] and [N, C] inputs.

import Testing
import TensorCore

@Suite struct BatchNormalizationTests {
  /// (x − mean) / √(var + ε)·γ + β with the batch's mean and biased variance over all axes but 1.
  func definition(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor, epsilon: Float) -> Tensor {
    let axes = [0] + Array(2..<x.rank)
    var channelShape = [Int](repeating: 1, count: x.rank)
    channelShape[1] = x.shape[1]
    let mean = x.mean(alongAxes: axes, keepingDimensions: true)
    let centered = x - mean
    let variance = (centered * centered).mean(alongAxes: axes, keepingDimensions: true)
    return centered / sqrt(variance + epsilon) * gamma.reshaped(to: channelShape) + beta.reshaped(to: channelShape)
  }

  @Test(arguments: [[3, 2, 4, 5], [6, 3]])
  func matchesDefinition(shape: [Int]) {
    let x = randomTensor(shape, in: -2...3, seed: 1), gamma = randomTensor([shape[1]], seed: 2), beta = randomTensor([shape[1]], seed: 3)
    let (y, mean, variance) = batchNormalization(x, weight: gamma, bias: beta, epsilon: 1e-5)
    #expect(y.isApproximatelyEqual(to: definition(x, gamma, beta, epsilon: 1e-5), tolerance: 1e-4))
    let axes = [0] + Array(2..<x.rank)
    #expect(mean.isApproximatelyEqual(to: x.mean(alongAxes: axes), tolerance: 1e-5))
    let centered = x - x.mean(alongAxes: axes, keepingDimensions: true)
    #expect(variance.isApproximatelyEqual(to: (centered * centered).mean(alongAxes: axes), tolerance: 1e-5))
  }

  @Test func gradients() {
    let x = randomTensor([3, 2, 3, 4], in: -2...3, seed: 4), gamma = randomTensor([2], seed: 5), beta = randomTensor([2], seed: 6)
    expectGradientsMatch([x, gamma, beta], step: 1e-2, tolerance: 2e-2) {
      batchNormalization($0[0], weight: $0[1], bias: $0[2], epsilon: 1e-5).output
    }
    expectGradientsMatch([randomTensor([5, 3], seed: 7)], step: 1e-2, tolerance: 2e-2) {
      batchNormalization($0[0], weight: nil, bias: nil, epsilon: 1e-5).output
    }
  }
}

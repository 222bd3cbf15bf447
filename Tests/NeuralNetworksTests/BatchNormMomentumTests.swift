import Testing
import TensorCore
@testable import NeuralNetworks

@Suite struct BatchNormMomentumTests {
  /// Per-channel mean and unbiased variance of a [batch, 2] input, by the definition.
  func statistics(_ rows: [[Float]]) -> (mean: [Float], variance: [Float]) {
    let n = Float(rows.count)
    let mean = (0..<2).map { c in rows.reduce(0) { $0 + $1[c] } / n }
    let variance = (0..<2).map { c in rows.reduce(0) { $0 + ($1[c] - mean[c]) * ($1[c] - mean[c]) } / (n - 1) }
    return (mean, variance)
  }

  @Test func momentumNoneKeepsTheCumulativeAverageOfEveryBatch() {
    let batches: [[[Float]]] = [[[1, 2], [3, 8], [2, -1]], [[0, 0], [4, 1]], [[-2, 5], [6, 5], [1, 3], [0, 0]]]
    let layer = BatchNorm(featureCount: 2, momentum: nil)
    for batch in batches { _ = layer(Tensor(batch.flatMap { $0 }, shape: [batch.count, 2])) }
    let stats = batches.map(statistics)
    let expectedMean = (0..<2).map { c in stats.reduce(0) { $0 + $1.mean[c] } / 3 }
    let expectedVariance = (0..<2).map { c in stats.reduce(0) { $0 + $1.variance[c] } / 3 }
    #expect(layer.batchesTracked == 3)
    #expect(layer.runningMean.isApproximatelyEqual(to: Tensor(expectedMean)))
    #expect(layer.runningVariance.isApproximatelyEqual(to: Tensor(expectedVariance)))
  }

  @Test func fixedMomentumWeighsTheNewestBatch() {
    let batch: [[Float]] = [[1, 2], [3, 8], [2, -1]]
    let layer = BatchNorm(featureCount: 2, momentum: 0.25)
    _ = layer(Tensor(batch.flatMap { $0 }, shape: [3, 2]))
    let s = statistics(batch)
    #expect(layer.runningMean.isApproximatelyEqual(to: Tensor(s.mean.map { 0.25 * $0 })))
    #expect(layer.runningVariance.isApproximatelyEqual(to: Tensor(s.variance.map { 0.75 + 0.25 * $0 })))
  }
}

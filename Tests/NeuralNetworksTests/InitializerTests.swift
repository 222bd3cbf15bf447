import Randomness
import Testing
import TensorCore
@testable import NeuralNetworks

/// Initializer statistics against their definitions: bounds, means, variances, orthogonality.
@Suite struct InitializerTests {
  @Test func fansFollowTorch() {
    #expect(Initializer.fans(of: [8, 3]) == (fanIn: 3, fanOut: 8))
    #expect(Initializer.fans(of: [16, 4, 3, 3]) == (fanIn: 36, fanOut: 144))
  }

  @Test func gainsFollowCalculateGain() {
    #expect(Initializer.Nonlinearity.tanh.gain == 5.0 / 3)
    #expect(Initializer.Nonlinearity.relu.gain == Float(2).squareRoot())
    #expect(abs(Initializer.Nonlinearity.leakyReLU(slope: Float(5).squareRoot()).gain - Float(1.0 / 3).squareRoot()) < 1e-6)
  }

  /// Uniform initializers: inside the bound, reaching it, with variance bound²/3.
  @Test(arguments: [
    (Initializer.xavierUniform(gain: 1), Float(6.0 / (300 + 200)).squareRoot()),
    (Initializer.xavierUniform(gain: 2), 2 * Float(6.0 / (300 + 200)).squareRoot()),
    (Initializer.kaimingUniform(), Float(3).squareRoot() * Float(2).squareRoot() / Float(200).squareRoot()),
    (Initializer.kaimingUniform(fan: .fanOut, nonlinearity: .tanh), Float(3).squareRoot() * 5 / 3 / Float(300).squareRoot()),
    (Initializer.pytorchDefault, 1 / Float(200).squareRoot()),
    (Initializer.uniform(lower: -0.1, upper: 0.1), 0.1),
  ] as [(Initializer, Float)])
  func uniformInitializerStaysWithinItsBound(initializer: Initializer, bound: Float) {
    var g = RandomStream(seed: 11)
    let w = initializer([300, 200], using: &g)
    #expect(w.scalars.allSatisfy { abs($0) <= bound })
    #expect(w.scalars.max()! > 0.99 * bound && w.scalars.min()! < -0.99 * bound)
    let (mean, variance) = moments(w)
    let expected = Double(bound * bound) / 3
    #expect(abs(mean) < 0.01 * Double(bound))
    #expect(abs(variance / expected - 1) < 0.02)
  }

  @Test(arguments: [
    (Initializer.xavierNormal(gain: 1), Float(2.0 / (300 + 200)).squareRoot()),
    (Initializer.kaimingNormal(), Float(2).squareRoot() / Float(200).squareRoot()),
    (Initializer.normal(mean: 0, standardDeviation: 0.3), 0.3),
  ] as [(Initializer, Float)])
  func normalInitializerHasItsStandardDeviation(initializer: Initializer, standardDeviation: Float) {
    var g = RandomStream(seed: 12)
    let w = initializer([300, 200], using: &g)
    let (mean, variance) = moments(w)
    #expect(abs(mean) < 0.01 * Double(standardDeviation))
    #expect(abs(variance.squareRoot() / Double(standardDeviation) - 1) < 0.01)
  }

  @Test func constantsAndZeros() {
    var g = RandomStream(seed: 1)
    #expect(Initializer.zeros([2, 3], using: &g).scalars == [Float](repeating: 0, count: 6))
    #expect(Initializer.constant(0.5)([4], using: &g).scalars == [0.5, 0.5, 0.5, 0.5])
  }

  /// Q has orthonormal rows (wide) or columns (tall), scaled by the gain.
  @Test(arguments: [[6, 6], [10, 4], [4, 10], [3, 2, 2, 2]])
  func orthogonalIsOrthonormalTimesGain(shape: [Int]) {
    var g = RandomStream(seed: 13)
    let gain: Float = 1.5
    let w = Initializer.orthogonal(gain: gain)(shape, using: &g)
    #expect(w.shape == shape)
    let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
    let m = w.reshaped(to: [rows, cols])
    let gram = rows <= cols ? matmul(m, m, transposeB: true) : matmul(m, m, transposeA: true)
    let n = min(rows, cols)
    var identity = Tensor(zeros: [n, n])
    for i in 0..<n { identity.scalars[i * n + i] = gain * gain }
    #expect(gram.isApproximatelyEqual(to: identity, tolerance: 1e-5), "\(gram)")
  }

  /// The sign correction makes Q the factor whose R has a positive diagonal, so Qᵀ·A is upper
  /// triangular with a positive diagonal (for the square case, A = Q·R exactly).
  @Test func householderFactorHasPositiveDiagonalR() {
    let a: [Double] = [2, -1, 0, 1, 3, 1, -2, 0.5, 4, 1, 1, -1]  // [4, 3]
    let q = Initializer.householderQ(a, rows: 4, columns: 3)
    for i in 0..<3 {
      for j in 0..<3 {
        var r = 0.0
        for k in 0..<4 { r += q[k * 3 + i] * a[k * 3 + j] }
        if i > j { #expect(abs(r) < 1e-12) }
        if i == j { #expect(r > 0) }
      }
    }
    // Reconstruct A = Q·R.
    for row in 0..<4 {
      for j in 0..<3 {
        var value = 0.0
        for i in 0..<3 {
          var r = 0.0
          for k in 0..<4 { r += q[k * 3 + i] * a[k * 3 + j] }
          value += q[row * 3 + i] * r
        }
        #expect(abs(value - a[row * 3 + j]) < 1e-12)
      }
    }
  }

  @Test func sameSeedGivesSameWeights() {
    var a = RandomStream(seed: 5), b = RandomStream(seed: 5)
    #expect(Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, using: &a).weight.scalars
      == Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, using: &b).weight.scalars)
    var c = RandomStream(seed: 6)
    let conv = Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, using: &c)
    let bound = 1 / Float(18).squareRoot()
    #expect(conv.weight.scalars.allSatisfy { abs($0) <= bound } && conv.bias!.scalars.allSatisfy { abs($0) <= bound })
  }
}

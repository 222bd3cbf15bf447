import CVectorMath
import Foundation
import Testing
@testable import TensorCore

/// CVectorMath's kernels against double-precision references, over a sweep of bit patterns that
/// covers the whole float range (both signs, denormals, ±inf, NaN) in both builds.
/// The exhaustive run over all 2³² floats is Scripts/vector-math-accuracy.sh.
@Suite struct VectorMathTests {
  typealias Kernel = @convention(c) (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void

  struct Function: Sendable, CustomStringConvertible {
    let description: String
    let portable: Kernel, avx2: Kernel
    let reference: @Sendable (Double) -> Double
    /// Allowed error in ulps of the correctly rounded result.
    let ulps: Double
  }

  static let functions: [Function] = [
    Function(description: "exp", portable: ncps_vexp_portable, avx2: ncps_vexp_avx2, reference: { Foundation.exp($0) }, ulps: 2),
    Function(description: "log", portable: ncps_vlog_portable, avx2: ncps_vlog_avx2, reference: { Foundation.log($0) }, ulps: 2),
    Function(description: "tanh", portable: ncps_vtanh_portable, avx2: ncps_vtanh_avx2, reference: { Foundation.tanh($0) }, ulps: 3),
    Function(
      description: "sigmoid", portable: ncps_vsigmoid_portable, avx2: ncps_vsigmoid_avx2,
      reference: { $0 >= 0 ? 1 / (1 + Foundation.exp(-$0)) : Foundation.exp($0) / (1 + Foundation.exp($0)) }, ulps: 2),
    Function(
      description: "softplus", portable: ncps_vsoftplus_portable, avx2: ncps_vsoftplus_avx2,
      reference: { $0 > 20 ? $0 : Foundation.log1p(Foundation.exp($0)) }, ulps: 3),
  ]

  /// Every 2¹⁵-th bit pattern (plus an odd offset so mantissas vary), and the special values.
  static let inputs: [Float] = {
    var values: [Float] = []
    for step in 0..<(1 << 17) {
      let offset = UInt32((step &* 7919) % (1 << 15))
      values.append(Float(bitPattern: UInt32(step) << 15 | offset))
    }
    let specials: [Float] = [
      0, -0, 1, -1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
      .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.625, -0.625,
      0.6249999, 88.72283, 88.72284, 89, -87.3, -103.2, -103.9, -104.5, 20, 20.000002, 19.999998,
      9.01, -9.01, 1e-30, -1e-30,
    ]
    return values + specials
  }()

  /// |value − reference| in units of the float ulp at the reference (denormal ulps below 2⁻¹²⁶).
  static func ulpError(_ value: Float, _ reference: Double) -> Double {
    if reference.isNaN { return value.isNaN ? 0 : .infinity }
    if value.isNaN { return .infinity }
    let rounded = Float(reference)
    if rounded.isInfinite { return value == rounded ? 0 : .infinity }
    let exponent = Swift.max(Double(Swift.abs(reference)).exponent, -126)
    return Swift.abs(Double(value) - reference) / Foundation.scalbn(1.0, Int(exponent) - 23)
  }

  func check(_ function: Function, _ kernel: Kernel, _ name: String) {
    let x = Self.inputs
    var y = [Float](repeating: 0, count: x.count)
    kernel(x, &y, x.count)
    var worst = 0.0, worstInput: Float = 0
    for (input, output) in zip(x, y) {
      let error = Self.ulpError(output, function.reference(Double(input)))
      if error > worst { worst = error; worstInput = input }
    }
    #expect(worst <= function.ulps, "\(function) \(name): \(worst) ulp at \(worstInput)")
  }

  @Test(arguments: functions) func portableBuildIsAccurate(_ function: Function) {
    check(function, function.portable, "portable")
  }

  @Test(arguments: functions) func avx2BuildIsAccurate(_ function: Function) {
    guard ncps_vector_level() == 1 else { return }  // this CPU lacks AVX2/FMA: nothing to run
    check(function, function.avx2, "avx2")
  }

  @Test func tailsAndInPlaceAgreeWithWholeVectors() {
    // Counts that are not multiples of eight go through the padded tail; in place is allowed.
    let x = (0..<27).map { Float($0) * 0.37 - 5 }
    var whole = [Float](repeating: 0, count: 32)
    VectorMath.tanh(x + [0, 0, 0, 0, 0], into: &whole, count: 32)
    var inPlace = x
    inPlace.withUnsafeMutableBufferPointer { VectorMath.tanh($0.baseAddress!, into: $0.baseAddress!, count: 27) }
    #expect(Array(whole.prefix(27)) == inPlace)
    var empty: [Float] = []
    VectorMath.exp([], into: &empty, count: 0)
  }

  @Test func specialValues() {
    func apply(_ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ x: [Float]) -> [Float] {
      var y = [Float](repeating: 0, count: x.count)
      f(x, &y, x.count)
      return y
    }
    #expect(apply(VectorMath.exp, [.infinity, -.infinity, 0, -200]) == [.infinity, 0, 1, 0])
    #expect(apply(VectorMath.log, [.infinity, 0, 1]) == [.infinity, -.infinity, 0])
    #expect(apply(VectorMath.log, [-1])[0].isNaN)
    #expect(apply(VectorMath.tanh, [.infinity, -.infinity, 0, 50]) == [1, -1, 0, 1])
    #expect(apply(VectorMath.tanh, [-0.0])[0].sign == .minus)
    #expect(apply(VectorMath.sigmoid, [.infinity, -.infinity, 0]) == [1, 0, 0.5])
    #expect(apply(VectorMath.softplus, [.infinity, -.infinity, 0, 30]) == [.infinity, 0, Float(Foundation.log(2.0)), 30])
    let nans = [Float](repeating: .nan, count: 9)
    let expOfNaN = apply(VectorMath.exp, nans)
    #expect(expOfNaN.filter { !$0.isNaN }.isEmpty)
    let logOfNaN = apply(VectorMath.log, nans)
    #expect(logOfNaN.filter { !$0.isNaN }.isEmpty)
    let tanhOfNaN = apply(VectorMath.tanh, nans)
    #expect(tanhOfNaN.filter { !$0.isNaN }.isEmpty)
    let sigmoidOfNaN = apply(VectorMath.sigmoid, nans)
    #expect(sigmoidOfNaN.filter { !$0.isNaN }.isEmpty)
    let softplusOfNaN = apply(VectorMath.softplus, nans)
    #expect(softplusOfNaN.filter { !$0.isNaN }.isEmpty)
  }
}

@Suite struct LinearOpTests {
  /// x·Wᵀ + b by the definition, in Double.
  func reference(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> [Float] {
    let (m, k, n) = (x.shape[0], x.shape[1], w.shape[0])
    var y = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var s = Double(b?.scalars[j] ?? 0)
        for p in 0..<k { s += Double(x.scalars[i * k + p]) * Double(w.scalars[j * k + p]) }
        y[i * n + j] = Float(s)
      }
    }
    return y
  }

  @Test(arguments: [(1, 83, 131), (3, 80, 128), (4, 7, 5), (9, 33, 17), (2, 0, 3)])
  func matchesDefinition(_ m: Int, _ k: Int, _ n: Int) {
    let x = randomTensor([m, k], seed: 1), w = randomTensor([n, k], seed: 2), b = randomTensor([n], seed: 3)
    #expect(linear(x, weight: w, bias: b).isClose(to: reference(x, w, b), tolerance: 1e-5))
    #expect(linear(x, weight: w).isClose(to: reference(x, w, nil), tolerance: 1e-5))
    #expect(matmul(x, w, transposeB: true).isClose(to: reference(x, w, nil), tolerance: 1e-5))
  }

  @Test func bothBuildsOfTheKernelAgree() {
    let x = randomTensor([2, 37], seed: 4), w = randomTensor([19, 37], seed: 5), b = randomTensor([19], seed: 6)
    var portable = [Float](repeating: 0, count: 38), avx2 = portable
    ncps_linear_portable(x.scalars, w.scalars, b.scalars, &portable, 2, 19, 37)
    let expected = reference(x, w, b)
    #expect(zip(portable, expected).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * (1 + Swift.abs($1)) })
    guard ncps_vector_level() == 1 else { return }
    ncps_linear_avx2(x.scalars, w.scalars, b.scalars, &avx2, 2, 19, 37)
    #expect(zip(avx2, expected).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * (1 + Swift.abs($1)) })
  }

  /// The kernel walks the weights forward and backward on alternate calls (per thread); the
  /// results must not depend on the direction (tail outputs, several rows, no bias).
  @Test(arguments: [(1, 80, 128), (3, 37, 19), (4, 9, 7)])
  func repeatedCallsGiveIdenticalResults(_ m: Int, _ k: Int, _ n: Int) {
    let x = randomTensor([m, k], seed: 13), w = randomTensor([n, k], seed: 14), b = randomTensor([n], seed: 15)
    let first = linear(x, weight: w, bias: b), second = linear(x, weight: w, bias: b)
    #expect(first.scalars == second.scalars)
    #expect(first.isClose(to: reference(x, w, b), tolerance: 1e-5))
    #expect(linear(x, weight: w).scalars == linear(x, weight: w).scalars)
  }

  @Test(arguments: [1, 6])
  func gradientsMatchFiniteDifferences(_ batch: Int) {
    let x = randomTensor([batch, 5], seed: 7), w = randomTensor([3, 5], seed: 8), b = randomTensor([3], seed: 9)
    expectGradientsMatch([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
    expectGradientsMatch([x, w]) { linear($0[0], weight: $0[1]) }
  }

  @Test func skipsGradientsOfInputsThatDoNotRecord() {
    let x = randomTensor([2, 4], seed: 10), w = randomTensor([3, 4], seed: 11).requiringGradient()
    let b = randomTensor([3], seed: 12)
    let y = linear(x, weight: w, bias: b)
    let dw = y.sum().gradients(for: [w])[0]
    #expect(dw.isClose(to: matmul(Tensor(ones: [2, 3]), x, transposeA: true).scalars))
  }
}

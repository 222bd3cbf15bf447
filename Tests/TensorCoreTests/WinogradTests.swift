// The Winograd path of conv2d (Tensor+Winograd.swift) against the direct im2col path (forward,
// input gradient, weight and bias gradients), against PyTorch (Fixtures/torch-winograd.json,
// Scripts/winograd-fixtures.py) and against finite differences.
//
// Tolerance: errors are measured as max |a − b| / max |b| over a whole tensor. The Winograd
// transforms scale values (by up to 32 in F(6,3)'s Aᵀ) around fp32 GEMMs that sum over cp
// channels; the fp32 study in Scripts/winograd-transforms.py puts the forward error of one
// tile at cp = 256 at ≤ 4.5e-6 of max |y| for F(2…4, 3×3) and 2.2e-5 for F(6,3).
// `errorsAreSmall` (the Atari model's conv 2, F(6,3)) measures 1.1e-5 (y), 2.4e-5 (dx),
// 5.6e-6 (dw). Tolerances: 2e-5 for F(2…4), 1e-4 for F(6,3) — any wrong tap, tile or phase
// gives errors of order 1.

import Foundation
import Testing
@testable import TensorCore

@Suite struct WinogradTests {
  /// max |a − b| / max |b|.
  static func relativeError(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "\(a.shape) vs \(b.shape)")
    var worst: Float = 0, scale: Float = 0
    for (x, y) in zip(a.scalars, b.scalars) {
      worst = max(worst, abs(x - y))
      scale = max(scale, abs(y))
    }
    return worst / max(scale, .leastNormalMagnitude)
  }

  /// For F(2…4, 3×3); F(6×6, 3×3) (which the automatic choice may take) gets 1e-4.
  static func tolerance(m: Int) -> Float { m == 6 ? 1e-4 : 2e-5 }
  static let tolerance: Float = tolerance(m: 6)

  /// Output, dx, dw, db of conv2d through `algorithm` (dx nil when x does not record).
  static func run(
    _ x: Tensor, _ w: Tensor, _ b: Tensor, stride: Int, padding: Int, seed: Tensor? = nil,
    inputGradient: Bool = true, _ compute: (Tensor, Tensor, Tensor) -> Tensor
  ) -> [Tensor] {
    let (xl, wl, bl) = (inputGradient ? x.requiringGradient() : x, w.requiringGradient(), b.requiringGradient())
    let y = compute(xl, wl, bl)
    let s = seed ?? randomTensor(y.shape, in: 0.5...1.5, seed: 99)
    let g = y.gradients(for: inputGradient ? [xl, wl, bl] : [wl, bl], seed: s)
    return [y.detached] + g
  }

  /// Winograd (tile size m, or the automatic choice) vs direct on one shape; returns the errors.
  static func compare(
    _ xShape: [Int], out: Int, kernel: Int, stride: Int, padding: Int, m: Int? = nil, inputGradient: Bool = true,
    seed: UInt64 = 1
  ) -> [Float] {
    let x = randomTensor(xShape, seed: seed)
    let w = randomTensor([out, xShape[1], kernel, kernel], seed: seed + 1) * Tensor(1 / Float(xShape[1] * kernel * kernel).squareRoot())
    let b = randomTensor([out], seed: seed + 2)
    let direct = run(x, w, b, stride: stride, padding: padding, inputGradient: inputGradient) {
      conv2d($0, weight: $1, bias: $2, stride: stride, padding: padding, algorithm: .direct)
    }
    let winograd = run(x, w, b, stride: stride, padding: padding, inputGradient: inputGradient) { x, w, b in
      if let m {
        return winogradConv2d(x, weight: w, bias: b, stride: stride, padding: padding, m: m)
      }
      return conv2d(x, weight: w, bias: b, stride: stride, padding: padding, algorithm: .winograd)
    }
    return zip(winograd, direct).map { relativeError($0, $1) }
  }

  @Test(arguments: [2, 3, 4, 6])
  func tileSizesMatchDirect(m: Int) {
    // 5×5 stride 2: the Atari first layer's 4 channels (odd sizes), 16 channels, padding 1;
    // 6×6 stride 2; 3×3 stride 1 with and without padding. The last two are wide enough (≥ 8
    // channels, rows ≥ 8·stride) for the vector blocks of pack/unpack, with a channel left over.
    let shapes: [([Int], Int, Int, Int, Int)] = [
      ([3, 4, 13, 11], 5, 5, 2, 2), ([2, 16, 9, 10], 8, 5, 2, 2), ([2, 3, 8, 9], 4, 5, 2, 1),
      ([2, 5, 10, 7], 3, 6, 2, 2), ([2, 5, 7, 8], 6, 3, 1, 1), ([1, 3, 6, 5], 2, 3, 1, 0),
      ([2, 9, 11, 12], 4, 3, 1, 1), ([1, 9, 20, 21], 3, 5, 2, 1),
    ]
    for (shape, out, kernel, stride, padding) in shapes {
      let errors = Self.compare(shape, out: out, kernel: kernel, stride: stride, padding: padding, m: m)
      #expect(errors.allSatisfy { $0 < Self.tolerance(m: m) }, "m \(m), \(shape) k\(kernel) s\(stride) p\(padding): \(errors)")
    }
  }

  @Test func manyChannelsWorkersAndChunksMatchDirect() {
    // cp = 4·70 = 280 channels: several channel blocks of the C kernels and a partial one; 7
    // samples of 49 F(6,3) tiles (42×42 outputs): chunks of 6 and 1, enough work for two
    // backward workers (their dU partials summed).
    let wide = Self.compare([2, 70, 10, 10], out: 70, kernel: 5, stride: 2, padding: 2)
    #expect(wide.allSatisfy { $0 < Self.tolerance }, "\(wide)")
    let plan = WinogradPlan(
      ConvolutionGeometry(
        batch: 7, channels: 16, height: 84, width: 84, kernelHeight: 5, kernelWidth: 5, strideHeight: 2, strideWidth: 2,
        paddingHeight: 2, paddingWidth: 2), outChannels: 32)
    #expect(plan.tiles == 49 && plan.chunk == 6)
    let chunked = Self.compare([7, 16, 84, 84], out: 32, kernel: 5, stride: 2, padding: 2, seed: 5)
    #expect(chunked.allSatisfy { $0 < Self.tolerance }, "\(chunked)")
    // Weight gradient only (the first layer on a data batch).
    let weightOnly = Self.compare([3, 4, 21, 21], out: 8, kernel: 5, stride: 2, padding: 2, inputGradient: false, seed: 7)
    #expect(weightOnly.count == 3 && weightOnly.allSatisfy { $0 < Self.tolerance }, "\(weightOnly)")
  }

  @Test(arguments: [[3, 64, 42, 42, 128], [3, 128, 21, 21, 128], [3, 128, 11, 11, 256]])
  func atariShapesMatchDirect(shape: [Int]) {
    let errors = Self.compare(Array(shape.prefix(4)), out: shape[4], kernel: 5, stride: 2, padding: 2, seed: 13)
    #expect(errors.allSatisfy { $0 < Self.tolerance }, "\(shape): \(errors)")
  }

  @Test func errorsAreSmall() {
    // The Atari model's conv 2 on one sample, its real channel counts (cp = 256, K = 128).
    let errors = Self.compare([1, 64, 42, 42], out: 128, kernel: 5, stride: 2, padding: 2, seed: 11)
    print("Winograd vs direct, conv 64→128 on 42×42, max relative error (y, dx, dw, db):", errors)
    #expect(errors.allSatisfy { $0 < Self.tolerance }, "\(errors)")
  }

  @Test func automaticChoosesWinogradOnlyWhereItApplies() {
    func geometry(_ c: Int, _ k: Int, _ s: Int, _ p: Int) -> ConvolutionGeometry {
      ConvolutionGeometry(
        batch: 1, channels: c, height: 12, width: 12, kernelHeight: k, kernelWidth: k, strideHeight: s, strideWidth: s,
        paddingHeight: p, paddingWidth: p)
    }
    let automatic = ConvolutionAlgorithm.automatic
    #expect(automatic.usesWinograd(geometry(64, 5, 2, 2)) == !ConvolutionAlgorithm.automaticIsDirect)
    #expect(!automatic.usesWinograd(geometry(4, 5, 2, 2)))  // the first layer: direct is faster
    #expect(!automatic.usesWinograd(geometry(64, 3, 2, 1)))
    #expect(!automatic.usesWinograd(geometry(64, 5, 1, 2)))
    #expect(!ConvolutionAlgorithm.direct.usesWinograd(geometry(64, 5, 2, 2)))
    #expect(ConvolutionAlgorithm.winogradApplies(kernel: (3, 3), stride: (1, 1), padding: (1, 1)))
    #expect(!ConvolutionAlgorithm.winogradApplies(kernel: (5, 5), stride: (2, 2), padding: (2, 1)))
    // The tile size with the fewest multiplies (α²·tiles) for the Atari model's outputs 42, 21,
    // 11, 6: F(6,3) (e.g. 21: 64·4² = 1024 < 25·7² = 1225 for F(3,3)).
    let sizes = [(84, 6), (42, 6), (21, 6), (11, 6)].map { size, expected in
      let g = ConvolutionGeometry(
        batch: 1, channels: 64, height: size, width: size, kernelHeight: 5, kernelWidth: 5, strideHeight: 2,
        strideWidth: 2, paddingHeight: 2, paddingWidth: 2)
      return (WinogradPlan(g, outChannels: 8).transforms.m, expected)
    }
    #expect(sizes.allSatisfy { $0.0 == $0.1 }, "\(sizes)")
  }

  @Test(arguments: [3, 6])
  func gradientsMatchFiniteDifferences(m: Int) {
    // conv2d is linear in x and in w, so central differences are exact for any step: a large
    // step keeps the fp32 noise of the probes (≈ 1e-5 of the sum for F(6,3)) out of the check.
    let x = randomTensor([2, 3, 7, 9], seed: 21), w = randomTensor([2, 3, 5, 5], seed: 22), b = randomTensor([2], seed: 23)
    expectGradientsMatch([x, w, b], step: 0.5) { winogradConv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 2, m: m) }
    let x3 = randomTensor([1, 2, 6, 5], seed: 24), w3 = randomTensor([3, 2, 3, 3], seed: 25)
    expectGradientsMatch([x3, w3, randomTensor([3], seed: 26)], step: 0.5) {
      winogradConv2d($0[0], weight: $0[1], bias: $0[2], stride: 1, padding: 1, m: m)
    }
  }

  struct Fixture: Decodable {
    struct Values: Decodable { let shape: [Int]; let values: [Float] }
    struct Case: Decodable {
      let stride: Int, padding: Int
      let inputs: [Values]
      let output: Values
      let weights: [Float]
      let gradients: [[Float]]
    }
    let cases: [Case]
  }

  static let fixture: Fixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/torch-winograd.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  @Test(arguments: [ConvolutionAlgorithm.winograd, .direct])
  func matchesPyTorch(algorithm: ConvolutionAlgorithm) {
    #expect(Self.fixture.cases.count == 5)
    for c in Self.fixture.cases {
      let (x, w, b) = (c.inputs[0], c.inputs[1], c.inputs[2])
      let got = Self.run(
        Tensor(x.values, shape: x.shape), Tensor(w.values, shape: w.shape), Tensor(b.values, shape: b.shape),
        stride: c.stride, padding: c.padding, seed: Tensor(c.weights, shape: c.output.shape)
      ) { conv2d($0, weight: $1, bias: $2, stride: c.stride, padding: c.padding, algorithm: algorithm) }
      let expected = [c.output] + zip(c.gradients, c.inputs).map { Values(shape: $1.shape, values: $0) }
      let errors = zip(got, expected).map { Self.relativeError($0, Tensor($1.values, shape: $1.shape)) }
      #expect(errors.allSatisfy { $0 < Self.tolerance }, "\(algorithm) \(x.shape) s\(c.stride) p\(c.padding): \(errors)")
    }
  }
  typealias Values = Fixture.Values
}

/// conv2d through the Winograd path with tile size m (internal: the public API picks m itself).
func winogradConv2d(_ x: Tensor, weight: Tensor, bias: Tensor, stride: Int, padding: Int, m: Int) -> Tensor {
  conv2d(x, weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding), algorithm: .winograd, tileSize: m)
}

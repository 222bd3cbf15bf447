import Foundation
import Testing
@testable import TensorCore

/// Forward values and gradients against PyTorch, from the fixture written by
/// Scripts/tensorcore-fixtures.py.
@Suite struct TorchParityTests {
  struct Fixture: Decodable {
    struct Values: Decodable { let shape: [Int]; let values: [Float] }
    struct Case: Decodable {
      let name: String
      let params: [String: Int]
      let inputs: [Values]
      let output: Values
      let weights: [Float]
      let gradients: [[Float]]
    }
    let cases: [Case]
  }

  static let fixture: Fixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/torch-ops.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  func apply(_ c: Fixture.Case, _ x: [Tensor]) -> Tensor {
    switch c.name {
    case "conv2d": return conv2d(x[0], weight: x[1], bias: x[2], stride: c.params["stride"]!, padding: c.params["padding"]!)
    case "maxPool2d": return maxPool2d(x[0], kernelSize: c.params["kernel"]!, stride: c.params["stride"]!, padding: c.params["padding"]!)
    case "avgPool2d": return avgPool2d(x[0], kernelSize: c.params["kernel"]!, stride: c.params["stride"]!, padding: c.params["padding"]!)
    case "softplus": return softplus(x[0])
    case "erf": return erf(x[0])
    case "logSoftmax": return logSoftmax(x[0])
    case "logSumExp": return x[0].logSumExp(alongAxis: 0)
    case "sigmoid": return sigmoid(x[0])
    case "linear": return matmul(x[0], x[1], transposeB: true) + x[2]
    default: fatalError("unknown fixture case \(c.name)")
    }
  }

  @Test func fixtureCoversEveryCase() {
    #expect(Self.fixture.cases.count == 10)
  }

  @Test(arguments: 0..<10)
  func matchesPyTorch(index: Int) {
    let c = Self.fixture.cases[index]
    let leaves = c.inputs.map { Tensor($0.values, shape: $0.shape).requiringGradient() }
    let y = apply(c, leaves)
    #expect(y.shape == c.output.shape, "\(c.name)")
    #expect(y.isClose(to: c.output.values, tolerance: 1e-5), "\(c.name) forward")
    let grads = y.gradients(for: leaves, seed: Tensor(c.weights, shape: y.shape))
    for (g, expected) in zip(grads, c.gradients) {
      #expect(g.isClose(to: expected, tolerance: 1e-4), "\(c.name) gradient")
    }
  }
}

// ncps' own LSTM cell for mixed memory (reference/ncps.md §5): gate order candidate, input,
// forget, output; one bias; a constant +1 on the forget gate. Not torch.nn.LSTMCell.
// Composed from TensorCore ops (its gradients come from their pullbacks).

import Randomness
import TensorCore

/// The mixed-memory LSTM that runs before the CfC/LTC cell at every step.
public struct MixedMemoryLSTM: Sendable, ParameterVisitable {
  public let inputSize: Int
  public let hiddenSize: Int
  /// `input_map`: weight [4·hidden, input], bias [4·hidden].
  public var inputMap: AffineParameters
  /// `recurrent_map.weight` (no bias). Shape: [4·hidden, hidden].
  public var recurrentWeight: Tensor

  /// ncps' initialization: xavier-uniform input weight, bias U(−0.1, 0.1), orthogonal recurrent weight.
  public init(inputSize: Int, hiddenSize: Int, using g: inout RandomStream) {
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    let bound = (6 / Float(inputSize + 4 * hiddenSize)).squareRoot()
    inputMap = AffineParameters(
      weight: Tensor(uniform: [4 * hiddenSize, inputSize], in: -bound...bound, using: &g),
      bias: Tensor(uniform: [4 * hiddenSize], in: -0.1...0.1, using: &g))
    recurrentWeight = orthogonalMatrix(rows: 4 * hiddenSize, columns: hiddenSize, using: &g)
  }

  public mutating func visitParameters(
    prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows {
    try inputMap.visit(prefix + "input_map.", body)
    try body(prefix + "recurrent_map.weight", &recurrentWeight, true)
  }

  /// One step. Shapes: input [batch, inputSize], state and cell [batch, hiddenSize].
  public func callAsFunction(_ input: Tensor, state: Tensor, cell: Tensor) -> (state: Tensor, cell: Tensor) {
    let z = matmul(input, inputMap.weight, transposeB: true) + inputMap.bias + matmul(state, recurrentWeight, transposeB: true)
    let gates = z.split(count: 4, alongAxis: 1)
    let newCell = cell * sigmoid(gates[2] + 1) + tanh(gates[0]) * sigmoid(gates[1])
    return (tanh(newCell) * sigmoid(gates[3]), newCell)
  }
}

/// A matrix with orthonormal columns (rows ≥ columns) or rows, like torch's `orthogonal_`
/// (Gram–Schmidt on a normal sample instead of QR; the distribution is the same).
func orthogonalMatrix(rows: Int, columns: Int, using g: inout RandomStream) -> Tensor {
  let tall = rows >= columns
  let (n, m) = tall ? (rows, columns) : (columns, rows)  // m orthonormal vectors of length n
  var vectors = (0..<m).map { _ in (0..<n).map { _ in Double(g.nextNormal()) } }
  for i in 0..<m {
    for j in 0..<i {
      let d = zip(vectors[i], vectors[j]).reduce(0) { $0 + $1.0 * $1.1 }
      for e in 0..<n { vectors[i][e] -= d * vectors[j][e] }
    }
    let norm = vectors[i].reduce(0) { $0 + $1 * $1 }.squareRoot()
    for e in 0..<n { vectors[i][e] /= max(norm, 1e-12) }
  }
  var values = [Float](repeating: 0, count: rows * columns)
  for i in 0..<m {
    for e in 0..<n {
      if tall { values[e * columns + i] = Float(vectors[i][e]) } else { values[i * columns + e] = Float(vectors[i][e]) }
    }
  }
  return Tensor(values, shape: [rows, columns])
}

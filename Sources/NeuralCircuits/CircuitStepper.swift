// The acting path: one step of a CfC or LTC layer for a small batch (typically 1) with no
// autodiff and no allocation per step. Weights are packed once at construction (rebuild the
// stepper after changing the model's parameters); the state lives in the stepper.

import TensorCore

/// Steps a ``CfC`` or ``LTC`` one input at a time, carrying the state.
public final class CircuitStepper {
  public let batchSize: Int
  public let inputSize: Int
  /// Width of one output row (projection size or motor count).
  public let outputSize: Int
  public let stateSize: Int
  private let kind: Kind
  /// Shape: [batch, stateSize]; layout as the layer's (`[inter|command|motor]` for wired CfC).
  public private(set) var state: [Float]
  /// Mixed memory: the LSTM cell state. Shape: [batch, stateSize].
  public private(set) var cell: [Float]
  private let timespans: FloatBuffer
  private let scratch: FloatBuffer
  /// CfC: the cells' weights packed with the gate heads merged for `packedTimespan`.
  private var cfcCells: [CfCCell] = []
  private var cfcPacked: [CfCPackedWeights] = []
  private var packedTimespan: Float = 1

  private enum Kind {
    case cfc(cells: [(CfCKernelConfiguration, CfCTape)], projection: (weight: [Float], bias: [Float])?, lstm: LSTMWeights?)
    case ltc(LTCKernelConfiguration, LTCPackedWeights, LTCTape, LTCCell, lstm: LSTMWeights?)
  }

  private struct LSTMWeights {
    var input: [Float], bias: [Float], recurrent: [Float]
    init(_ m: MixedMemoryLSTM) { input = m.inputMap.weight.scalars; bias = m.inputMap.bias.scalars; recurrent = m.recurrentWeight.scalars }
  }

  public init(_ model: CfC, batchSize: Int = 1) {
    self.batchSize = batchSize
    inputSize = model.inputSize
    stateSize = model.stateSize
    outputSize = model.readoutSize
    let cells = model.cells.map { c -> (CfCKernelConfiguration, CfCTape) in
      (c.kernelConfiguration, CfCTape(c.kernelConfiguration, slots: 1, batch: batchSize))
    }
    cfcCells = model.cells
    cfcPacked = model.cells.map { $0.weights.packed($0.kernelConfiguration, mergedTimespan: 1) }
    kind = .cfc(
      cells: cells, projection: model.projection.map { ($0.weight.scalars, $0.bias.scalars) }, lstm: model.lstm.map(LSTMWeights.init))
    state = [Float](repeating: 0, count: batchSize * stateSize)
    cell = state
    timespans = FloatBuffer(count: batchSize)
    scratch = FloatBuffer(count: batchSize * max(4 * stateSize, 2 * stateSize + model.inputSize))
  }

  public init(_ model: LTC, batchSize: Int = 1) {
    self.batchSize = batchSize
    inputSize = model.inputSize
    stateSize = model.stateSize
    outputSize = model.outputSize
    let k = model.cell.kernelConfiguration
    let packed = model.cell.weights.packed(k)
    kind = .ltc(k, packed, LTCTape(k, packed, slots: 1, batch: batchSize), model.cell, lstm: model.lstm.map(LSTMWeights.init))
    state = [Float](repeating: 0, count: batchSize * stateSize)
    cell = state
    timespans = FloatBuffer(count: batchSize)
    scratch = FloatBuffer(count: batchSize * max(4 * stateSize, 2 * stateSize + model.inputSize))
  }

  /// Sets the state (and LSTM cell state) to zeros.
  public func reset() {
    for i in state.indices { state[i] = 0; cell[i] = 0 }
  }

  /// Advances one step.
  ///
  /// - Parameters:
  ///   - input: Shape: [batch, inputSize].
  ///   - output: Receives the readout. Shape: [batch, outputSize].
  ///   - elapsedTime: Δt for every sample.
  public func step(_ input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, elapsedTime: Float = 1) {
    timespans.base.update(repeating: elapsedTime, count: batchSize)
    let ts = UnsafePointer(timespans.base)
    let b = batchSize
    switch kind {
    case .cfc(let cells, let projection, let lstm):
      if let lstm { lstmStep(lstm, input) }
      if elapsedTime != packedTimespan {
        cfcPacked = cfcCells.map { $0.weights.packed($0.kernelConfiguration, mergedTimespan: elapsedTime) }
        packedTimespan = elapsedTime
      }
      let next = scratch.base  // new states, layer after layer: [batch, H_l] blocks
      var current = input
      var offset = 0
      state.withUnsafeMutableBufferPointer { s in
        for ((c, tape), w) in zip(cells, cfcPacked) {
          let h = c.hiddenSize
          let previous = scratch.base + b * stateSize  // this layer's old state, contiguous
          for r in 0..<b { (previous + r * h).update(from: s.baseAddress! + r * stateSize + offset, count: h) }
          let out = next + offset * b
          CfCSequenceKernel.forward(
            c, w, length: 1, batch: b, input: current, initialState: previous,
            timespans: w.mergedTimespan == nil ? ts : nil, dropout: nil,
            output: out, tape: tape)
          for r in 0..<b { (s.baseAddress! + r * stateSize + offset).update(from: out + r * h, count: h) }
          current = UnsafePointer(out)
          offset += h
        }
      }
      let width = cells.last!.0.hiddenSize
      if let projection {
        let p = projection.weight.count / width
        for r in 0..<b {
          for o in 0..<p {
            var sum = projection.bias[o]
            for i in 0..<width { sum += current[r * width + i] * projection.weight[o * width + i] }
            output[r * p + o] = sum
          }
        }
      } else {
        output.update(from: current, count: b * width)
      }
    case .ltc(let c, let w, let tape, let model, let lstm):
      if let lstm { lstmStep(lstm, input) }
      let mapped = scratch.base
      for r in 0..<b {
        for i in 0..<inputSize {
          var v = input[r * inputSize + i]
          if let iw = model.inputWeight { v *= iw.scalars[i] }
          if let ib = model.inputBias { v += ib.scalars[i] }
          mapped[r * inputSize + i] = v
        }
      }
      let next = scratch.base + b * inputSize
      state.withUnsafeMutableBufferPointer { s in
        LTCSequenceKernel.forward(
          c, w, length: 1, batch: b, input: mapped, initialState: s.baseAddress!, timespans: ts, output: next, tape: tape)
        s.baseAddress!.update(from: next, count: b * stateSize)
      }
      let m = outputSize
      for r in 0..<b {
        for j in 0..<m {
          var v = next[r * stateSize + j]
          if let ow = model.outputWeight { v *= ow.scalars[j] }
          if let ob = model.outputBias { v += ob.scalars[j] }
          output[r * m + j] = v
        }
      }
    }
  }

  /// Advances one step from an array input ([batch·inputSize]) and returns the readout.
  public func step(_ input: [Float], elapsedTime: Float = 1) -> [Float] {
    precondition(input.count == batchSize * inputSize, "CircuitStepper: input has \(input.count) values, expected \(batchSize * inputSize)")
    var output = [Float](repeating: 0, count: batchSize * outputSize)
    input.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { step(x.baseAddress!, output: $0.baseAddress!, elapsedTime: elapsedTime) } }
    return output
  }

  /// The mixed-memory LSTM step: (state, cell) ← lstm(input, state, cell).
  private func lstmStep(_ m: LSTMWeights, _ input: UnsafePointer<Float>) {
    let (b, h) = (batchSize, stateSize)
    let z = scratch.base
    m.input.withUnsafeBufferPointer { wi in
      m.recurrent.withUnsafeBufferPointer { wr in
        state.withUnsafeMutableBufferPointer { s in
          sgemm(false, true, m: b, n: 4 * h, k: inputSize, input, lda: inputSize, wi.baseAddress!, ldb: inputSize, z, ldc: 4 * h)
          sgemm(false, true, m: b, n: 4 * h, k: h, s.baseAddress!, lda: h, wr.baseAddress!, ldb: h, beta: 1, z, ldc: 4 * h)
          for r in 0..<b {
            for j in 0..<h {
              let row = z + r * 4 * h
              let candidate = row[j] + m.bias[j], inGate = row[h + j] + m.bias[h + j]
              let forget = row[2 * h + j] + m.bias[2 * h + j], outGate = row[3 * h + j] + m.bias[3 * h + j]
              let c = cell[r * h + j] * logistic(forget + 1) + Foundation.tanh(candidate) * logistic(inGate)
              cell[r * h + j] = c
              s[r * h + j] = Foundation.tanh(c) * logistic(outGate)
            }
          }
        }
      }
    }
  }
}

import Foundation

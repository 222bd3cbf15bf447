// The batch-first path of the fused CfC kernel (`cfcSequence(..., batchFirst: true)`, which
// reads [batch, length, ·] input and writes [batch, length, ·] output in place) against the
// time-major path on permuted copies: the same outputs and the same gradients for every input,
// including timespans that record and episode resets. The time-major path itself is checked
// against finite differences and ncps elsewhere (FusedKernelTests, SequenceResetTests,
// NCPSParityTests); here the layouts must agree. Also the CfC layer's batch-first forward
// against its time-major forward.

import Randomness
import Testing
import TensorCore
@testable import NeuralCircuits

struct BatchFirstCase: CustomStringConvertible, Sendable {
  var mode: CfCMode
  var layers: Int
  var masked = false
  var timespans = false
  var recordingTimespans = false
  var resets = false
  var description: String {
    "\(mode) layers \(layers)\(masked ? " masked" : "")\(timespans ? " timespans" : "")"
      + "\(recordingTimespans ? " (recording)" : "")\(resets ? " resets" : "")"
  }
}

@Test(arguments: [
  BatchFirstCase(mode: .standard, layers: 1), BatchFirstCase(mode: .standard, layers: 2, timespans: true, resets: true),
  BatchFirstCase(mode: .noGate, layers: 0, masked: true, timespans: true, recordingTimespans: true),
  BatchFirstCase(mode: .pure, layers: 1, timespans: true, recordingTimespans: true, resets: true),
  BatchFirstCase(mode: .standard, layers: 0, masked: true, resets: true),
])
func cfcBatchFirstKernelMatchesTimeMajor(_ test: BatchFirstCase) {
  let (n, h, length, batch) = (3, 4, 5, 3)
  let c = CfCKernelConfiguration(inputSize: n, hiddenSize: h, mode: test.mode, backboneUnits: 5, backboneLayers: test.layers)
  var g = RandomStream(seed: 31)
  let model = RandomCfC(c, masked: test.masked, using: &g)
  let input = randomTensor([batch, length, n], -1...1, &g)
  let h0 = randomTensor([batch, h], -0.5...0.5, &g)
  var ts = test.timespans ? randomTensor([batch, length], 0.2...2, &g) : nil
  if test.recordingTimespans { ts = ts!.requiringGradient() }
  let resets = test.resets ? resetPattern.transposed() : nil  // [batch, length]
  let r = randomTensor([batch, length, h], 0.5...1.5, &g)
  let leaves = ([input, h0] + model.weights.trainable).map { $0.requiringGradient() }
  let w = model.rebound(Array(leaves[2...]))
  let extra = test.recordingTimespans ? [ts!] : []

  let batchFirst = cfcSequence(
    leaves[0], initialState: leaves[1], weights: w, configuration: c, timespans: ts, resets: resets, batchFirst: true)
  #expect(batchFirst.shape == [batch, length, h])
  let batchFirstGradients = (batchFirst * r).sum().gradients(for: leaves + extra)
  let timeMajor = cfcSequence(
    leaves[0].permuted([1, 0, 2]), initialState: leaves[1], weights: w, configuration: c, timespans: ts?.transposed(),
    resets: resets?.transposed()
  ).permuted([1, 0, 2])
  let timeMajorGradients = (timeMajor * r).sum().gradients(for: leaves + extra)
  let worst = zip(batchFirst.scalars, timeMajor.scalars).map { abs($0 - $1) }.max()!
  #expect(worst < 1e-6, "\(test): batch-first and time-major outputs differ by \(worst)")
  expectSameGradients(batchFirstGradients, timeMajorGradients, "\(test) batch-first vs time-major")
}

@Test(arguments: [false, true])
func cfcLayerBatchFirstMatchesTimeMajor(_ wired: Bool) throws {
  let (batch, length, n) = (3, 4, 6)
  var first: CfC, second: CfC
  if wired {
    let wiring = try Wiring(.autoNCP(units: 10, outputSize: 3), inputCount: n)
    first = CfC(wiring: wiring, projectionSize: 2, seed: 5)
    second = CfC(wiring: wiring, projectionSize: 2, batchFirst: false, seed: 5)
  } else {
    first = CfC(inputSize: n, units: 5, backboneLayers: 2, backboneDropout: 0.3, seed: 5)
    second = CfC(inputSize: n, units: 5, batchFirst: false, backboneLayers: 2, backboneDropout: 0.3, seed: 5)
  }
  var g = RandomStream(seed: 9)
  let x = randomTensor([batch, length, n], -1...1, &g)
  let h0 = randomTensor([batch, first.stateSize], -0.5...0.5, &g)
  let ts = randomTensor([batch, length], 0.5...1.5, &g)
  for returnSequences in [true, false] {
    first.returnSequences = returnSequences
    second.returnSequences = returnSequences
    var d1: RandomStream? = RandomStream(seed: 3), d2: RandomStream? = RandomStream(seed: 3)
    let a = first(x, initialState: h0, timespans: ts, dropoutGenerator: &d1)
    let b = second(x.permuted([1, 0, 2]), initialState: h0, timespans: ts.transposed(), dropoutGenerator: &d2)
    let expected = returnSequences ? b.output.permuted([1, 0, 2]) : b.output
    #expect(a.output.shape == expected.shape)
    #expect(a.state.shape == b.state.shape)
    let worst = zip(a.output.scalars + a.state.scalars, expected.scalars + b.state.scalars).map { abs($0 - $1) }.max()!
    #expect(worst < 1e-6, "wired \(wired), sequences \(returnSequences): layouts differ by \(worst)")
  }
}

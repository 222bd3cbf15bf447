// `ncps run --config model.json --weights model.safetensors --input x.npy [--timespans t.npy]
//  [--h0 h.npy] [--c0 c.npy] --output y.npy [--hn h.npy] [--cn c.npy]`
import ArgumentParser
import Foundation
import NeuralCircuits
import NeuralNetworks
import TensorCore

struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a CfC or LTC sequence model from an ncps state_dict saved as safetensors.",
    discussion: """
      model.json holds ncps' constructor arguments, e.g. {"model": "CfC", "input_size": 20, "units": 50} or \
      {"model": "LTC", "input_size": 8, "units": {"type": "AutoNCP", "units": 28, "output_size": 4}}; absent keys \
      take ncps' defaults. Arrays are float32 .npy, batch-first: input (B, L, C), timespans (B, L), states (B, N). \
      The output is the full sequence; timespans apply per sample for any batch size.
      """)

  @Option(help: "The model configuration (JSON with ncps' constructor arguments).") var config: String
  @Option(help: "The weights: a safetensors file of the model's state_dict.") var weights: String
  @Option(help: "The input sequence, float32 .npy of shape (B, L, C).") var input: String
  @Option(help: "Elapsed time per step, float32 .npy of shape (B, L).") var timespans: String?
  @Option(help: "The initial state, float32 .npy of shape (B, N).") var h0: String?
  @Option(help: "The initial LSTM cell state (mixed memory), float32 .npy of shape (B, N).") var c0: String?
  @Option(help: "Where to write the output sequence (B, L, O).") var output: String
  @Option(help: "Where to write the final state (B, N).") var hn: String?
  @Option(help: "Where to write the final LSTM cell state (B, N), mixed memory only.") var cn: String?

  func run() throws {
    let text: String
    do { text = try String(contentsOfFile: config, encoding: .utf8) } catch { throw failure("\(config): cannot read the file") }
    var configuration: CircuitConfiguration
    do { configuration = try CircuitConfiguration(json: text) } catch { throw failure("\(config): \(error)") }
    configuration.batchFirst = true
    configuration.returnSequences = true
    var model: CircuitModel
    do { model = try CircuitModel(configuration) } catch { throw failure("\(config): \(error)") }
    do {
      let file = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: weights))
      try model.load(stateDict: try file.tensors())
    } catch { throw failure("\(weights): \(error)") }

    func load(_ path: String?, _ name: String, rank: Int) throws -> Tensor? {
      guard let path else { return nil }
      let t: Tensor
      do { t = try NumpyArray.read(path) } catch { throw failure("\(error)") }
      guard t.rank == rank else { throw failure("\(path): \(name) must have rank \(rank), got shape \(t.shape)") }
      return t
    }
    let x = try load(input, "input (B, L, C)", rank: 3)!
    guard x.shape[2] == model.inputSize, x.shape[0] > 0, x.shape[1] > 0 else {
      throw failure("\(input): input shape \(x.shape) does not match (B, L, \(model.inputSize))")
    }
    let (batch, length) = (x.shape[0], x.shape[1])
    let ts = try load(timespans, "timespans (B, L)", rank: 2)
    if let ts, ts.shape != [batch, length] { throw failure("\(timespans!): timespans shape \(ts.shape) is not (\(batch), \(length))") }
    let h = try load(h0, "h0 (B, N)", rank: 2)
    if let h, h.shape != [batch, model.stateSize] { throw failure("\(h0!): h0 shape \(h.shape) is not (\(batch), \(model.stateSize))") }
    let c = try load(c0, "c0 (B, N)", rank: 2)
    if c != nil && !model.hasMixedMemory { throw failure("\(c0!): --c0 needs a model with mixed_memory") }
    if let c, c.shape != [batch, model.stateSize] { throw failure("\(c0!): c0 shape \(c.shape) is not (\(batch), \(model.stateSize))") }
    if cn != nil && !model.hasMixedMemory { throw failure("--cn needs a model with mixed_memory") }

    let result = model(x, initialState: h, initialCell: c, timespans: ts)
    do {
      try NumpyArray.write(result.output, to: output)
      if let hn { try NumpyArray.write(result.state, to: hn) }
      if let cn, let cell = result.cell { try NumpyArray.write(cell, to: cn) }
    } catch { throw failure("\(error)") }
  }
}

// `ncps wiring '<json>' --input-size N [--json] [--svg FILE] [--png FILE]`
import ArgumentParser
import Environments
import NeuralCircuits

struct WiringCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "wiring",
    abstract: "Build a wiring as ncps 1.0.1 would, print a summary or its matrices, and draw it.",
    discussion: """
      The wiring is a JSON object: {"type": "AutoNCP"|"NCP"|"FullyConnected"|"Random", ...} with \
      ncps' constructor arguments (absent ones take ncps' defaults), or the output of an ncps \
      wiring's get_config(). Example: ncps wiring '{"type": "AutoNCP", "units": 28, "output_size": 4}' --input-size 8
      """)

  @Argument(help: "The wiring as JSON, e.g. '{\"type\": \"AutoNCP\", \"units\": 28, \"output_size\": 4}'.")
  var wiring: String

  @Option(help: "The number of input features (sensory neurons).")
  var inputSize: Int

  @Flag(name: .customLong("json"), help: "Print one JSON object with units, input_dim, output_dim and both adjacency matrices instead of the summary.")
  var printsJSON = false

  @Option(help: "Write the wiring diagram as SVG to this file.")
  var svg: String?

  @Option(help: "Write the wiring diagram as PNG to this file.")
  var png: String?

  func run() throws {
    let built: Wiring
    do {
      built = try Wiring(json: wiring, inputCount: inputSize)
    } catch {
      throw failure(error.message)
    }
    // Files first, so that a failure leaves nothing half-reported on standard output.
    if svg != nil || png != nil {
      let diagram = built.diagram()
      if let svg { try writeAtomically(Array(diagram.svg.utf8), to: svg) }
      if let png { try writeAtomically(diagram.frame().pngData(), to: png) }
    }
    if printsJSON {
      print(built.jsonObjectForTool)
    } else {
      print(built.summary)
      for path in [svg, png].compactMap({ $0 }) { print("wrote \(path)") }
    }
  }
}

extension Wiring {
  /// `--json`: ncps' `get_config` fields of the built wiring, in the order the issue lists them.
  var jsonObjectForTool: String {
    func matrix(_ rows: [[Int]]) -> String {
      "[" + rows.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
    return "{\"units\": \(units), \"input_dim\": \(inputCount), \"output_dim\": \(outputCount), "
      + "\"adjacency_matrix\": \(matrix(adjacencyMatrix)), \"sensory_adjacency_matrix\": \(matrix(sensoryAdjacencyMatrix))}"
  }
}

// `ncps inspect FILE.safetensors`: tensors, shapes, dtypes and the parameter count.
import ArgumentParser
import Foundation
import NeuralNetworks

struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect", abstract: "List the tensors of a safetensors file (names, dtypes, shapes) and count parameters.")

  @Argument(help: "A .safetensors file, e.g. a state_dict saved with safetensors.torch.save_file.") var file: String

  func run() throws {
    let contents: SafeTensorsFile
    do { contents = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: file)) } catch { throw failure("\(error)") }
    let names = contents.entries.keys.sorted()
    let width = names.map(\.count).max() ?? 4
    var total = 0, trainable = 0
    for name in names {
      let entry = contents.entries[name]!
      total += entry.elementCount
      if !name.hasSuffix("sparsity_mask") { trainable += entry.elementCount }
      let shape = "(" + entry.shape.map(String.init).joined(separator: ", ") + (entry.shape.count == 1 ? ",)" : ")")
      print(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + entry.dataType.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0) + " " + shape)
    }
    print("\(names.count) tensors, \(total) elements; \(trainable) parameters without sparsity masks")
    for (key, value) in contents.metadata.sorted(by: { $0.key < $1.key }) where key != "__metadata__" {
      print("metadata \(key): \(value.count > 200 ? String(value.prefix(200)) + "…" : value)")
    }
  }
}

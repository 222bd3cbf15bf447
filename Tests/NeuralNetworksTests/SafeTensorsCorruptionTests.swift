import Foundation
import Randomness
import Testing

@testable import NeuralNetworks

/// A file with the given header text and data bytes (header length computed unless given).
private func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
  let h = Array(header.utf8)
  var bytes: [UInt8] = []
  UInt64.appendLittleEndian(length ?? UInt64(h.count), to: &bytes)
  return bytes + h + data
}

/// The error reading `bytes` as "bad.safetensors" raises.
private func error(_ bytes: [UInt8]) throws -> SafeTensorsError {
  try #require(throws: SafeTensorsError.self) { try SafeTensorsFile(bytes: bytes, source: "bad.safetensors") }
}

private let eight = [UInt8](repeating: 0, count: 8)

@Suite struct SafeTensorsCorruptionTests {
  @Test func validMinimalFileParses() throws {
    let ok = try SafeTensorsFile(bytes: file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: eight))
    #expect(ok.entries["a"]?.shape == [2])
    let empty = try SafeTensorsFile(bytes: file("{}"))
    #expect(empty.entries.isEmpty)
    // Trailing spaces after the JSON are padding.
    #expect(try SafeTensorsFile(bytes: file("{}      ")).entries.isEmpty)
  }

  @Test func truncatedFilesNameTheProblem() throws {
    #expect(try error([1, 2, 3]).description
      == "bad.safetensors: is truncated: 3 bytes, but a safetensors file starts with an 8-byte header length")
    #expect(try error(file("{}", length: 40)).problem
      == "is truncated: the header length is 40 bytes but only 2 bytes follow")
    let full = file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: eight)
    let cut = try error(Array(full.dropLast(3)))
    #expect(cut.tensor == "a")
    #expect(cut.problem == "is truncated: data_offsets [0, 8] reach past the end of the data section (5 bytes)")
    // A real file cut anywhere fails cleanly.
    let real = try [UInt8](Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/safetensors/python-written.safetensors")))
    for length in stride(from: 0, to: real.count, by: 7) {
      #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(bytes: Array(real.prefix(length))) }
    }
  }

  @Test func corruptHeadersAreRejected() throws {
    #expect(try error(file("{}", length: 200_000_000)).problem.contains("exceeds the limit"))
    #expect(try error(file("{}") + [0]).problem.contains("trailing bytes"))
    var badUTF8 = file("{\"a\": 1}")
    badUTF8[10] = 0xFF
    #expect(try error(badUTF8).problem == "header is not valid UTF-8")
    #expect(try error(file("[1, 2]")).problem == "header does not start with '{' (not a safetensors file?)")
    #expect(try error(file("{\"a\": ")).problem.hasPrefix("header is not valid JSON"))
    let metadata = try error(file(#"{"__metadata__":{"k":1}}"#))
    #expect(metadata.problem == "__metadata__ must be a JSON object mapping strings to strings")
    #expect(metadata.file == "bad.safetensors")
    let field = try error(file(#"{"w":{"dtype":"F32","shape":[2]}}"#))
    #expect(field.tensor == "w")
    #expect(field.problem.contains("missing field 'data_offsets'"))
    let kind = try error(file(#"{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#, data: eight))
    #expect(kind.tensor == "w")
  }

  @Test func inconsistentTensorsNameTheTensor() throws {
    let dtype = try error(file(#"{"h":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}"#, data: eight))
    #expect(dtype.description
      == "bad.safetensors: tensor 'h': dtype 'BF16' is not supported (supported: F64, F32, I64, I32, U8)")
    let negative = try error(file(#"{"n":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: eight))
    #expect(negative.tensor == "n" && negative.problem.contains("shape [-2] is invalid"))
    let huge = try error(file(#"{"n":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: eight))
    #expect(huge.problem.contains("is invalid"))
    let size = try error(file(#"{"s":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}"#, data: eight))
    #expect(size.description
      == "bad.safetensors: tensor 's': shape [2] of F64 needs 16 bytes but data_offsets [0, 8] span 8")
    let pair = try error(file(#"{"p":{"dtype":"U8","shape":[1],"data_offsets":[0]}}"#, data: [0]))
    #expect(pair.tensor == "p" && pair.problem.contains("two numbers"))
    let backwards = try error(file(#"{"b":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}"#, data: eight))
    #expect(backwards.tensor == "b" && backwards.problem.contains("not an increasing pair"))
  }

  @Test func overlapsGapsAndLeftoversAreRejected() throws {
    let overlap = try error(file(
      #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
      data: eight))
    #expect(overlap.description
      == "bad.safetensors: tensor 'b': data_offsets [4, 8] overlap those of 'a' [0, 8]")
    let gap = try error(file(#"{"g":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: eight))
    #expect(gap.tensor == "g" && gap.problem.contains("leave bytes 0..<4 of the data section unused"))
    let leftover = try error(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: eight))
    #expect(leftover.problem == "the data section has 8 bytes but the tensors cover only 4 (trailing bytes)")
    // Zero-length tensors may share an offset.
    let zeros = try SafeTensorsFile(bytes: file(
      #"{"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"f":{"dtype":"I64","shape":[0,3],"data_offsets":[0,0]}}"#))
    #expect(zeros.entries.count == 2)
  }

  @Test func unreadableFileNamesThePath() throws {
    let url = URL(fileURLWithPath: "/nonexistent-swift-ncps/model.safetensors")
    let e = try #require(throws: SafeTensorsError.self) { try SafeTensorsFile(contentsOf: url) }
    #expect(e.file == url.path && e.problem.hasPrefix("cannot be read"))
  }
}

/// Random byte flips, insertions and deletions in a real file either parse or throw; none traps.
@Test func randomCorruptionNeverTraps() throws {
  let real = try [UInt8](Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/safetensors/python-written.safetensors")))
  var generator = RandomStream(seed: 11)  // seeded: the same 3000 mutations every run
  var thrown = 0
  for trial in 0..<3000 {
    var bytes = real
    for _ in 0..<(1 + trial % 3) {
      let at = Int.random(in: 0..<bytes.count, using: &generator)
      switch trial % 3 {
      case 0: bytes[at] = UInt8.random(in: 0...255, using: &generator)
      case 1: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: at)
      default: bytes.remove(at: at)
      }
    }
    do { _ = try SafeTensorsFile(bytes: bytes) } catch { thrown += 1 }
  }
  #expect(thrown > 1000)
}

import Foundation
import TensorCore
import Testing

@testable import NeuralNetworks

/// Fixtures written by Scripts/make-safetensors-fixtures.py with Python's `safetensors`.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Fixtures/safetensors")

/// expected.json: each fixture's metadata and tensors, floats as hex IEEE bit patterns.
private struct Expected: Decodable {
  struct Tensor: Decodable {
    var dtype: String
    var shape: [Int]
    var values: [Value]
  }
  enum Value: Decodable {
    case bits(String), integer(Int64)
    init(from decoder: any Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let s = try? c.decode(String.self) { self = .bits(s) } else { self = .integer(try c.decode(Int64.self)) }
    }
  }
  var metadata: [String: String]
  var tensors: [String: Tensor]

  static func load(_ name: String) throws -> Expected {
    let all = try JSONDecoder().decode(
      [String: Expected].self, from: Data(contentsOf: fixtures.appendingPathComponent("expected.json")))
    return try #require(all[name])
  }

  /// The entry this description stands for, built independently of the reader.
  static func entry(_ t: Tensor) throws -> SafeTensorsFile.Entry {
    func bits() -> [String] { t.values.map { if case .bits(let s) = $0 { s } else { "" } } }
    func ints() -> [Int64] { t.values.map { if case .integer(let i) = $0 { i } else { .min } } }
    switch t.dtype {
    case "F32": return try .init(bits().map { Float(bitPattern: UInt32($0, radix: 16)!) }, shape: t.shape)
    case "F64": return try .init(bits().map { Double(bitPattern: UInt64($0, radix: 16)!) }, shape: t.shape)
    case "I64": return try .init(ints(), shape: t.shape)
    case "I32": return try .init(ints().map { Int32($0) }, shape: t.shape)
    case "U8": return try .init(ints().map { UInt8($0) }, shape: t.shape)
    default: throw SafeTensorsError(problem: "unexpected dtype \(t.dtype) in expected.json")
    }
  }

  func file() throws -> SafeTensorsFile {
    var file = SafeTensorsFile(metadata: metadata)
    for (name, t) in tensors { file.entries[name] = try Expected.entry(t) }
    return file
  }
}

@Suite struct SafeTensorsFileTests {
  @Test func fileWrittenByPythonLoadsWithExactContents() throws {
    let expected = try Expected.load("python-written")
    let url = fixtures.appendingPathComponent("python-written.safetensors")
    let file = try SafeTensorsFile(contentsOf: url)
    #expect(file.metadata == expected.metadata)
    #expect(Set(file.entries.keys) == Set(expected.tensors.keys))
    for (name, description) in expected.tensors {
      let entry = try #require(file.entries[name])
      // Bytes compare NaN payloads and -0 exactly.
      #expect(entry == (try Expected.entry(description)), "tensor \(name)")
    }
    let u8 = try file.entry(named: "u8.mask").values(as: UInt8.self)
    #expect(u8 == [0, 1, 255, 1, 0, 128])
    let i64 = try file.entry(named: "i64.counts").values(as: Int64.self)
    #expect(i64 == [0, -1, 1 << 40, -(1 << 62)])
    #expect(try file.tensor(named: "f32.small", shape: [2, 2]).scalars == [1, 2, 3, 4])
    #expect(try file.tensor(named: "i32.scalar").shape == [])
    #expect(try file.tensor(named: "empty").shape == [0, 4])
  }

  @Test func metadataWithManyKeysLoads() throws {
    let expected = try Expected.load("python-metadata")
    let file = try SafeTensorsFile(contentsOf: fixtures.appendingPathComponent("python-metadata.safetensors"))
    #expect(file == (try expected.file()))
    #expect(file.metadata["ünï"] == "✓")
  }

  /// Same contents -> the same bytes as Python's writer. Also leaves the file in
  /// $TMPDIR/swift-ncps/ for `python3 Scripts/make-safetensors-fixtures.py --verify`.
  @Test func swiftWritesTheBytesPythonWrites() throws {
    let file = try Expected.load("python-written").file()
    let python = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("python-written.safetensors")))
    #expect(file.serialized() == python)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-ncps")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent("swift-written.safetensors")
    try file.write(to: url)
    #expect(try [UInt8](Data(contentsOf: url)) == python)
  }

  @Test func roundTripPreservesEveryDataType() throws {
    var file = SafeTensorsFile(metadata: ["step": "12", "note": "a \"b\"\n\u{01}"])
    file.entries["d"] = try .init([1.5, -0.0, .infinity, .leastNonzeroMagnitude] as [Double], shape: [2, 2])
    file.entries["f"] = try .init([Float.nan, 3, -7.25] as [Float], shape: [3, 1])
    file.entries["l"] = try .init([Int64.min, Int64.max] as [Int64], shape: [2])
    file.entries["i"] = try .init([Int32.min] as [Int32], shape: [])
    file.entries["u"] = try .init([] as [UInt8], shape: [0])
    file.entries["b"] = try .init([9, 8, 7] as [UInt8], shape: [1, 3, 1])
    let url = try temporaryFile("round-trip.safetensors")
    try file.write(to: url)
    let loaded = try SafeTensorsFile(contentsOf: url)
    #expect(loaded == file)
    #expect(loaded.source == url.path)
    // The header is padded so that the data section starts at a multiple of 8.
    let bytes = file.serialized()
    let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    #expect(headerLength % 8 == 0)
    #expect(bytes[8 + headerLength - 1] == UInt8(ascii: " ") || bytes[8 + headerLength - 1] == UInt8(ascii: "}"))
  }

  @Test func writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws {
    let url = try temporaryFile("atomic.safetensors")
    try SafeTensorsFile(tensors: ["a": Tensor([1, 2])]).write(to: url)
    try SafeTensorsFile(tensors: ["b": Tensor([3])]).write(to: url)
    #expect(try SafeTensorsFile(contentsOf: url).entries.keys.sorted() == ["b"])
    let siblings = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
    #expect(siblings == ["atomic.safetensors"])

    let missing = URL(fileURLWithPath: "/nonexistent-directory-swift-ncps/x.safetensors")
    let error = try #require(throws: SafeTensorsError.self) { try SafeTensorsFile().write(to: missing) }
    #expect(error.file == missing.path)
    #expect(error.description.contains("cannot be written"))
  }

  @Test func tensorConversionsAreExactOrThrow() throws {
    let t = Tensor([0, 1, -2, 255, 16_777_216], shape: [5])
    var file = try SafeTensorsFile(tensors: ["t": t], as: .float64)
    try file.setTensor(t, named: "t32", as: .int32)
    try file.setTensor(t, named: "t64", as: .int64)
    try file.setTensor(Tensor([0, 1, 255]), named: "mask", as: .uint8)
    let loaded = try SafeTensorsFile(bytes: file.serialized(), source: "conv.safetensors")
    for name in ["t", "t32", "t64"] { #expect(try loaded.tensor(named: name).scalars == t.scalars) }
    #expect(try loaded.tensor(named: "mask").scalars == [0, 1, 255])
    #expect(loaded.entries["t"]?.dataType == .float64)

    let fraction = try #require(throws: SafeTensorsError.self) {
      try file.setTensor(Tensor([1, 2.5]), named: "bad", as: .int32)
    }
    #expect(fraction.tensor == "bad" && fraction.problem.contains("element 1 = 2.5"))
    let overflow = try #require(throws: SafeTensorsError.self) {
      try file.setTensor(Tensor([256]), named: "wide", as: .uint8)
    }
    #expect(overflow.problem.contains("U8"))

    var big = SafeTensorsFile()
    big.entries["n"] = try .init([1, 16_777_217] as [Int64], shape: [2])
    big.entries["d"] = try .init([1e300] as [Double], shape: [1])
    big.source = "big.safetensors"
    let inexact = try #require(throws: SafeTensorsError.self) { try big.tensor(named: "n") }
    #expect(inexact.description == "big.safetensors: tensor 'n': I64 element 1 = 16777217 is not exactly representable as Float32 (|value| > 2^24)")
    let range = try #require(throws: SafeTensorsError.self) { try big.tensor(named: "d") }
    #expect(range.description.contains("outside the range of Float32"))
  }

  @Test func lookupErrorsNameFileTensorAndShapes() throws {
    var file = try SafeTensorsFile(tensors: ["w": Tensor(zeros: [2, 3])])
    file.source = "m.safetensors"
    let missing = try #require(throws: SafeTensorsError.self) { try file.tensor(named: "v") }
    #expect(missing.description == "m.safetensors: tensor 'v': no such tensor in the file")
    let shape = try #require(throws: SafeTensorsError.self) { try file.tensor(named: "w", shape: [3, 2]) }
    #expect(shape.description == "m.safetensors: tensor 'w': has shape [2, 3], expected [3, 2]")
    let type = try #require(throws: SafeTensorsError.self) { try file.entries["w"]!.values(as: Int32.self) }
    #expect(type.problem == "is stored as F32, not I32")
  }
}

/// A fresh, empty directory for one test, and a file name inside it.
func temporaryFile(_ name: String) throws -> URL {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("swift-ncps-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  return directory.appendingPathComponent(name)
}

// SafeTensorsFile: the safetensors checkpoint format (Hugging Face) at the level of raw bytes.
//
// Layout of a file (https://github.com/huggingface/safetensors, "Format"):
//
//   [8 bytes]  N, the header length, unsigned 64-bit little-endian
//   [N bytes]  a UTF-8 JSON object, padded with spaces:
//                {"__metadata__": {"key": "value", ...},          optional, strings only
//                 "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
//   [rest]     the data section; each tensor's little-endian, row-major bytes live at
//              [begin, end) relative to the start of the data section
//
// Contract:
// - Reading validates everything the reference implementation validates (header length and
//   limit, UTF-8, JSON, dtype, shape, byte counts, offsets that tile the data section exactly with
//   no overlap and no gap) and throws a `SafeTensorsError` naming the file, the tensor and the
//   problem. Nothing on this path traps.
// - Writing lays the file out as Python's `safetensors` 0.8 does: tensors ordered by dtype size
//   (largest first, so every tensor is aligned) and then by name, compact JSON, the header padded
//   with spaces to a multiple of 8 bytes. Metadata keys are written sorted (the Python library
//   writes them in hash order). Files are written atomically (temporary file + rename).
// - This layer does not know `Tensor`; see SafeTensorsFile+Tensor.swift for conversions.

import Foundation

/// A safetensors file held in memory: named tensors as raw little-endian bytes, and a string map
/// of metadata.
///
/// ```swift
/// var file = SafeTensorsFile()
/// file.metadata["config"] = #"{"units": 16}"#
/// file.entries["weight"] = SafeTensorsFile.Entry([1, 2, 3, 4] as [Float], shape: [2, 2])
/// try file.write(to: URL(fileURLWithPath: "model.safetensors"))
/// let loaded = try SafeTensorsFile(contentsOf: URL(fileURLWithPath: "model.safetensors"))
/// ```
public struct SafeTensorsFile: Sendable, Equatable {
  /// The element types this implementation reads and writes, by their safetensors names.
  public enum DataType: String, Sendable, CaseIterable {
    case float64 = "F64"
    case float32 = "F32"
    case int64 = "I64"
    case int32 = "I32"
    case uint8 = "U8"

    /// Bytes per element.
    public var byteCount: Int {
      switch self {
      case .float64, .int64: 8
      case .float32, .int32: 4
      case .uint8: 1
      }
    }

    /// The position of this type in the reference implementation's `Dtype` enum; files list
    /// tensors by descending rank, then by name.
    var writeRank: Int {
      switch self {
      case .uint8: 0
      case .int32: 1
      case .float32: 2
      case .float64: 3
      case .int64: 4
      }
    }
  }

  /// One tensor: its element type, shape and row-major little-endian bytes.
  public struct Entry: Sendable, Equatable {
    public var dataType: DataType
    /// The size of each axis, outermost first; `[]` for a scalar.
    public var shape: [Int]
    /// `shape.product * dataType.byteCount` bytes, little-endian, row-major.
    public var bytes: [UInt8]

    /// An entry from raw bytes.
    ///
    /// - Throws: when `bytes.count` does not match the shape and element type.
    public init(dataType: DataType, shape: [Int], bytes: [UInt8]) throws(SafeTensorsError) {
      guard let count = checkedElementCount(shape) else {
        throw SafeTensorsError(problem: "shape \(shape) is invalid (negative or overflowing)")
      }
      guard count * dataType.byteCount == bytes.count else {
        throw SafeTensorsError(
          problem: "shape \(shape) of \(dataType.rawValue) needs \(count * dataType.byteCount) bytes, got \(bytes.count)")
      }
      self.dataType = dataType
      self.shape = shape
      self.bytes = bytes
    }

    /// Internal: the caller guarantees consistency.
    init(unchecked dataType: DataType, shape: [Int], bytes: [UInt8]) {
      self.dataType = dataType
      self.shape = shape
      self.bytes = bytes
    }

    /// The number of elements (the product of `shape`).
    public var elementCount: Int { shape.reduce(1, *) }
  }

  /// The tensors by name.
  public var entries: [String: Entry]
  /// The `__metadata__` string map (empty when the file has none).
  public var metadata: [String: String]
  /// Where the file was read from (or `"<memory>"`); used in error messages.
  public var source: String

  /// An empty file.
  public init(entries: [String: Entry] = [:], metadata: [String: String] = [:]) {
    self.entries = entries
    self.metadata = metadata
    self.source = "<memory>"
  }

  /// The tensor names in the order a written file stores them (dtype size, then name).
  public var orderedNames: [String] {
    entries.keys.sorted { a, b in
      let ra = entries[a]!.dataType.writeRank, rb = entries[b]!.dataType.writeRank
      if ra != rb { return ra > rb }
      return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
    }
  }

  /// The entry called `name`.
  ///
  /// - Throws: `SafeTensorsError` naming the file and the missing tensor.
  public func entry(named name: String) throws(SafeTensorsError) -> Entry {
    guard let entry = entries[name] else {
      throw SafeTensorsError(file: source, tensor: name, problem: "no such tensor in the file")
    }
    return entry
  }

  public static func == (a: SafeTensorsFile, b: SafeTensorsFile) -> Bool {
    a.entries == b.entries && a.metadata == b.metadata
  }
}

/// A problem with a safetensors file: the file, the tensor (when one is concerned) and what is
/// wrong, e.g. `model.safetensors: tensor 'ff1.weight': shape [4, 3] of F32 needs 48 bytes but
/// data_offsets [0, 40] span 40`.
public struct SafeTensorsError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The file path, or `"<memory>"`.
  public var file: String
  /// The tensor concerned, if any.
  public var tensor: String?
  /// What is wrong.
  public var problem: String

  public init(file: String = "<memory>", tensor: String? = nil, problem: String) {
    self.file = file
    self.tensor = tensor
    self.problem = problem
  }

  public var description: String {
    if let tensor { return "\(file): tensor '\(tensor)': \(problem)" }
    return "\(file): \(problem)"
  }

  /// The same error attributed to `file` (and `tensor` when it had none).
  func located(file: String, tensor: String? = nil) -> SafeTensorsError {
    SafeTensorsError(file: file, tensor: self.tensor ?? tensor, problem: problem)
  }
}

/// The product of `shape`, or nil when a dimension is negative or the product overflows.
func checkedElementCount(_ shape: [Int]) -> Int? {
  var count = 1
  for dimension in shape {
    guard dimension >= 0 else { return nil }
    let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
    guard !overflow else { return nil }
    count = product
  }
  // Keep byte counts (count * 8) representable too.
  guard count <= Int.max / 8 else { return nil }
  return count
}

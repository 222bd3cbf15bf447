// Reading and validating safetensors bytes. Every check of the reference implementation
// (safetensors 0.8 `SafeTensors::deserialize` + `Metadata::validate`) is made here, and each
// failure names the file, the tensor (when one is concerned) and the problem.

import Foundation

extension SafeTensorsFile {
  /// The reference implementation refuses headers larger than this.
  public static let maximumHeaderLength = 100_000_000

  /// Reads and validates the file at `url`.
  ///
  /// - Throws: `SafeTensorsError` naming the file (and the tensor) when it cannot be read, is
  ///   truncated or corrupt, or uses a dtype other than F64/F32/I64/I32/U8.
  public init(contentsOf url: URL) throws(SafeTensorsError) {
    let path = url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw SafeTensorsError(file: path, problem: "cannot be read (\(error.localizedDescription))")
    }
    try self.init(bytes: [UInt8](data), source: path)
  }

  /// Parses and validates a whole file held in memory. `source` names it in errors.
  public init(bytes: [UInt8], source: String = "<memory>") throws(SafeTensorsError) {
    func fail(_ problem: String, tensor: String? = nil) -> SafeTensorsError {
      SafeTensorsError(file: source, tensor: tensor, problem: problem)
    }
    guard bytes.count >= 8 else {
      throw fail("is truncated: \(bytes.count) bytes, but a safetensors file starts with an 8-byte header length")
    }
    var headerLength: UInt64 = 0
    for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard headerLength <= UInt64(Self.maximumHeaderLength) else {
      throw fail("header length \(headerLength) exceeds the limit of \(Self.maximumHeaderLength) bytes (not a safetensors file?)")
    }
    let headerEnd = 8 + Int(headerLength)
    guard headerEnd <= bytes.count else {
      throw fail("is truncated: the header length is \(headerLength) bytes but only \(bytes.count - 8) bytes follow")
    }
    let headerBytes = bytes[8..<headerEnd]
    guard String(validating: headerBytes, as: UTF8.self) != nil else {
      throw fail("header is not valid UTF-8")
    }
    guard headerBytes.first == UInt8(ascii: "{") else {
      throw fail("header does not start with '{' (not a safetensors file?)")
    }
    let header: RawHeader
    do {
      header = try JSONDecoder().decode(RawHeader.self, from: Data(headerBytes))
    } catch let error as SafeTensorsError {
      throw error.located(file: source)
    } catch {
      throw fail("header is not valid JSON (\(jsonProblem(error)))")
    }

    // Per-tensor checks: a known dtype, a valid shape, offsets that match its byte count.
    struct Placed { var name: String; var begin: Int; var end: Int; var dataType: DataType; var shape: [Int] }
    var placed: [Placed] = []
    for (name, raw) in header.tensors {
      guard let dataType = DataType(rawValue: raw.dtype) else {
        let known = DataType.allCases.map(\.rawValue).joined(separator: ", ")
        throw fail("dtype '\(raw.dtype)' is not supported (supported: \(known))", tensor: name)
      }
      guard let count = checkedElementCount(raw.shape) else {
        throw fail("shape \(raw.shape) is invalid (negative or overflowing)", tensor: name)
      }
      guard raw.data_offsets.count == 2 else {
        throw fail("data_offsets must hold two numbers [begin, end], got \(raw.data_offsets)", tensor: name)
      }
      let (begin, end) = (raw.data_offsets[0], raw.data_offsets[1])
      guard begin >= 0, end >= begin else {
        throw fail("data_offsets [\(begin), \(end)] are not an increasing pair of non-negative offsets", tensor: name)
      }
      guard end - begin == count * dataType.byteCount else {
        throw fail(
          "shape \(raw.shape) of \(dataType.rawValue) needs \(count * dataType.byteCount) bytes but data_offsets [\(begin), \(end)] span \(end - begin)",
          tensor: name)
      }
      placed.append(Placed(name: name, begin: begin, end: end, dataType: dataType, shape: raw.shape))
    }

    // Together the tensors must tile the data section: no overlap, no gap, nothing missing.
    placed.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    let dataCount = bytes.count - headerEnd
    var covered = 0
    var previous: Placed?
    for tensor in placed {
      if tensor.begin < covered, let previous {
        throw fail(
          "data_offsets [\(tensor.begin), \(tensor.end)] overlap those of '\(previous.name)' [\(previous.begin), \(previous.end)]",
          tensor: tensor.name)
      }
      if tensor.begin > covered {
        throw fail(
          "data_offsets [\(tensor.begin), \(tensor.end)] leave bytes \(covered)..<\(tensor.begin) of the data section unused",
          tensor: tensor.name)
      }
      if tensor.end > dataCount {
        throw fail(
          "is truncated: data_offsets [\(tensor.begin), \(tensor.end)] reach past the end of the data section (\(dataCount) bytes)",
          tensor: tensor.name)
      }
      covered = tensor.end
      previous = tensor
    }
    guard covered == dataCount else {
      throw fail("the data section has \(dataCount) bytes but the tensors cover only \(covered) (trailing bytes)")
    }

    var entries: [String: Entry] = [:]
    for tensor in placed {
      let slice = Array(bytes[(headerEnd + tensor.begin)..<(headerEnd + tensor.end)])
      entries[tensor.name] = Entry(unchecked: tensor.dataType, shape: tensor.shape, bytes: slice)
    }
    self.init(entries: entries, metadata: header.metadata)
    self.source = source
  }
}

/// The JSON header as written: `__metadata__` and one entry per tensor.
private struct RawHeader: Decodable {
  struct Tensor: Decodable {
    var dtype: String
    var shape: [Int]
    var data_offsets: [Int]
  }
  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  var metadata: [String: String] = [:]
  var tensors: [String: Tensor] = [:]

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    for key in container.allKeys {
      if key.stringValue == "__metadata__" {
        do {
          metadata = try container.decode([String: String].self, forKey: key)
        } catch {
          throw SafeTensorsError(problem: "__metadata__ must be a JSON object mapping strings to strings")
        }
      } else {
        do {
          tensors[key.stringValue] = try container.decode(Tensor.self, forKey: key)
        } catch {
          throw SafeTensorsError(
            tensor: key.stringValue,
            problem: "header entry must be {\"dtype\": string, \"shape\": [integers], \"data_offsets\": [begin, end]} (\(jsonProblem(error)))")
        }
      }
    }
  }
}

/// A one-line summary of a decoding error.
private func jsonProblem(_ error: any Error) -> String {
  switch error {
  case DecodingError.dataCorrupted(let context):
    return context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription
  case DecodingError.keyNotFound(let key, _):
    return "missing field '\(key.stringValue)'"
  case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
    let path = context.codingPath.map(\.stringValue).joined(separator: ".")
    return "\(path.isEmpty ? "" : "field '\(path)': ")\(context.debugDescription)"
  default:
    return "\(error)"
  }
}

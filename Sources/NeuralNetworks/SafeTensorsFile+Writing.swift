// Writing safetensors bytes in the layout Python's `safetensors` 0.8 produces (tensor order,
// compact JSON, space padding to 8 bytes), and writing files atomically.

import Foundation

extension SafeTensorsFile {
  /// The complete file: header length, header, data.
  public func serialized() -> [UInt8] {
    let names = orderedNames
    var header = "{"
    var fields: [String] = []
    if !metadata.isEmpty {
      let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
      let pairs = keys.map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
      fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var offset = 0
    for name in names {
      let entry = entries[name]!
      let shape = entry.shape.map(String.init).joined(separator: ",")
      fields.append(
        "\(jsonString(name)):{\"dtype\":\"\(entry.dataType.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + entry.bytes.count)]}")
      offset += entry.bytes.count
    }
    header += fields.joined(separator: ",") + "}"
    var headerBytes = Array(header.utf8)
    // Pad so that the data section starts at a multiple of 8 bytes.
    while headerBytes.count % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + headerBytes.count + offset)
    UInt64.appendLittleEndian(UInt64(headerBytes.count), to: &bytes)
    bytes += headerBytes
    for name in names { bytes += entries[name]!.bytes }
    return bytes
  }

  /// Writes the file to `url` atomically: the bytes go to a temporary file in the same directory,
  /// which is then renamed over `url`, so readers (and a crash) see the old file or the new one.
  ///
  /// - Throws: `SafeTensorsError` naming `url` when the directory is not writable.
  public func write(to url: URL) throws(SafeTensorsError) {
    do {
      try writeAtomically(serialized(), to: url)
    } catch {
      throw SafeTensorsError(file: url.path, problem: "cannot be written (\(error.localizedDescription))")
    }
  }
}

/// Writes `bytes` to a temporary file beside `url`, flushes it, and renames it over `url`.
func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
  let directory = url.deletingLastPathComponent()
  let temporary = directory.appendingPathComponent(
    ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
  let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
  guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
  var failure: POSIXErrorCode?
  bytes.withUnsafeBytes { raw in
    var written = 0
    while written < raw.count {
      let n = Foundation.write(descriptor, raw.baseAddress! + written, raw.count - written)
      if n < 0 {
        if errno == EINTR { continue }
        failure = POSIXErrorCode(rawValue: errno) ?? .EIO
        return
      }
      written += n
    }
  }
  if failure == nil, fsync(descriptor) != 0 { failure = POSIXErrorCode(rawValue: errno) ?? .EIO }
  close(descriptor)
  if failure == nil, rename(temporary.path, url.path) != 0 { failure = POSIXErrorCode(rawValue: errno) ?? .EIO }
  if let failure {
    unlink(temporary.path)
    throw POSIXError(failure)
  }
}

/// `value` as a JSON string literal, escaped as serde_json does (the reference writer).
func jsonString(_ value: String) -> String {
  var out = "\""
  for scalar in value.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case "\u{08}": out += "\\b"
    case "\u{0C}": out += "\\f"
    default:
      if scalar.value < 0x20 {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}

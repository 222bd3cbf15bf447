// .npy files (numpy's format, versions 1–3) of float32 — the arrays `ncps run` reads and writes.
// Reading also accepts little-endian float64 (converted); anything else is a clear error naming
// the file. Writes are atomic (temporary file + rename).

import Foundation
import TensorCore

/// A problem with a .npy file, naming the file.
public struct NumpyError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

public enum NumpyArray {
  /// Reads a little-endian float32 (or float64) C-order array.
  public static func read(_ path: String) throws(NumpyError) -> Tensor {
    let bytes: [UInt8]
    do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
      throw NumpyError("\(path): cannot read the file (\(error.localizedDescription))")
    }
    return try decode(bytes, path: path)
  }

  static func decode(_ bytes: [UInt8], path: String) throws(NumpyError) -> Tensor {
    let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw NumpyError("\(path): not a .npy file (bad magic)") }
    let major = bytes[6]
    let headerStart = major == 1 ? 10 : 12
    guard (1...3).contains(major), bytes.count >= headerStart else { throw NumpyError("\(path): unsupported .npy version \(major)") }
    let headerLength = major == 1
      ? Int(bytes[8]) | Int(bytes[9]) << 8
      : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
    guard bytes.count >= headerStart + headerLength else { throw NumpyError("\(path): truncated header") }
    guard let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8) else {
      throw NumpyError("\(path): header is not text")
    }
    func field(_ key: String) -> String? {
      guard let range = header.range(of: "'\(key)':") else { return nil }
      return String(header[range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
    guard let descr = field("descr"), let order = field("fortran_order"), let shapeText = field("shape") else {
      throw NumpyError("\(path): header lacks descr, fortran_order or shape")
    }
    let isFloat32 = descr.hasPrefix("'<f4'") || descr.hasPrefix("'|f4'")
    let isFloat64 = descr.hasPrefix("'<f8'")
    guard isFloat32 || isFloat64 else {
      throw NumpyError("\(path): dtype \(descr.prefix(while: { $0 != "," })) is not float32 (save with .astype(np.float32))")
    }
    guard order.hasPrefix("False") else { throw NumpyError("\(path): Fortran-order arrays are not supported") }
    guard shapeText.hasPrefix("("), let close = shapeText.firstIndex(of: ")") else { throw NumpyError("\(path): malformed shape") }
    let parts = shapeText[shapeText.index(after: shapeText.startIndex)..<close].split(separator: ",")
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    var shape: [Int] = []
    for part in parts {
      guard let n = Int(part), n >= 0 else { throw NumpyError("\(path): malformed shape \(shapeText[...close])") }
      shape.append(n)
    }
    let count = shape.reduce(1, *)
    let width = isFloat32 ? 4 : 8
    let start = headerStart + headerLength
    guard bytes.count - start == count * width else {
      throw NumpyError("\(path): data has \(bytes.count - start) bytes, shape \(shape) needs \(count * width)")
    }
    var values = [Float](repeating: 0, count: count)
    bytes.withUnsafeBytes { raw in
      for i in 0..<count {
        if isFloat32 {
          values[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self).littleEndian)
        } else {
          values[i] = Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self).littleEndian))
        }
      }
    }
    return Tensor(values, shape: shape)
  }

  /// The .npy (version 1.0, '<f4', C order) bytes of `tensor`.
  public static func encode(_ tensor: Tensor) -> [UInt8] {
    let shape = tensor.shape.count == 1 ? "(\(tensor.shape[0]),)" : "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
    let length = header.utf8.count
    bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
    bytes += Array(header.utf8)
    bytes.reserveCapacity(bytes.count + 4 * tensor.count)
    for v in tensor.scalars {
      let bits = v.bitPattern.littleEndian
      bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
    }
    return bytes
  }

  /// Writes `tensor` as float32 .npy atomically.
  public static func write(_ tensor: Tensor, to path: String) throws(NumpyError) {
    do { try Data(encode(tensor)).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
      throw NumpyError("\(path): cannot write (\(error.localizedDescription))")
    }
  }
}

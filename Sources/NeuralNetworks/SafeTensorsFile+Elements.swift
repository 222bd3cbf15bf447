// Typed access to an entry's bytes: Float, Double, Int64, Int32 and UInt8 map one-to-one onto
// the safetensors dtypes F32, F64, I64, I32 and U8 (little-endian on disk, whatever the host).

/// A Swift scalar type stored in safetensors files under one dtype.
public protocol SafeTensorsElement: Sendable {
  /// The dtype this type is stored as.
  static var safeTensorsDataType: SafeTensorsFile.DataType { get }
  /// Appends the little-endian bytes of `value` to `bytes`.
  static func appendLittleEndian(_ value: Self, to bytes: inout [UInt8])
  /// Reads a value from the little-endian bytes starting at `offset`.
  static func loadLittleEndian(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Self
}

extension Float: SafeTensorsElement {
  public static var safeTensorsDataType: SafeTensorsFile.DataType { .float32 }
  public static func appendLittleEndian(_ value: Float, to bytes: inout [UInt8]) {
    UInt32.appendLittleEndian(value.bitPattern, to: &bytes)
  }
  public static func loadLittleEndian(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Float {
    Float(bitPattern: UInt32.loadLittleEndian(from: bytes, at: offset))
  }
}

extension Double: SafeTensorsElement {
  public static var safeTensorsDataType: SafeTensorsFile.DataType { .float64 }
  public static func appendLittleEndian(_ value: Double, to bytes: inout [UInt8]) {
    UInt64.appendLittleEndian(value.bitPattern, to: &bytes)
  }
  public static func loadLittleEndian(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Double {
    Double(bitPattern: UInt64.loadLittleEndian(from: bytes, at: offset))
  }
}

extension Int64: SafeTensorsElement {
  public static var safeTensorsDataType: SafeTensorsFile.DataType { .int64 }
  public static func appendLittleEndian(_ value: Int64, to bytes: inout [UInt8]) {
    UInt64.appendLittleEndian(UInt64(bitPattern: value), to: &bytes)
  }
  public static func loadLittleEndian(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
    Int64(bitPattern: UInt64.loadLittleEndian(from: bytes, at: offset))
  }
}

extension Int32: SafeTensorsElement {
  public static var safeTensorsDataType: SafeTensorsFile.DataType { .int32 }
  public static func appendLittleEndian(_ value: Int32, to bytes: inout [UInt8]) {
    UInt32.appendLittleEndian(UInt32(bitPattern: value), to: &bytes)
  }
  public static func loadLittleEndian(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Int32 {
    Int32(bitPattern: UInt32.loadLittleEndian(from: bytes, at: offset))
  }
}

extension UInt8: SafeTensorsElement {
  public static var safeTensorsDataType: SafeTensorsFile.DataType { .uint8 }
  public static func appendLittleEndian(_ value: UInt8, to bytes: inout [UInt8]) { bytes.append(value) }
  public static func loadLittleEndian(from bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt8 {
    bytes[offset]
  }
}

extension FixedWidthInteger where Self: UnsignedInteger {
  static func appendLittleEndian(_ value: Self, to bytes: inout [UInt8]) {
    var v = value.littleEndian
    withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
  }
  static func loadLittleEndian(from bytes: UnsafeRawBufferPointer, at offset: Int) -> Self {
    Self(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Self.self))
  }
}

extension SafeTensorsFile.Entry {
  /// An entry holding `values` (row-major) with the given shape, stored as `T`'s dtype.
  ///
  /// - Throws: when `values.count` does not fill `shape`.
  public init<T: SafeTensorsElement>(_ values: [T], shape: [Int]) throws(SafeTensorsError) {
    guard let count = checkedElementCount(shape), count == values.count else {
      throw SafeTensorsError(problem: "\(values.count) values do not fill shape \(shape)")
    }
    #if _endian(little)
      // The in-memory layout is the file layout: one copy.
      let bytes = values.withUnsafeBytes { [UInt8]($0) }
    #else
      var bytes: [UInt8] = []
      bytes.reserveCapacity(count * T.safeTensorsDataType.byteCount)
      for value in values { T.appendLittleEndian(value, to: &bytes) }
    #endif
    self.init(unchecked: T.safeTensorsDataType, shape: shape, bytes: bytes)
  }

  /// The elements as `T`, which must be this entry's own type (no conversion).
  ///
  /// - Throws: when the entry's dtype is not `T`'s.
  public func values<T: SafeTensorsElement>(as type: T.Type = T.self) throws(SafeTensorsError) -> [T] {
    guard dataType == T.safeTensorsDataType else {
      throw SafeTensorsError(
        problem: "is stored as \(dataType.rawValue), not \(T.safeTensorsDataType.rawValue)")
    }
    let count = bytes.count / dataType.byteCount
    #if _endian(little)
      return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
        initialized = count
      }
    #else
      let size = dataType.byteCount
      return bytes.withUnsafeBytes { raw in (0..<count).map { T.loadLittleEndian(from: raw, at: $0 * size) } }
    #endif
  }
}

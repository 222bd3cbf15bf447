import Foundation
import SwiftProtobuf

/// Writes scalar curves as a TensorBoard event file, so `tensorboard --logdir runs` shows them.
///
/// The file is a sequence of TFRecords — `length: UInt64 LE, maskedCRC32C(length): UInt32 LE,
/// data, maskedCRC32C(data): UInt32 LE` — each holding one serialized `Event`; the first event
/// carries the file version. Events are flushed as they are added.
public final class TensorBoardWriter {
  /// The event file, `events.out.tfevents.<seconds>.<host>` in the run directory.
  public let url: URL
  private let handle: FileHandle

  /// Creates a new event file in `directory`.
  public init(directory: URL) throws {
    let seconds = Int(Date().timeIntervalSince1970)
    let host = ProcessInfo.processInfo.hostName
    url = directory.appendingPathComponent("events.out.tfevents.\(seconds).\(host)")
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw ConfigurationError(file: url.path, field: nil, problem: "cannot be created")
    }
    handle = try FileHandle(forWritingTo: url)
    var event = Tensorboard_Event()
    event.wallTime = Date().timeIntervalSince1970
    event.fileVersion = "brain.Event:2"
    try write(event)
  }

  deinit { try? handle.close() }

  /// Adds one point of the curve `tag` (e.g. `charts/episodic_return`) at `step`.
  public func add(scalar value: Float, tag: String, step: Int) throws {
    try add(scalars: [(tag, value)], step: step)
  }

  /// Adds one point of each curve in `scalars` at `step`, as one event.
  public func add(scalars: [(tag: String, value: Float)], step: Int) throws {
    var summary = Tensorboard_Summary()
    summary.value = scalars.map { tag, value in
      var entry = Tensorboard_Summary.Value()
      entry.tag = tag
      entry.simpleValue = value
      return entry
    }
    var event = Tensorboard_Event()
    event.wallTime = Date().timeIntervalSince1970
    event.step = Int64(step)
    event.summary = summary
    try write(event)
  }

  private func write(_ event: Tensorboard_Event) throws {
    try handle.write(contentsOf: TFRecord.encode(try event.serializedBytes()))
  }
}

/// TensorFlow's record framing with masked CRC-32C checksums.
enum TFRecord {
  static func encode(_ data: [UInt8]) -> [UInt8] {
    var record = [UInt8]()
    record.reserveCapacity(data.count + 16)
    let length = littleEndianBytes(UInt64(data.count))
    record += length
    record += littleEndianBytes(maskedCRC32C(length))
    record += data
    record += littleEndianBytes(maskedCRC32C(data))
    return record
  }

  /// Splits a file of records into their payloads, checking both checksums of each.
  static func decode(_ bytes: [UInt8]) -> [[UInt8]]? {
    var records = [[UInt8]]()
    var offset = 0
    func word<T: FixedWidthInteger>(_: T.Type, at position: Int) -> T {
      (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(bytes[position + $1]) << (8 * $1) }
    }
    while offset < bytes.count {
      guard offset + 12 <= bytes.count else { return nil }
      let length = Int(word(UInt64.self, at: offset))
      guard maskedCRC32C(Array(bytes[offset..<offset + 8])) == word(UInt32.self, at: offset + 8),
        offset + 16 + length <= bytes.count
      else { return nil }
      let data = Array(bytes[offset + 12..<offset + 12 + length])
      guard maskedCRC32C(data) == word(UInt32.self, at: offset + 12 + length) else { return nil }
      records.append(data)
      offset += 16 + length
    }
    return records
  }

  /// CRC-32C (Castagnoli), rotated and offset as TensorFlow masks it.
  static func maskedCRC32C(_ data: [UInt8]) -> UInt32 {
    let crc = crc32c(data)
    return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }

  static func crc32c(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in data { crc = crc32cTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }

  private static let crc32cTable: [UInt32] = (0..<256).map { index in
    (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
  }

  private static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }
}

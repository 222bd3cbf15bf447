import Foundation
import Testing
@testable import Training

@Test func crc32cMatchesTheStandardCheckValue() {
  // The CRC-32C check value of "123456789" (RFC 3720, appendix B.4).
  #expect(TFRecord.crc32c(Array("123456789".utf8)) == 0xE306_9283)
}

@Test func eventFileHoldsTheVersionThenTheScalars() throws {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID())")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let writer = try TensorBoardWriter(directory: directory)
  try writer.add(scalars: [("charts/episodic_return", 21.5), ("losses/value_loss", 0.25)], step: 512)
  try writer.add(scalar: 3, tag: "charts/SPS", step: 1024)

  let records = try #require(TFRecord.decode(Array(try Data(contentsOf: writer.url))))
  let events = try records.map { try Tensorboard_Event(serializedBytes: $0) }
  #expect(events.count == 3)
  #expect(events[0].fileVersion == "brain.Event:2")
  #expect(events[1].step == 512)
  #expect(events[1].summary.value.map(\.tag) == ["charts/episodic_return", "losses/value_loss"])
  #expect(events[1].summary.value.map(\.simpleValue) == [21.5, 0.25])
  #expect(events[2].summary.value.first?.simpleValue == 3)
}

@Test func corruptedRecordIsRejected() {
  var record = TFRecord.encode([1, 2, 3])
  record[13] ^= 0xFF
  #expect(TFRecord.decode(record) == nil)
}

import Foundation
import Testing
@testable import Environments

/// The painted pixels of `frame` as `(x, y)` pairs, for compact expectations.
private func painted(_ frame: Frame, background: Frame.Color = .black) -> Set<[Int]> {
  var result = Set<[Int]>()
  for y in 0..<frame.height { for x in 0..<frame.width where frame[x, y] != background { result.insert([x, y]) } }
  return result
}

private let red = Frame.Color(255, 0, 0)

@Test func rectangleIsClippedToTheFrame() {
  var frame = Frame(width: 4, height: 3)
  frame.fillRectangle(x: -1, y: 2, width: 3, height: 5, color: red)
  #expect(painted(frame) == [[0, 2], [1, 2]])
  frame.fillRectangle(x: 10, y: 10, width: 3, height: 3, color: red)  // fully outside: no-op
  frame.fillRectangle(x: 1, y: 1, width: 0, height: 3, color: red)  // empty: no-op
  #expect(painted(frame).count == 2)
}

@Test func polygonPaintsPixelsWhoseCentresAreInside() {
  var frame = Frame(width: 6, height: 6)
  // The square [1, 4) × [2, 5) covers the centres of columns 1...3 and rows 2...4.
  frame.fillPolygon([SIMD2(1, 2), SIMD2(4, 2), SIMD2(4, 5), SIMD2(1, 5)], color: red)
  var expected = Set<[Int]>()
  for x in 1...3 { for y in 2...4 { expected.insert([x, y]) } }
  #expect(painted(frame) == expected)
  // The same square counter-clockwise and shifted off-screen is clipped the same way.
  var clipped = Frame(width: 2, height: 2)
  clipped.fillPolygon([SIMD2(-1, -1), SIMD2(-1, 1), SIMD2(1, 1), SIMD2(1, -1)], color: red)
  #expect(painted(clipped) == [[0, 0]])
}

@Test func triangleFillMatchesTheHalfPlaneTest() {
  let a = SIMD2(0.7, 0.2), b = SIMD2(13.1, 4.9), c = SIMD2(3.3, 11.6)
  var frame = Frame(width: 16, height: 16)
  frame.fillPolygon([a, b, c], color: red)
  func side(_ p: SIMD2<Double>, _ q: SIMD2<Double>, _ r: SIMD2<Double>) -> Double {
    (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
  }
  var expected = Set<[Int]>()
  for y in 0..<16 {
    for x in 0..<16 {
      let centre = SIMD2(Double(x) + 0.5, Double(y) + 0.5)
      let s = [side(a, b, centre), side(b, c, centre), side(c, a, centre)]
      if s.allSatisfy({ $0 > 0 }) || s.allSatisfy({ $0 < 0 }) { expected.insert([x, y]) }
    }
  }
  #expect(painted(frame) == expected)
}

@Test func circlePaintsTheDisc() {
  var frame = Frame(width: 20, height: 20)
  let centre = SIMD2(9.3, 10.1), radius = 5.2
  frame.fillCircle(center: centre, radius: radius, color: red)
  var expected = Set<[Int]>()
  for y in 0..<20 {
    for x in 0..<20 {
      let dx = Double(x) + 0.5 - centre.x, dy = Double(y) + 0.5 - centre.y
      if dx * dx + dy * dy <= radius * radius { expected.insert([x, y]) }
    }
  }
  #expect(painted(frame) == expected)
  var edge = Frame(width: 3, height: 3)
  edge.fillCircle(center: SIMD2(-10, -10), radius: 2, color: red)
  #expect(painted(edge).isEmpty)
}

@Test func thickLineIsABandAroundTheSegment() {
  var frame = Frame(width: 10, height: 10)
  frame.drawLine(from: SIMD2(1, 5), to: SIMD2(9, 5), thickness: 2, color: red)
  var expected = Set<[Int]>()
  for x in 1...8 { for y in 4...5 { expected.insert([x, y]) } }
  #expect(painted(frame) == expected)
  // A hairline diagonal still paints a connected run of pixels.
  var thin = Frame(width: 10, height: 10)
  thin.drawLine(from: SIMD2(0, 0), to: SIMD2(10, 10), thickness: 0.1, color: red)
  #expect((0..<10).allSatisfy { thin[$0, $0] == red })
}

@Test func scalingRepeatsPixels() {
  var frame = Frame(width: 2, height: 1)
  frame[1, 0] = red
  let big = frame.scaled(by: 3)
  #expect(big.width == 6 && big.height == 3)
  for y in 0..<3 { for x in 0..<6 { #expect(big[x, y] == (x >= 3 ? red : .black)) } }
  #expect(frame.flippedVertically() == frame)
}

@Test func drawingIsDeterministic() {
  func picture() -> Frame {
    var frame = Frame(width: 64, height: 48, color: .white)
    frame.drawLine(from: SIMD2(3.3, 40.1), to: SIMD2(60.2, 2.7), thickness: 4.5, color: red)
    frame.fillCircle(center: SIMD2(30, 20), radius: 9.7, color: Frame.Color(0, 0, 200))
    return frame
  }
  #expect(picture() == picture())
}

@Test func checksumsMatchKnownValues() {
  // Check values from the zlib documentation and RFC 3720 appendix.
  #expect(PNGEncoding.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
  #expect(PNGEncoding.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
  #expect(PNGEncoding.adler32([UInt8](repeating: 255, count: 100_000)) == {
    var a: UInt64 = 1, b: UInt64 = 0
    for _ in 0..<100_000 { a = (a + 255) % 65521; b = (b + a) % 65521 }
    return UInt32(b << 16 | a)
  }())
}

@Test func pngHasSignatureAndChunks() {
  var frame = Frame(width: 37, height: 11, color: .white)
  frame.fillCircle(center: SIMD2(18, 5), radius: 4, color: red)
  let png = frame.pngData()
  #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
  #expect(Array(png[12..<16]) == Array("IHDR".utf8))
  #expect(Array(png[16..<24]) == [0, 0, 0, 37, 0, 0, 0, 11])
  #expect(Array(png.suffix(12)) == [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
  #expect(png.count < 37 * 11 * 3)  // the flat background compresses
}

/// Decodes our PNG with an independent decoder (Python's zlib + PIL) when one is installed.
@Test func pngDecodesWithPIL() throws {
  var frame = Frame(width: 300, height: 200, color: .white)
  frame.drawLine(from: SIMD2(10, 190), to: SIMD2(290, 12), thickness: 7, color: red)
  frame.fillCircle(center: SIMD2(150, 100), radius: 40, color: Frame.Color(12, 200, 99))
  for i in 0..<300 { frame[i, i % 200] = Frame.Color(UInt8(i % 256), UInt8(i * 7 % 256), 3) }
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID())")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let png = directory.appendingPathComponent("frame.png"), raw = directory.appendingPathComponent("frame.rgb")
  try Data(frame.pngData()).write(to: png)
  let python = Process()
  python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  python.arguments = [
    "python3", "-c",
    "import sys; from PIL import Image; im = Image.open(sys.argv[1]); im.load(); "
      + "assert im.mode == 'RGB', im.mode; open(sys.argv[2], 'wb').write(im.tobytes())",
    png.path, raw.path,
  ]
  python.standardError = FileHandle.nullDevice
  do { try python.run() } catch { return }  // no Python: nothing to compare against
  python.waitUntilExit()
  guard python.terminationStatus == 0 || FileManager.default.fileExists(atPath: raw.path) else {
    // PIL missing (CI has no Python packages) is not a failure; a decode error is.
    let check = Process()
    check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    check.arguments = ["python3", "-c", "import PIL"]
    check.standardError = FileHandle.nullDevice
    try check.run()
    check.waitUntilExit()
    #expect(check.terminationStatus != 0, "PIL is installed but could not decode our PNG")
    return
  }
  #expect(try Array(Data(contentsOf: raw)) == frame.pixels)
}

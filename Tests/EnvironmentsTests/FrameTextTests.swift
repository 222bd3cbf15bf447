import Testing
@testable import Environments

@Test func textPaintsTheGlyphPixelsOnly() {
  var frame = Frame(width: 20, height: 12, color: .black)
  frame.drawText("A", x: 1, y: 1, color: .white)
  // The 6×10 'A' has its apex at column 2, row 1 of the glyph, and a blank first row.
  #expect(frame[3, 2] == .white)
  #expect(frame[3, 1] == .black)
  let painted = stride(from: 0, to: frame.pixels.count, by: 3).filter { frame.pixels[$0] == 255 }.count
  let glyphBits = BitmapFont.rows(for: "A").reduce(0) { $0 + $1.nonzeroBitCount }
  #expect(painted == glyphBits)
}

@Test func scaledTextCoversScaleSquaredPixelsPerFontPixel() {
  var frame = Frame(width: 40, height: 40, color: .black)
  frame.drawText("7", x: 0, y: 0, color: .white, scale: 3)
  let painted = stride(from: 0, to: frame.pixels.count, by: 3).filter { frame.pixels[$0] == 255 }.count
  #expect(painted == 9 * BitmapFont.rows(for: "7").reduce(0) { $0 + $1.nonzeroBitCount })
  #expect(BitmapFont.width(of: "77", scale: 3) == 36)
}

@Test func textOutsideTheFrameIsClipped() {
  var frame = Frame(width: 8, height: 8, color: .black)
  frame.drawText("WWW", x: -3, y: 4, color: .white)
  #expect(frame.pixels.contains(255))
}

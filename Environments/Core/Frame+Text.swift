// Text on a `Frame` with a 6×10 bitmap font (X11 misc-fixed, public domain): score lines,
// status bars, axis labels. Deterministic and clipped like the other drawing primitives.

/// A fixed-width bitmap font of printable ASCII, 6 pixels wide and 10 high per character.
public enum BitmapFont {
  public static let glyphWidth = 6
  public static let glyphHeight = 10

  /// The width in pixels of `text` drawn at `scale`.
  public static func width(of text: String, scale: Int = 1) -> Int {
    text.unicodeScalars.count * glyphWidth * scale
  }

  /// The rows of the glyph for `character`; characters outside printable ASCII draw as `?`.
  static func rows(for character: Unicode.Scalar) -> [UInt8] {
    let code = Int(character.value)
    return glyphRows[(32...126).contains(code) ? code - 32 : Int(("?" as Unicode.Scalar).value) - 32]
  }
}

extension Frame {
  /// Draws `text` with its top-left corner at `(x, y)`, each font pixel as a `scale × scale`
  /// square; only the glyphs' pixels are painted (the background shows through).
  public mutating func drawText(_ text: String, x: Int, y: Int, color: Color, scale: Int = 1) {
    precondition(scale > 0, "drawText: scale must be positive, got \(scale)")
    var left = x
    for character in text.unicodeScalars {
      let rows = BitmapFont.rows(for: character)
      for (row, bits) in rows.enumerated() where bits != 0 {
        for column in 0..<BitmapFont.glyphWidth where bits & (1 << (BitmapFont.glyphWidth - 1 - column)) != 0 {
          fillRectangle(
            x: left + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
        }
      }
      left += BitmapFont.glyphWidth * scale
    }
  }
}

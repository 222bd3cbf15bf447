/// A colour of the arcade palette, with its luma precomputed so that games can draw grayscale
/// screens directly (as ALE's `getScreenGrayscale`) without drawing RGB first.
public struct ArcadeColor: Hashable, Sendable {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8
  /// ITU-R BT.601 luma, `0.299 R + 0.587 G + 0.114 B`, rounded to nearest (the formula of
  /// OpenCV's `COLOR_RGB2GRAY` and of ALE's grayscale palette).
  public var gray: UInt8

  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
    self.gray = ArcadeColor.luma(red, green, blue)
  }

  /// `0.299 R + 0.587 G + 0.114 B`, rounded to nearest, in integer arithmetic (weights / 1000).
  @inlinable
  public static func luma(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> UInt8 {
    let r: Int = 299 * Int(red), g: Int = 587 * Int(green), b: Int = 114 * Int(blue)
    return UInt8((r + g + b + 500) / 1000)
  }
}

/// A raster that draws axis-aligned rectangles and digits into caller-owned memory, either as RGB
/// (3 bytes a pixel) or as grayscale (1 byte a pixel, the colour's ``ArcadeColor/gray``).
///
/// Games draw through a canvas only; the pixel format is chosen by whoever owns the memory (the
/// RGB `render()` or the grayscale path of ``AtariPreprocessing``). Drawing clips to the canvas.
public struct ArcadeCanvas {
  /// Shape: [height, width, channels], row-major.
  public let pixels: UnsafeMutablePointer<UInt8>
  public let width: Int
  public let height: Int
  /// 3 for RGB, 1 for grayscale.
  public let channels: Int

  public init(pixels: UnsafeMutablePointer<UInt8>, width: Int, height: Int, channels: Int) {
    precondition(channels == 1 || channels == 3, "a canvas is RGB (3) or grayscale (1)")
    self.pixels = pixels
    self.width = width
    self.height = height
    self.channels = channels
  }

  /// Paints the whole canvas with `color`.
  public func clear(_ color: ArcadeColor) {
    if channels == 1 { return pixels.update(repeating: color.gray, count: width * height) }
    fill(x: 0, y: 0, width: width, height: height, color)
  }

  /// Paints the rectangle with top-left corner (`x`, `y`), clipped to the canvas.
  public func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: ArcadeColor) {
    let x0 = max(x, 0), x1 = min(x + w, width)
    let y0 = max(y, 0), y1 = min(y + h, height)
    guard x0 < x1, y0 < y1 else { return }
    if channels == 1 {
      for row in y0..<y1 {
        (pixels + row * width + x0).update(repeating: color.gray, count: x1 - x0)
      }
    } else {
      for row in y0..<y1 {
        var p = pixels + (row * width + x0) * 3
        for _ in x0..<x1 {
          p[0] = color.red
          p[1] = color.green
          p[2] = color.blue
          p += 3
        }
      }
    }
  }

  /// Draws `value` in decimal with its right edge at `right`, in a 3×5 font scaled by `scale`.
  public func drawNumber(_ value: Int, right: Int, y: Int, scale: Int = 2, _ color: ArcadeColor) {
    var value = max(value, 0)
    var x = right - 3 * scale
    repeat {
      drawDigit(value % 10, x: x, y: y, scale: scale, color)
      value /= 10
      x -= 4 * scale
    } while value > 0
  }

  /// Draws one digit of the 3×5 font with its top-left corner at (`x`, `y`).
  public func drawDigit(_ digit: Int, x: Int, y: Int, scale: Int, _ color: ArcadeColor) {
    let glyph = ArcadeCanvas.font[digit]
    for row in 0..<5 {
      for column in 0..<3 where glyph[row] & (4 >> column) != 0 {
        fill(x: x + column * scale, y: y + row * scale, width: scale, height: scale, color)
      }
    }
  }

  /// 3×5 digit glyphs, one 3-bit row mask a row (bit 2 is the left column).
  static let font: [[UInt8]] = [
    [7, 5, 5, 5, 7], [2, 6, 2, 2, 7], [7, 1, 7, 4, 7], [7, 1, 7, 1, 7], [5, 5, 7, 1, 1],
    [7, 4, 7, 1, 7], [7, 4, 7, 5, 7], [7, 1, 1, 1, 1], [7, 5, 7, 5, 7], [7, 5, 7, 1, 7],
  ]
}

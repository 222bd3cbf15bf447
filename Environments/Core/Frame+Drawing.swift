// Drawing primitives on a `Frame`: rectangles, thick lines, circles and polygons.
//
// Contract: every primitive clips to the frame (drawing off-screen is allowed and does nothing),
// is deterministic (the same calls give the same bytes on every machine), and paints a pixel
// when the pixel's centre `(x + 0.5, y + 0.5)` lies inside the shape. Coordinates are pixels,
// `x` to the right and `y` down, as in pygame; shapes use `Double` so that physics positions
// can be drawn without rounding first. No anti-aliasing: frames are observations too.

extension Frame {
  /// An RGB colour, one byte per channel.
  public struct Color: Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
      self.red = red
      self.green = green
      self.blue = blue
    }

    public static let black = Color(0, 0, 0)
    public static let white = Color(255, 255, 255)
  }

  /// A frame filled with `color`.
  public init(width: Int, height: Int, color: Color) {
    self.init(width: width, height: height, fill: (color.red, color.green, color.blue))
  }

  /// The colour of the pixel in column `x`, row `y`; both must be inside the frame.
  public subscript(x: Int, y: Int) -> Color {
    get {
      precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)×\(height)")
      let i = 3 * (y * width + x)
      return Color(pixels[i], pixels[i + 1], pixels[i + 2])
    }
    set {
      precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)×\(height)")
      let i = 3 * (y * width + x)
      pixels[i] = newValue.red
      pixels[i + 1] = newValue.green
      pixels[i + 2] = newValue.blue
    }
  }

  /// Paints columns `xs` of row `y` (already clipped, half-open).
  @inline(__always)
  private mutating func paintSpan(y: Int, _ xs: Range<Int>, _ color: Color) {
    guard !xs.isEmpty else { return }
    pixels.withUnsafeMutableBufferPointer { p in
      var i = 3 * (y * width + xs.lowerBound)
      for _ in xs {
        p[i] = color.red
        p[i + 1] = color.green
        p[i + 2] = color.blue
        i += 3
      }
    }
  }

  /// Clips the half-open column range `[from, to)` to the frame.
  @inline(__always)
  private func clippedColumns(_ from: Int, _ to: Int) -> Range<Int> {
    let lower = Swift.max(from, 0)
    let upper = Swift.min(to, width)
    return lower < upper ? lower..<upper : 0..<0
  }

  /// Fills the axis-aligned rectangle of `width × height` pixels whose top-left pixel is `(x, y)`.
  public mutating func fillRectangle(x: Int, y: Int, width w: Int, height h: Int, color: Color) {
    let columns = clippedColumns(x, x + w)
    guard !columns.isEmpty else { return }
    for row in Swift.max(y, 0)..<Swift.max(Swift.max(y, 0), Swift.min(y + h, height)) {
      paintSpan(y: row, columns, color)
    }
  }

  /// Fills the polygon with `vertices` (in order, either orientation); convex polygons are the
  /// intended use, but any simple polygon fills correctly (even–odd rule).
  public mutating func fillPolygon(_ vertices: [SIMD2<Double>], color: Color) {
    guard vertices.count >= 3 else { return }
    let ys = vertices.map(\.y)
    let top = Swift.max(0, Int((ys.min()! - 0.5).rounded(.up)))
    let bottom = Swift.min(height - 1, Int((ys.max()! - 0.5).rounded(.down)))
    guard top <= bottom else { return }
    var crossings: [Double] = []
    crossings.reserveCapacity(vertices.count)
    for row in top...bottom {
      let centreY = Double(row) + 0.5
      crossings.removeAll(keepingCapacity: true)
      for i in vertices.indices {
        let a = vertices[i]
        let b = vertices[(i + 1) % vertices.count]
        // Half-open in y so that a vertex shared by two edges counts once.
        if (a.y <= centreY && b.y > centreY) || (b.y <= centreY && a.y > centreY) {
          crossings.append(a.x + (centreY - a.y) / (b.y - a.y) * (b.x - a.x))
        }
      }
      crossings.sort()
      var k = 0
      while k + 1 < crossings.count {
        // Pixel x is inside when its centre x + 0.5 lies in [left, right).
        let first = Int((crossings[k] - 0.5).rounded(.up))
        let end = Int((crossings[k + 1] - 0.5).rounded(.up))
        paintSpan(y: row, clippedColumns(first, end), color)
        k += 2
      }
    }
  }

  /// Draws the segment from `start` to `end` as a filled band `thickness` pixels wide, centred
  /// on the segment (butt ends). A thickness below one still paints the pixels the segment
  /// crosses, so thin lines never vanish.
  public mutating func drawLine(
    from start: SIMD2<Double>, to end: SIMD2<Double>, thickness: Double = 1, color: Color
  ) {
    let direction = end - start
    let length = (direction * direction).sum().squareRoot()
    if length == 0 {
      fillCircle(center: start, radius: Swift.max(thickness, 1) / 2, color: color)
      return
    }
    let half = Swift.max(thickness, 1) / 2
    let normal = SIMD2(-direction.y, direction.x) / length * half
    fillPolygon([start + normal, end + normal, end - normal, start - normal], color: color)
  }

  /// Fills the disc of `radius` pixels around `center`.
  public mutating func fillCircle(center: SIMD2<Double>, radius: Double, color: Color) {
    guard radius > 0 else { return }
    let top = Swift.max(0, Int((center.y - radius - 0.5).rounded(.up)))
    let bottom = Swift.min(height - 1, Int((center.y + radius - 0.5).rounded(.down)))
    guard top <= bottom else { return }
    for row in top...bottom {
      let dy = Double(row) + 0.5 - center.y
      let halfWidth = (radius * radius - dy * dy).squareRoot()
      guard halfWidth.isFinite else { continue }
      // Inclusive on both sides: a centre exactly on the circle is painted.
      let first = Int((center.x - halfWidth - 0.5).rounded(.up))
      let last = Int((center.x + halfWidth - 0.5).rounded(.down))
      paintSpan(y: row, clippedColumns(first, last + 1), color)
    }
  }

  /// This frame with every pixel repeated `factor × factor` times (nearest neighbour).
  public func scaled(by factor: Int) -> Frame {
    precondition(factor >= 1, "scale factor must be at least 1, got \(factor)")
    if factor == 1 { return self }
    var result = Frame(width: width * factor, height: height * factor)
    let rowBytes = width * factor * 3
    result.pixels.withUnsafeMutableBufferPointer { out in
      pixels.withUnsafeBufferPointer { source in
        for y in 0..<height {
          let firstRow = y * factor * rowBytes
          var o = firstRow
          for x in 0..<width {
            let s = 3 * (y * width + x)
            for _ in 0..<factor {
              out[o] = source[s]
              out[o + 1] = source[s + 1]
              out[o + 2] = source[s + 2]
              o += 3
            }
          }
          for copy in 1..<factor {
            for b in 0..<rowBytes { out[firstRow + copy * rowBytes + b] = out[firstRow + b] }
          }
        }
      }
    }
    return result
  }

  /// This frame upside down: pygame-style renderers draw with `y` up and flip at the end.
  public func flippedVertically() -> Frame {
    var result = self
    let rowBytes = width * 3
    for y in 0..<height {
      let source = (height - 1 - y) * rowBytes
      result.pixels.replaceSubrange(y * rowBytes..<(y + 1) * rowBytes, with: pixels[source..<source + rowBytes])
    }
    return result
  }
}

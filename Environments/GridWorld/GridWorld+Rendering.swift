import Foundation

/// MiniGrid-style pictures: 32-pixel tiles drawn at 3× resolution and averaged down
/// (`Grid.render_tile`, subdivisions 3), grey grid lines, MiniGrid's shapes and colours, a red
/// triangle for the agent pointing its way, and the cells in the agent's view lightened by 30 %.
extension GridWorld {
  /// The side of a rendered tile in pixels (MiniGrid's `TILE_PIXELS`).
  public static let tilePixels = 32

  /// Draws the whole grid, `width · 32` × `height · 32` pixels, with the agent's view highlighted
  /// (MiniGrid's `render()` with `highlight=True`).
  public func render(highlightingView: Bool = true) -> Frame {
    let tile = GridWorld.tilePixels
    var frame = Frame(width: width * tile, height: height * tile)
    let highlighted = highlightingView ? visiblePositions() : []
    var cache: [TileKey: [UInt8]] = [:]
    for y in 0..<height {
      for x in 0..<width {
        let position = GridPosition(x: x, y: y)
        let key = TileKey(
          object: self[position], agentDirection: position == agentPosition ? agentDirection : nil,
          isHighlighted: highlighted.contains(position))
        let pixels = cache[key] ?? TileKey.draw(key, size: tile)
        cache[key] = pixels
        for row in 0..<tile {
          let source = row * tile * 3
          let target = ((y * tile + row) * frame.width + x * tile) * 3
          for i in 0..<(tile * 3) { frame.pixels[target + i] = pixels[source + i] }
        }
      }
    }
    return frame
  }
}

/// What a tile shows; equal keys draw equal tiles.
private struct TileKey: Hashable {
  var object: GridObject?
  var agentDirection: GridDirection?
  var isHighlighted: Bool

  typealias Color = (Double, Double, Double)

  /// Draws a `size × size` tile at 3× resolution and averages 3×3 blocks.
  ///
  /// - Returns: Shape: [size, size, 3].
  static func draw(_ key: TileKey, size: Int) -> [UInt8] {
    let fine = size * 3
    var canvas = Canvas(side: fine)
    canvas.fill((100, 100, 100)) { x, _ in x <= 0.031 }
    canvas.fill((100, 100, 100)) { _, y in y <= 0.031 }
    if let object = key.object { canvas.draw(object) }
    if let direction = key.agentDirection {
      let theta = 0.5 * Double.pi * Double(direction.rawValue)
      let (c, s) = (cos(-theta), sin(-theta))
      canvas.fill((255, 0, 0)) { x, y in
        let (px, py) = (x - 0.5, y - 0.5)
        return inTriangle(0.5 + px * c - py * s, 0.5 + py * c + px * s)
      }
    }
    if key.isHighlighted {
      for i in canvas.pixels.indices {
        let v = canvas.pixels[i]
        canvas.pixels[i] = min(255, (v + 0.3 * (255 - v)).rounded(.towardZero))
      }
    }
    var tile = [UInt8](repeating: 0, count: size * size * 3)
    for y in 0..<size {
      for x in 0..<size {
        for channel in 0..<3 {
          var sum = 0.0
          for dy in 0..<3 {
            for dx in 0..<3 { sum += canvas.pixels[((3 * y + dy) * fine + 3 * x + dx) * 3 + channel] }
          }
          tile[(y * size + x) * 3 + channel] = UInt8(sum / 9)
        }
      }
    }
    return tile
  }

  /// MiniGrid's agent triangle (0.12, 0.19), (0.87, 0.50), (0.12, 0.81), barycentric test.
  static func inTriangle(_ x: Double, _ y: Double) -> Bool {
    let (ax, ay, bx, by, cx, cy) = (0.12, 0.19, 0.87, 0.50, 0.12, 0.81)
    let (v0x, v0y, v1x, v1y, v2x, v2y) = (cx - ax, cy - ay, bx - ax, by - ay, x - ax, y - ay)
    let dot00 = v0x * v0x + v0y * v0y, dot01 = v0x * v1x + v0y * v1y, dot02 = v0x * v2x + v0y * v2y
    let dot11 = v1x * v1x + v1y * v1y, dot12 = v1x * v2x + v1y * v2y
    let inverse = 1 / (dot00 * dot11 - dot01 * dot01)
    let u = (dot11 * dot02 - dot01 * dot12) * inverse
    let v = (dot00 * dot12 - dot01 * dot02) * inverse
    return u >= 0 && v >= 0 && u + v < 1
  }
}

/// A square RGB canvas with values stored as `Double` (whole numbers, as MiniGrid's uint8 image).
private struct Canvas {
  let side: Int
  /// Shape: [side, side, 3].
  var pixels: [Double]

  init(side: Int) {
    self.side = side
    pixels = [Double](repeating: 0, count: side * side * 3)
  }

  /// Paints every pixel whose centre `((x + 0.5) / side, (y + 0.5) / side)` satisfies `shape`
  /// (MiniGrid's `fill_coords`). Colours are truncated to whole numbers as a uint8 image would.
  mutating func fill(_ color: TileKey.Color, where shape: (Double, Double) -> Bool) {
    let c = (color.0.rounded(.towardZero), color.1.rounded(.towardZero), color.2.rounded(.towardZero))
    for y in 0..<side {
      let yf = (Double(y) + 0.5) / Double(side)
      for x in 0..<side {
        let xf = (Double(x) + 0.5) / Double(side)
        guard shape(xf, yf) else { continue }
        let i = (y * side + x) * 3
        (pixels[i], pixels[i + 1], pixels[i + 2]) = c
      }
    }
  }

  mutating func fillRect(_ color: TileKey.Color, _ xMin: Double, _ xMax: Double, _ yMin: Double, _ yMax: Double) {
    fill(color) { x, y in x >= xMin && x <= xMax && y >= yMin && y <= yMax }
  }

  mutating func fillCircle(_ color: TileKey.Color, _ cx: Double, _ cy: Double, _ r: Double) {
    fill(color) { x, y in (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r }
  }

  /// A thick segment from `(x0, y0)` to `(x1, y1)` of half-width `r` (MiniGrid's `point_in_line`).
  mutating func fillLine(_ color: TileKey.Color, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, r: Double) {
    let length = ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
    let (dx, dy) = ((x1 - x0) / length, (y1 - y0) / length)
    fill(color) { x, y in
      let a = min(max((x - x0) * dx + (y - y0) * dy, 0), length)
      let (px, py) = (x0 + a * dx, y0 + a * dy)
      return ((x - px) * (x - px) + (y - py) * (y - py)).squareRoot() <= r
    }
  }

  /// Draws one object with MiniGrid's shapes (`minigrid/core/world_object.py`).
  mutating func draw(_ object: GridObject) {
    let rgb = object.color.rgb
    let c = (Double(rgb.red), Double(rgb.green), Double(rgb.blue))
    let black = (0.0, 0.0, 0.0)
    switch object.kind {
    case .wall, .goal:
      fillRect(c, 0, 1, 0, 1)
    case .floor:
      fillRect((c.0 / 2, c.1 / 2, c.2 / 2), 0.031, 1, 0.031, 1)
    case .lava:
      fillRect((255, 128, 0), 0, 1, 0, 1)
      for i in 0..<3 {
        let (low, high) = (0.3 + 0.2 * Double(i), 0.4 + 0.2 * Double(i))
        fillLine(black, 0.1, low, 0.3, high, r: 0.03)
        fillLine(black, 0.3, high, 0.5, low, r: 0.03)
        fillLine(black, 0.5, low, 0.7, high, r: 0.03)
        fillLine(black, 0.7, high, 0.9, low, r: 0.03)
      }
    case .door:
      switch object.doorState {
      case .open:
        fillRect(c, 0.88, 1, 0, 1)
        fillRect(black, 0.92, 0.96, 0.04, 0.96)
      case .locked:
        fillRect(c, 0, 1, 0, 1)
        fillRect((0.45 * c.0, 0.45 * c.1, 0.45 * c.2), 0.06, 0.94, 0.06, 0.94)
        fillRect(c, 0.52, 0.75, 0.50, 0.56)
      case .closed:
        fillRect(c, 0, 1, 0, 1)
        fillRect(black, 0.04, 0.96, 0.04, 0.96)
        fillRect(c, 0.08, 0.92, 0.08, 0.92)
        fillRect(black, 0.12, 0.88, 0.12, 0.88)
        fillCircle(c, 0.75, 0.50, 0.08)
      }
    case .key:
      fillRect(c, 0.50, 0.63, 0.31, 0.88)
      fillRect(c, 0.38, 0.50, 0.59, 0.66)
      fillRect(c, 0.38, 0.50, 0.81, 0.88)
      fillCircle(c, 0.56, 0.28, 0.190)
      fillCircle(black, 0.56, 0.28, 0.064)
    case .ball:
      fillCircle(c, 0.5, 0.5, 0.31)
    case .box:
      fillRect(c, 0.12, 0.88, 0.12, 0.88)
      fillRect(black, 0.18, 0.82, 0.18, 0.82)
      fillRect(c, 0.16, 0.84, 0.47, 0.53)
    case .unseen, .empty, .agent:
      break
    }
  }
}

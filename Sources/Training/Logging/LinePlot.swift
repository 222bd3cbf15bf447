import Environments
import Foundation

/// A line chart drawn into a `Frame`: learning curves for run directories and the README.
///
/// Each series is drawn in its own colour over a grid with "nice" tick values (1, 2 or 5 × 10ᵏ),
/// with the title, axis labels and a legend in the 6×10 bitmap font.
public struct LinePlot {
  public struct Series {
    public var label: String
    /// Points in data coordinates, in drawing order.
    public var points: [(x: Double, y: Double)]
    public var color: Frame.Color

    public init(label: String, points: [(x: Double, y: Double)], color: Frame.Color) {
      self.label = label
      self.points = points
      self.color = color
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  public var width = 800
  public var height = 500

  public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }

  /// A palette that stays readable on white.
  public static let palette: [Frame.Color] = [
    Frame.Color(31, 119, 180), Frame.Color(255, 127, 14), Frame.Color(44, 160, 44),
    Frame.Color(214, 39, 40), Frame.Color(148, 103, 189), Frame.Color(140, 86, 75),
  ]

  /// Draws the chart.
  public func render() -> Frame {
    var frame = Frame(width: width, height: height, color: .white)
    let ink = Frame.Color(40, 40, 40), grid = Frame.Color(225, 225, 225)
    let left = 70, right = width - 20, top = 40, bottom = height - 50
    let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    let xTicks = Self.ticks(all.map(\.x).min() ?? 0, all.map(\.x).max() ?? 1)
    let yTicks = Self.ticks(all.map(\.y).min() ?? 0, all.map(\.y).max() ?? 1)
    let (x0, x1) = (xTicks.first!, xTicks.last!)
    let (y0, y1) = (yTicks.first!, yTicks.last!)
    func px(_ x: Double) -> Double { Double(left) + (x - x0) / (x1 - x0) * Double(right - left) }
    func py(_ y: Double) -> Double { Double(bottom) - (y - y0) / (y1 - y0) * Double(bottom - top) }

    for x in xTicks {
      let p = Int(px(x).rounded())
      frame.fillRectangle(x: p, y: top, width: 1, height: bottom - top, color: grid)
      let label = Self.format(x)
      frame.drawText(label, x: p - BitmapFont.width(of: label) / 2, y: bottom + 6, color: ink)
    }
    for y in yTicks {
      let p = Int(py(y).rounded())
      frame.fillRectangle(x: left, y: p, width: right - left, height: 1, color: grid)
      let label = Self.format(y)
      frame.drawText(label, x: left - 6 - BitmapFont.width(of: label), y: p - 5, color: ink)
    }
    frame.fillRectangle(x: left, y: bottom, width: right - left + 1, height: 1, color: ink)
    frame.fillRectangle(x: left, y: top, width: 1, height: bottom - top, color: ink)

    for s in series {
      let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }
      for (a, b) in zip(points, points.dropFirst()) {
        frame.drawLine(
          from: SIMD2(px(a.x), py(a.y)), to: SIMD2(px(b.x), py(b.y)), thickness: 2, color: s.color)
      }
      if points.count == 1 {
        frame.fillCircle(center: SIMD2(px(points[0].x), py(points[0].y)), radius: 3, color: s.color)
      }
    }

    frame.drawText(title, x: (width - BitmapFont.width(of: title, scale: 2)) / 2, y: 8, color: ink, scale: 2)
    frame.drawText(xLabel, x: (left + right - BitmapFont.width(of: xLabel)) / 2, y: bottom + 24, color: ink)
    frame.drawText(yLabel, x: 8, y: top - 16, color: ink)
    var legendY = top + 8
    for s in series where !s.label.isEmpty {
      let legendX = right - BitmapFont.width(of: s.label) - 30
      frame.fillRectangle(x: legendX, y: legendY + 4, width: 20, height: 3, color: s.color)
      frame.drawText(s.label, x: legendX + 26, y: legendY, color: ink)
      legendY += 14
    }
    return frame
  }

  /// Tick values covering `low...high` at a step of 1, 2 or 5 × 10ᵏ (about five intervals).
  static func ticks(_ low: Double, _ high: Double) -> [Double] {
    var (low, high) = (low, high)
    if high - low < 1e-12 { (low, high) = (low - 1, high + 1) }
    let raw = (high - low) / 5
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let first = floor(low / step) * step
    let last = ceil(high / step) * step
    return stride(from: first, through: last + step / 2, by: step).map { ($0 / step).rounded() * step }
  }

  /// A short label: 1.5k, 20k, 1.2M, 0.25, -3.
  static func format(_ value: Double) -> String {
    let magnitude = abs(value)
    func trimmed(_ x: Double, _ suffix: String) -> String {
      var text = String(format: "%.2f", x)
      while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
      return (text == "-0" ? "0" : text) + suffix
    }
    if magnitude >= 1e6 { return trimmed(value / 1e6, "M") }
    if magnitude >= 1e3 { return trimmed(value / 1e3, "k") }
    return trimmed(value, "")
  }
}

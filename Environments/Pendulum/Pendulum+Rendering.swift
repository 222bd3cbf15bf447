import Foundation

/// Pendulum's picture, drawn like Gymnasium's `render_mode="rgb_array"`: 500×500, white
/// background, a red rod (1 m long, 0.2 m wide at 500 / 4.4 pixels per metre) with rounded
/// ends, a black axle, and Gymnasium's torque arrow: a circular arrow around the axle, its size
/// proportional to the last torque (Gymnasium scales its `clockwise.png` to `scale·|u|/2` pixels),
/// turning the way the torque turns (anticlockwise for positive torque, as Gymnasium flips the
/// clockwise image then).
extension Pendulum {
  public static let screenSize = 500
  public static let rodColor = Frame.Color(204, 77, 77)

  public func render() -> Frame {
    let size = Double(Pendulum.screenSize)
    let scale = size / (2.2 * 2)
    let offset = Double(Pendulum.screenSize / 2)
    let rodLength = 1 * scale, rodWidth = 0.2 * scale
    // Gymnasium draws with y up and flips the surface at the end.
    func screen(_ x: Double, _ y: Double) -> SIMD2<Double> { SIMD2(x + offset, size - (y + offset)) }
    let angle = state.theta + Double.pi / 2
    let c = cos(angle), s = sin(angle)
    func rotated(_ x: Double, _ y: Double) -> SIMD2<Double> { screen(x * c - y * s, x * s + y * c) }

    var frame = Frame(width: Pendulum.screenSize, height: Pendulum.screenSize, color: .white)
    let (l, r, t, b) = (0.0, rodLength, rodWidth / 2, -rodWidth / 2)
    frame.fillPolygon([rotated(l, b), rotated(l, t), rotated(r, t), rotated(r, b)], color: Pendulum.rodColor)
    let radius = Double(Int(rodWidth / 2))
    frame.fillCircle(center: screen(0, 0), radius: radius, color: Pendulum.rodColor)
    let end = rotated(rodLength, 0)
    frame.fillCircle(center: SIMD2(end.x.rounded(.down) + 0.5, end.y.rounded(.down) + 0.5), radius: radius,
                     color: Pendulum.rodColor)
    if let torque = lastTorque, torque != 0 {
      drawTorqueArrow(on: &frame, center: SIMD2(offset, offset), radius: scale * Double(abs(torque)) / 4,
                      anticlockwise: torque > 0)
    }
    frame.fillCircle(center: SIMD2(offset, offset), radius: Double(Int(0.05 * scale)), color: .black)
    return frame
  }

  /// A black circular arrow of `radius` pixels around `center`: a 270° arc from the lower right,
  /// with a triangular head at its end pointing along the turn.
  private func drawTorqueArrow(on frame: inout Frame, center: SIMD2<Double>, radius: Double, anticlockwise: Bool) {
    guard radius >= 1 else { return }
    // Angles are mathematical (anticlockwise on screen); the clockwise arrow is the mirror image.
    let mirror = anticlockwise ? 1.0 : -1.0
    func point(_ angle: Double, _ r: Double) -> SIMD2<Double> {
      SIMD2(center.x + mirror * r * cos(angle), center.y - r * sin(angle))
    }
    let start = -Double.pi / 4, sweep = 1.5 * Double.pi, segments = 32
    let thickness = Swift.max(2, radius / 7)
    for k in 0..<segments {
      let a = start + sweep * Double(k) / Double(segments), b = start + sweep * Double(k + 1) / Double(segments)
      frame.drawLine(from: point(a, radius), to: point(b, radius), thickness: thickness, color: .black)
    }
    let end = start + sweep, head = Swift.max(4, radius / 3)
    let tip = point(end + head / radius, radius)
    frame.fillPolygon([tip, point(end, radius - head / 1.5), point(end, radius + head / 1.5)], color: .black)
  }
}

import Foundation

/// Pendulum's picture, drawn like Gymnasium's `render_mode="rgb_array"`: 500×500, white
/// background, a red rod (1 m long, 0.2 m wide at 500 / 4.4 pixels per metre) with rounded
/// ends and a black axle. Gymnasium's torque arrow (a bitmap scaled by the last torque) is
/// drawn as a short bar under the axle instead: its length is proportional to the torque and it
/// points the way the torque turns.
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
      // Positive torque turns counter-clockwise; the bar grows from the axle to that side.
      let length = scale * Double(abs(torque)) / 2
      let direction = torque > 0 ? -1.0 : 1.0
      let y = offset + scale * 0.3
      frame.drawLine(from: SIMD2(offset, y), to: SIMD2(offset + direction * length, y), thickness: 4, color: .black)
    }
    frame.fillCircle(center: SIMD2(offset, offset), radius: Double(Int(0.05 * scale)), color: .black)
    return frame
  }
}

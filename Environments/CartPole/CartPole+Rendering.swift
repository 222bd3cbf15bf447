import Foundation

/// CartPole's picture, drawn like Gymnasium's `render_mode="rgb_array"`: 600×400, white
/// background, black cart and track, a brown pole on a blue axle. Geometry follows
/// Gymnasium's `render()` (scale 600 / 4.8 pixels per metre, a 50×30 px cart centred 100 px
/// above the bottom edge on a 1 px track, a 10 px wide pole); edges are not anti-aliased.
extension CartPole {
  public static let screenWidth = 600
  public static let screenHeight = 400

  public static let cartColor = Frame.Color.black
  public static let poleColor = Frame.Color(202, 152, 101)
  public static let axleColor = Frame.Color(129, 132, 203)

  public func render() -> Frame {
    let width = Double(CartPole.screenWidth), height = Double(CartPole.screenHeight)
    let scale = width / (positionLimit * 2)
    let poleWidth = 10.0, poleLength = scale * (2 * poleHalfLength)
    let cartWidth = 50.0, cartHeight = 30.0
    let axleOffset = cartHeight / 4
    let cartX = state.x * scale + width / 2
    let cartY = 100.0  // pygame's y grows upwards before Gymnasium flips the surface
    // Gymnasium draws with y up and flips; a point at height y lands at 400 - y.
    func screen(_ x: Double, _ y: Double) -> SIMD2<Double> { SIMD2(x, height - y) }

    var frame = Frame(width: CartPole.screenWidth, height: CartPole.screenHeight, color: .white)
    let (l, r, t, b) = (-cartWidth / 2, cartWidth / 2, cartHeight / 2, -cartHeight / 2)
    frame.fillPolygon(
      [(l, b), (l, t), (r, t), (r, b)].map { screen($0.0 + cartX, $0.1 + cartY) }, color: CartPole.cartColor)

    // pygame's Vector2.rotate_rad(-theta): the pole leans right for positive theta.
    let (pl, pr, pt, pb) = (-poleWidth / 2, poleWidth / 2, poleLength - poleWidth / 2, -poleWidth / 2)
    let c = Foundation.cos(-state.theta), s = Foundation.sin(-state.theta)
    let pole = [(pl, pb), (pl, pt), (pr, pt), (pr, pb)].map { (px, py) in
      screen(px * c - py * s + cartX, px * s + py * c + cartY + axleOffset)
    }
    frame.fillPolygon(pole, color: CartPole.poleColor)

    // gfxdraw.filled_circle at integer pixel (int(cartx), int(carty + axleoffset)), radius 5.
    let axleColumn = Double(Int(cartX)), axleRow = Double(Int(cartY + axleOffset))
    frame.fillCircle(
      center: SIMD2(axleColumn + 0.5, height - axleRow - 0.5), radius: poleWidth / 2,
      color: CartPole.axleColor)

    // The track: gfxdraw.hline at y = carty, i.e. row 399 - 100 after the flip.
    frame.fillRectangle(x: 0, y: CartPole.screenHeight - 1 - Int(cartY), width: CartPole.screenWidth, height: 1,
                        color: CartPole.cartColor)
    return frame
  }
}

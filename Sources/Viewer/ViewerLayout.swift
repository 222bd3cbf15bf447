import Environments

/// Where things go in the viewer window, all in window pixels:
///
/// ```
/// +---------------------------------+-----------+
/// | status line                                 |
/// +---------------------------------+-----------+
/// | game: the env's frame × scale    | actions,  |
/// | (nearest neighbour)              | value,    |
/// |                                  | neurons   |
/// +---------------------------------+-----------+
/// ```
public struct ViewerLayout: Hashable, Sendable {
  public static let statusHeight = 14
  public static let panelWidth = 240
  /// The env frame's integer scale factor.
  public let scale: Int
  public let gameX: Int
  public let gameY: Int
  public let gameWidth: Int
  public let gameHeight: Int
  public let panelX: Int
  public let width: Int
  public let height: Int

  /// A layout scaling a `frameWidth × frameHeight` env frame to about `targetSize` pixels on
  /// its long side (at least 1×).
  public init(frameWidth: Int, frameHeight: Int, targetSize: Int = 480) {
    scale = max(1, targetSize / max(1, max(frameWidth, frameHeight)))
    gameX = 0
    gameY = Self.statusHeight
    gameWidth = frameWidth * scale
    gameHeight = frameHeight * scale
    panelX = gameWidth
    width = gameWidth + Self.panelWidth
    height = Self.statusHeight + max(gameHeight, 300)
  }
}

/// The neuron panel: one dot per unit of the circuit's state, in a grid, coloured by
/// activation (blue negative, grey zero, orange positive; saturating at ±1).
public struct NeuronPanel: Hashable, Sendable {
  public static let spacing = 14
  public static let radius = 5.0
  public let originX: Int
  public let originY: Int
  public let columns: Int

  public init(originX: Int, originY: Int, width: Int) {
    self.originX = originX
    self.originY = originY
    columns = max(1, width / Self.spacing)
  }

  /// The centre of neuron `k`'s dot.
  public func center(of k: Int) -> SIMD2<Double> {
    SIMD2(
      Double(originX + (k % columns) * Self.spacing) + Double(Self.spacing) / 2,
      Double(originY + (k / columns) * Self.spacing) + Double(Self.spacing) / 2)
  }

  public static func color(activation: Float) -> Frame.Color {
    let a = max(-1, min(1, activation.isFinite ? activation : 0))
    let grey: Float = 90
    if a >= 0 {
      return Frame.Color(UInt8(grey + a * (255 - grey)), UInt8(grey + a * (160 - grey)), UInt8(grey * (1 - a)))
    }
    let b = -a
    return Frame.Color(UInt8(grey * (1 - b)), UInt8(grey + b * (140 - grey)), UInt8(grey + b * (255 - grey)))
  }

  public func draw(_ activations: [Float], on frame: inout Frame) {
    for (k, a) in activations.enumerated() {
      frame.fillCircle(center: center(of: k), radius: Self.radius, color: Self.color(activation: a))
    }
  }
}

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
  /// The panel's width without a policy (key help) and with one (wiring diagram).
  public static let keyboardPanelWidth = 240, policyPanelWidth = 360
  public let panelWidth: Int
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
  /// its long side (at least 1×), with a panel `panelWidth` pixels wide.
  public init(frameWidth: Int, frameHeight: Int, targetSize: Int = 480, panelWidth: Int = keyboardPanelWidth) {
    self.panelWidth = panelWidth
    scale = max(1, targetSize / max(1, max(frameWidth, frameHeight)))
    gameX = 0
    gameY = Self.statusHeight
    gameWidth = frameWidth * scale
    gameHeight = frameHeight * scale
    panelX = gameWidth
    width = gameWidth + panelWidth
    height = Self.statusHeight + max(gameHeight, 420)
  }
}

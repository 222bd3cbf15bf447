import Randomness

/// MinAtar Breakout, rule for rule as kenjyoung/MinAtar `environments/breakout.py`.
///
/// ## Description
/// The paddle moves along row 9; three rows of bricks (rows 1–3) hang below the top. The ball
/// moves one cell diagonally a step and bounces off the sides, the top, bricks (breaking one a
/// step) and the paddle (straight back when it was above the paddle, sideways when it lands on
/// it from the side). The wall refills when the ball reaches the bottom row with no bricks left.
///
/// ## Observation Space
/// `[10, 10, 4]`, channels `paddle, ball, trail, brick` (trail = the ball's previous cell).
///
/// ## Action Space
/// Full set `n l u r d f` (`-v0`); minimal set `n l r` (`-v1`). Only `l`/`r` move the paddle.
///
/// ## Rewards
/// +1 per brick.
///
/// ## Starting State
/// Paddle at column 4; ball at row 3, at column 0 heading down-right or column 9 heading
/// down-left (equally likely).
///
/// ## Episode End
/// Terminated when the ball passes the paddle.
///
/// ## Arguments
/// None of its own; ``MinAtarEnvironment`` sets the sticky-action probability
/// (`stickyActionProbability`, 0.1) and the action set (`usesMinimalActionSet`).
public struct MinAtarBreakout: MinAtarGame {
  public static let channelNames = ["paddle", "ball", "trail", "brick"]
  public static let minimalActions: [MinAtarAction] = [.noop, .left, .right]

  public var paddleX = 4
  public var ballX = 0, ballY = 3
  /// 0 up-left, 1 up-right, 2 down-right, 3 down-left (MinAtar's `ball_dir`).
  public var ballDirection = 2
  public var lastX = 0, lastY = 3
  public var bricks = Grid10()
  public var strike = false
  public var isTerminal = false

  public init() {}

  public mutating func reset(random: inout RandomStream) {
    ballY = 3
    if random.nextInt(below: 2) == 0 { (ballX, ballDirection) = (0, 2) } else { (ballX, ballDirection) = (9, 3) }
    paddleX = 4
    bricks = .rectangle(rows: 1...3, columns: 0...9)
    strike = false
    lastX = ballX
    lastY = ballY
    isTerminal = false
  }

  public mutating func act(_ action: MinAtarAction, random: inout RandomStream) -> (reward: Int, isTerminal: Bool) {
    guard !isTerminal else { return (0, true) }
    var reward = 0
    if action == .left { paddleX = max(0, paddleX - 1) } else if action == .right { paddleX = min(9, paddleX + 1) }
    lastX = ballX
    lastY = ballY
    var newX = ballX + (ballDirection == 1 || ballDirection == 2 ? 1 : -1)
    var newY = ballY + (ballDirection <= 1 ? -1 : 1)
    var strikeToggle = false
    if newX < 0 || newX > 9 {
      newX = min(max(newX, 0), 9)
      ballDirection = [1, 0, 3, 2][ballDirection]
    }
    if newY < 0 {
      newY = 0
      ballDirection = [3, 2, 1, 0][ballDirection]
    } else if bricks[newY, newX] {
      strikeToggle = true
      if !strike {
        reward += 1
        strike = true
        bricks[newY, newX] = false
        newY = lastY
        ballDirection = [3, 2, 1, 0][ballDirection]
      }
    } else if newY == 9 {
      if bricks.isEmpty { bricks = .rectangle(rows: 1...3, columns: 0...9) }
      if ballX == paddleX {
        ballDirection = [3, 2, 1, 0][ballDirection]
        newY = lastY
      } else if newX == paddleX {
        ballDirection = [2, 3, 0, 1][ballDirection]
        newY = lastY
      } else {
        isTerminal = true
      }
    }
    if !strikeToggle { strike = false }
    ballX = newX
    ballY = newY
    return (reward, isTerminal)
  }

  public func writeState(into state: UnsafeMutablePointer<UInt8>) {
    state[(ballY * 10 + ballX) * 4 + 1] = 1
    state[(90 + paddleX) * 4 + 0] = 1
    state[(lastY * 10 + lastX) * 4 + 2] = 1
    bricks.write(into: state, channel: 3, of: 4)
  }

  /// Plays the game forward on a copy (the ball's flight does not depend on the paddle until
  /// row 9, and Breakout draws no randomness after reset) to find the column where the ball
  /// next descends into row 8, and moves the paddle there.
  public func expertAction() -> MinAtarAction {
    var copy = self
    var random = RandomStream(seed: 0)
    var steps = 0
    while !(copy.ballY == 8 && copy.ballDirection >= 2) && steps < 60 {
      copy.paddleX = copy.ballX  // keep the copy's ball alive
      _ = copy.act(.noop, random: &random)
      steps += 1
    }
    let target = copy.ballX
    if target > paddleX { return .right }
    if target < paddleX { return .left }
    return .noop
  }
}

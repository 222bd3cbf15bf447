import Randomness

/// A compact Pong on MinAtar's 10×10 grid (MinAtar has no Pong; this game is ours, built with
/// MinAtar Breakout's ball rules).
///
/// ## Description
/// The agent's two-cell paddle moves along column 9, the scripted opponent's along column 0. The
/// ball moves one cell diagonally a step between them, bouncing off the top and bottom rows.
/// A paddle returns the ball when it covers the row the ball arrives in. The opponent follows the
/// ball while it approaches, but moves only every `opponentMoveInterval` = 2 steps, so balls that
/// change direction late beat it. After a point the ball restarts from the centre towards the
/// opponent.
///
/// ## Observation Space
/// `[10, 10, 4]`, channels `paddle, opponent, ball, trail` (trail = the ball's previous cell).
///
/// ## Action Space
/// Full set `n l u r d f` (`-v0`); minimal set `n u d` (`-v1`).
///
/// ## Rewards
/// +1 when the opponent misses; −1 when the agent misses.
///
/// ## Starting State
/// Paddles at rows 4–5; ball in column 5 at a random row, heading left (towards the
/// opponent), up or down at random.
///
/// ## Episode End
/// Terminated when the agent misses or reaches `winningScore` = 21 points.
///
/// ## Arguments
/// None of its own; ``MinAtarEnvironment`` sets the sticky-action probability
/// (`stickyActionProbability`, 0.1) and the action set (`usesMinimalActionSet`).
public struct MinAtarPong: MinAtarGame {
  public static let channelNames = ["paddle", "opponent", "ball", "trail"]
  public static let minimalActions: [MinAtarAction] = [.noop, .up, .down]
  public static let opponentMoveInterval = 2, winningScore = 21

  /// Top cell of each two-cell paddle.
  public var paddleY = 4, opponentY = 4
  public var ballX = 5, ballY = 4, ballDX = 1, ballDY = 1
  public var lastX = 5, lastY = 4
  public var opponentTimer = 0
  public var points = 0
  public var isTerminal = false

  public init() {}

  public mutating func reset(random: inout RandomStream) {
    paddleY = 4
    opponentY = 4
    points = 0
    isTerminal = false
    opponentTimer = 0
    serve(random: &random)
  }

  mutating func serve(random: inout RandomStream) {
    ballX = 5
    ballY = 1 + random.nextInt(below: 8)
    ballDX = -1
    ballDY = random.nextInt(below: 2) == 0 ? -1 : 1
    lastX = ballX
    lastY = ballY
  }

  public mutating func act(_ action: MinAtarAction, random: inout RandomStream) -> (reward: Int, isTerminal: Bool) {
    guard !isTerminal else { return (0, true) }
    if action == .up { paddleY = max(0, paddleY - 1) } else if action == .down { paddleY = min(8, paddleY + 1) }
    opponentTimer += 1
    if opponentTimer >= MinAtarPong.opponentMoveInterval {
      opponentTimer = 0
      let target = ballDX < 0 ? ballY : 4
      if target < opponentY { opponentY -= 1 } else if target > opponentY + 1 { opponentY += 1 }
    }
    lastX = ballX
    lastY = ballY
    var newY = ballY + ballDY
    if newY < 0 || newY > 9 {
      ballDY = -ballDY
      newY = ballY + ballDY
    }
    let newX = ballX + ballDX
    var reward = 0
    if newX == 9 || newX == 0 {
      let top = newX == 9 ? paddleY : opponentY
      if newY == top || newY == top + 1 {
        ballDX = -ballDX
        ballY = newY
        return (0, false)
      }
      if newX == 9 {
        isTerminal = true
        reward = -1
      } else {
        points += 1
        reward = 1
        if points == MinAtarPong.winningScore { isTerminal = true } else { serve(random: &random); return (reward, false) }
      }
    }
    ballX = newX
    ballY = newY
    return (reward, isTerminal)
  }

  public func writeState(into state: UnsafeMutablePointer<UInt8>) {
    state[(paddleY * 10 + 9) * 4] = 1
    state[((paddleY + 1) * 10 + 9) * 4] = 1
    state[(opponentY * 10) * 4 + 1] = 1
    state[((opponentY + 1) * 10) * 4 + 1] = 1
    state[(ballY * 10 + ballX) * 4 + 2] = 1
    state[(lastY * 10 + lastX) * 4 + 3] = 1
  }

  /// Moves the paddle to cover the row where the ball will arrive in column 9.
  public func expertAction() -> MinAtarAction {
    var y = ballY, dy = ballDY
    if ballDX > 0 {
      for _ in 0..<(9 - ballX) {
        if y + dy < 0 || y + dy > 9 { dy = -dy }
        y += dy
      }
    }
    if y < paddleY { return .up }
    if y > paddleY + 1 { return .down }
    return .noop
  }
}

import Randomness

/// Atari Pong against a scripted computer opponent: the first to 21 points wins.
///
/// ## Description
/// The agent controls the green paddle on the right, the computer the orange one on the left.
/// The ball bounces off the top and bottom walls; where it meets a paddle sets its vertical speed
/// (the further from the paddle's centre, the steeper). After 4 hits in a rally it speeds up.
/// The opponent follows the ball only while it comes towards it in its half of the court, at
/// most `opponentSpeed` pixels a frame, aiming off by an error drawn at each of the agent's
/// returns (`opponentErrorRange`), so steep balls and bad guesses beat it. A new ball is served from the centre 30 frames after a point.
///
/// ## Observation Space
/// The game draws itself on the 160×210 screen (``ArcadeGame/draw(on:)``): `UInt8` RGB
/// `[210, 160, 3]` through ``ArcadeEnvironment`` (`Arcade/<Game>NoFrameskip-v0`), or `[4, 84, 84]`
/// grayscale through ``AtariPreprocessing`` and ``FrameStack`` (`Arcade/<Game>-v0`).
///
/// ## Action Space
/// `Discrete(6)`, ALE's minimal set: `0` NOOP, `1` FIRE, `2` RIGHT (paddle up), `3` LEFT (paddle
/// down), `4` RIGHTFIRE (up), `5` LEFTFIRE (down). FIRE has no effect (serves are automatic).
///
/// ## Rewards
/// +1 when the opponent misses the ball, −1 when the agent misses it (as Atari).
///
/// ## Starting State
/// 0–0, both paddles centred, the first ball served after 30 frames in a random direction.
///
/// ## Episode End
/// Game over when either side reaches 21 points. No lives (ALE reports 0).
///
/// ## Arguments
/// `difficulty` 0 (opponent moves 2 pixels a frame, error ±12) or 1 (3 pixels a frame, error ±6).
public struct Pong: ArcadeGame {
  public static let actionMeanings = ["NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"]

  // MARK: Layout
  public static let fieldTop = 34, fieldBottom = 194
  public static let paddleHeight = 16, paddleWidth = 4
  public static let agentX = 140, opponentX = 16
  public static let ballWidth = 2, ballHeight = 4
  public static let winningScore = 21

  public var difficulty: Int
  /// Pixels the agent's paddle moves a frame.
  public var paddleSpeed = 4
  public var opponentSpeed: Int { difficulty == 0 ? 2 : 3 }
  /// The opponent aims at the ball plus an error drawn uniformly from ±this at each return.
  public var opponentErrorRange: Int { difficulty == 0 ? 12 : 6 }

  // MARK: State
  public var agentY = 0, opponentY = 0
  public var ballX = 0, ballY = 0, ballVX = 0, ballVY = 0
  public var isBallInPlay = false
  public var serveDelay = 0
  public var rallyHits = 0
  public var opponentError = 0
  public var agentPoints = 0, opponentPoints = 0
  public private(set) var isGameOver = false

  public init(difficulty: Int = 0) {
    precondition((0...1).contains(difficulty), "Pong difficulty is 0 or 1")
    self.difficulty = difficulty
  }

  public var lives: Int { 0 }
  public var score: Int { agentPoints }

  public mutating func reset(random: inout RandomStream) {
    let center = (Pong.fieldTop + Pong.fieldBottom - Pong.paddleHeight) / 2
    agentY = center
    opponentY = center
    isBallInPlay = false
    serveDelay = 30
    agentPoints = 0
    opponentPoints = 0
    isGameOver = false
  }

  public mutating func advance(_ action: Int, random: inout RandomStream) -> Int {
    guard !isGameOver else { return 0 }
    let lowest = Pong.fieldBottom - Pong.paddleHeight
    switch action {
    case 2, 4: agentY = max(agentY - paddleSpeed, Pong.fieldTop)
    case 3, 5: agentY = min(agentY + paddleSpeed, lowest)
    default: break
    }
    moveOpponent()
    guard isBallInPlay else {
      serveDelay -= 1
      if serveDelay <= 0 { serve(random: &random) }
      return 0
    }
    return moveBall(random: &random)
  }

  mutating func moveOpponent() {
    let center = opponentY + Pong.paddleHeight / 2
    let target = isBallInPlay && ballVX < 0 && ballX < arcadeScreenWidth / 2
      ? ballY + Pong.ballHeight / 2 + opponentError : (Pong.fieldTop + Pong.fieldBottom) / 2
    let move = max(-opponentSpeed, min(opponentSpeed, target - center))
    opponentY = max(Pong.fieldTop, min(opponentY + move, Pong.fieldBottom - Pong.paddleHeight))
  }

  mutating func serve(random: inout RandomStream) {
    isBallInPlay = true
    ballX = arcadeScreenWidth / 2 - 1
    ballY = Pong.fieldTop + 40 + random.nextInt(below: 80)
    ballVX = random.nextInt(below: 2) == 0 ? -2 : 2
    ballVY = [-2, -1, 1, 2][random.nextInt(below: 4)]
    rallyHits = 0
  }

  /// Moves the ball one frame and returns +1 / −1 when a side misses it.
  mutating func moveBall(random: inout RandomStream) -> Int {
    let previousX = ballX
    ballX += ballVX
    ballY += ballVY
    if ballY < Pong.fieldTop { ballY = 2 * Pong.fieldTop - ballY; ballVY = -ballVY }
    let floor = Pong.fieldBottom - Pong.ballHeight
    if ballY > floor { ballY = 2 * floor - ballY; ballVY = -ballVY }

    if ballVX > 0, previousX + Pong.ballWidth <= Pong.agentX, ballX + Pong.ballWidth >= Pong.agentX,
       overlapsPaddle(at: agentY) {
      bounce(offPaddleAt: agentY, x: Pong.agentX - Pong.ballWidth)
      opponentError = random.nextInt(below: 2 * opponentErrorRange + 1) - opponentErrorRange
    } else if ballVX < 0, previousX >= Pong.opponentX + Pong.paddleWidth,
              ballX <= Pong.opponentX + Pong.paddleWidth, overlapsPaddle(at: opponentY) {
      bounce(offPaddleAt: opponentY, x: Pong.opponentX + Pong.paddleWidth)
    }

    var reward = 0
    if ballX < 0 {
      agentPoints += 1
      reward = 1
    } else if ballX > arcadeScreenWidth {
      opponentPoints += 1
      reward = -1
    }
    if reward != 0 {
      isBallInPlay = false
      serveDelay = 30
      if agentPoints == Pong.winningScore || opponentPoints == Pong.winningScore { isGameOver = true }
    }
    return reward
  }

  func overlapsPaddle(at paddleY: Int) -> Bool {
    ballY + Pong.ballHeight > paddleY && ballY < paddleY + Pong.paddleHeight
  }

  mutating func bounce(offPaddleAt paddleY: Int, x: Int) {
    let offset = (ballY + Pong.ballHeight / 2) - (paddleY + Pong.paddleHeight / 2)
    ballVY = max(-4, min(4, offset / 2))
    rallyHits += 1
    let speed = rallyHits >= 4 ? 3 : 2
    ballVX = ballVX > 0 ? -speed : speed
    ballX = x
  }

  // MARK: Drawing

  static let background = ArcadeColor(144, 72, 17)
  static let wallColor = ArcadeColor(236, 236, 236)
  static let agentColor = ArcadeColor(92, 186, 92)
  static let opponentColor = ArcadeColor(213, 130, 74)

  public func draw(on canvas: ArcadeCanvas) {
    canvas.clear(Pong.background)
    canvas.fill(x: 0, y: Pong.fieldTop - 10, width: arcadeScreenWidth, height: 10, Pong.wallColor)
    canvas.fill(x: 0, y: Pong.fieldBottom, width: arcadeScreenWidth, height: 16, Pong.wallColor)
    canvas.drawNumber(opponentPoints, right: 50, y: 4, scale: 3, Pong.opponentColor)
    canvas.drawNumber(agentPoints, right: 130, y: 4, scale: 3, Pong.agentColor)
    canvas.fill(x: Pong.opponentX, y: opponentY, width: Pong.paddleWidth, height: Pong.paddleHeight,
                Pong.opponentColor)
    canvas.fill(x: Pong.agentX, y: agentY, width: Pong.paddleWidth, height: Pong.paddleHeight,
                Pong.agentColor)
    if isBallInPlay {
      canvas.fill(x: ballX, y: ballY, width: Pong.ballWidth, height: Pong.ballHeight, Pong.wallColor)
    }
  }

  // MARK: Expert

  /// Moves the paddle so that the ball meets it 6 pixels off centre, on the side that sends the
  /// ball steeply away from the opponent's paddle; re-centres while the ball moves away.
  public func expertAction() -> Int {
    var target = (Pong.fieldTop + Pong.fieldBottom) / 2
    if isBallInPlay && ballVX > 0 {
      let frames = (Pong.agentX - Pong.ballWidth - ballX) / ballVX
      let arrival = reflectedY(ballY + ballVY * max(frames, 0)) + Pong.ballHeight / 2
      let opponentCenter = opponentY + Pong.paddleHeight / 2
      // Hitting below centre sends the ball down: do so when the opponent waits high.
      let aimDown = opponentCenter < (Pong.fieldTop + Pong.fieldBottom) / 2
      target = arrival + (aimDown ? -6 : 6)
    }
    let center = agentY + Pong.paddleHeight / 2
    // A step of 4 frames moves the paddle 16 pixels: stop within half of that.
    if target < center - 7 { return 2 }
    if target > center + 7 { return 3 }
    return 0
  }

  func reflectedY(_ y: Int) -> Int {
    let top = Pong.fieldTop, span = Pong.fieldBottom - Pong.ballHeight - Pong.fieldTop
    var offset = (y - top) % (2 * span)
    if offset < 0 { offset += 2 * span }
    return top + (offset <= span ? offset : 2 * span - offset)
  }
}

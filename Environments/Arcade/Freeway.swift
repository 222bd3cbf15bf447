import Randomness

/// Atari Freeway: a chicken crosses a ten-lane highway as often as it can in 2 minutes 16 seconds.
///
/// ## Description
/// One car drives in each lane, leftwards in the top five lanes and rightwards in the bottom
/// five, slow near the kerbs and fast in the middle (`laneSpeeds`). The chicken walks up or down
/// one pixel a frame. A car hit knocks it back one lane and stuns it for 16 frames (difficulty 0,
/// Atari switch B) or sends it back to the kerb (difficulty 1, switch A). Reaching the far
/// pavement scores and puts the chicken back at the start.
///
/// ## Observation Space
/// The game draws itself on the 160×210 screen (``ArcadeGame/draw(on:)``): `UInt8` RGB
/// `[210, 160, 3]` through ``ArcadeEnvironment`` (`Arcade/<Game>NoFrameskip-v0`), or `[4, 84, 84]`
/// grayscale through ``AtariPreprocessing`` and ``FrameStack`` (`Arcade/<Game>-v0`).
///
/// ## Action Space
/// `Discrete(3)`, ALE's minimal set: `0` NOOP, `1` UP, `2` DOWN.
///
/// ## Rewards
/// +1 for each crossing (as Atari).
///
/// ## Starting State
/// Chicken on the bottom pavement; each car at a random x.
///
/// ## Episode End
/// Game over when the clock runs out after `durationFrames` = 8160 frames (2:16 at 60 Hz). No
/// lives (ALE reports 0).
///
/// ## Arguments
/// `difficulty` 0 (knocked back one lane) or 1 (knocked back to the start).
public struct Freeway: ArcadeGame {
  public static let actionMeanings = ["NOOP", "UP", "DOWN"]

  // MARK: Layout
  public static let lanes = 10, laneTop = 38, laneHeight = 15
  public static let chickenX = 44, chickenWidth = 6, chickenHeight = 8
  public static let startY = 192, goalY = 30
  public static let carWidth = 12, carHeight = 8
  /// Car speeds in 1/16 pixel a frame, lane 0 (top) to lane 9 (bottom).
  public static let laneSpeeds = [8, 12, 16, 24, 32, 32, 24, 16, 12, 8]
  public static let durationFrames = 8160

  public var difficulty: Int

  // MARK: State
  public var chickenY = 0
  public var stunTimer = 0
  /// Car x positions in 1/16 pixel, one per lane.
  public var carX = [Int](repeating: 0, count: 10)
  public var framesLeft = 0
  /// Cars that hit the chicken this episode.
  public var hits = 0
  public private(set) var score = 0

  public init(difficulty: Int = 0) {
    precondition((0...1).contains(difficulty), "Freeway difficulty is 0 or 1")
    self.difficulty = difficulty
  }

  public var lives: Int { 0 }
  public var isGameOver: Bool { framesLeft <= 0 }
  static let roadSpan = (arcadeScreenWidth + carWidth) * 16

  public mutating func reset(random: inout RandomStream) {
    chickenY = Freeway.startY
    stunTimer = 0
    for lane in 0..<Freeway.lanes { carX[lane] = random.nextInt(below: Freeway.roadSpan) }
    framesLeft = Freeway.durationFrames
    hits = 0
    score = 0
  }

  /// The top of lane `lane`'s car in pixels, and its left edge (from −carWidth to 160).
  public func car(_ lane: Int) -> (x: Int, y: Int) {
    (carX[lane] / 16 - Freeway.carWidth, Freeway.laneTop + lane * Freeway.laneHeight + 4)
  }

  public mutating func advance(_ action: Int, random: inout RandomStream) -> Int {
    guard !isGameOver else { return 0 }
    framesLeft -= 1
    for lane in 0..<Freeway.lanes {
      let speed = Freeway.laneSpeeds[lane]
      carX[lane] = (carX[lane] + (lane < 5 ? -speed : speed) + Freeway.roadSpan) % Freeway.roadSpan
    }
    if stunTimer > 0 {
      stunTimer -= 1
    } else if action == 1 {
      chickenY -= 1
    } else if action == 2 {
      chickenY = min(chickenY + 1, Freeway.startY)
    }
    if chickenY <= Freeway.goalY {
      score += 1
      chickenY = Freeway.startY
      return 1
    }
    if stunTimer == 0, let lane = collidingLane() {
      hits += 1
      if difficulty == 1 {
        chickenY = Freeway.startY
      } else {
        chickenY = min(Freeway.laneTop + (lane + 1) * Freeway.laneHeight + 3, Freeway.startY)
        stunTimer = 16
      }
    }
    return 0
  }

  /// The lane of a car that overlaps the chicken, if any.
  func collidingLane() -> Int? {
    for lane in 0..<Freeway.lanes {
      let (x, y) = car(lane)
      if y < chickenY + Freeway.chickenHeight, y + Freeway.carHeight > chickenY,
         x < Freeway.chickenX + Freeway.chickenWidth, x + Freeway.carWidth > Freeway.chickenX {
        return lane
      }
    }
    return nil
  }

  // MARK: Drawing

  static let road = ArcadeColor(142, 142, 142)
  static let pavement = ArcadeColor(170, 170, 170)
  static let lineColor = ArcadeColor(252, 252, 84)
  static let chickenColor = ArcadeColor(252, 252, 84)
  static let carColors = [
    ArcadeColor(210, 164, 74), ArcadeColor(84, 92, 214), ArcadeColor(135, 183, 84),
    ArcadeColor(200, 72, 72), ArcadeColor(24, 26, 167), ArcadeColor(162, 98, 33),
    ArcadeColor(104, 72, 198), ArcadeColor(72, 160, 72), ArcadeColor(184, 50, 50),
    ArcadeColor(227, 151, 89),
  ]

  public func draw(on canvas: ArcadeCanvas) {
    canvas.clear(Freeway.road)
    canvas.fill(x: 0, y: 0, width: arcadeScreenWidth, height: Freeway.laneTop, Freeway.pavement)
    let bottom = Freeway.laneTop + Freeway.lanes * Freeway.laneHeight
    canvas.fill(x: 0, y: bottom, width: arcadeScreenWidth, height: arcadeScreenHeight - bottom, Freeway.pavement)
    canvas.drawNumber(score, right: 60, y: 6, scale: 3, ArcadeColor(228, 111, 111))
    for lane in 1..<Freeway.lanes {
      let y = Freeway.laneTop + lane * Freeway.laneHeight
      if lane == 5 {
        canvas.fill(x: 0, y: y - 1, width: arcadeScreenWidth, height: 2, Freeway.lineColor)
      } else {
        for dash in stride(from: 0, to: arcadeScreenWidth, by: 16) {
          canvas.fill(x: dash, y: y, width: 8, height: 1, ArcadeColor(214, 214, 214))
        }
      }
    }
    for lane in 0..<Freeway.lanes {
      let (x, y) = car(lane)
      canvas.fill(x: x, y: y, width: Freeway.carWidth, height: Freeway.carHeight, Freeway.carColors[lane])
      canvas.fill(x: x + 2, y: y - 1, width: 3, height: 10, ArcadeColor(0, 0, 0))  // wheels
      canvas.fill(x: x + 7, y: y - 1, width: 3, height: 10, ArcadeColor(0, 0, 0))
      canvas.fill(x: x + 1, y: y + 2, width: 10, height: 4, Freeway.carColors[lane])
    }
    canvas.fill(x: Freeway.chickenX, y: chickenY, width: Freeway.chickenWidth, height: Freeway.chickenHeight,
                Freeway.chickenColor)
    canvas.fill(x: Freeway.chickenX + 4, y: chickenY, width: 2, height: 2, ArcadeColor(214, 92, 92))
  }

  // MARK: Expert

  /// Looks ahead 40 frames on copies of the game: goes up if walking up from here stays clear,
  /// else waits if waiting one frame then walking up stays clear, else steps back down.
  public func expertAction() -> Int {
    var random = RandomStream(seed: 0)  // Freeway draws no randomness after reset.
    for first in [1, 0, 2] {
      var copy = self
      _ = copy.advance(first, random: &random)
      var clear = copy.hits == hits
      var frame = 0
      while clear && frame < 40 && !copy.isGameOver && copy.score == score {
        _ = copy.advance(1, random: &random)
        clear = copy.hits == hits
        frame += 1
      }
      if clear { return first }
    }
    return 0
  }
}

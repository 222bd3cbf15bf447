import Randomness

/// MinAtar Freeway, rule for rule as kenjyoung/MinAtar `environments/freeway.py`.
///
/// ## Description
/// The chicken stays in column 4 and moves up or down one row at most every `playerSpeed` = 3
/// steps. Eight cars, one in each of rows 1–8, move one cell every |speed| steps (speeds 1–5,
/// random directions), wrapping around. Reaching row 0 scores, puts the chicken back in row 9 and
/// draws new car speeds; a car on the chicken's cell sends it back to row 9.
///
/// ## Observation Space
/// `[10, 10, 7]`, channels `chicken, car, speed1 … speed5` (a speed channel marks the cell behind
/// each car, for that car's speed).
///
/// ## Action Space
/// Full set `n l u r d f` (`-v0`); minimal set `n u d` (`-v1`).
///
/// ## Rewards
/// +1 per crossing.
///
/// ## Starting State
/// Chicken in row 9; cars in column 0 with random speeds and directions.
///
/// ## Episode End
/// Terminated after `timeLimit` = 2500 steps (as MinAtar, a termination, not a truncation).
///
/// ## Arguments
/// None of its own; ``MinAtarEnvironment`` sets the sticky-action probability
/// (`stickyActionProbability`, 0.1) and the action set (`usesMinimalActionSet`).
public struct MinAtarFreeway: MinAtarGame {
  public static let channelNames = ["chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"]
  public static let minimalActions: [MinAtarAction] = [.noop, .up, .down]
  public static let playerSpeed = 3, timeLimit = 2500

  public struct Car: Hashable, Sendable {
    public var x: Int, y: Int, timer: Int, speed: Int
  }

  public var chickenY = 9
  public var moveTimer = 0
  public var terminateTimer = 0
  public var cars: [Car] = []
  public var isTerminal = false
  /// Cars that hit the chicken this episode (not part of the observation).
  public var hits = 0

  public init() {}

  mutating func randomizeCars(random: inout RandomStream, initialize: Bool) {
    var speeds = (0..<8).map { _ in 1 + random.nextInt(below: 5) }
    for i in 0..<8 where random.nextDouble() < 0.5 { speeds[i] = -speeds[i] }
    if initialize {
      cars = (0..<8).map { Car(x: 0, y: $0 + 1, timer: abs(speeds[$0]), speed: speeds[$0]) }
    } else {
      for i in 0..<8 { cars[i].timer = abs(speeds[i]); cars[i].speed = speeds[i] }
    }
  }

  public mutating func reset(random: inout RandomStream) {
    randomizeCars(random: &random, initialize: true)
    chickenY = 9
    moveTimer = MinAtarFreeway.playerSpeed
    terminateTimer = MinAtarFreeway.timeLimit
    hits = 0
    isTerminal = false
  }

  public mutating func act(_ action: MinAtarAction, random: inout RandomStream) -> (reward: Int, isTerminal: Bool) {
    guard !isTerminal else { return (0, true) }
    var reward = 0
    if action == .up && moveTimer == 0 {
      moveTimer = MinAtarFreeway.playerSpeed
      chickenY = max(0, chickenY - 1)
    } else if action == .down && moveTimer == 0 {
      moveTimer = MinAtarFreeway.playerSpeed
      chickenY = min(9, chickenY + 1)
    }
    if chickenY == 0 {
      reward += 1
      randomizeCars(random: &random, initialize: false)
      chickenY = 9
    }
    for i in 0..<8 {
      if cars[i].x == 4 && cars[i].y == chickenY { chickenY = 9; hits += 1 }
      if cars[i].timer == 0 {
        cars[i].timer = abs(cars[i].speed)
        cars[i].x += cars[i].speed > 0 ? 1 : -1
        if cars[i].x < 0 { cars[i].x = 9 } else if cars[i].x > 9 { cars[i].x = 0 }
        if cars[i].x == 4 && cars[i].y == chickenY { chickenY = 9; hits += 1 }
      } else {
        cars[i].timer -= 1
      }
    }
    if moveTimer > 0 { moveTimer -= 1 }
    terminateTimer -= 1
    if terminateTimer < 0 { isTerminal = true }
    return (reward, isTerminal)
  }

  public func writeState(into state: UnsafeMutablePointer<UInt8>) {
    state[(chickenY * 10 + 4) * 7] = 1
    for car in cars {
      state[(car.y * 10 + car.x) * 7 + 1] = 1
      var backX = car.speed > 0 ? car.x - 1 : car.x + 1
      if backX < 0 { backX = 9 } else if backX > 9 { backX = 0 }
      state[(car.y * 10 + backX) * 7 + 1 + abs(car.speed)] = 1
    }
  }

  /// Looks ahead on copies: goes up if pressing up for the next 12 steps never meets a car
  /// (a crossing counts as clear), else waits if waiting one step then going up is clear,
  /// else steps down.
  public func expertAction() -> MinAtarAction {
    var random = RandomStream(seed: 0)  // only a crossing draws randomness, which ends the look-ahead
    for first in [MinAtarAction.up, .noop, .down] {
      var copy = self
      var clear = true
      for step in 0..<12 {
        let reward = copy.act(step == 0 ? first : .up, random: &random).reward
        if copy.hits > hits { clear = false; break }
        if reward > 0 || copy.isTerminal { break }
      }
      if clear { return first }
    }
    return .noop
  }
}

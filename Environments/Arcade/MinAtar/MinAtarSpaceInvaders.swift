import Randomness

/// MinAtar Space Invaders, rule for rule as kenjyoung/MinAtar `environments/space_invaders.py`.
///
/// ## Description
/// The cannon moves along row 9 and fires upwards (cooldown `shotCoolDown` = 5 steps). A 4×6
/// block of aliens (rows 0–3, columns 2–7) moves one column every `enemyMoveInterval` steps (at
/// most one step per living alien), and steps down a row when it reaches a side. Every 10 steps
/// the alien nearest the cannon's column (lowest in its column) drops a bullet. A cleared wave
/// is replaced; with difficulty ramping each new wave moves faster (interval 12 down to 6).
///
/// ## Observation Space
/// `[10, 10, 6]`, channels `cannon, alien, alien_left, alien_right, friendly_bullet,
/// enemy_bullet` (aliens repeated in the channel of their moving direction).
///
/// ## Action Space
/// Full set `n l u r d f` (`-v0`); minimal set `n l r f` (`-v1`).
///
/// ## Rewards
/// +1 per alien.
///
/// ## Starting State
/// Cannon at column 5, block moving left, no bullets.
///
/// ## Episode End
/// Terminated when an alien or an enemy bullet reaches the cannon, or the block must step down
/// from the bottom row.
///
/// ## Arguments
/// `isRamping` (MinAtar's `difficulty_ramping`, default true).
public struct MinAtarSpaceInvaders: MinAtarGame {
  public static let channelNames = [
    "cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet",
  ]
  public static let minimalActions: [MinAtarAction] = [.noop, .left, .right, .fire]
  public static let shotCoolDown = 5, initialEnemyMoveInterval = 12, enemyShotInterval = 10
  static let startingBlock = Grid10.rectangle(rows: 0...3, columns: 2...7)

  public var isRamping: Bool
  public var cannonX = 5
  public var friendlyBullets = Grid10(), enemyBullets = Grid10(), aliens = Grid10()
  public var alienDirection = -1
  public var enemyMoveInterval = 12
  public var alienMoveTimer = 12, alienShotTimer = 10, shotTimer = 0
  public var rampIndex = 0
  public var isTerminal = false

  public init(isRamping: Bool = true) { self.isRamping = isRamping }

  public mutating func reset(random: inout RandomStream) {
    cannonX = 5
    friendlyBullets = Grid10()
    enemyBullets = Grid10()
    aliens = MinAtarSpaceInvaders.startingBlock
    alienDirection = -1
    enemyMoveInterval = MinAtarSpaceInvaders.initialEnemyMoveInterval
    alienMoveTimer = enemyMoveInterval
    alienShotTimer = MinAtarSpaceInvaders.enemyShotInterval
    rampIndex = 0
    shotTimer = 0
    isTerminal = false
  }

  public mutating func act(_ action: MinAtarAction, random: inout RandomStream) -> (reward: Int, isTerminal: Bool) {
    guard !isTerminal else { return (0, true) }
    if action == .fire && shotTimer == 0 {
      friendlyBullets[9, cannonX] = true
      shotTimer = MinAtarSpaceInvaders.shotCoolDown
    } else if action == .left {
      cannonX = max(0, cannonX - 1)
    } else if action == .right {
      cannonX = min(9, cannonX + 1)
    }
    // Friendly bullets move up a row (row 0 leaves), enemy bullets down a row (row 9 leaves).
    friendlyBullets = Grid10(bits: friendlyBullets.bits >> 10)
    enemyBullets = Grid10(bits: enemyBullets.bits << 10)
    if enemyBullets[9, cannonX] || aliens[9, cannonX] { isTerminal = true }
    if alienMoveTimer == 0 {
      alienMoveTimer = min(aliens.count, enemyMoveInterval)
      if (aliens.columnIsOccupied(0) && alienDirection < 0) || (aliens.columnIsOccupied(9) && alienDirection > 0) {
        alienDirection = -alienDirection
        if aliens.rowIsOccupied(9) { isTerminal = true }
        // np.roll(axis=0, 1): the bottom row wraps to the top (only ever on a terminal step).
        aliens = Grid10(bits: aliens.bits << 10 | aliens.bits >> 90)
      } else {
        // The column in the moving direction is empty here, so no cell wraps.
        aliens = Grid10(bits: alienDirection > 0 ? aliens.bits << 1 : aliens.bits >> 1)
      }
      if aliens[9, cannonX] { isTerminal = true }
    }
    if alienShotTimer == 0 {
      alienShotTimer = MinAtarSpaceInvaders.enemyShotInterval
      if let (y, x) = nearestAlien() { enemyBullets[y, x] = true }
    }
    let kills = aliens.bits & friendlyBullets.bits
    let reward = kills.nonzeroBitCount
    aliens.bits &= ~kills
    friendlyBullets.bits &= ~kills
    if shotTimer > 0 { shotTimer -= 1 }
    alienMoveTimer -= 1
    alienShotTimer -= 1
    if aliens.isEmpty {
      if enemyMoveInterval > 6 && isRamping {
        enemyMoveInterval -= 1
        rampIndex += 1
      }
      aliens = MinAtarSpaceInvaders.startingBlock
    }
    return (reward, isTerminal)
  }

  /// The lowest alien of the occupied column nearest the cannon (ties: the left column).
  func nearestAlien() -> (y: Int, x: Int)? {
    let order = (0..<10).sorted { abs($0 - cannonX) < abs($1 - cannonX) || (abs($0 - cannonX) == abs($1 - cannonX) && $0 < $1) }
    for x in order where aliens.columnIsOccupied(x) {
      for y in stride(from: 9, through: 0, by: -1) where aliens[y, x] { return (y, x) }
    }
    return nil
  }

  public func writeState(into state: UnsafeMutablePointer<UInt8>) {
    state[(90 + cannonX) * 6] = 1
    aliens.write(into: state, channel: 1, of: 6)
    aliens.write(into: state, channel: alienDirection < 0 ? 2 : 3, of: 6)
    friendlyBullets.write(into: state, channel: 4, of: 6)
    enemyBullets.write(into: state, channel: 5, of: 6)
  }

  /// A depth-4 look-ahead on copies (the game draws no randomness): picks the action whose best
  /// continuation survives and scores most, preferring to stand under an alien column.
  public func expertAction() -> MinAtarAction {
    let actions: [MinAtarAction] = [.fire, .left, .right, .noop]
    var best = MinAtarAction.noop, bestValue = -Double.infinity
    for action in actions {
      var copy = self
      let value = copy.lookAheadValue(first: action, depth: 4)
      if value > bestValue { (best, bestValue) = (action, value) }
    }
    return best
  }

  /// Reward of `first` plus the best value of `depth - 1` further steps; −100 for dying.
  mutating func lookAheadValue(first: MinAtarAction, depth: Int) -> Double {
    var random = RandomStream(seed: 0)
    let (reward, terminal) = act(first, random: &random)
    if terminal { return -100 }
    guard depth > 1 else {
      let distance = nearestAlien().map { abs($0.x - cannonX) } ?? 0
      return Double(reward) - 0.1 * Double(distance)
    }
    var bestContinuation = -Double.infinity
    for action in [MinAtarAction.fire, .left, .right, .noop] {
      var copy = self
      bestContinuation = max(bestContinuation, copy.lookAheadValue(first: action, depth: depth - 1))
    }
    return Double(reward) + 0.99 * bestContinuation
  }
}

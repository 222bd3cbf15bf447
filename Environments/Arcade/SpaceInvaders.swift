import Randomness

/// Atari Space Invaders: shoot a marching block of 36 aliens before they land or shoot you.
///
/// ## Description
/// Six rows of six aliens march sideways, stepping down and turning at the screen edges; the
/// fewer are left, the faster they march. Aliens drop bombs (at most two at once) from the
/// bottom alien of a column, half the time the column nearest the cannon. Three shields erode
/// where shots and bombs hit them. The cannon has one shot in flight at a time. A cleared wave is
/// replaced by a fresh one (and fresh shields).
///
/// ## Observation Space
/// The game draws itself on the 160×210 screen (``ArcadeGame/draw(on:)``): `UInt8` RGB
/// `[210, 160, 3]` through ``ArcadeEnvironment`` (`Arcade/<Game>NoFrameskip-v0`), or `[4, 84, 84]`
/// grayscale through ``AtariPreprocessing`` and ``FrameStack`` (`Arcade/<Game>-v0`).
///
/// ## Action Space
/// `Discrete(6)`, ALE's minimal set: `0` NOOP, `1` FIRE, `2` RIGHT, `3` LEFT, `4` RIGHTFIRE,
/// `5` LEFTFIRE.
///
/// ## Rewards
/// As Atari: 5, 10, 15, 20, 25, 30 points for an alien of the bottom to the top row.
///
/// ## Starting State
/// Full block at the top left, cannon in the middle, 3 lives.
///
/// ## Episode End
/// Game over when the last life is lost (a bomb hits the cannon) or the aliens reach the cannon's
/// row.
///
/// ## Arguments
/// `difficulty` 0 or 1: the block marches faster (1) and bombs come twice as often.
public struct SpaceInvaders: ArcadeGame {
  public static let actionMeanings = ["NOOP", "FIRE", "RIGHT", "LEFT", "RIGHTFIRE", "LEFTFIRE"]

  // MARK: Layout
  public static let rows = 6, columns = 6
  public static let alienWidth = 8, alienHeight = 10, columnPitch = 16, rowPitch = 16
  public static let startX = 24, startY = 31, marchStep = 2, descent = 6
  public static let leftBound = 8, rightBound = 152
  public static let cannonY = 185, cannonWidth = 7, cannonHeight = 10
  public static let cannonMin = 20, cannonMax = 133
  public static let shotLength = 8, shotSpeed = 4, bombSpeed = 2
  public static let shieldX = [42, 74, 106], shieldY = 157
  /// A shield is 4×6 blocks of 2×3 pixels.
  public static let shieldColumns = 4, shieldRows = 6, blockWidth = 2, blockHeight = 3

  public var difficulty: Int
  public var startingLives = 3

  // MARK: State
  /// Bit `row * 6 + column` is set while that alien lives.
  public var aliens: UInt64 = 0
  public var blockX = 0, blockY = 0, marchDirection = 1, marchTimer = 0
  public var cannonX = 0
  /// The cannon's shot: y is `nil` when none is in flight.
  public var shotX = 0, shotY: Int? = nil
  /// Alien bombs in flight, at most two: (x, y) of their top.
  public var bombs: [(x: Int, y: Int)] = []
  public var bombTimer = 0
  /// Bit `shield * 24 + row * 4 + column` is set while that block stands.
  public var shields: UInt128 = 0
  /// Frames left before the cannon reappears after a hit.
  public var respawnTimer = 0
  public private(set) var lives = 0
  public private(set) var score = 0
  public private(set) var isGameOver = false

  public init(difficulty: Int = 0) {
    precondition((0...1).contains(difficulty), "SpaceInvaders difficulty is 0 or 1")
    self.difficulty = difficulty
  }

  static let fullBlock: UInt64 = (1 << 36) - 1
  static let fullShields: UInt128 = (1 << 72) - 1

  public mutating func reset(random: inout RandomStream) {
    lives = startingLives
    score = 0
    isGameOver = false
    cannonX = (SpaceInvaders.cannonMin + SpaceInvaders.cannonMax) / 2
    respawnTimer = 0
    newWave()
  }

  mutating func newWave() {
    aliens = SpaceInvaders.fullBlock
    blockX = SpaceInvaders.startX
    blockY = SpaceInvaders.startY
    marchDirection = 1
    marchTimer = marchInterval
    shotY = nil
    bombs = []
    bombTimer = bombInterval
    shields = SpaceInvaders.fullShields
  }

  public func isAlive(row: Int, column: Int) -> Bool { aliens >> (row * 6 + column) & 1 != 0 }
  public var aliveCount: Int { aliens.nonzeroBitCount }
  /// Frames between steps of the block: fewer aliens march faster.
  var marchInterval: Int { 1 + aliveCount * (difficulty == 0 ? 16 : 10) / 36 }
  var bombInterval: Int { difficulty == 0 ? 40 : 20 }

  public mutating func advance(_ action: Int, random: inout RandomStream) -> Int {
    guard !isGameOver else { return 0 }
    if respawnTimer > 0 {
      respawnTimer -= 1
    } else {
      switch action {
      case 2, 4: cannonX = min(cannonX + 2, SpaceInvaders.cannonMax)
      case 3, 5: cannonX = max(cannonX - 2, SpaceInvaders.cannonMin)
      default: break
      }
      if [1, 4, 5].contains(action) && shotY == nil {
        shotX = cannonX + SpaceInvaders.cannonWidth / 2
        shotY = SpaceInvaders.cannonY - SpaceInvaders.shotLength
      }
    }
    let reward = moveShot()
    march()
    dropBombs(random: &random)
    moveBombs()
    if aliens == 0 { newWave() }
    return reward
  }

  /// Moves the cannon's shot; returns the points of the alien it hit.
  mutating func moveShot() -> Int {
    guard var y = shotY else { return 0 }
    y -= SpaceInvaders.shotSpeed
    shotY = y
    if y < 20 { shotY = nil; return 0 }
    if erodeShield(x: shotX, top: y, bottom: y + SpaceInvaders.shotLength) { shotY = nil; return 0 }
    let column = (shotX - blockX) / SpaceInvaders.columnPitch
    guard shotX >= blockX, column < SpaceInvaders.columns,
          shotX - blockX - column * SpaceInvaders.columnPitch < SpaceInvaders.alienWidth
    else { return 0 }
    for row in stride(from: SpaceInvaders.rows - 1, through: 0, by: -1) where isAlive(row: row, column: column) {
      let top = blockY + row * SpaceInvaders.rowPitch
      if y < top + SpaceInvaders.alienHeight && y + SpaceInvaders.shotLength > top {
        aliens &= ~(UInt64(1) << (row * 6 + column))
        shotY = nil
        let points = 30 - 5 * row
        score += points
        return points
      }
    }
    return 0
  }

  /// Steps the block when its timer runs out, turning and descending at the edges.
  mutating func march() {
    marchTimer -= 1
    guard marchTimer <= 0 else { return }
    marchTimer = marchInterval
    var first = SpaceInvaders.columns, last = -1, lowest = -1
    for column in 0..<SpaceInvaders.columns {
      for row in 0..<SpaceInvaders.rows where isAlive(row: row, column: column) {
        first = min(first, column); last = max(last, column); lowest = max(lowest, row)
      }
    }
    guard last >= 0 else { return }
    let left = blockX + first * SpaceInvaders.columnPitch
    let right = blockX + last * SpaceInvaders.columnPitch + SpaceInvaders.alienWidth
    let step = marchDirection * SpaceInvaders.marchStep
    if left + step < SpaceInvaders.leftBound || right + step > SpaceInvaders.rightBound {
      marchDirection = -marchDirection
      blockY += SpaceInvaders.descent
    } else {
      blockX += step
    }
    if blockY + lowest * SpaceInvaders.rowPitch + SpaceInvaders.alienHeight >= SpaceInvaders.cannonY {
      isGameOver = true
    }
  }

  mutating func dropBombs(random: inout RandomStream) {
    bombTimer -= 1
    guard bombTimer <= 0, bombs.count < 2 else { return }
    bombTimer = bombInterval
    let living = (0..<SpaceInvaders.columns).filter { column in
      (0..<SpaceInvaders.rows).contains { isAlive(row: $0, column: column) }
    }
    guard !living.isEmpty else { return }
    let cannonCenter = cannonX + SpaceInvaders.cannonWidth / 2
    let column = random.nextInt(below: 2) == 0
      ? living.min { abs(columnCenter($0) - cannonCenter) < abs(columnCenter($1) - cannonCenter) }!
      : living[random.nextInt(below: living.count)]
    let row = (0..<SpaceInvaders.rows).last { isAlive(row: $0, column: column) }!
    bombs.append((columnCenter(column), blockY + row * SpaceInvaders.rowPitch + SpaceInvaders.alienHeight))
  }

  public func columnCenter(_ column: Int) -> Int {
    blockX + column * SpaceInvaders.columnPitch + SpaceInvaders.alienWidth / 2
  }

  mutating func moveBombs() {
    var kept: [(x: Int, y: Int)] = []
    for var bomb in bombs {
      bomb.y += SpaceInvaders.bombSpeed
      if erodeShield(x: bomb.x, top: bomb.y, bottom: bomb.y + SpaceInvaders.shotLength) { continue }
      if respawnTimer == 0, bomb.y + SpaceInvaders.shotLength > SpaceInvaders.cannonY,
         bomb.y < SpaceInvaders.cannonY + SpaceInvaders.cannonHeight,
         bomb.x >= cannonX, bomb.x < cannonX + SpaceInvaders.cannonWidth {
        lives -= 1
        if lives == 0 { isGameOver = true }
        respawnTimer = 60
        shotY = nil
        return bombs = []
      }
      if bomb.y < 195 { kept.append(bomb) }
    }
    bombs = kept
  }

  /// Removes the first shield block that the vertical segment at `x` overlaps; true if one was hit.
  mutating func erodeShield(x: Int, top: Int, bottom: Int) -> Bool {
    let shieldBottom = SpaceInvaders.shieldY + SpaceInvaders.shieldRows * SpaceInvaders.blockHeight
    guard bottom > SpaceInvaders.shieldY, top < shieldBottom else { return false }
    for (index, left) in SpaceInvaders.shieldX.enumerated()
    where x >= left && x < left + SpaceInvaders.shieldColumns * SpaceInvaders.blockWidth {
      let column = (x - left) / SpaceInvaders.blockWidth
      for row in 0..<SpaceInvaders.shieldRows {
        let blockTop = SpaceInvaders.shieldY + row * SpaceInvaders.blockHeight
        let bit = index * 24 + row * 4 + column
        if blockTop < bottom, blockTop + SpaceInvaders.blockHeight > top, shields >> bit & 1 != 0 {
          shields &= ~(UInt128(1) << bit)
          return true
        }
      }
    }
    return false
  }

  // MARK: Drawing

  static let alienColor = ArcadeColor(134, 134, 29)
  static let cannonColor = ArcadeColor(50, 132, 50)
  static let shieldColor = ArcadeColor(181, 83, 40)
  static let groundColor = ArcadeColor(80, 89, 26)
  static let shotColor = ArcadeColor(142, 142, 142)
  static let scoreColor = ArcadeColor(50, 132, 50)

  public func draw(on canvas: ArcadeCanvas) {
    canvas.clear(ArcadeColor(0, 0, 0))
    canvas.drawNumber(score, right: 60, y: 6, SpaceInvaders.scoreColor)
    canvas.drawNumber(lives, right: 150, y: 6, SpaceInvaders.scoreColor)
    canvas.fill(x: 0, y: 195, width: arcadeScreenWidth, height: 2, SpaceInvaders.groundColor)
    for row in 0..<SpaceInvaders.rows {
      for column in 0..<SpaceInvaders.columns where isAlive(row: row, column: column) {
        let x = blockX + column * SpaceInvaders.columnPitch, y = blockY + row * SpaceInvaders.rowPitch
        canvas.fill(x: x, y: y + 2, width: 8, height: 6, SpaceInvaders.alienColor)
        // Legs alternate with the march so that motion shows in single frames.
        let legs = (blockX / SpaceInvaders.marchStep) & 1 == 0 ? 0 : 1
        canvas.fill(x: x + legs, y: y + 8, width: 2, height: 2, SpaceInvaders.alienColor)
        canvas.fill(x: x + 6 - legs, y: y + 8, width: 2, height: 2, SpaceInvaders.alienColor)
        canvas.fill(x: x + 2, y: y, width: 4, height: 2, SpaceInvaders.alienColor)
      }
    }
    for (index, left) in SpaceInvaders.shieldX.enumerated() {
      for row in 0..<SpaceInvaders.shieldRows {
        for column in 0..<SpaceInvaders.shieldColumns where shields >> (index * 24 + row * 4 + column) & 1 != 0 {
          canvas.fill(x: left + column * SpaceInvaders.blockWidth, y: SpaceInvaders.shieldY + row * SpaceInvaders.blockHeight,
                      width: SpaceInvaders.blockWidth, height: SpaceInvaders.blockHeight, SpaceInvaders.shieldColor)
        }
      }
    }
    if respawnTimer == 0 {
      canvas.fill(x: cannonX, y: SpaceInvaders.cannonY + 4, width: SpaceInvaders.cannonWidth, height: 6,
                  SpaceInvaders.cannonColor)
      canvas.fill(x: cannonX + 2, y: SpaceInvaders.cannonY, width: 3, height: 4, SpaceInvaders.cannonColor)
    }
    if let shotY {
      canvas.fill(x: shotX, y: shotY, width: 1, height: SpaceInvaders.shotLength, SpaceInvaders.shotColor)
    }
    for bomb in bombs {
      canvas.fill(x: bomb.x, y: bomb.y, width: 1, height: SpaceInvaders.shotLength, SpaceInvaders.shotColor)
    }
  }

  // MARK: Expert

  /// Keeps out from under falling bombs; otherwise moves under the living column nearest to the
  /// cannon (unless a bomb falls on the way) and fires when under it.
  public func expertAction() -> Int {
    let center = cannonX + SpaceInvaders.cannonWidth / 2
    let danger = bombs.filter { $0.y > SpaceInvaders.cannonY - 80 }
    func isUnsafe(_ x: Int) -> Bool { danger.contains { abs($0.x - x) <= 5 } }
    let canFire = shotY == nil
    if isUnsafe(center) {
      let rightOK = cannonX + 8 <= SpaceInvaders.cannonMax && !isUnsafe(center + 8)
      let leftOK = cannonX - 8 >= SpaceInvaders.cannonMin && !isUnsafe(center - 8)
      if rightOK || !leftOK { return canFire ? 4 : 2 }
      return canFire ? 5 : 3
    }
    let living = (0..<SpaceInvaders.columns).filter { column in
      (0..<SpaceInvaders.rows).contains { isAlive(row: $0, column: column) }
    }
    guard let column = living.min(by: { abs(columnCenter($0) - center) < abs(columnCenter($1) - center) })
    else { return 0 }
    let offset = columnCenter(column) + marchDirection - center
    if offset > 1 && !isUnsafe(center + 8) { return canFire && offset < 4 ? 4 : 2 }
    if offset < -1 && !isUnsafe(center - 8) { return canFire && offset > -4 ? 5 : 3 }
    return canFire && abs(offset) <= 3 ? 1 : 0
  }
}

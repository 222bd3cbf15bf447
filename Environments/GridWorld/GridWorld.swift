/// The state and rules shared by every MiniGrid-style world: a rectangle of cells, an agent with
/// a position, a direction and at most one carried object, and a step counter.
///
/// A plain value: copying it snapshots the episode. The rules of ``apply(_:)`` are MiniGrid's
/// `MiniGridEnv.step` (`minigrid/minigrid_env.py`): the step counter advances first; moving onto
/// the goal terminates with reward `1 − 0.9 · stepCount / maxSteps`; moving onto lava terminates
/// with reward 0; the episode is truncated once `stepCount` reaches `maxSteps`. One deviation:
/// MiniGrid can report terminated *and* truncated on the same step; here a terminal step is
/// never also truncated (the task ended it, so there is nothing to bootstrap).
public struct GridWorld: Hashable, Sendable {
  /// The side of the agent's square egocentric view (MiniGrid's `agent_view_size`).
  public static let viewSize = 7

  public let width: Int
  public let height: Int
  /// Shape: [height, width], row-major (`cells[y * width + x]`); `nil` is an empty cell.
  public var cells: [GridObject?]
  public var agentPosition: GridPosition
  public var agentDirection: GridDirection
  /// The object the agent holds, if any.
  public var carrying: GridObject?
  /// Steps taken in this episode.
  public var stepCount = 0
  /// The step at which the episode is truncated (MiniGrid's `max_steps`).
  public var maxSteps: Int
  /// Whether walls and shut doors hide what lies behind them (`false`, MiniGrid's default) or
  /// not (`true`, as MiniGrid's Empty environments set it).
  public var seesThroughWalls: Bool

  /// An empty world of `width × height` cells with the agent at `(1, 1)` facing right.
  public init(width: Int, height: Int, maxSteps: Int, seesThroughWalls: Bool = false) {
    precondition(width >= 3 && height >= 3, "a grid needs at least 3×3 cells, got \(width)×\(height)")
    self.width = width
    self.height = height
    self.cells = [GridObject?](repeating: nil, count: width * height)
    self.agentPosition = GridPosition(x: 1, y: 1)
    self.agentDirection = .right
    self.maxSteps = maxSteps
    self.seesThroughWalls = seesThroughWalls
  }

  // MARK: - Cells

  /// Whether `position` lies on the grid.
  public func contains(_ position: GridPosition) -> Bool {
    position.x >= 0 && position.x < width && position.y >= 0 && position.y < height
  }

  /// The object at `position`; outside the grid reads as a wall, as in MiniGrid's `Grid.slice`.
  public subscript(position: GridPosition) -> GridObject? {
    get { contains(position) ? cells[position.y * width + position.x] : .wall }
    set {
      precondition(contains(position), "\(position) is outside the \(width)×\(height) grid")
      cells[position.y * width + position.x] = newValue
    }
  }

  /// The object at `(x, y)`.
  public subscript(x: Int, y: Int) -> GridObject? {
    get { self[GridPosition(x: x, y: y)] }
    set { self[GridPosition(x: x, y: y)] = newValue }
  }

  /// Puts walls in row `y` from `x` for `length` cells (the rest of the row when `nil`).
  public mutating func horizontalWall(x: Int = 0, y: Int, length: Int? = nil) {
    for i in x..<(x + (length ?? width - x)) { self[i, y] = .wall }
  }

  /// Puts walls in column `x` from `y` for `length` cells (the rest of the column when `nil`).
  public mutating func verticalWall(x: Int, y: Int = 0, length: Int? = nil) {
    for j in y..<(y + (length ?? height - y)) { self[x, j] = .wall }
  }

  /// Walls along the outer border (MiniGrid's `wall_rect(0, 0, width, height)`).
  public mutating func surroundWithWalls() {
    horizontalWall(y: 0)
    horizontalWall(y: height - 1)
    verticalWall(x: 0)
    verticalWall(x: width - 1)
  }

  /// The cell the agent faces.
  public var frontPosition: GridPosition { agentPosition.moved(agentDirection) }

  /// The reward for success now: `1 − 0.9 · stepCount / maxSteps` (MiniGrid's `_reward`).
  public var successReward: Double { 1 - 0.9 * Double(stepCount) / Double(maxSteps) }

  // MARK: - Rules

  /// Applies one action with MiniGrid's rules and returns the reward and ending.
  public mutating func apply(_ action: GridAction) -> StepOutcome {
    stepCount += 1
    var reward = 0.0
    var isTerminal = false
    let front = frontPosition
    let frontObject = self[front]
    switch action {
    case .left:
      agentDirection = agentDirection.turnedLeft
    case .right:
      agentDirection = agentDirection.turnedRight
    case .forward:
      if frontObject == nil || frontObject!.canOverlap { agentPosition = front }
      if frontObject?.kind == .goal {
        isTerminal = true
        reward = successReward
      }
      if frontObject?.kind == .lava { isTerminal = true }
    case .pickup:
      if let object = frontObject, object.canPickUp, carrying == nil {
        carrying = object
        self[front] = nil
      }
    case .drop:
      if frontObject == nil, let object = carrying, contains(front) {
        self[front] = object
        carrying = nil
      }
    case .toggle:
      if var door = frontObject, door.kind == .door {
        switch door.doorState {
        case .locked:
          if let key = carrying, key.kind == .key, key.color == door.color { door.doorState = .open }
        case .closed: door.doorState = .open
        case .open: door.doorState = .closed
        }
        self[front] = door
      } else if frontObject?.kind == .box {
        self[front] = nil  // a box opens into its contents; boxes here hold nothing
      }
    case .done:
      break
    }
    return StepOutcome(reward: reward, isTerminal: isTerminal, isTruncated: !isTerminal && stepCount >= maxSteps)
  }
}

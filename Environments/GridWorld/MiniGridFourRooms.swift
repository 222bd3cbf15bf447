import Randomness

/// Four rooms joined by four gaps; reach the goal in a random place (MiniGrid's `FourRoomsEnv`).
///
/// ## Description
/// `MiniGrid-FourRooms-v0`: a 19×19 grid split into four 9×9 rooms by a wall cross with one
/// gap in each of its four arms. Sutton, Precup and Singh's classic options domain.
///
/// ## Action Space
/// `Discrete(7)`, MiniGrid's actions (see ``GridTask``); only left, right and forward matter.
///
/// ## Observation Space
/// The 7×7 egocentric view (see ``GridTask``), with occlusion.
///
/// ## Rewards
/// `1 − 0.9 · stepCount / maxSteps` on reaching the goal, 0 otherwise.
///
/// ## Starting State
/// Each gap at a uniformly drawn cell of its wall arm; the agent on a random empty cell facing a
/// random direction; the goal on another random empty cell.
///
/// ## Episode End
/// Terminated on reaching the goal; truncated after `maxSteps` = 100 steps (MiniGrid's
/// default; every start/goal pair can be solved well within it).
///
/// ## Arguments
/// `maxSteps`, `observationLayout`.
public struct MiniGridFourRooms: GridTask {
  /// Everything random about one episode.
  public struct Layout: Hashable, Sendable {
    /// Rows of the gaps in the vertical wall (upper arm, lower arm).
    public var verticalGaps: (upper: Int, lower: Int)
    /// Columns of the gaps in the horizontal wall (left arm, right arm).
    public var horizontalGaps: (left: Int, right: Int)
    public var agentPosition: GridPosition
    public var agentDirection: GridDirection
    public var goalPosition: GridPosition

    public init(verticalGaps: (upper: Int, lower: Int), horizontalGaps: (left: Int, right: Int),
                agentPosition: GridPosition, agentDirection: GridDirection, goalPosition: GridPosition) {
      self.verticalGaps = verticalGaps
      self.horizontalGaps = horizontalGaps
      self.agentPosition = agentPosition
      self.agentDirection = agentDirection
      self.goalPosition = goalPosition
    }

    public static func == (a: Layout, b: Layout) -> Bool {
      a.verticalGaps == b.verticalGaps && a.horizontalGaps == b.horizontalGaps
        && a.agentPosition == b.agentPosition && a.agentDirection == b.agentDirection
        && a.goalPosition == b.goalPosition
    }

    public func hash(into hasher: inout Hasher) {
      hasher.combine(verticalGaps.upper)
      hasher.combine(verticalGaps.lower)
      hasher.combine(horizontalGaps.left)
      hasher.combine(horizontalGaps.right)
      hasher.combine(agentPosition)
      hasher.combine(agentDirection)
      hasher.combine(goalPosition)
    }
  }

  /// The grid's side, walls included.
  public static let size = 19

  public var world: GridWorld
  public var random: RandomStream
  public var observationLayout: GridObservationLayout

  public init(maxSteps: Int = 100, observationLayout: GridObservationLayout = .imageAndDirection, seed: UInt64 = 0) {
    world = GridWorld(width: Self.size, height: Self.size, maxSteps: maxSteps)
    random = RandomStream(seed: seed)
    self.observationLayout = observationLayout
    generate()
  }

  /// The wall cross without gaps.
  private mutating func buildWalls() {
    world = GridWorld(width: Self.size, height: Self.size, maxSteps: world.maxSteps)
    world.surroundWithWalls()
    let half = Self.size / 2
    world.verticalWall(x: half)
    world.horizontalWall(y: half)
  }

  public mutating func generate() {
    buildWalls()
    let half = Self.size / 2
    // MiniGrid's order of draws: upper gap, left gap, right gap, lower gap.
    let upper = randomInt(1, half)
    let left = randomInt(1, half)
    let right = randomInt(half + 1, 2 * half)
    let lower = randomInt(half + 1, 2 * half)
    world[half, upper] = nil
    world[half, lower] = nil
    world[left, half] = nil
    world[right, half] = nil
    placeAgentRandomly()
    world[randomEmptyPosition()] = .goal
  }

  /// Lays out an episode as `layout` says (for replaying MiniGrid's episodes in tests).
  public mutating func generate(_ layout: Layout) {
    buildWalls()
    let half = Self.size / 2
    world[half, layout.verticalGaps.upper] = nil
    world[half, layout.verticalGaps.lower] = nil
    world[layout.horizontalGaps.left, half] = nil
    world[layout.horizontalGaps.right, half] = nil
    world.agentPosition = layout.agentPosition
    world.agentDirection = layout.agentDirection
    world[layout.goalPosition] = .goal
  }
}

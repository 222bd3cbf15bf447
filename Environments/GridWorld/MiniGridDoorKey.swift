import Randomness

/// Pick up the key, unlock the door, reach the goal (MiniGrid's `DoorKeyEnv`).
///
/// ## Description
/// `MiniGrid-DoorKey-5x5-v0` (`size` 5) and `MiniGrid-DoorKey-8x8-v0` (`size` 8). A vertical
/// wall splits the room; the agent and a yellow key are on the left, the goal is in the
/// bottom-right corner behind a locked yellow door.
///
/// ## Action Space
/// `Discrete(7)`, MiniGrid's actions (see ``GridTask``): pickup takes the key, toggle with the
/// key in hand unlocks and opens the door.
///
/// ## Observation Space
/// The 7×7 egocentric view (see ``GridTask``), with occlusion: walls and the shut door hide
/// what lies behind them.
///
/// ## Rewards
/// `1 − 0.9 · stepCount / maxSteps` on reaching the goal, 0 otherwise.
///
/// ## Starting State
/// The splitting wall at column `x ∈ [2, size − 3]`; the door in it at row `y ∈ [1, size − 3]`;
/// the agent on a random empty cell left of the wall facing a random direction; the key on
/// another random empty cell left of the wall.
///
/// ## Episode End
/// Terminated on reaching the goal; truncated after `maxSteps` = `10 · size²` steps (250 for
/// 5×5, 640 for 8×8).
///
/// ## Arguments
/// `size` (walls included, ≥ 5), `maxSteps`, `observationLayout`.
public struct MiniGridDoorKey: GridTask {
  /// Everything random about one episode.
  public struct Layout: Hashable, Sendable {
    public var wallColumn: Int
    public var doorRow: Int
    public var agentPosition: GridPosition
    public var agentDirection: GridDirection
    public var keyPosition: GridPosition
    public init(wallColumn: Int, doorRow: Int, agentPosition: GridPosition, agentDirection: GridDirection,
                keyPosition: GridPosition) {
      self.wallColumn = wallColumn
      self.doorRow = doorRow
      self.agentPosition = agentPosition
      self.agentDirection = agentDirection
      self.keyPosition = keyPosition
    }
  }

  public var world: GridWorld
  public var random: RandomStream
  public var observationLayout: GridObservationLayout

  public init(
    size: Int = 8, maxSteps: Int? = nil, observationLayout: GridObservationLayout = .imageAndDirection,
    seed: UInt64 = 0
  ) {
    precondition(size >= 5, "DoorKey needs size ≥ 5, got \(size)")
    world = GridWorld(width: size, height: size, maxSteps: maxSteps ?? 10 * size * size)
    random = RandomStream(seed: seed)
    self.observationLayout = observationLayout
    generate()
  }

  public mutating func generate() {
    let size = world.width
    world = GridWorld(width: size, height: size, maxSteps: world.maxSteps)
    world.surroundWithWalls()
    world[size - 2, size - 2] = .goal
    let wallColumn = randomInt(2, size - 2)
    world.verticalWall(x: wallColumn)
    placeAgentRandomly(size: (wallColumn, size))
    let doorRow = randomInt(1, size - 2)
    world[wallColumn, doorRow] = .door(.yellow, .locked)
    world[randomEmptyPosition(size: (wallColumn, size))] = .key(.yellow)
  }

  /// Lays out an episode as `layout` says (for replaying MiniGrid's episodes in tests).
  public mutating func generate(_ layout: Layout) {
    let size = world.width
    world = GridWorld(width: size, height: size, maxSteps: world.maxSteps)
    world.surroundWithWalls()
    world[size - 2, size - 2] = .goal
    world.verticalWall(x: layout.wallColumn)
    world[layout.wallColumn, layout.doorRow] = .door(.yellow, .locked)
    world[layout.keyPosition] = .key(.yellow)
    world.agentPosition = layout.agentPosition
    world.agentDirection = layout.agentDirection
  }
}

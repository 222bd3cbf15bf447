import Randomness

/// An empty room with the goal in the bottom-right corner (MiniGrid's `EmptyEnv`).
///
/// ## Description
/// `MiniGrid-Empty-5x5-v0` (`size` 5), `MiniGrid-Empty-8x8-v0` (`size` 8) and
/// `MiniGrid-Empty-Random-5x5-v0` (`size` 5, `randomStart`). A sparse-reward sanity task: the
/// agent only has to walk to the green square.
///
/// ## Action Space
/// `Discrete(7)`, MiniGrid's actions (see ``GridTask``); only left, right and forward matter.
///
/// ## Observation Space
/// The 7×7 egocentric view (see ``GridTask``). As in MiniGrid, Empty sets `see_through_walls`,
/// so nothing is occluded.
///
/// ## Rewards
/// `1 − 0.9 · stepCount / maxSteps` on reaching the goal, 0 otherwise. From the fixed start the
/// shortest episode of Empty-5x5 takes 5 steps (reward 0.955), of Empty-8x8 11 steps
/// (0.961328125).
///
/// ## Starting State
/// The agent starts at `(1, 1)` facing right; with `randomStart`, on a uniformly drawn empty
/// cell facing a uniformly drawn direction.
///
/// ## Episode End
/// Terminated on reaching the goal; truncated after `maxSteps` = `4 · size²` steps (100 for
/// 5×5, 256 for 8×8).
///
/// ## Arguments
/// `size` (walls included, ≥ 4), `randomStart`, `maxSteps`, `observationLayout`.
public struct MiniGridEmpty: GridTask {
  public var world: GridWorld
  public var random: RandomStream
  public var observationLayout: GridObservationLayout
  /// Whether the agent starts on a random cell facing a random way.
  public var randomStart: Bool

  public init(
    size: Int = 8, randomStart: Bool = false, maxSteps: Int? = nil,
    observationLayout: GridObservationLayout = .imageAndDirection, seed: UInt64 = 0
  ) {
    precondition(size >= 4, "Empty needs size ≥ 4, got \(size)")
    world = GridWorld(width: size, height: size, maxSteps: maxSteps ?? 4 * size * size, seesThroughWalls: true)
    random = RandomStream(seed: seed)
    self.randomStart = randomStart
    self.observationLayout = observationLayout
    generate()
  }

  public mutating func generate() {
    var fresh = GridWorld(
      width: world.width, height: world.height, maxSteps: world.maxSteps, seesThroughWalls: true)
    fresh.surroundWithWalls()
    fresh[world.width - 2, world.height - 2] = .goal
    world = fresh
    if randomStart {
      placeAgentRandomly()
    } else {
      world.agentPosition = GridPosition(x: 1, y: 1)
      world.agentDirection = .right
    }
  }
}

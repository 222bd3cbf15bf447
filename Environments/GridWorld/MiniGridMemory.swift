import Randomness

/// Remember the object in the start room; at the end of the hallway, go to the matching one
/// (MiniGrid's `MemoryEnv`).
///
/// ## Description
/// `MiniGrid-MemoryS7-v0`, `-S11-v0`, `-S13-v0` (`size` 7, 11, 13; any odd `size` ≥ 7). A small
/// start room holds a green cue object, a key or a ball, at `(1, size/2 − 1)`. A hallway leads
/// east to a vertical corridor with a key at one end and a ball at the other. Stepping next to
/// the object that matches the cue succeeds; stepping next to the other fails. In S7 the cue is
/// still in view from the corridor cell when facing west, so a memoryless policy can turn back
/// and look; from S11 on it is out of sight there, so the agent must remember it.
///
/// ## Action Space
/// `Discrete(7)`, MiniGrid's actions (see ``GridTask``). As in MiniGrid, pickup acts as toggle
/// (the objects cannot be picked up).
///
/// ## Observation Space
/// The 7×7 egocentric view (see ``GridTask``), with occlusion.
///
/// ## Rewards
/// `1 − 0.9 · stepCount / maxSteps` on reaching the cell beside the matching object, 0 on
/// reaching the cell beside the other one, 0 otherwise.
///
/// ## Starting State
/// The agent at `(x, size/2)` facing right, `x` uniform in `1 … hallwayEnd` (`hallwayEnd` =
/// `size − 3`, or uniform in `4 … size − 3` with `randomLength`); the cue a key or a ball with
/// equal probability; the key above and the ball below, or the reverse, with equal probability.
/// From most starts the cue is behind the agent: it must turn to look.
///
/// ## Episode End
/// Terminated on reaching either end cell; truncated after `maxSteps` = `5 · size²` steps
/// (245 for S7).
///
/// ## Arguments
/// `size` (odd, ≥ 7), `randomLength`, `maxSteps`, `observationLayout`.
public struct MiniGridMemory: GridTask {
  /// Everything random about one episode.
  public struct Layout: Hashable, Sendable {
    public var hallwayEnd: Int
    public var agentColumn: Int
    /// The cue in the start room: `.key` or `.ball`.
    public var cue: GridObjectKind
    /// The object at the upper end of the corridor (the other one is at the lower end).
    public var upperObject: GridObjectKind
    public init(hallwayEnd: Int, agentColumn: Int, cue: GridObjectKind, upperObject: GridObjectKind) {
      self.hallwayEnd = hallwayEnd
      self.agentColumn = agentColumn
      self.cue = cue
      self.upperObject = upperObject
    }
  }

  public var world: GridWorld
  public var random: RandomStream
  public var observationLayout: GridObservationLayout
  /// Whether the hallway length is drawn per episode (MiniGrid's `random_length`).
  public var randomLength: Bool
  /// The episode's layout.
  public private(set) var layout: Layout
  /// Whether the cue has been in the agent's view during this episode.
  public private(set) var hasSeenCue = false

  public init(
    size: Int = 7, randomLength: Bool = false, maxSteps: Int? = nil,
    observationLayout: GridObservationLayout = .imageAndDirection, seed: UInt64 = 0
  ) {
    precondition(size >= 7 && size % 2 == 1, "Memory needs an odd size ≥ 7, got \(size)")
    world = GridWorld(width: size, height: size, maxSteps: maxSteps ?? 5 * size * size)
    random = RandomStream(seed: seed)
    self.randomLength = randomLength
    self.observationLayout = observationLayout
    layout = Layout(hallwayEnd: size - 3, agentColumn: 1, cue: .key, upperObject: .key)
    generate()
  }

  /// Where the cue sits.
  public var cuePosition: GridPosition { GridPosition(x: 1, y: world.height / 2 - 1) }
  /// The cell beside the matching object: reaching it succeeds.
  public var successPosition: GridPosition {
    let y = world.height / 2
    return GridPosition(x: layout.hallwayEnd + 1, y: layout.upperObject == layout.cue ? y - 1 : y + 1)
  }
  /// The cell beside the other object: reaching it fails.
  public var failurePosition: GridPosition {
    let y = world.height / 2
    return GridPosition(x: layout.hallwayEnd + 1, y: layout.upperObject == layout.cue ? y + 1 : y - 1)
  }

  public mutating func generate() {
    let size = world.width
    let hallwayEnd = randomLength ? randomInt(4, size - 2) : size - 3
    let agentColumn = randomInt(1, hallwayEnd + 1)
    let cue: GridObjectKind = randomInt(0, 2) == 0 ? .key : .ball
    let upper: GridObjectKind = randomInt(0, 2) == 0 ? .ball : .key
    generate(Layout(hallwayEnd: hallwayEnd, agentColumn: agentColumn, cue: cue, upperObject: upper))
  }

  /// Lays out an episode as `layout` says (for replaying MiniGrid's episodes in tests).
  public mutating func generate(_ layout: Layout) {
    let size = world.width
    let middle = size / 2
    self.layout = layout
    world = GridWorld(width: size, height: size, maxSteps: world.maxSteps)
    world.surroundWithWalls()
    let upperRoomWall = middle - 2
    let lowerRoomWall = middle + 2
    for i in 1..<5 {
      world[i, upperRoomWall] = .wall
      world[i, lowerRoomWall] = .wall
    }
    world[4, upperRoomWall + 1] = .wall
    world[4, lowerRoomWall - 1] = .wall
    for i in 5..<max(5, layout.hallwayEnd) {
      world[i, upperRoomWall + 1] = .wall
      world[i, lowerRoomWall - 1] = .wall
    }
    for j in 0..<size {
      if j != middle { world[layout.hallwayEnd, j] = .wall }
      world[layout.hallwayEnd + 2, j] = .wall
    }
    world.agentPosition = GridPosition(x: layout.agentColumn, y: middle)
    world.agentDirection = .right
    world[cuePosition] = GridObject(layout.cue, color: .green)
    let lower: GridObjectKind = layout.upperObject == .key ? .ball : .key
    world[layout.hallwayEnd + 1, middle - 2] = GridObject(layout.upperObject, color: .green)
    world[layout.hallwayEnd + 1, middle + 2] = GridObject(lower, color: .green)
    hasSeenCue = world.visiblePositions().contains(cuePosition)
  }

  public mutating func advance(_ action: GridAction) -> StepOutcome {
    var outcome = world.apply(action == .pickup ? .toggle : action)
    if !hasSeenCue { hasSeenCue = world.visiblePositions().contains(cuePosition) }
    if world.agentPosition == successPosition {
      outcome = StepOutcome(reward: world.successReward, isTerminal: true)
    } else if world.agentPosition == failurePosition {
      outcome = StepOutcome(reward: 0, isTerminal: true)
    }
    return outcome
  }

  public var expertRequirementMet: Bool { hasSeenCue }
}

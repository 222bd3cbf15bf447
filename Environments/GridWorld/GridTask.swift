import Randomness

/// What the observation of a grid task holds besides MiniGrid's 7×7×3 image.
public enum GridObservationLayout: Hashable, Sendable {
  /// Shape: [7 (vx), 7 (vy), 3]: object, colour, state, exactly MiniGrid's `obs["image"]`
  /// flattened (what MiniGrid's `ImgObsWrapper` gives); the direction is not observed.
  case image
  /// Shape: [7 (vx), 7 (vy), 4]: MiniGrid's image plus a fourth channel holding the agent's
  /// direction (MiniGrid's `obs["direction"]`, 0 = right, 1 = down, 2 = left, 3 = up) in every
  /// cell, so convolutional and flat encoders both see it. The default.
  case imageAndDirection

  /// The number of values per view cell.
  public var channels: Int { self == .image ? 3 : 4 }
}

/// A MiniGrid-style task: a ``GridWorld`` plus how episodes are laid out and, optionally, extra
/// rules. Conforming types get the whole ``Environment`` conformance (spaces, reset, step,
/// render) from the extension below.
///
/// ## Action Space
/// `Discrete(7)`: MiniGrid's ``GridAction`` — 0 left, 1 right, 2 forward, 3 pickup, 4 drop,
/// 5 toggle, 6 done (a no-op).
///
/// ## Observation Space
/// `UInt8`, Shape: [7, 7, 4] (or [7, 7, 3], see ``GridObservationLayout``), indexed
/// `[vx, vy, channel]` like MiniGrid's image: the agent's egocentric view with the agent at
/// `(3, 6)` facing up.
///
/// | Channel | Meaning                                                | Min | Max |
/// |---------|--------------------------------------------------------|-----|-----|
/// | 0       | object (`OBJECT_TO_IDX`: 0 unseen, 1 empty, 2 wall, …) | 0   | 10  |
/// | 1       | colour (`COLOR_TO_IDX`: 0 red … 5 grey)                | 0   | 5   |
/// | 2       | state (doors: 0 open, 1 closed, 2 locked; others 0)    | 0   | 2   |
/// | 3       | agent direction (0 right, 1 down, 2 left, 3 up)        | 0   | 3   |
public protocol GridTask: Environment where Scalar == UInt8 {
  /// The current world: grid, agent, step counter.
  var world: GridWorld { get set }
  /// The task's own random stream; `reset(seed:)` reseeds it, `reset(seed: nil)` continues it.
  var random: RandomStream { get set }
  /// Whether the direction is a fourth observation channel.
  var observationLayout: GridObservationLayout { get }
  /// Lays out a new episode in `world` (walls, objects, agent), drawing from `random`.
  mutating func generate()
  /// Applies one action: MiniGrid's rules (``GridWorld/apply(_:)``) plus the task's own.
  mutating func advance(_ action: GridAction) -> StepOutcome
  /// Whether a success now counts for the scripted expert (Memory: the cue has been seen).
  var expertRequirementMet: Bool { get }
}

extension GridTask {
  public mutating func advance(_ action: GridAction) -> StepOutcome { world.apply(action) }
  public var expertRequirementMet: Bool { true }

  public var observationSpace: ObservationSpace {
    let channelHigh: [Float] = [10, 5, 2, 3]
    let channels = observationLayout.channels
    let cells = GridWorld.viewSize * GridWorld.viewSize
    var high = [Float]()
    high.reserveCapacity(cells * channels)
    for _ in 0..<cells { high.append(contentsOf: channelHigh[0..<channels]) }
    return ObservationSpace(
      shape: [GridWorld.viewSize, GridWorld.viewSize, channels],
      low: [Float](repeating: 0, count: cells * channels), high: high, elementType: .uint8)
  }

  public var actionSpace: ActionSpace { .discrete(count: GridAction.allCases.count) }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<UInt8>) {
    if let seed { random = RandomStream(seed: seed) }
    generate()
    world.carrying = nil
    world.stepCount = 0
    world.encodeView(into: observation, includeDirection: observationLayout == .imageAndDirection)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<UInt8>) -> StepOutcome {
    guard let gridAction = GridAction(rawValue: action.index) else {
      preconditionFailure("grid actions are 0..<7, got \(action.index)")
    }
    let outcome = advance(gridAction)
    world.encodeView(into: observation, includeDirection: observationLayout == .imageAndDirection)
    return outcome
  }

  public func render() -> Frame { world.render() }

  /// A uniform integer in `low ..< high` from the task's stream (MiniGrid's `_rand_int`).
  mutating func randomInt(_ low: Int, _ high: Int) -> Int { low + random.nextInt(below: high - low) }

  /// A uniformly drawn empty cell in the rectangle at `top` of `size` (the whole grid when
  /// `nil`) that is not the agent's (MiniGrid's `place_obj`, rejection sampling).
  mutating func randomEmptyPosition(
    top: GridPosition = GridPosition(x: 0, y: 0), size: (width: Int, height: Int)? = nil
  ) -> GridPosition {
    let size = size ?? (world.width, world.height)
    while true {
      let position = GridPosition(
        x: randomInt(top.x, min(top.x + size.width, world.width)),
        y: randomInt(top.y, min(top.y + size.height, world.height)))
      if world[position] == nil && position != world.agentPosition { return position }
    }
  }

  /// Puts the agent on a random empty cell of the rectangle facing a random direction
  /// (MiniGrid's `place_agent`).
  mutating func placeAgentRandomly(
    top: GridPosition = GridPosition(x: 0, y: 0), size: (width: Int, height: Int)? = nil
  ) {
    world.agentPosition = GridPosition(x: -1, y: -1)
    world.agentPosition = randomEmptyPosition(top: top, size: size)
    world.agentDirection = GridDirection(rawValue: randomInt(0, 4))!
  }
}

/// The things a grid cell can hold, their colours and door states, with MiniGrid's indices.
///
/// The raw values are MiniGrid's `OBJECT_TO_IDX`, `COLOR_TO_IDX` and `STATE_TO_IDX`
/// (`minigrid/core/constants.py`), so an encoded observation here equals MiniGrid's
/// `obs["image"]` value for value.

/// What occupies a cell (MiniGrid's `OBJECT_TO_IDX`).
public enum GridObjectKind: UInt8, Hashable, Sendable, CaseIterable {
  case unseen = 0, empty, wall, floor, door, key, ball, box, goal, lava, agent

  /// Whether the agent may stand on this object (an open door counts; see ``GridObject``).
  var isWalkable: Bool { self == .goal || self == .floor || self == .lava }
  /// Whether the agent can carry this object.
  var isPickable: Bool { self == .key || self == .ball || self == .box }
}

/// The six colours of MiniGrid (`COLOR_TO_IDX`), with their render colours (`COLORS`).
public enum GridColor: UInt8, Hashable, Sendable, CaseIterable {
  case red = 0, green, blue, purple, yellow, grey

  /// The colour used to draw objects of this colour.
  public var rgb: (red: UInt8, green: UInt8, blue: UInt8) {
    switch self {
    case .red: (255, 0, 0)
    case .green: (0, 255, 0)
    case .blue: (0, 0, 255)
    case .purple: (112, 39, 195)
    case .yellow: (255, 255, 0)
    case .grey: (100, 100, 100)
    }
  }
}

/// The state of a door (MiniGrid's `STATE_TO_IDX`); other objects use `open` (0).
public enum DoorState: UInt8, Hashable, Sendable, CaseIterable {
  case open = 0, closed, locked
}

/// One object in a cell: a kind, a colour and, for doors, a state.
public struct GridObject: Hashable, Sendable {
  public var kind: GridObjectKind
  public var color: GridColor
  /// Only meaningful for doors; `.open` for every other object, as MiniGrid encodes it.
  public var doorState: DoorState

  public init(_ kind: GridObjectKind, color: GridColor, doorState: DoorState = .open) {
    self.kind = kind
    self.color = color
    self.doorState = doorState
  }

  public static let wall = GridObject(.wall, color: .grey)
  public static let goal = GridObject(.goal, color: .green)
  public static let lava = GridObject(.lava, color: .red)
  public static func key(_ color: GridColor) -> GridObject { GridObject(.key, color: color) }
  public static func ball(_ color: GridColor) -> GridObject { GridObject(.ball, color: color) }
  public static func door(_ color: GridColor, _ state: DoorState) -> GridObject {
    GridObject(.door, color: color, doorState: state)
  }

  /// Whether the agent may enter the cell (MiniGrid's `can_overlap`).
  public var canOverlap: Bool { kind.isWalkable || (kind == .door && doorState == .open) }
  /// Whether the agent sees past the cell (MiniGrid's `see_behind`): not walls, not shut doors.
  public var canSeeBehind: Bool {
    switch kind {
    case .wall: false
    case .door: doorState == .open
    default: true
    }
  }
  /// Whether the agent can carry it (MiniGrid's `can_pickup`).
  public var canPickUp: Bool { kind.isPickable }

  /// The three observation values (object, colour, state), as MiniGrid's `WorldObj.encode`.
  public var encoding: (UInt8, UInt8, UInt8) {
    (kind.rawValue, color.rawValue, kind == .door ? doorState.rawValue : 0)
  }
}

/// MiniGrid's seven actions (`minigrid/core/actions.py`).
public enum GridAction: Int, Hashable, Sendable, CaseIterable {
  /// Turn left (counter-clockwise).
  case left = 0
  /// Turn right (clockwise).
  case right
  /// Move one cell forward if the cell can be entered.
  case forward
  /// Pick up the object in front, if the agent carries nothing.
  case pickup
  /// Drop the carried object into the empty cell in front.
  case drop
  /// Open, close or unlock (with a key of the door's colour) the door in front.
  case toggle
  /// Do nothing (MiniGrid's `done` is a no-op).
  case done
}

/// The way the agent faces (MiniGrid's `DIR_TO_VEC` indices): 0 = +x (right), 1 = +y (down),
/// 2 = −x (left), 3 = −y (up).
public enum GridDirection: Int, Hashable, Sendable, CaseIterable {
  case right = 0, down, left, up

  /// The unit step in grid coordinates (x to the right, y downwards).
  public var vector: (dx: Int, dy: Int) {
    switch self {
    case .right: (1, 0)
    case .down: (0, 1)
    case .left: (-1, 0)
    case .up: (0, -1)
    }
  }

  /// The direction after a quarter turn clockwise.
  public var turnedRight: GridDirection { GridDirection(rawValue: (rawValue + 1) % 4)! }
  /// The direction after a quarter turn counter-clockwise.
  public var turnedLeft: GridDirection { GridDirection(rawValue: (rawValue + 3) % 4)! }
}

/// A cell's coordinates: `x` grows to the right, `y` downwards, `(0, 0)` is the top-left corner.
public struct GridPosition: Hashable, Sendable {
  public var x: Int
  public var y: Int
  public init(x: Int, y: Int) {
    self.x = x
    self.y = y
  }
  /// The neighbouring cell in `direction`.
  public func moved(_ direction: GridDirection) -> GridPosition {
    let v = direction.vector
    return GridPosition(x: x + v.dx, y: y + v.dy)
  }
}

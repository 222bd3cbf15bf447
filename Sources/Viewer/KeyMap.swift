import Environments

/// The keys a person plays with, independent of SDL.
public enum GameKey: Hashable, Sendable {
  case left, right, up, down, space
  /// A digit key 0–9 selects that discrete action directly in every environment.
  case digit(Int)
}

/// How keys become actions for one environment family.
///
/// | Family | Keys |
/// |---|---|
/// | CartPole | ← push left (0), → push right (1); with no key the last push repeats |
/// | continuous (Pendulum) | ← lowest action, → highest action; no key: the middle (no torque) |
/// | MiniGrid | ← turn left (0), → turn right (1), ↑ forward (2), Space toggle (5); 3 pick up, 4 drop, 6 done; turn-based (steps only on a key) |
/// | Arcade, MinAtar (every action set) | by the action's name: ← LEFT, → RIGHT, ↑ UP, ↓ DOWN, Space FIRE, ← or → with Space LEFTFIRE/RIGHTFIRE; no key: NOOP |
/// | others | digits pick the action; turn-based |
///
/// Space pauses in families that do not bind it (P always pauses).
public struct KeyMap: Sendable {
  public let bindings: [GameKey: Action]
  /// Actions of two keys held together (an arrow and Space: LEFTFIRE, RIGHTFIRE).
  public let chords: [Set<GameKey>: Action]
  /// The action taken on a frame without a key, `nil` for turn-based play.
  public let idleAction: Action?
  /// Whether the idle action becomes the last key's action (CartPole: keep pushing).
  public let repeatsLastAction: Bool
  public let actionSpace: ActionSpace

  public init(environmentID id: String, actionSpace: ActionSpace) {
    self.actionSpace = actionSpace
    var bindings: [GameKey: Action] = [:]
    var chords: [Set<GameKey>: Action] = [:]
    if case .discrete(let n) = actionSpace {
      for k in 0..<min(n, 10) { bindings[.digit(k)] = .discrete(k) }
    }
    var idle: Action? = nil
    var repeats = false
    if id.hasPrefix("CartPole") {
      bindings[.left] = .discrete(0)
      bindings[.right] = .discrete(1)
      idle = .discrete(0)
      repeats = true
    } else if case .continuous(let low, let high) = actionSpace {
      bindings[.left] = .continuous(low)
      bindings[.right] = .continuous(high)
      idle = .continuous(zip(low, high).map { ($0 + $1) / 2 })
    } else if id.hasPrefix("MiniGrid") {
      bindings[.left] = .discrete(0)
      bindings[.right] = .discrete(1)
      bindings[.up] = .discrete(2)
      bindings[.space] = .discrete(5)
    } else if let names = Self.actionNames(environmentID: id), case .discrete(let n) = actionSpace, names.count == n {
      let keys: [String: Set<GameKey>] = [
        "LEFT": [.left], "RIGHT": [.right], "UP": [.up], "DOWN": [.down], "FIRE": [.space],
        "LEFTFIRE": [.left, .space], "RIGHTFIRE": [.right, .space], "UPFIRE": [.up, .space],
        "DOWNFIRE": [.down, .space],
      ]
      for (index, name) in names.enumerated() {
        if name == "NOOP" { idle = .discrete(index) }
        guard let held = keys[name] else { continue }
        if held.count == 1 { bindings[held.first!] = .discrete(index) } else { chords[held] = .discrete(index) }
      }
    }
    self.bindings = bindings
    self.chords = chords
    idleAction = idle
    repeatsLastAction = repeats
  }

  /// The action names of an arcade or MinAtar environment, in action order (ALE's names:
  /// NOOP, FIRE, LEFT, RIGHTFIRE, …), or `nil` for other environments.
  static func actionNames(environmentID id: String) -> [String]? {
    let parts = id.split(separator: "/")
    guard parts.count == 2 else { return nil }
    let game = parts[1].split(separator: "-")[0].replacingOccurrences(of: "NoFrameskip", with: "")
    switch parts[0] {
    case "Arcade":
      let meanings: [String: [String]] = [
        "Breakout": Breakout.actionMeanings, "Pong": Pong.actionMeanings,
        "SpaceInvaders": SpaceInvaders.actionMeanings, "Freeway": Freeway.actionMeanings,
      ]
      return meanings[game]
    case "MinAtar":
      let minimal: [String: [MinAtarAction]] = [
        "Breakout": MinAtarBreakout.minimalActions, "Pong": MinAtarPong.minimalActions,
        "SpaceInvaders": MinAtarSpaceInvaders.minimalActions, "Freeway": MinAtarFreeway.minimalActions,
      ]
      let actions = id.hasSuffix("-v1") ? minimal[game] : MinAtarAction.allCases
      let names: [MinAtarAction: String] = [
        .noop: "NOOP", .left: "LEFT", .up: "UP", .right: "RIGHT", .down: "DOWN", .fire: "FIRE",
      ]
      return actions?.map { names[$0]! }
    default:
      return nil
    }
  }

  /// The action of the keys held now (most recent last): a chord when all its keys are held,
  /// else the most recent bound key's action; `nil` when no held key is bound.
  public func action(held: [GameKey]) -> Action? {
    let down = Set(held)
    // Of the chords fully held, the one completed most recently.
    func recency(_ keys: Set<GameKey>) -> Int { keys.map { held.lastIndex(of: $0)! }.max()! }
    if let chord = chords.filter({ $0.key.isSubset(of: down) }).max(by: { recency($0.key) < recency($1.key) }) {
      return chord.value
    }
    return held.reversed().lazy.compactMap { bindings[$0] }.first
  }

  /// Whether Space is a game key here (otherwise it pauses).
  public var bindsSpace: Bool { bindings[.space] != nil || chords.keys.contains { $0.contains(.space) } }
}

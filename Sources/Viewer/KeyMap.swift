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
/// | MinAtar | ← (1), ↑ (2), → (3), ↓ (4), Space fire (5); no key: no-op (0) |
/// | others | digits pick the action; turn-based |
///
/// Space pauses in families that do not bind it (P always pauses).
public struct KeyMap: Sendable {
  public let bindings: [GameKey: Action]
  /// The action taken on a frame without a key, `nil` for turn-based play.
  public let idleAction: Action?
  /// Whether the idle action becomes the last key's action (CartPole: keep pushing).
  public let repeatsLastAction: Bool
  public let actionSpace: ActionSpace

  public init(environmentID id: String, actionSpace: ActionSpace) {
    self.actionSpace = actionSpace
    var bindings: [GameKey: Action] = [:]
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
    } else if id.hasPrefix("MinAtar"), case .discrete(let n) = actionSpace, n >= 6 {
      bindings[.left] = .discrete(1)
      bindings[.up] = .discrete(2)
      bindings[.right] = .discrete(3)
      bindings[.down] = .discrete(4)
      bindings[.space] = .discrete(5)
      idle = .discrete(0)
    }
    self.bindings = bindings
    idleAction = idle
    repeatsLastAction = repeats
  }

  /// Whether Space is a game key here (otherwise it pauses).
  public var bindsSpace: Bool { bindings[.space] != nil }
}

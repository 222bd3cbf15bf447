import Randomness

/// MinAtar's shared action map: every MinAtar game takes these six actions (its full set).
public enum MinAtarAction: Int, CaseIterable, Sendable {
  case noop = 0, left, up, right, down, fire
  /// MinAtar's one-letter name (`n`, `l`, `u`, `r`, `d`, `f`).
  public var letter: Character { Array("nlurdf")[rawValue] }
}

/// One MinAtar-style game on a 10×10 grid: the rules of kenjyoung/MinAtar, observed as binary
/// channels (Young & Tian 2019).
public protocol MinAtarGame: Sendable {
  /// Channel names in MinAtar's order (the last axis of the observation).
  static var channelNames: [String] { get }
  /// MinAtar's `minimal_action_set()`.
  static var minimalActions: [MinAtarAction] { get }

  mutating func reset(random: inout RandomStream)
  /// MinAtar's `act(a)`: advances one step and returns the reward and whether the game ended.
  mutating func act(_ action: MinAtarAction, random: inout RandomStream) -> (reward: Int, isTerminal: Bool)
  /// Sets the cells of this state; the buffer was zeroed. Shape: [10, 10, channels], row-major.
  func writeState(into state: UnsafeMutablePointer<UInt8>)
  /// The action a scripted heuristic player with access to the state would take.
  func expertAction() -> MinAtarAction
}

/// A ``MinAtarGame`` as an ``Environment``: `UInt8` observations of 0/1, Shape: [10, 10, C].
///
/// Mirrors MinAtar's `Environment` and Gymnasium registration: ids `MinAtar/<Game>-v0` take the
/// full action set of 6 (`n l u r d f`, as MinAtar's published results), `-v1` the game's minimal
/// set (action `i` is `minimalActions[i]`). Sticky actions: with probability
/// `stickyActionProbability` (0.1 as MinAtar) the previous action is repeated instead.
/// The previous action is reset to `noop` at `reset` (MinAtar keeps it across episodes).
/// No frame skip: a step is one game tick. MinAtar has no time limit except Freeway's own 2500
/// steps, which terminates (as MinAtar, whose Gymnasium wrapper never truncates).
public struct MinAtarEnvironment<Game: MinAtarGame>: Environment {
  public typealias Scalar = UInt8

  public private(set) var game: Game
  public var stickyActionProbability: Double
  /// Whether actions index ``MinAtarGame/minimalActions`` (MinAtar `-v1`) or all six (`-v0`).
  public var usesMinimalActionSet: Bool
  public private(set) var lastAction = MinAtarAction.noop
  private var random: RandomStream
  private var isOver = false

  public init(
    _ game: Game, seed: UInt64 = 0, stickyActionProbability: Double = 0.1,
    usesMinimalActionSet: Bool = false
  ) {
    self.game = game
    self.stickyActionProbability = stickyActionProbability
    self.usesMinimalActionSet = usesMinimalActionSet
    self.random = RandomStream(seed: seed)
  }

  public var channelCount: Int { Game.channelNames.count }

  public var observationSpace: ObservationSpace {
    ObservationSpace(shape: [10, 10, channelCount], low: 0, high: 1, elementType: .uint8)
  }

  public var actionSpace: ActionSpace {
    .discrete(count: usesMinimalActionSet ? Game.minimalActions.count : MinAtarAction.allCases.count)
  }

  /// The game action that action index `index` stands for.
  public func gameAction(_ index: Int) -> MinAtarAction {
    if usesMinimalActionSet { return Game.minimalActions[index] }
    return MinAtarAction(rawValue: index)!
  }

  /// The action index that stands for `action`, if this action set has it.
  public func actionIndex(_ action: MinAtarAction) -> Int? {
    usesMinimalActionSet ? Game.minimalActions.firstIndex(of: action) : action.rawValue
  }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<UInt8>) {
    if let seed { random = RandomStream(seed: seed) }
    game.reset(random: &random)
    lastAction = .noop
    isOver = false
    writeObservation(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<UInt8>) -> StepOutcome {
    let index = action.index
    precondition(index >= 0 && index < actionSpace.size, "action \(index) out of range")
    var chosen = gameAction(index)
    if stickyActionProbability > 0, random.nextDouble() < stickyActionProbability {
      chosen = lastAction
    }
    lastAction = chosen
    let (reward, isTerminal) = game.act(chosen, random: &random)
    writeObservation(into: observation)
    return StepOutcome(reward: Double(reward), isTerminal: isTerminal)
  }

  /// Writes the binary state. Shape: [10, 10, C].
  public func writeObservation(into observation: UnsafeMutableBufferPointer<UInt8>) {
    precondition(observation.count == 100 * channelCount)
    observation.update(repeating: 0)
    game.writeState(into: observation.baseAddress!)
  }

  /// Draws each cell as a 16×16 square in the colour of its highest set channel (MinAtar's
  /// `display_state` shows the same), black when empty. 160×160 pixels.
  public func render() -> Frame {
    let channels = channelCount
    var state = [UInt8](repeating: 0, count: 100 * channels)
    state.withUnsafeMutableBufferPointer { game.writeState(into: $0.baseAddress!) }
    var frame = Frame(width: 160, height: 160)
    frame.pixels.withUnsafeMutableBufferPointer { pixels in
      let canvas = ArcadeCanvas(pixels: pixels.baseAddress!, width: 160, height: 160, channels: 3)
      for y in 0..<10 {
        for x in 0..<10 {
          guard let channel = (0..<channels).last(where: { state[(y * 10 + x) * channels + $0] != 0 })
          else { continue }
          canvas.fill(x: x * 16, y: y * 16, width: 16, height: 16, minAtarPalette(channel, of: channels))
        }
      }
    }
    return frame
  }

  /// The scripted expert's action index (falls back to `noop` if the set lacks its choice).
  public func expertAction() -> Int { actionIndex(game.expertAction()) ?? 0 }
}

/// A cubehelix-like ramp (as MinAtar's seaborn palette): channel `i` of `count`.
func minAtarPalette(_ index: Int, of count: Int) -> ArcadeColor {
  let ramp: [ArcadeColor] = [
    ArcadeColor(26, 46, 37), ArcadeColor(54, 97, 75), ArcadeColor(162, 121, 74), ArcadeColor(211, 138, 162),
    ArcadeColor(170, 175, 234), ArcadeColor(195, 234, 214), ArcadeColor(245, 230, 150), ArcadeColor(255, 255, 255),
  ]
  return ramp[min(ramp.count - 1, 1 + index * (ramp.count - 2) / max(count - 1, 1))]
}

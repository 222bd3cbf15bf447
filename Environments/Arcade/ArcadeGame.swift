import Randomness

/// One Atari-like game: its rules advance one frame (1/60 s) at a time and it draws itself on a
/// 160×210 canvas, the Atari 2600 screen as ALE returns it.
///
/// A game is a plain value holding its whole state (copying it snapshots the game). Randomness
/// comes from the stream its environment passes in, so a seed fixes the whole episode.
public protocol ArcadeGame: Sendable {
  /// The meaning of each action index, in the spirit of ALE's minimal action sets.
  static var actionMeanings: [String] { get }

  /// Starts a new game; the difficulty and other options are properties of the game value.
  mutating func reset(random: inout RandomStream)

  /// Advances the game by one frame under `action` and returns the points scored in it
  /// (negative when the opponent scores, as in Pong).
  mutating func advance(_ action: Int, random: inout RandomStream) -> Int

  /// Lives left, as ALE's `lives()`; games without lives report 0.
  var lives: Int { get }
  /// The score shown on screen.
  var score: Int { get }
  /// The game ended (no lives left, the clock ran out, a player reached the winning score).
  var isGameOver: Bool { get }

  /// Draws the current screen on an `arcadeScreenWidth`×`arcadeScreenHeight` (160×210) canvas.
  func draw(on canvas: ArcadeCanvas)

  /// The action a scripted heuristic player (with access to the game state) would take now.
  func expertAction() -> Int
}

/// The Atari 2600 screen size, as ALE returns it.
public let arcadeScreenWidth = 160
public let arcadeScreenHeight = 210

/// An ``ArcadeGame`` as an ``Environment`` whose observations are RGB screens, one frame a step.
///
/// This is the counterpart of ALE's `<Game>NoFrameskip-v4` (or `ALE/<Game>-v5` with
/// `frameskip=1`): the base that ``AtariPreprocessing`` wraps.
///
/// ## Observation Space
/// `UInt8` RGB screens, Shape: [210, 160, 3], values 0...255.
///
/// ## Episode End
/// Terminated when the game is over; truncated after `maxFramesPerEpisode` frames (108 000 as
/// ALE's `max_num_frames_per_episode`, 30 minutes of play).
///
/// ## Arguments
/// - `repeatActionProbability`: ALE's sticky actions; with this probability a frame repeats the
///   previous frame's action instead of the one given (ALE v5 uses 0.25; default 0 here, as
///   `NoFrameskip-v4`; ``AtariPreprocessing`` sets it).
public struct ArcadeEnvironment<Game: ArcadeGame>: Environment {
  public typealias Scalar = UInt8

  /// The game and its whole state.
  public private(set) var game: Game
  /// ALE's `repeat_action_probability` (sticky actions), applied every frame.
  public var repeatActionProbability: Double
  /// ALE's `max_num_frames_per_episode`: the episode is truncated after this many frames.
  public var maxFramesPerEpisode: Int
  /// Frames since the last reset.
  public private(set) var frameNumber = 0
  /// The action actually applied on the last frame (after stickiness).
  public private(set) var lastAction = 0
  private var random: RandomStream

  public init(
    _ game: Game, seed: UInt64 = 0, repeatActionProbability: Double = 0,
    maxFramesPerEpisode: Int = 108_000
  ) {
    self.game = game
    self.repeatActionProbability = repeatActionProbability
    self.maxFramesPerEpisode = maxFramesPerEpisode
    self.random = RandomStream(seed: seed)
  }

  public var observationSpace: ObservationSpace {
    ObservationSpace(
      shape: [arcadeScreenHeight, arcadeScreenWidth, 3], low: 0, high: 255, elementType: .uint8)
  }

  public var actionSpace: ActionSpace { .discrete(count: Game.actionMeanings.count) }

  /// Starts a new game without drawing it.
  public mutating func resetGame(seed: UInt64?) {
    if let seed { random = RandomStream(seed: seed) }
    game.reset(random: &random)
    frameNumber = 0
    lastAction = 0
  }

  /// Advances one frame without drawing: the path of frame-skipping wrappers.
  public mutating func advanceFrame(_ action: Int) -> StepOutcome {
    precondition(Game.actionMeanings.indices.contains(action), "action \(action) out of range")
    var applied = action
    if repeatActionProbability > 0, random.nextDouble() < repeatActionProbability {
      applied = lastAction
    }
    lastAction = applied
    let reward = game.advance(applied, random: &random)
    frameNumber += 1
    let isTerminal = game.isGameOver
    return StepOutcome(
      reward: Double(reward), isTerminal: isTerminal,
      isTruncated: !isTerminal && frameNumber >= maxFramesPerEpisode)
  }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<UInt8>) {
    resetGame(seed: seed)
    drawRGB(into: observation)
  }

  public mutating func step(
    _ action: Action, into observation: UnsafeMutableBufferPointer<UInt8>
  ) -> StepOutcome {
    let outcome = advanceFrame(action.index)
    drawRGB(into: observation)
    return outcome
  }

  /// Draws the screen as RGB. Shape: [210, 160, 3].
  public func drawRGB(into pixels: UnsafeMutableBufferPointer<UInt8>) {
    precondition(pixels.count == arcadeScreenWidth * arcadeScreenHeight * 3)
    game.draw(on: ArcadeCanvas(
      pixels: pixels.baseAddress!, width: arcadeScreenWidth, height: arcadeScreenHeight, channels: 3))
  }

  /// Draws the screen as grayscale luma, as ALE's `getScreenGrayscale`. Shape: [210, 160].
  public func drawGrayscale(into pixels: UnsafeMutablePointer<UInt8>) {
    game.draw(on: ArcadeCanvas(
      pixels: pixels, width: arcadeScreenWidth, height: arcadeScreenHeight, channels: 1))
  }

  public func render() -> Frame {
    var frame = Frame(width: arcadeScreenWidth, height: arcadeScreenHeight)
    frame.pixels.withUnsafeMutableBufferPointer { drawRGB(into: $0) }
    return frame
  }

  /// The scripted expert's action for the current state.
  public func expertAction() -> Int { game.expertAction() }
}

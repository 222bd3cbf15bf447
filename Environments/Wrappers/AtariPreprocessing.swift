import Randomness

/// The standard Atari preprocessing of an ``ArcadeGame``, as Gymnasium's `AtariPreprocessing`
/// over ALE v5 (Machado et al. 2018): sticky actions, no-op starts, frame skip with a max over
/// the last two frames, grayscale, area resize to 84×84, optional episodic life and reward
/// clipping, and ALE's frame limit. Wrap it in ``FrameStack`` for the 4-frame stack
/// (``AtariPreprocessing/stacked(_:settings:seed:)``).
///
/// ## Observation Space
/// `UInt8` grayscale, Shape: [84, 84] (`screenSize`), 0...255.
/// Each observation is the pixel-wise maximum of the last two frames of the skip, drawn directly
/// in grayscale (luma `0.299 R + 0.587 G + 0.114 B`, see ``ArcadeColor/gray``) and shrunk from
/// 210×160 by area averaging (``AreaResampler``, OpenCV's `INTER_AREA`).
/// When the episode ends inside a skip, the observation is that ending frame alone.
///
/// ## Action Space
/// The game's (``ArcadeGame/actionMeanings``), repeated for `frameSkip` frames.
///
/// ## Rewards
/// The sum over the skipped frames; its sign (−1, 0, +1) when `clipsRewards`.
///
/// ## Starting State
/// A new game followed by 1...`noopMax` NOOP frames (uniform), restarting the game if that ended it.
///
/// ## Episode End
/// Terminated on game over, and on each lost life when `terminalOnLifeLoss`. Then the next
/// `reset(seed: nil)` continues the same game with one NOOP frame (OpenAI baselines'
/// `EpisodicLifeEnv`; Gymnasium's wrapper restarts the game instead) unless it was over.
/// Truncated after `maxFramesPerEpisode` frames (ALE's 108 000 = 27 000 agent steps).
public struct AtariPreprocessing<Game: ArcadeGame>: Environment {
  public typealias Scalar = UInt8

  /// Documented options with the defaults of Gymnasium's `AtariPreprocessing` on `ALE/...-v5`.
  public struct Settings: Hashable, Sendable {
    /// At most this many NOOP frames after a reset (at least 1 when positive); 0 disables.
    public var noopMax = 30
    /// Frames each action is repeated for.
    public var frameSkip = 4
    /// Side of the square observation.
    public var screenSize = 84
    /// End the episode (terminated) on every lost life.
    public var terminalOnLifeLoss = false
    /// Replace each reward by its sign.
    public var clipsRewards = false
    /// ALE's sticky actions, per frame (0.25 as ALE v5; 0 as `NoFrameskip-v4`).
    public var repeatActionProbability = 0.25
    /// ALE's `max_num_frames_per_episode`.
    public var maxFramesPerEpisode = 108_000

    public init() {}

    /// The DeepMind / OpenAI baselines training stack (`wrap_deepmind`, SB3's `AtariWrapper`,
    /// used by ncps' Atari examples) over ALE v5: terminal on life loss and clipped rewards,
    /// with v5's sticky actions kept. Report full-game scores, not these per-life returns.
    public static var deepMind: Settings {
      var settings = Settings()
      settings.terminalOnLifeLoss = true
      settings.clipsRewards = true
      return settings
    }
  }

  public let settings: Settings
  /// The game as a one-frame-a-step environment.
  public private(set) var base: ArcadeEnvironment<Game>
  private var random: RandomStream
  let resampler: AreaResampler
  /// Shape: [2, 210, 160]: the last and second-to-last grayscale frames of the skip.
  private(set) var screens: [UInt8]
  /// Shape: [210, 160]: the last max-pooled screen, and Shape: [84, 84] its shrunk form. Only
  /// the output rows whose input rows changed since are recomputed (games redraw few rows).
  private(set) var pooled: [UInt8], shrunk: [UInt8]
  private var lives = 0
  private var isGameOver = true

  public init(_ game: Game, settings: Settings = Settings(), seed: UInt64 = 0) {
    precondition(settings.frameSkip >= 1 && settings.noopMax >= 0 && settings.screenSize >= 1,
                 "invalid AtariPreprocessing settings \(settings)")
    self.settings = settings
    base = ArcadeEnvironment(
      game, seed: seed, repeatActionProbability: settings.repeatActionProbability,
      maxFramesPerEpisode: settings.maxFramesPerEpisode)
    random = RandomStream(seed: seed, stream: 1)
    resampler = AreaResampler(
      inputWidth: arcadeScreenWidth, inputHeight: arcadeScreenHeight,
      outputWidth: settings.screenSize, outputHeight: settings.screenSize)
    screens = [UInt8](repeating: 0, count: 2 * arcadeScreenWidth * arcadeScreenHeight)
    // An all-zero screen shrinks to an all-zero observation, so the pair starts consistent.
    pooled = [UInt8](repeating: 0, count: arcadeScreenWidth * arcadeScreenHeight)
    shrunk = [UInt8](repeating: 0, count: settings.screenSize * settings.screenSize)
  }

  public var observationSpace: ObservationSpace {
    ObservationSpace(shape: [settings.screenSize, settings.screenSize], low: 0, high: 255, elementType: .uint8)
  }

  public var actionSpace: ActionSpace { base.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<UInt8>) {
    if let seed { random = RandomStream(seed: seed, stream: 1) }
    if settings.terminalOnLifeLoss && !isGameOver && seed == nil {
      // A life was lost: continue the same game (baselines' EpisodicLifeEnv).
      isGameOver = base.advanceFrame(0).isDone
    } else {
      isGameOver = true
    }
    if isGameOver {
      base.resetGame(seed: seed)
      isGameOver = false
      if settings.noopMax > 0 {
        for _ in 0..<(1 + random.nextInt(below: settings.noopMax)) where base.advanceFrame(0).isDone {
          base.resetGame(seed: nil)
        }
      }
    }
    lives = base.game.lives
    let size = arcadeScreenWidth * arcadeScreenHeight
    screens.withUnsafeMutableBufferPointer { screens in
      base.drawGrayscale(into: screens.baseAddress!)
      (screens.baseAddress! + size).update(repeating: 0, count: size)
    }
    writeObservation(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<UInt8>) -> StepOutcome {
    let index = action.index
    let size = arcadeScreenWidth * arcadeScreenHeight
    var total = StepOutcome(reward: 0)
    for frame in 0..<settings.frameSkip {
      let outcome = base.advanceFrame(index)
      total.reward += outcome.reward
      total.isTerminal = outcome.isTerminal
      total.isTruncated = outcome.isTruncated
      isGameOver = outcome.isDone
      if settings.terminalOnLifeLoss {
        let newLives = base.game.lives
        if newLives < lives { total.isTerminal = true }
        lives = newLives
      }
      if total.isDone {
        screens.withUnsafeMutableBufferPointer { screens in
          base.drawGrayscale(into: screens.baseAddress!)
          (screens.baseAddress! + size).update(repeating: 0, count: size)
        }
        break
      }
      if frame == settings.frameSkip - 2 {
        screens.withUnsafeMutableBufferPointer { base.drawGrayscale(into: $0.baseAddress! + size) }
      } else if frame == settings.frameSkip - 1 {
        screens.withUnsafeMutableBufferPointer { base.drawGrayscale(into: $0.baseAddress!) }
      }
    }
    if settings.frameSkip == 1 && !total.isDone {
      screens.withUnsafeMutableBufferPointer { (UnsafeMutableBufferPointer(rebasing: $0[size...])).update(repeating: 0) }
    }
    if settings.clipsRewards { total.reward = total.reward > 0 ? 1 : total.reward < 0 ? -1 : 0 }
    writeObservation(into: observation)
    return total
  }

  /// Max-pools the two screens and shrinks the result into `observation`.
  ///
  /// Incremental but exact: the pooled screen is compared row by row with the previous one, and
  /// only the output pixels that read a changed input pixel (by row, and by the changed column
  /// span within it) are resampled again; the others keep their values, which a full resize
  /// would recompute identically.
  private mutating func writeObservation(into observation: UnsafeMutableBufferPointer<UInt8>) {
    precondition(observation.count == settings.screenSize * settings.screenSize)
    let width = arcadeScreenWidth, height = arcadeScreenHeight, size = width * height
    let resampler = self.resampler
    screens.withUnsafeBufferPointer { screens in
    pooled.withUnsafeMutableBufferPointer { pooled in
    shrunk.withUnsafeMutableBufferPointer { shrunk in
      // changed[y]: the columns of pooled row y that differ from the previous pooled screen.
      withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: height) { changed in
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: width) { maxima in
        let last = screens.baseAddress!, previous = last + size, row = maxima.baseAddress!
        for y in 0..<height {
          let a = last + y * width, b = previous + y * width, pooledRow = pooled.baseAddress! + y * width
          var difference: UInt8 = 0
          for x in 0..<width {
            row[x] = max(a[x], b[x])
            difference |= row[x] ^ pooledRow[x]
          }
          guard difference != 0 else {
            changed[y] = 0..<0
            continue
          }
          let columns = Self.differingSpan(row, pooledRow, count: width)
          (pooledRow + columns.lowerBound).update(from: row + columns.lowerBound, count: columns.count)
          changed[y] = columns
        }
        resampler.resize(pooled.baseAddress!, into: shrunk.baseAddress!) { row in
          var lower = width, upper = 0
          for y in resampler.inputRows(ofOutputRow: row) where !changed[y].isEmpty {
            lower = min(lower, changed[y].lowerBound)
            upper = max(upper, changed[y].upperBound)
          }
          return lower < upper ? lower..<upper : 0..<0
        }
      }}
      observation.baseAddress!.update(from: shrunk.baseAddress!, count: shrunk.count)
    }}}
  }

  /// The span from the first to the last position where `a` and `b` differ (which they do
  /// somewhere), found 8 bytes at a time.
  private static func differingSpan(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Range<Int> {
    func word(_ p: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
      UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
    var lower = 0
    while lower + 8 <= count {
      let bits = word(a, lower) ^ word(b, lower)
      if bits != 0 { lower += bits.trailingZeroBitCount / 8; break }
      lower += 8
    }
    while a[lower] == b[lower] { lower += 1 }
    var upper = count
    while upper - 8 >= lower {
      let bits = word(a, upper - 8) ^ word(b, upper - 8)
      if bits != 0 { upper -= bits.leadingZeroBitCount / 8; break }
      upper -= 8
    }
    while a[upper - 1] == b[upper - 1] { upper -= 1 }
    return lower..<upper
  }

  /// The full-size RGB screen.
  public func render() -> Frame { base.render() }

  /// The scripted expert's action for the current state.
  public func expertAction() -> Int { base.expertAction() }

  /// Gymnasium's `FrameStackObservation(AtariPreprocessing(env), 4)`: Shape: [4, 84, 84].
  public static func stacked(_ game: Game, settings: Settings = Settings(), seed: UInt64 = 0)
    -> FrameStack<AtariPreprocessing<Game>>
  {
    FrameStack(AtariPreprocessing(game, settings: settings, seed: seed), stackSize: 4)
  }
}

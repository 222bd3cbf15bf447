import Foundation
import Testing
@testable import Environments
import Randomness

/// A test game whose screen alternates every frame: odd frames paint the left half bright and
/// the right half dark, even frames the reverse. It loses a life every 10 frames (3 lives).
private struct FlickerGame: ArcadeGame {
  static let actionMeanings = ["NOOP", "FIRE"]
  var frame = 0
  var lives = 3
  var score = 0
  var isGameOver: Bool { lives == 0 }
  mutating func reset(random: inout RandomStream) { frame = 0; lives = 3; score = 0 }
  mutating func advance(_ action: Int, random: inout RandomStream) -> Int {
    frame += 1
    if frame % 10 == 0 { lives -= 1 }
    score += 5 * action
    return 5 * action
  }
  func draw(on canvas: ArcadeCanvas) {
    let bright = ArcadeColor(200, 200, 200), dark = ArcadeColor(10, 10, 10)
    canvas.fill(x: 0, y: 0, width: 80, height: 210, frame % 2 == 1 ? bright : dark)
    canvas.fill(x: 80, y: 0, width: 80, height: 210, frame % 2 == 1 ? dark : bright)
  }
  func expertAction() -> Int { 0 }
}

private func settings(noopMax: Int = 0, sticky: Double = 0) -> AtariPreprocessing<FlickerGame>.Settings {
  var settings = AtariPreprocessing<FlickerGame>.Settings()
  settings.noopMax = noopMax
  settings.repeatActionProbability = sticky
  return settings
}

@Test func observationIsTheMaximumOfTheLastTwoFramesOfTheSkip() {
  var env = AtariPreprocessing(FlickerGame(), settings: settings())
  let reset = env.reset(seed: 0)
  // Frame 0 alone: dark left half (luma 10), bright right half (luma 200).
  #expect(reset[0] == 10 && reset[83] == 200)
  let step = env.step(.discrete(0))
  // Frames 3 and 4 of the skip: each half is bright in one of them.
  #expect(step.observation.allSatisfy { $0 == 200 })
  var single = settings()
  single.frameSkip = 1
  var unpooled = AtariPreprocessing(FlickerGame(), settings: single)
  _ = unpooled.reset(seed: 0)
  let frame1 = unpooled.step(.discrete(0)).observation
  #expect(frame1[0] == 200 && frame1[83] == 10, "with no skip there is nothing to pool")
}

@Test func grayscaleIsTheBT601LumaOfTheRGBScreen() {
  #expect(ArcadeColor.luma(255, 0, 0) == 76)    // 0.299 · 255 = 76.2
  #expect(ArcadeColor.luma(0, 255, 0) == 150)   // 0.587 · 255 = 149.7
  #expect(ArcadeColor.luma(0, 0, 255) == 29)    // 0.114 · 255 = 29.1
  #expect(ArcadeColor.luma(255, 255, 255) == 255)
  func check<G: ArcadeGame>(_ game: G) {
    var env = ArcadeEnvironment(game)
    let rgb = env.reset(seed: 4)
    var gray = [UInt8](repeating: 0, count: 210 * 160)
    gray.withUnsafeMutableBufferPointer { env.drawGrayscale(into: $0.baseAddress!) }
    let expected = (0..<(210 * 160)).map { i -> UInt8 in
      let luma = 0.299 * Double(rgb[3 * i]) + 0.587 * Double(rgb[3 * i + 1]) + 0.114 * Double(rgb[3 * i + 2])
      return UInt8(luma.rounded())
    }
    #expect(gray == expected, "\(G.self)")
  }
  check(Breakout())
  check(Pong())
  check(SpaceInvaders())
  check(Freeway())
}

@Test func areaResizeMatchesExactAreaAveraging() throws {
  struct Fixture: Decodable { var input: String; var expected: String }
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/area-resize-210x160-to-84x84.json")
  let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  func bytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
  }
  let input = bytes(fixture.input), expected = bytes(fixture.expected)
  let resampler = AreaResampler(inputWidth: 160, inputHeight: 210, outputWidth: 84, outputHeight: 84)
  var output = [UInt8](repeating: 0, count: 84 * 84)
  input.withUnsafeBufferPointer { source in
    output.withUnsafeMutableBufferPointer { resampler.resize(source.baseAddress!, into: $0.baseAddress!) }
  }
  let differences = zip(output, expected).map { abs(Int($0) - Int($1)) }
  // Float32 weights may round a value within 1e-4 of a .5 tie the other way.
  #expect(differences.max()! <= 1)
  #expect(differences.filter { $0 != 0 }.count <= 10, "\(differences.filter { $0 != 0 }.count) pixels differ")

  // A constant picture stays constant; 2.5 rows of a stripe average as they cover.
  var stripes = [UInt8](repeating: 0, count: 210 * 160)
  for x in 0..<160 { stripes[5 * 160 + x] = 200 }  // row 5: second half of output row 2, with rows 6
  stripes.withUnsafeBufferPointer { source in
    output.withUnsafeMutableBufferPointer { resampler.resize(source.baseAddress!, into: $0.baseAddress!) }
  }
  // Output row 2 covers input rows [5, 7.5): row 5 weighs 1/2.5 = 0.4 → 80.
  #expect(output[2 * 84 ..< 3 * 84].allSatisfy { $0 == 80 })
  #expect(output[0 ..< 2 * 84].allSatisfy { $0 == 0 } && output[(3 * 84)...].allSatisfy { $0 == 0 })
}

/// An environment whose observation is the number of steps since reset.
private struct Counter: Environment {
  typealias Scalar = Float
  var count: Float = 0
  var observationSpace: ObservationSpace { ObservationSpace(shape: [1], low: 0, high: 100) }
  var actionSpace: ActionSpace { .discrete(count: 1) }
  mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
    count = 1
    observation[0] = count
  }
  mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    count += 1
    observation[0] = count
    return StepOutcome(reward: 0)
  }
  func render() -> Frame { Frame(width: 1, height: 1) }
}

@Test func frameStackKeepsTheOldestFirstAndPadsWithTheResetObservation() {
  var stack = FrameStack(Counter(), stackSize: 4)
  #expect(stack.observationSpace.shape == [4, 1])
  #expect(stack.reset(seed: 0) == [1, 1, 1, 1])
  #expect(stack.step(.discrete(0)).observation == [1, 1, 1, 2])
  #expect(stack.step(.discrete(0)).observation == [1, 1, 2, 3])
  for _ in 0..<3 { _ = stack.step(.discrete(0)) }
  #expect(stack.step(.discrete(0)).observation == [4, 5, 6, 7])
  var zeros = FrameStack(Counter(), stackSize: 3, padding: .zero)
  #expect(zeros.reset(seed: 0) == [0, 0, 1])
  #expect(zeros.step(.discrete(0)).observation == [0, 1, 2])
}

@Test func stackedAtariObservationsAreChannelsFirst() {
  var env = AtariPreprocessing.stacked(Breakout(), seed: 1)
  #expect(env.observationSpace.shape == [4, 84, 84])
  let reset = env.reset(seed: 1)
  #expect(env.observationSpace.contains(reset))
  let step = env.step(.discrete(1)).observation
  #expect(Array(step[0 ..< 3 * 84 * 84]) == Array(reset[84 * 84 ..< 4 * 84 * 84]))
}

@Test func episodicLifeTerminatesOnALostLifeAndContinuesTheGame() {
  var lifeLoss = settings()
  lifeLoss.terminalOnLifeLoss = true
  var env = AtariPreprocessing(FlickerGame(), settings: lifeLoss)
  _ = env.reset(seed: 0)
  var steps = 0, terminal = false
  while !terminal { terminal = env.step(.discrete(0)).isTerminal; steps += 1 }
  #expect(steps == 3, "frame 10 is in the third step of 4 frames")
  #expect(env.base.game.lives == 2 && !env.base.game.isGameOver)
  _ = env.reset(seed: nil)
  #expect(env.base.game.lives == 2 && env.base.game.frame == 11, "continued with one NOOP frame")
  _ = env.reset(seed: 5)
  #expect(env.base.game.lives == 3 && env.base.game.frame == 0, "a seeded reset starts a new game")

  var plain = AtariPreprocessing(FlickerGame(), settings: settings())
  _ = plain.reset(seed: 0)
  steps = 0
  terminal = false
  while !terminal { terminal = plain.step(.discrete(0)).isTerminal; steps += 1 }
  #expect(steps == 8 && plain.base.game.isGameOver, "without episodic life only game over ends it")
}

@Test func noopStartsDrawBetweenOneAndNoopMaxFrames() {
  var counts = Set<Int>()
  var env = AtariPreprocessing(FlickerGame(), settings: settings(noopMax: 5))
  for seed in 0..<60 {
    _ = env.reset(seed: UInt64(seed))
    counts.insert(env.base.frameNumber)
  }
  #expect(counts == Set(1...5))
}

@Test func rewardsAreSummedOverTheSkipAndClippedToTheirSign() {
  var env = AtariPreprocessing(FlickerGame(), settings: settings())
  _ = env.reset(seed: 0)
  #expect(env.step(.discrete(1)).reward == 20)
  var clipping = settings()
  clipping.clipsRewards = true
  var clipped = AtariPreprocessing(FlickerGame(), settings: clipping)
  _ = clipped.reset(seed: 0)
  #expect(clipped.step(.discrete(1)).reward == 1)
  #expect(clipped.step(.discrete(0)).reward == 0)
}

@Test func frameLimitTruncatesTheAgentEpisode() {
  var limited = AtariPreprocessing<Freeway>.Settings()
  limited.maxFramesPerEpisode = 40
  limited.noopMax = 0
  var env = AtariPreprocessing(Freeway(), settings: limited)
  _ = env.reset(seed: 0)
  for step in 1...10 {
    let outcome = env.step(.discrete(0))
    #expect(!outcome.isTerminal && outcome.isTruncated == (step == 10))
  }
}

@Test func preprocessedEpisodesReplayFromTheSameSeed() {
  func episode() -> [[UInt8]] {
    var env = AtariPreprocessing.stacked(SpaceInvaders(), seed: 3)
    var random = RandomStream(seed: 1)
    var observations = [env.reset(seed: 3)]
    for _ in 0..<100 { observations.append(env.step(.discrete(random.nextInt(below: 6))).observation) }
    return observations
  }
  #expect(episode() == episode())
}

@Test func deepMindSettingsEndEpisodesPerLifeWithClippedRewards() {
  var env = AtariPreprocessing(Breakout(), settings: .deepMind, seed: 2)
  _ = env.reset(seed: 2)
  var random = RandomStream(seed: 2)
  var rewards = Set<Double>()
  var terminal = false
  while !terminal {
    let step = env.step(.discrete(random.nextInt(below: 4)))
    rewards.insert(step.reward)
    terminal = step.isTerminal
  }
  #expect(rewards.isSubset(of: [0, 1]))
  #expect(env.base.game.lives == 4 && !env.base.game.isGameOver)
}

/// The incremental resize (only pixels over changed input pixels are recomputed) gives exactly
/// the full resize of the max-pooled screen, step after step, across resets and game overs.
@Test func incrementalResizeEqualsTheFullResize() {
  func check<G: ArcadeGame>(_ game: G, steps: Int) {
    var environment = AtariPreprocessing(game, seed: 5)
    var random = RandomStream(seed: 11)
    var observation = environment.reset(seed: 5)
    var mismatches = 0
    for _ in 0..<steps {
      let size = arcadeScreenWidth * arcadeScreenHeight
      let screens = environment.screens
      let pooled = zip(screens[..<size], screens[size...]).map { max($0, $1) }
      #expect(pooled == environment.pooled)
      var full = [UInt8](repeating: 0, count: 84 * 84)
      pooled.withUnsafeBufferPointer { source in
        full.withUnsafeMutableBufferPointer { environment.resampler.resize(source.baseAddress!, into: $0.baseAddress!) }
      }
      if full != observation { mismatches += 1 }
      let step = environment.step(.discrete(random.nextInt(below: environment.actionSpace.size)))
      observation = step.isTerminal || step.isTruncated ? environment.reset(seed: nil) : step.observation
    }
    #expect(mismatches == 0, "\(G.self): \(mismatches) observations differ from the full resize")
  }
  check(Breakout(), steps: 120)  // a random game of Breakout ends after ~85 steps: a reset is included
  check(Pong(), steps: 40)
  check(SpaceInvaders(), steps: 40)
  check(Freeway(), steps: 40)
}

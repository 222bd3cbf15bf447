import Testing
@testable import Environments
import Randomness

/// One episode prefix of `steps` uniformly random actions (seeded), as observations and rewards.
private func rollout<E: Environment>(_ env: E, seed: UInt64, steps: Int) -> (observations: [[E.Scalar]], rewards: [Double]) {
  var env = env
  var random = RandomStream(seed: 5)
  var observations = [env.reset(seed: seed)], rewards: [Double] = []
  for _ in 0..<steps {
    let step = env.step(.discrete(random.nextInt(below: env.actionSpace.size)))
    observations.append(step.observation)
    rewards.append(step.reward)
    if step.isTerminal || step.isTruncated { break }
  }
  return (observations, rewards)
}

@Test func everyArcadeGameReplaysTheSameEpisodeFromTheSameSeed() {
  func check<G: ArcadeGame>(_ game: G) {
    let env = ArcadeEnvironment(game, repeatActionProbability: 0.25)
    let first = rollout(env, seed: 11, steps: 300), second = rollout(env, seed: 11, steps: 300)
    #expect(first.observations == second.observations, "\(G.self)")
    #expect(first.rewards == second.rewards, "\(G.self)")
    let other = rollout(env, seed: 12, steps: 300)
    #expect(other.observations != first.observations, "\(G.self): seeds 11 and 12 gave the same episode")
  }
  check(Breakout())
  check(Pong())
  check(SpaceInvaders())
  check(Freeway())
}

@Test func arcadeObservationsAreScreensInsideTheirSpace() {
  func check<G: ArcadeGame>(_ game: G) {
    var env = ArcadeEnvironment(game)
    #expect(env.observationSpace.shape == [210, 160, 3])
    #expect(env.observationSpace.elementType == .uint8)
    #expect(env.actionSpace == .discrete(count: G.actionMeanings.count))
    let observation = env.reset(seed: 1)
    #expect(env.observationSpace.contains(observation))
    let frame = env.render()
    #expect(frame.width == 160 && frame.height == 210 && frame.pixels == observation, "\(G.self)")
    // The screen is not blank: a game draws at least three colours.
    var colours = Set<Int>()
    for i in stride(from: 0, to: observation.count, by: 3) {
      let red = Int(observation[i]) << 16, green = Int(observation[i + 1]) << 8
      colours.insert(red | green | Int(observation[i + 2]))
    }
    #expect(colours.count >= 3, "\(G.self) drew \(colours.count) colours")
  }
  check(Breakout())
  check(Pong())
  check(SpaceInvaders())
  check(Freeway())
}

@Test func breakoutPaysAtariPointsPerRowAndLosesALifePerBall() {
  var random = RandomStream(seed: 0)
  var game = Breakout()
  game.reset(random: &random)
  // Ball rising straight into the bottom (blue) row, then into the top (red) row.
  for (row, points) in [(5, 1), (2, 4), (0, 7)] {
    game.isBallInPlay = true
    game.ballX = 40
    game.ballY = Breakout.brickTop + row * Breakout.brickHeight + Breakout.brickHeight + 1
    game.ballVX = 0
    game.ballVY = -2
    if row < 5 {  // clear the rows below so the ball reaches this one
      for r in (row + 1)..<6 { for c in 0..<18 { game.bricks &= ~(UInt128(1) << (r * 18 + c)) } }
    }
    #expect(game.advance(0, random: &random) == points, "row \(row)")
    #expect(game.ballVY > 0, "the ball bounces off the brick")
  }
  let lives = game.lives
  game.ballX = 20
  game.paddleX = 120
  game.ballY = 186
  game.ballVY = 3
  for _ in 0..<10 { _ = game.advance(0, random: &random) }
  #expect(game.lives == lives - 1 && !game.isBallInPlay && !game.isGameOver)
}

@Test func pongEndsWhenASideReachesTwentyOne() {
  var env = ArcadeEnvironment(Pong())
  _ = env.reset(seed: 3)
  var total = 0.0, frames = 0
  while frames < 200_000 {
    let outcome = env.advanceFrame(0)
    total += outcome.reward
    frames += 1
    if outcome.isTerminal { break }
  }
  #expect(env.game.isGameOver)
  #expect(max(env.game.agentPoints, env.game.opponentPoints) == 21)
  #expect(total == Double(env.game.agentPoints - env.game.opponentPoints))
}

@Test func freewayEndsAfterTwoMinutesSixteenSeconds() {
  var env = ArcadeEnvironment(Freeway())
  _ = env.reset(seed: 3)
  var frames = 0, isTerminal = false
  while !isTerminal { isTerminal = env.advanceFrame(1).isTerminal; frames += 1 }
  #expect(frames == 8160)
  #expect(env.game.score > 0, "walking up all the time crosses sometimes")
}

@Test func truncatesAfterTheFrameLimitWithoutTerminating() {
  var env = ArcadeEnvironment(Freeway(), maxFramesPerEpisode: 50)
  _ = env.reset(seed: 0)
  for frame in 1...50 {
    let outcome = env.advanceFrame(0)
    #expect(!outcome.isTerminal)
    #expect(outcome.isTruncated == (frame == 50))
  }
}

@Test func stickyActionsRepeatThePreviousActionAtTheRequestedRate() {
  var env = ArcadeEnvironment(Breakout(), seed: 9, repeatActionProbability: 0.25)
  _ = env.reset(seed: 9)
  var repeated = 0
  let frames = 20_000
  for frame in 0..<frames {
    // Cycling through all four actions, a repeat differs from the action given unless it
    // reaches back a multiple of four frames: rate p·(1 − p³(1 − p)/(1 − p⁴)) ≈ 0.2471.
    let given = frame % 4
    _ = env.advanceFrame(given)
    if env.lastAction != given { repeated += 1 }
    if env.game.isGameOver { env.resetGame(seed: nil) }
  }
  let rate = Double(repeated) / Double(frames)
  #expect(abs(rate - 0.2471) < 0.015, "sticky rate \(rate)")
}

@Test func catalogRegistersEveryArcadeAndMinAtarId() throws {
  for game in ["Breakout", "Pong", "SpaceInvaders", "Freeway"] {
    func shape(_ id: String) throws -> [Int] {
      func open<E: Environment>(_ env: E) -> [Int] {
        var env = env
        let observation = env.reset(seed: 0)
        #expect(env.observationSpace.contains(observation), "\(id)")
        return env.observationSpace.shape
      }
      return open(try Catalog.make(id))
    }
    #expect(try shape("Arcade/\(game)-v0") == [4, 84, 84])
    #expect(try shape("Arcade/\(game)NoFrameskip-v0") == [210, 160, 3])
    #expect(try shape("MinAtar/\(game)-v0").prefix(2) == [10, 10])
    #expect(try Catalog.make("MinAtar/\(game)-v0").actionSpace == .discrete(count: 6))
    #expect(try Catalog.make("MinAtar/\(game)-v1").actionSpace.size < 6)
  }
}

@Test func difficultyOneIsHarder() {
  #expect(Breakout(difficulty: 0).paddleWidth == 16 && Breakout(difficulty: 1).paddleWidth == 8)
  #expect(Pong(difficulty: 1).opponentSpeed > Pong(difficulty: 0).opponentSpeed)
  // Freeway: walking straight up into traffic, a hit costs one lane (0) or the whole way (1).
  var random = RandomStream(seed: 0)
  for difficulty in 0...1 {
    var game = Freeway(difficulty: difficulty)
    game.reset(random: &random)
    var lowestAfterHit = 0
    while game.hits == 0 && !game.isGameOver { _ = game.advance(1, random: &random) }
    lowestAfterHit = game.chickenY
    if difficulty == 0 {
      #expect(lowestAfterHit < Freeway.startY && game.stunTimer == 16)
    } else {
      #expect(lowestAfterHit == Freeway.startY)
    }
  }
}

@Test func areaResamplerKeepsConstantsForOtherSizes() {
  for size in [42, 64, 84, 100] {
    let resampler = AreaResampler(inputWidth: 160, inputHeight: 210, outputWidth: size, outputHeight: size)
    let input = [UInt8](repeating: 137, count: 160 * 210)
    var output = [UInt8](repeating: 0, count: size * size)
    input.withUnsafeBufferPointer { source in
      output.withUnsafeMutableBufferPointer { resampler.resize(source.baseAddress!, into: $0.baseAddress!) }
    }
    #expect(output.allSatisfy { $0 == 137 }, "size \(size)")
  }
}

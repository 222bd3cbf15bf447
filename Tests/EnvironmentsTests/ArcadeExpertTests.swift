import Testing
@testable import Environments
import Randomness

/// Mean full-episode return over `episodes` seeded episodes (capped at `maxSteps`).
private func meanReturn<E: Environment>(_ env: E, episodes: Int, maxSteps: Int, policy: (E, inout RandomStream) -> Int) -> Double {
  var env = env
  var random = RandomStream(seed: 99)
  var total = 0.0
  for episode in 0..<episodes {
    _ = env.reset(seed: UInt64(1000 + episode))
    for _ in 0..<maxSteps {
      let step = env.step(.discrete(policy(env, &random)))
      total += step.reward
      if step.isTerminal || step.isTruncated { break }
    }
  }
  return total / Double(episodes)
}

/// The expert must beat `threshold`, the random policy's mean + 3 standard deviations measured
/// over 20 episodes by `arcade-bench returns` (Environments/Arcade/README.md), and the random
/// policy must stay below it.
private func expectExpertBeatsRandom<E: Environment>(
  _ name: String, _ env: E, threshold: Double, episodes: Int = 3, maxSteps: Int = 3000, expert: @escaping (E) -> Int
) {
  let actions = env.actionSpace.size
  let expertMean = meanReturn(env, episodes: episodes, maxSteps: maxSteps) { env, _ in expert(env) }
  let randomMean = meanReturn(env, episodes: episodes, maxSteps: maxSteps) { _, random in random.nextInt(below: actions) }
  #expect(expertMean > threshold, "\(name): expert \(expertMean) ≤ \(threshold)")
  #expect(randomMean < threshold, "\(name): random \(randomMean) ≥ \(threshold)")
}

@Test func arcadeExpertsBeatRandomPlay() {
  func atari<G: ArcadeGame>(_ game: G) -> AtariPreprocessing<G> { AtariPreprocessing(game) }
  expectExpertBeatsRandom("Breakout", atari(Breakout()), threshold: 0.5 + 3 * 0.6) { $0.expertAction() }
  expectExpertBeatsRandom("Pong", atari(Pong()), threshold: -15.6 + 3 * 2.6) { $0.expertAction() }
  expectExpertBeatsRandom("SpaceInvaders", atari(SpaceInvaders()), threshold: 140.8 + 3 * 73.2) { $0.expertAction() }
  expectExpertBeatsRandom("Freeway", atari(Freeway()), threshold: 1) { $0.expertAction() }
}

@Test func minAtarExpertsBeatRandomPlay() {
  expectExpertBeatsRandom("MinAtar Breakout", MinAtarEnvironment(MinAtarBreakout()), threshold: 0.5 + 3 * 0.6) { $0.expertAction() }
  expectExpertBeatsRandom("MinAtar Freeway", MinAtarEnvironment(MinAtarFreeway()), threshold: 0.1 + 3 * 0.3) { $0.expertAction() }
  expectExpertBeatsRandom("MinAtar SpaceInvaders", MinAtarEnvironment(MinAtarSpaceInvaders()), threshold: 3.0 + 3 * 2.1, episodes: 10) { $0.expertAction() }
  expectExpertBeatsRandom("MinAtar Pong", MinAtarEnvironment(MinAtarPong()), threshold: 2.1 + 3 * 3.7) { $0.expertAction() }
}

@Test func catalogArcadeEnvironmentsOfferTheirExpert() throws {
  for id in ["Arcade/Breakout-v0", "Arcade/PongNoFrameskip-v0", "MinAtar/Freeway-v1", "MinAtar/SpaceInvaders-v0"] {
    let entry = try Catalog.entry(id)
    var expert = try #require(entry.makeExpert?(), "\(id)")
    // Through a TimeLimit too, as Catalog.make adds one when asked.
    var env = try Catalog.make(id, options: .init(maxEpisodeSteps: 50))
    let observation = env.reset(seed: 0).map(\.floatValue)
    let action = expert.action(in: env, observation: observation).index
    #expect((0..<env.actionSpace.size).contains(action), "\(id)")
    #expect(env.unwrapped(as: FrameStack<AtariPreprocessing<Breakout>>.self) != nil || id != "Arcade/Breakout-v0")
  }
}

/// Breakout's expert holds still while the ball's landing point lies within its dead band of
/// the paddle's centre and moves toward it outside; the band (6) is half of a 4-frame step's
/// travel (12), so one step from just outside lands inside and the paddle settles.
@Test func breakoutExpertSettlesWithinItsDeadBand() {
  var game = Breakout()
  var random = RandomStream(seed: 0)
  game.reset(random: &random)
  #expect(game.expertAction() == 1)  // no ball in play: serve
  (game.isBallInPlay, game.ballVX, game.ballVY) = (true, 0, 2)
  game.ballY = Breakout.paddleY - 40
  game.paddleX = 70
  let center = game.paddleX + game.paddleWidth / 2 - 1
  #expect(game.expertDeadBand == 6 && 2 * game.expertDeadBand == game.paddleSpeed * 4)
  for offset in -12...12 {
    game.ballX = center + offset
    let expected = offset > game.expertDeadBand ? 2 : offset < -game.expertDeadBand ? 3 : 0
    #expect(game.expertAction() == expected, "ball \(offset) px from the paddle's centre")
  }
  // Rising ball: the target is the ball's x.
  (game.ballVX, game.ballVY, game.ballX) = (2, -2, center + 7)
  #expect(game.expertAction() == 2)
}

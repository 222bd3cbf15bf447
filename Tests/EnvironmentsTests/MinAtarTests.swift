import Foundation
import Testing
@testable import Environments
import Randomness

/// Trajectories recorded from kenjyoung/MinAtar by `Scripts/minatar-fixtures.py`.
private struct MinAtarTrajectories: Decodable {
  struct Episode: Decodable {
    struct Initial: Decodable { var ball_x: Int?; var ball_dir: Int?; var speeds: [Int]? }
    struct Step: Decodable { var action: Int?; var reward: Double?; var terminal: Bool?; var state: [Int] }
    var `init`: Initial
    var steps: [Step]
  }
  var breakout: [Episode]
  var space_invaders: [Episode]
  var freeway: [Episode]

  static func load() throws -> MinAtarTrajectories {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/minatar-trajectories.json")
    return try JSONDecoder().decode(MinAtarTrajectories.self, from: Data(contentsOf: url))
  }
}

/// The indices of the set cells of the game's flattened [10, 10, C] state.
private func setCells<G: MinAtarGame>(_ game: G) -> [Int] {
  var state = [UInt8](repeating: 0, count: 100 * G.channelNames.count)
  state.withUnsafeMutableBufferPointer { game.writeState(into: $0.baseAddress!) }
  return state.indices.filter { state[$0] != 0 }
}

/// Replays MinAtar's actions on `game` and compares every state, reward and ending.
private func replay<G: MinAtarGame>(_ game: G, _ episode: MinAtarTrajectories.Episode) {
  var game = game
  var random = RandomStream(seed: 0)
  #expect(setCells(game) == episode.steps[0].state, "\(G.self) reset state")
  for (t, step) in episode.steps.enumerated().dropFirst() {
    let (reward, isTerminal) = game.act(MinAtarAction(rawValue: step.action!)!, random: &random)
    guard setCells(game) == step.state, Double(reward) == step.reward, isTerminal == step.terminal else {
      Issue.record("\(G.self) differs from MinAtar at step \(t)")
      return
    }
  }
}

@Test func minAtarBreakoutMatchesMinAtarStepForStep() throws {
  for episode in try MinAtarTrajectories.load().breakout {
    var random = RandomStream(seed: 0)
    var game = MinAtarBreakout()
    game.reset(random: &random)
    game.ballX = episode.`init`.ball_x!
    game.ballDirection = episode.`init`.ball_dir!
    game.lastX = game.ballX
    replay(game, episode)
  }
}

@Test func minAtarSpaceInvadersMatchesMinAtarStepForStep() throws {
  for episode in try MinAtarTrajectories.load().space_invaders {
    var random = RandomStream(seed: 0)
    var game = MinAtarSpaceInvaders()
    game.reset(random: &random)
    replay(game, episode)
  }
}

@Test func minAtarFreewayMatchesMinAtarStepForStep() throws {
  for episode in try MinAtarTrajectories.load().freeway {
    var random = RandomStream(seed: 0)
    var game = MinAtarFreeway()
    game.reset(random: &random)
    for (i, speed) in episode.`init`.speeds!.enumerated() {
      game.cars[i].speed = speed
      game.cars[i].timer = abs(speed)
    }
    replay(game, episode)
  }
}

@Test func minAtarObservationsAreBinaryChannelsInsideTheirSpace() {
  func check<G: MinAtarGame>(_ game: G, channels: Int) {
    var env = MinAtarEnvironment(game)
    #expect(env.observationSpace.shape == [10, 10, channels])
    #expect(env.actionSpace == .discrete(count: 6))
    var random = RandomStream(seed: 2)
    var observation = env.reset(seed: 2)
    for _ in 0..<200 {
      #expect(env.observationSpace.contains(observation))
      let step = env.step(.discrete(random.nextInt(below: 6)))
      observation = step.observation
      if step.isTerminal { observation = env.reset(seed: nil) }
    }
    #expect(env.render().width == 160)
    var minimal = MinAtarEnvironment(game, usesMinimalActionSet: true)
    #expect(minimal.actionSpace == .discrete(count: G.minimalActions.count))
    _ = minimal.reset(seed: 0)
  }
  check(MinAtarBreakout(), channels: 4)
  check(MinAtarFreeway(), channels: 7)
  check(MinAtarSpaceInvaders(), channels: 6)
  check(MinAtarPong(), channels: 4)
  #expect(MinAtarBreakout.minimalActions.map(\.letter) == ["n", "l", "r"])
  #expect(MinAtarFreeway.minimalActions.map(\.letter) == ["n", "u", "d"])
  #expect(MinAtarSpaceInvaders.minimalActions.map(\.letter) == ["n", "l", "r", "f"])
}

@Test func minAtarEpisodesReplayFromTheSameSeed() {
  func episode<G: MinAtarGame>(_ game: G, seed: UInt64) -> [[UInt8]] {
    var env = MinAtarEnvironment(game)
    var random = RandomStream(seed: 8)
    var observations = [env.reset(seed: seed)]
    for _ in 0..<300 {
      let step = env.step(.discrete(random.nextInt(below: 6)))
      observations.append(step.observation)
      if step.isTerminal { break }
    }
    return observations
  }
  #expect(episode(MinAtarFreeway(), seed: 1) == episode(MinAtarFreeway(), seed: 1))
  #expect(episode(MinAtarFreeway(), seed: 1) != episode(MinAtarFreeway(), seed: 2))
  #expect(episode(MinAtarBreakout(), seed: 1) == episode(MinAtarBreakout(), seed: 1))
  #expect(episode(MinAtarSpaceInvaders(), seed: 1) == episode(MinAtarSpaceInvaders(), seed: 1))
  #expect(episode(MinAtarPong(), seed: 1) == episode(MinAtarPong(), seed: 1))
}

@Test func minAtarStickyActionsRepeatAtMinAtarsRate() {
  var env = MinAtarEnvironment(MinAtarFreeway(), seed: 4)
  _ = env.reset(seed: 4)
  var repeated = 0
  let steps = 20_000
  for t in 0..<steps {
    // Alternating n/l/u: a repeat differs from the action given unless it reaches back a
    // multiple of 3 steps: rate p·(1 − p²(1 − p)/(1 − p³)) ≈ 0.0991.
    let given = t % 3
    if env.step(.discrete(given)).isTerminal { _ = env.reset(seed: nil) }
    if env.lastAction.rawValue != given { repeated += 1 }
  }
  let rate = Double(repeated) / Double(steps)
  #expect(abs(rate - 0.0991) < 0.01, "sticky rate \(rate)")
}

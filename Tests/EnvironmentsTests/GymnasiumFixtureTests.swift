import Foundation
import Testing
@testable import Environments

/// Trajectories recorded from Gymnasium by `Scripts/make-gym-fixtures.py`.
struct GymTrajectories: Decodable {
  struct Episode: Decodable {
    /// `nil`: reset without a seed, continuing the stream of the previous episode.
    var seed: UInt64?
    var initialState: [Double]
    var resetObs: [Double]
    var steps: [Step]
  }

  struct Step: Decodable {
    var action: Double
    var obs: [Double]
    var reward: Double
    var terminated: Bool
    var truncated: Bool
  }

  var env: String
  var episodes: [Episode]

  static func load(_ name: String) throws -> GymTrajectories {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures").appendingPathComponent(name)
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(GymTrajectories.self, from: Data(contentsOf: url))
  }
}

/// The fixture's float32 values, stored as the doubles that hold them exactly.
private func float32s(_ values: [Double]) -> [Float] { values.map(Float.init) }

@Test func cartPoleResetMatchesGymnasiumForEverySeed() throws {
  let fixture = try GymTrajectories.load("cartpole-trajectories.json")
  var environment = CartPole()
  for episode in fixture.episodes {
    let observation = environment.reset(seed: episode.seed)
    #expect(observation == float32s(episode.resetObs), "seed \(String(describing: episode.seed))")
    let s = environment.state
    #expect([s.x, s.xVelocity, s.theta, s.thetaVelocity] == episode.initialState)
    // Play the episode so that seedless resets continue the same stream as Gymnasium's.
    for step in episode.steps { _ = environment.step(.discrete(Int(step.action))) }
  }
}

@Test func cartPoleStepsMatchGymnasiumExactly() throws {
  let fixture = try GymTrajectories.load("cartpole-trajectories.json")
  #expect(fixture.env == "CartPole-v1")
  for (e, episode) in fixture.episodes.enumerated() {
    var environment = TimeLimit(CartPole(), maxEpisodeSteps: 500)
    _ = environment.reset(seed: 0)
    let v = episode.initialState
    environment.environment.state = CartPole.State(x: v[0], xVelocity: v[1], theta: v[2], thetaVelocity: v[3])
    for (t, expected) in episode.steps.enumerated() {
      let step = environment.step(.discrete(Int(expected.action)))
      #expect(step.observation == float32s(expected.obs), "episode \(e) step \(t)")
      #expect(step.reward == expected.reward && step.isTerminal == expected.terminated
        && step.isTruncated == expected.truncated, "episode \(e) step \(t)")
    }
  }
}

@Test func pendulumMatchesGymnasium() throws {
  let fixture = try GymTrajectories.load("pendulum-trajectories.json")
  #expect(fixture.env == "Pendulum-v1")
  var environment = TimeLimit(Pendulum(), maxEpisodeSteps: 200)
  for (e, episode) in fixture.episodes.enumerated() {
    let observation = environment.reset(seed: episode.seed)
    #expect(observation == float32s(episode.resetObs), "episode \(e) reset")
    let s = environment.environment.state
    #expect([s.theta, s.thetaVelocity] == episode.initialState)
    for (t, expected) in episode.steps.enumerated() {
      let step = environment.step(.continuous([Float(expected.action)]))
      #expect(step.observation == float32s(expected.obs), "episode \(e) step \(t)")
      #expect(step.reward == expected.reward, "episode \(e) step \(t)")
      #expect(!step.isTerminal && step.isTruncated == expected.truncated, "episode \(e) step \(t)")
    }
  }
}

@Test func pendulumAngleNormalizationIsNumpysFlooredRemainder() {
  // Values from Python: ((x + np.pi) % (2 * np.pi)) - np.pi
  #expect(Pendulum.normalizedAngle(0) == 0)
  #expect(Pendulum.normalizedAngle(-Double.pi) == -Double.pi)
  #expect(Pendulum.normalizedAngle(Double.pi) == -Double.pi)
  #expect(abs(Pendulum.normalizedAngle(7) - (7 - 2 * Double.pi)) < 1e-15)
  #expect(abs(Pendulum.normalizedAngle(-7) - (-7 + 2 * Double.pi)) < 1e-15)
}

/// Per-colour pixel counts and bounding boxes of Gymnasium's CartPole render.
private struct RenderSummary: Decodable {
  struct Colour: Decodable { var count: Int; var box: [Int] }
  struct Picture: Decodable { var state: [Double]; var width: Int; var height: Int; var colours: [String: Colour] }
  var frames: [Picture]
}

@Test func cartPoleRenderLooksLikeGymnasiums() throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/cartpole-render.json")
  let fixture = try JSONDecoder().decode(RenderSummary.self, from: Data(contentsOf: url))
  for picture in fixture.frames {
    var environment = CartPole()
    let v = picture.state
    environment.state = CartPole.State(x: v[0], xVelocity: v[1], theta: v[2], thetaVelocity: v[3])
    let frame = environment.render()
    #expect(frame.width == picture.width && frame.height == picture.height)
    for colour in [CartPole.cartColor, CartPole.poleColor, CartPole.axleColor] {
      let key = "\(colour.red),\(colour.green),\(colour.blue)"
      let expected = try #require(picture.colours[key], "Gymnasium's picture has no \(key) pixels")
      var count = 0, box = [Int.max, Int.max, Int.min, Int.min]
      for y in 0..<frame.height {
        for x in 0..<frame.width where frame[x, y] == colour {
          count += 1
          box = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]
        }
      }
      // Gymnasium anti-aliases edges (those pixels have blended colours); we do not.
      #expect(abs(count - expected.count) <= expected.count / 10 + 4, "\(key): \(count) vs \(expected.count)")
      #expect(zip(box, expected.box).allSatisfy { abs($0 - $1) <= 2 }, "\(key): \(box) vs \(expected.box)")
    }
  }
}

import Foundation
import Testing
@testable import Environments

private struct WrapperFixture: Decodable {
  struct Statistics: Decodable { var mean: [Double]; var `var`: [Double]; var count: Double }
  var episodes: [GymTrajectories.Episode]
  var observationStatistics: Statistics
  var returnStatistics: Statistics
}

/// Episodes here carry no initial state; decode what the trajectory type needs.
extension GymTrajectories.Episode {
  enum CodingKeys: String, CodingKey { case seed, initialState, resetObs, steps }
  init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
    initialState = try c.decodeIfPresent([Double].self, forKey: .initialState) ?? []
    resetObs = try c.decode([Double].self, forKey: .resetObs)
    steps = try c.decode([GymTrajectories.Step].self, forKey: .steps)
  }
}

@Test func normalizationWrappersMatchGymnasium() throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/cartpole-wrappers.json")
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  let fixture = try decoder.decode(WrapperFixture.self, from: Data(contentsOf: url))
  var environment = NormalizeReward(NormalizeObservation(TimeLimit(CartPole(), maxEpisodeSteps: 500)), discount: 0.99)
  for (e, episode) in fixture.episodes.enumerated() {
    #expect(environment.reset(seed: episode.seed) == episode.resetObs.map(Float.init), "episode \(e) reset")
    for (t, expected) in episode.steps.enumerated() {
      let step = environment.step(.discrete(Int(expected.action)))
      #expect(step.observation == expected.obs.map(Float.init), "episode \(e) step \(t)")
      #expect(step.reward == expected.reward, "episode \(e) step \(t)")
      #expect(step.isTerminal == expected.terminated && step.isTruncated == expected.truncated)
    }
  }
  let observations = environment.environment.statistics
  #expect(observations.mean == fixture.observationStatistics.mean.map(Float.init))
  #expect(observations.variance == fixture.observationStatistics.var.map(Float.init))
  #expect(observations.count == fixture.observationStatistics.count)
  #expect(environment.statistics.mean == fixture.returnStatistics.mean)
  #expect(environment.statistics.variance == fixture.returnStatistics.var)
  #expect(environment.statistics.count == fixture.returnStatistics.count)
}

@Test func runningStatisticsRoundTripThroughJSON() throws {
  var statistics = RunningMeanVariance<Float>(elementCount: 2)
  statistics.update([1, 2])
  statistics.update([3, -4])
  let copy = try JSONDecoder().decode(RunningMeanVariance<Float>.self, from: JSONEncoder().encode(statistics))
  #expect(copy == statistics)
}

@Test func timeLimitTruncatesAndRestartsItsCount() {
  var environment = TimeLimit(Pendulum(), maxEpisodeSteps: 3)
  _ = environment.reset(seed: 1)
  let endings = (0..<3).map { _ in environment.step(.continuous([0])).isTruncated }
  #expect(endings == [false, false, true])
  _ = environment.reset(seed: nil)
  #expect(environment.elapsedSteps == 0 && !environment.step(.continuous([0])).isTruncated)
}

@Test func episodeStatisticsSumRewardsUntilTheEpisodeEnds() {
  var environment = RecordEpisodeStatistics(TimeLimit(CartPole(), maxEpisodeSteps: 500), bufferLength: 2)
  for episode in 0..<3 {
    _ = environment.reset(seed: UInt64(episode))
    var total = 0.0, length = 0
    while true {
      let step = environment.step(.discrete(length % 2))
      total += step.reward
      length += 1
      if step.isTerminal || step.isTruncated { break }
      #expect(environment.finishedEpisode == nil)
    }
    #expect(environment.finishedEpisode == EpisodeStatistics(totalReward: total, length: length))
  }
  #expect(environment.recentEpisodes.count == 2 && environment.episodeCount == 3)
}

@Test func actionRepeatSumsRewardsAndStopsAtTheEnd() {
  var repeated = ActionRepeat(CartPole(), repeats: 4)
  var single = CartPole()
  _ = repeated.reset(seed: 5)
  _ = single.reset(seed: 5)
  var reward = 0.0, observation: [Float] = []
  for _ in 0..<4 {
    let step = single.step(.discrete(1))
    reward += step.reward
    observation = step.observation
  }
  let step = repeated.step(.discrete(1))
  #expect(step.reward == reward && step.observation == observation)
  #expect(repeated.environment.state == single.state)
  // Pushing one way ends the episode; the wrapper stops on the terminating repeat.
  while !repeated.step(.discrete(1)).isTerminal {}
  #expect(repeated.environment.stepsBeyondTerminated == 0)
}

@Test func frameCaptureKeepsResetAndEveryNthStep() {
  var environment = FrameCapture(CartPole(), every: 2)
  _ = environment.reset(seed: 0)
  let first = environment.render()
  for _ in 0..<4 { _ = environment.step(.discrete(0)) }
  let atFour = environment.render()
  _ = environment.step(.discrete(0))
  #expect(environment.frames.count == 3)
  #expect(environment.frames.first == first && environment.frames.last == atFour)
  #expect(atFour != first)
}

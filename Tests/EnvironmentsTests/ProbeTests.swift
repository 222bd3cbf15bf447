import Randomness
import Testing
@testable import Environments

/// Plays `episodes` episodes; `policy` gets the observation and whether it is the episode's first.
func meanReturn<E: Environment>(
  _ environment: E, episodes: Int, seed: UInt64, policy: (_ observation: [E.Scalar], _ isFirst: Bool) -> Int
) -> Double where E.Scalar == Float {
  var environment = environment
  var total = 0.0
  var observation = environment.reset(seed: seed)
  var isFirst = true
  for _ in 0..<episodes {
    while true {
      let step = environment.step(.discrete(policy(observation, isFirst)))
      isFirst = false
      total += step.reward
      if step.isTerminal || step.isTruncated {
        observation = environment.reset(seed: nil)
        isFirst = true
        break
      }
      observation = step.observation
    }
  }
  return total / Double(episodes)
}

struct ProbeTests {
  static let probes: [any Environment] = [BanditProbe(), MemoryProbe(), TimingProbe()]

  @Test(arguments: 0..<3)
  func sameSeedReplaysTheSameEpisodesInsideTheSpace(_ index: Int) {
    func run<E: Environment>(_ environment: E) where E.Scalar == Float {
      func trace(_ seed: UInt64) -> [[Float]] {
        var environment = environment
        var actions = RandomStream(seed: 5)
        var trace = [environment.reset(seed: seed)]
        for _ in 0..<100 {
          let step = environment.step(.discrete(actions.nextInt(below: environment.actionSpace.size)))
          trace.append(step.observation + [Float(step.reward), step.isTerminal ? 1 : 0])
          if step.isTerminal { trace.append(environment.reset(seed: nil)) }
          let observation = Array(step.observation)
          if !step.isTerminal { #expect(environment.observationSpace.contains(observation)) }
        }
        return trace
      }
      #expect(trace(1) == trace(1))
      #expect(trace(1) != trace(2))
      var environment = environment
      _ = environment.reset(seed: 0)
      let frame = environment.render()
      #expect(frame.pixels.count == frame.width * frame.height * 3 && frame.width > 0)
    }
    let probe = Self.probes[index]
    if let p = probe as? BanditProbe { run(p) }
    if let p = probe as? MemoryProbe { run(p) }
    if let p = probe as? TimingProbe { run(p) }
  }

  // MARK: - Bandit

  @Test func banditExpertEarnsOneAndRandomEarnsAHalf() {
    #expect(meanReturn(BanditProbe(), episodes: 500, seed: 1) { o, _ in BanditProbe.expertAction(for: o) } == 1)
    var coin = RandomStream(seed: 2)
    let random = meanReturn(BanditProbe(), episodes: 2000, seed: 1) { _, _ in coin.nextInt(below: 2) }
    // Binomial(2000, 0.5): standard deviation 0.011; 4.5 of them.
    #expect(abs(random - 0.5) < 0.05)
    // Ignoring the observation earns 1/2 whatever the fixed arm.
    let fixed = meanReturn(BanditProbe(), episodes: 2000, seed: 1) { _, _ in 0 }
    #expect(abs(fixed - 0.5) < 0.05)
  }

  // MARK: - Memory

  @Test func memoryTimelineShowsTheCueOnceThenTheQuery() {
    var probe = MemoryProbe(cueCount: 2, delay: 3)
    let first = probe.reset(seed: 4)
    #expect(first[probe.cue] == 1 && first.reduce(0, +) == 1)
    for t in 1...3 {
      let step = probe.step(.discrete(0))
      #expect(step.observation == [0, 0, 0] && step.reward == 0 && !step.isTerminal, "blank \(t)")
    }
    let query = probe.step(.discrete(0))
    #expect(query.observation == [0, 0, 1] && !query.isTerminal)
    let answer = probe.step(.discrete(probe.cue))
    #expect(answer.reward == 1 && answer.isTerminal)
  }

  @Test func memoryExpertEarnsOneAndMemorylessPoliciesAHalf() {
    var expert = MemoryProbe.Expert()
    #expect(meanReturn(MemoryProbe(), episodes: 500, seed: 1) { o, _ in expert.action(for: o) } == 1)
    // A policy that sees only the current observation: at the query it sees [0, 0, 1] whatever
    // the cue, so it can only guess.
    let memoryless = meanReturn(MemoryProbe(), episodes: 2000, seed: 1) { o, _ in o[2] > 0.5 ? 0 : 1 }
    #expect(abs(memoryless - 0.5) < 0.05)
  }

  // MARK: - Timing

  @Test func timingObservationIsTheElapsedTime() {
    var probe = TimingProbe()
    var observation = probe.reset(seed: 3)
    var sum = observation[0]
    #expect(observation[0] == probe.elapsedTime && probe.accumulatedTime == sum)
    while true {
      let step = probe.step(.discrete(0))
      if step.isTerminal {
        // Waiting through the window ends the episode unrewarded at the deadline.
        #expect(step.reward == 0 && probe.accumulatedTime >= probe.deadline)
        break
      }
      observation = step.observation
      sum += observation[0]
      #expect((0.5...1.5).contains(observation[0]) && probe.accumulatedTime == sum)
    }
  }

  @Test func timingExpertEarnsOneAndStepCountersDoNot() {
    var expert = TimingProbe.Expert()
    let expertReturn = meanReturn(TimingProbe(), episodes: 1000, seed: 1) { o, isFirst in
      if isFirst { expert = TimingProbe.Expert() }
      return expert.action(for: o)
    }
    #expect(expertReturn == 1)
    // The best policy that presses at a fixed step k: τ is then a sum of k + 1 uniform
    // intervals, and P(5 ≤ τ < 6.5) is at most ≈ 0.68 (Irwin–Hall, k = 5).
    let best = timingStepCounterReturns().max()!
    #expect(best < 0.8)
  }

  /// The return of pressing at observation k, for k = 0…12 (2000 episodes each).
  func timingStepCounterReturns() -> [Double] {
    (0...12).map { k in
      var index = 0
      return meanReturn(TimingProbe(), episodes: 2000, seed: 7) { _, isFirst in
        if isFirst { index = 0 }
        defer { index += 1 }
        return index == k ? 1 : 0
      }
    }
  }

  /// Baselines for Probes/README.md (`swift test --filter timingProbeBaselines`).
  @Test func timingProbeBaselines() {
    let counters = timingStepCounterReturns()
    var coin = RandomStream(seed: 3)
    let random = meanReturn(TimingProbe(), episodes: 10000, seed: 9) { _, _ in coin.nextInt(below: 2) }
    print("timing probe: press-at-step-k returns \(counters.map { ($0 * 1000).rounded() / 1000 }), random \(random)")
    #expect(random < 0.2)
  }
}

/// The state-based `expertAction()` of each probe earns the optimal return too.
@Test func probeStateExpertsAreOptimal() {
  func run<E: Environment>(_ environment: E, expert: (E) -> Int) -> Double {
    var environment = environment
    var total = 0.0
    _ = environment.reset(seed: 11)
    for _ in 0..<300 {
      while true {
        let step = environment.step(.discrete(expert(environment)))
        total += step.reward
        if step.isTerminal { break }
      }
      _ = environment.reset(seed: nil)
    }
    return total / 300
  }
  #expect(run(BanditProbe()) { $0.expertAction() } == 1)
  #expect(run(MemoryProbe()) { $0.expertAction() } == 1)
  #expect(run(TimingProbe()) { $0.expertAction() } == 1)
}

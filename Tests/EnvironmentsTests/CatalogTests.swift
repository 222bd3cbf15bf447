import Testing
@testable import Environments

@Test func unknownIDListsTheValidOnes() {
  #expect(throws: Catalog.Error.unknownID("CartPole-v0", valid: Catalog.ids)) {
    _ = try Catalog.make("CartPole-v0")
  }
  let message = String(describing: Catalog.Error.unknownID("x", valid: ["CartPole-v1", "Pendulum-v1"]))
  #expect(message == "unknown environment id 'x'; valid ids: CartPole-v1, Pendulum-v1")
}

@Test func catalogIDsAreUnique() {
  #expect(Set(Catalog.ids).count == Catalog.ids.count)
  #expect(Catalog.ids.starts(with: ["CartPole-v1", "Pendulum-v1"]))
}

@Test func catalogAppliesTheRegistrationTimeLimit() throws {
  func episodeLength(_ environment: any Environment, action: Action) -> Int {
    func run<E: Environment>(_ environment: E) -> Int {
      var environment = environment
      _ = environment.reset(seed: 0)
      var steps = 1
      while !environment.step(action).isTruncated { steps += 1 }
      return steps
    }
    return run(environment)
  }
  #expect(episodeLength(try Catalog.make("Pendulum-v1"), action: .continuous([0])) == 200)
  let short = try Catalog.make("Pendulum-v1", options: .init(maxEpisodeSteps: 7))
  #expect(episodeLength(short, action: .continuous([0])) == 7)
  #expect(try Catalog.make("CartPole-v1") is TimeLimit<CartPole>)
  #expect(try Catalog.make("CartPole-v1", options: .init(timeLimit: false)) is CartPole)
  #expect(throws: Catalog.Error.self) { _ = try Catalog.make("CartPole-v1", options: .init(maxEpisodeSteps: 0)) }
}

@Test func everyCatalogEnvironmentHasAnExpert() {
  let missing = Catalog.entries.filter { $0.makeExpert == nil }.map(\.id)
  #expect(missing.isEmpty, "no expert: \(missing)")
}

/// Plays one episode of `environment` from `seed` with `expert`; returns the total reward.
private func expertReturn<E: Environment>(_ environment: E, expert: inout any Expert, seed: UInt64) -> Double {
  var environment = environment
  var observation = environment.reset(seed: seed).map(\.floatValue)
  var total = 0.0
  while true {
    let step = environment.step(expert.action(in: environment, observation: observation))
    total += step.reward
    observation = step.observation.map(\.floatValue)
    if step.isTerminal || step.isTruncated { return total }
  }
}

/// The grid, probe and classic-control experts play whole episodes through `Catalog.make`'s
/// wrappers and reach their documented returns (the arcade experts: ArcadeExpertTests).
@Test(arguments: [
  ("CartPole-v1", 500.0), ("CartPoleNoVel-v1", 500.0), ("MiniGrid-Empty-5x5-v0", 0.955),
  ("MiniGrid-DoorKey-5x5-v0", 0.9), ("MiniGrid-MemoryS7-v0", 0.9), ("Probe-Bandit-v0", 1),
  ("Probe-Memory-v0", 1), ("Probe-Timing-v0", 1),
])
func catalogExpertsPlayThroughTheWrappers(id: String, minimumReturn: Double) throws {
  let environment = try Catalog.make(id)
  var expert = try #require(try Catalog.entry(id).makeExpert?())
  for seed in 0..<3 as Range<UInt64> {
    let total = expertReturn(environment, expert: &expert, seed: seed)
    #expect(total >= minimumReturn - 1e-9, "\(id) seed \(seed): \(total)")
  }
}

@Test func cartPoleNoVelObservesPositionsOnly() throws {
  var full = TimeLimit(CartPole(), maxEpisodeSteps: 500)
  let made = try Catalog.make("CartPoleNoVel-v1")
  var partial = try #require(made as? TimeLimit<ObservationSubset<CartPole>>)
  #expect(partial.observationSpace.shape == [2])
  #expect(partial.observationSpace.high == [full.observationSpace.high[0], full.observationSpace.high[2]])
  func positions(_ observation: [Float]) -> [Float] { [observation[0], observation[2]] }
  #expect(positions(full.reset(seed: 5)) == partial.reset(seed: 5))
  for t in 0..<40 {
    let action = Action.discrete(t % 3 == 0 ? 1 : 0)
    let a = full.step(action), b = partial.step(action)
    #expect(positions(a.observation) == b.observation)
    #expect(a.reward == b.reward && a.isTerminal == b.isTerminal && a.isTruncated == b.isTruncated)
    if a.isTerminal { break }
  }
}

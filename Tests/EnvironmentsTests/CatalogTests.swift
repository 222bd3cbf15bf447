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

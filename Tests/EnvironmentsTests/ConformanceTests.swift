import Randomness
import Testing
@testable import Environments

/// Gymnasium's `check_env` for swift-ncps: every catalog environment is checked here, so an
/// environment is covered the day its entry is added.
@Suite struct Conformance {
  /// A random action of `space`.
  static func randomAction(_ space: ActionSpace, _ random: inout RandomStream) -> Action {
    switch space {
    case .discrete(let count): .discrete(random.nextInt(below: count))
    case .continuous(let low, let high): .continuous(zip(low, high).map { $0 + ($1 - $0) * random.nextFloat() })
    }
  }

  struct Record: Equatable {
    /// Per observation: its first elements and a position-weighted sum (pixel frames are large,
    /// and this bundle runs unoptimized in CI).
    var observations: [[Float]] = []
    var rewards: [Double] = []
    var endings: [[Bool]] = []
  }

  /// Plays `steps` random actions from `reset(seed: seed)`, resetting with no seed when an
  /// episode ends, and checks every observation against the space on the way.
  static func play<E: Environment>(_ environment: E, seed: UInt64, steps: Int) -> Record {
    var environment = environment
    var random = RandomStream(seed: seed, stream: 9)
    var record = Record()
    let space = environment.observationSpace
    func check(_ observation: [E.Scalar]) {
      #expect(E.Scalar.elementType == space.elementType)
      #expect(observation.count == space.elementCount)
      #expect(space.contains(observation), "observation outside \(space.shape)")
      var summary = [Float](), weighted: Float = 0
      observation.withUnsafeBufferPointer { values in
        for i in 0..<min(8, values.count) { summary.append(values[i].floatValue) }
        for i in 0..<values.count { weighted += Float(i % 251) * values[i].floatValue }
      }
      record.observations.append(summary + [weighted])
    }
    check(environment.reset(seed: seed))
    for _ in 0..<steps {
      let step = environment.step(randomAction(environment.actionSpace, &random))
      check(step.observation)
      #expect(step.reward.isFinite)
      record.rewards.append(step.reward)
      record.endings.append([step.isTerminal, step.isTruncated])
      if step.isTerminal || step.isTruncated { check(environment.reset(seed: nil)) }
    }
    return record
  }

  static func open(_ environment: any Environment, seed: UInt64, steps: Int) -> Record {
    play(environment, seed: seed, steps: steps)
  }

  @Test(arguments: Catalog.ids)
  func sameSeedReplaysTheSameEpisodes(id: String) throws {
    let first = Self.open(try Catalog.make(id), seed: 42, steps: 30)
    let second = Self.open(try Catalog.make(id), seed: 42, steps: 30)
    #expect(first == second)
  }

  @Test(arguments: Catalog.ids)
  func copyingSnapshotsTheEpisode(id: String) throws {
    func check<E: Environment>(_ environment: E) {
      var environment = environment
      _ = environment.reset(seed: 7)
      for _ in 0..<5 { if environment.step(Self.randomAction(environment.actionSpace, &stream)).isTerminal { return } }
      var copy = environment
      var streamCopy = stream
      let original = Self.randomAction(environment.actionSpace, &stream)
      #expect(environment.step(original) == copy.step(Self.randomAction(copy.actionSpace, &streamCopy)))
    }
    var stream = RandomStream(seed: 3)
    check(try Catalog.make(id))
  }

  @Test(arguments: Catalog.ids)
  func timeLimitTruncatesExactlyAtTheLimit(id: String) throws {
    func check<E: Environment>(_ environment: E) {
      var environment = environment
      var random = RandomStream(seed: 11, stream: 2)
      _ = environment.reset(seed: 5)
      for episode in 0..<3 {
        var length = 0
        while true {
          let step = environment.step(Self.randomAction(environment.actionSpace, &random))
          length += 1
          if step.isTruncated { #expect(length == 4, "episode \(episode) truncated at step \(length)") }
          if step.isTerminal || step.isTruncated { break }
          #expect(length < 4, "episode \(episode) not truncated at the limit")
        }
        _ = environment.reset(seed: nil)
      }
    }
    check(try Catalog.make(id, options: .init(maxEpisodeSteps: 4)))
  }

  @Test(arguments: Catalog.ids)
  func renderIsAFullDeterministicFrame(id: String) throws {
    func check<E: Environment>(_ environment: E) {
      var environment = environment
      _ = environment.reset(seed: 1)
      _ = environment.step(Self.randomAction(environment.actionSpace, &stream))
      let frame = environment.render()
      #expect(frame.width > 0 && frame.height > 0 && frame.pixels.count == frame.width * frame.height * 3)
      #expect(frame == environment.render())
      #expect(Set(frame.pixels).count > 1, "a blank frame")
    }
    var stream = RandomStream(seed: 0)
    check(try Catalog.make(id))
  }
}

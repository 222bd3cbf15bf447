import Randomness
import Testing
@testable import Environments

/// Random CartPole actions for `count` rows and `steps` steps, from a fixed stream.
private func randomActions(count: Int, steps: Int) -> [[Action]] {
  var random = RandomStream(seed: 7)
  return (0..<steps).map { _ in (0..<count).map { _ in .discrete(random.nextInt(below: 2)) } }
}

private struct Trace: Equatable {
  var observations: [[Float]] = []
  var finals: [[Float]] = []
  var rewards: [[Float]] = []
  var endings: [[Bool]] = []
}

private func trace(workers: Int, count: Int, actions: [[Action]]) -> Trace {
  var vector = VectorEnvironment(TimeLimit(CartPole(), maxEpisodeSteps: 60), count: count, workerCount: workers)
  vector.reset(seed: 100)
  var trace = Trace(observations: [vector.observations])
  for batch in actions {
    vector.step(batch)
    trace.observations.append(vector.observations)
    trace.finals.append((0..<count).flatMap { vector.terminated[$0] || vector.truncated[$0] ? Array(vector.finalObservation(at: $0)) : [] })
    trace.rewards.append(vector.rewards)
    trace.endings.append(vector.terminated + vector.truncated)
  }
  return trace
}

@Test func sameSeedGivesSameTrajectoriesForAnyWorkerCount() {
  let actions = randomActions(count: 13, steps: 150)
  let reference = trace(workers: 1, count: 13, actions: actions)
  #expect(reference.endings.joined().contains(true))  // episodes did end and autoreset
  for workers in [2, 3, 8] { #expect(trace(workers: workers, count: 13, actions: actions) == reference) }
}

@Test func rowsReplaySingleEnvironmentsWithAutoreset() {
  let count = 5, actions = randomActions(count: 5, steps: 200)
  var vector = VectorEnvironment(TimeLimit(CartPole(), maxEpisodeSteps: 60), count: count, workerCount: 2)
  vector.reset(seed: 42)
  var singles = (0..<count).map { _ in TimeLimit(CartPole(), maxEpisodeSteps: 60) }
  for row in 0..<count { #expect(Array(vector.observation(at: row)) == singles[row].reset(seed: 42 + UInt64(row))) }
  var endedEpisodes = 0
  for batch in actions {
    vector.step(batch)
    for row in 0..<count {
      let step = singles[row].step(batch[row])
      #expect(vector.rewards[row] == Float(step.reward))
      #expect(vector.terminated[row] == step.isTerminal && vector.truncated[row] == step.isTruncated)
      if step.isTerminal || step.isTruncated {
        endedEpisodes += 1
        #expect(Array(vector.finalObservation(at: row)) == step.observation)
        #expect(vector.finishedEpisodes[row]?.length == singles[row].elapsedSteps)
        #expect(Array(vector.observation(at: row)) == singles[row].reset(seed: nil))
      } else {
        #expect(Array(vector.observation(at: row)) == step.observation)
        #expect(vector.finishedEpisodes[row] == nil)
      }
    }
  }
  #expect(endedEpisodes > count)
}

/// A pixel environment for checking that `UInt8` observations vectorise: a 2×2 image whose
/// brightness counts the steps; it terminates after `length` steps.
private struct Brightening: Environment {
  typealias Scalar = UInt8
  var length: Int
  var brightness: UInt8 = 0
  var observationSpace: ObservationSpace { ObservationSpace(shape: [2, 2, 1], low: 0, high: 255, elementType: .uint8) }
  var actionSpace: ActionSpace { .discrete(count: 1) }
  mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<UInt8>) {
    brightness = UInt8(seed ?? 0)
    for i in observation.indices { observation[i] = brightness }
  }
  mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<UInt8>) -> StepOutcome {
    brightness += 1
    for i in observation.indices { observation[i] = brightness }
    return StepOutcome(reward: 1, isTerminal: Int(brightness) % length == 0)
  }
  func render() -> Frame { Frame(width: 2, height: 2, fill: (brightness, brightness, brightness)) }
}

@Test func pixelEnvironmentsVectorise() {
  var vector = VectorEnvironment([Brightening(length: 2), Brightening(length: 3)], workerCount: 2)
  vector.reset(seed: 1)
  #expect(vector.observations == [1, 1, 1, 1, 2, 2, 2, 2])
  vector.step(discrete: [0, 0])
  #expect(vector.terminated == [true, true])
  #expect(vector.finalObservations == [2, 2, 2, 2, 3, 3, 3, 3])
  #expect(vector.observations == [0, 0, 0, 0, 0, 0, 0, 0])  // reset with no seed
}

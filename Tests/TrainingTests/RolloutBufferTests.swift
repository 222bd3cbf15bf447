import Randomness
import Testing
@testable import Training

@Test func sequencesAreTheStepMajorBufferTransposed() {
  var buffer = RolloutBuffer(steps: 3, environmentCount: 2, observationSize: 2, actionSize: 1, stateSize: 1)
  for t in 0..<3 {
    for e in 0..<2 {
      let i = t * 2 + e
      buffer.observations[2 * i] = Float(100 * e + 10 * t)
      buffer.observations[2 * i + 1] = Float(100 * e + 10 * t + 1)
      buffer.actions[i] = Float(t)
      buffer.episodeStarts[i] = t == 1 && e == 1 ? 1 : 0
      buffer.values[i] = Float(e) + Float(t) / 10
    }
  }
  buffer.initialStates = [7, 8]
  let sequences = buffer.sequences(of: [1])
  #expect(sequences.observations == [100, 101, 110, 111, 120, 121])
  #expect(sequences.actions == [0, 1, 2])
  #expect(sequences.episodeStarts == [0, 1, 0])
  #expect(sequences.values == [1, 1.1, 1.2])
  #expect(sequences.initialStates == [8])
}

@Test func minibatchesPartitionTheEnvironments() {
  var generator = RandomStream(seed: 5)
  let batches = environmentMinibatches(environmentCount: 8, minibatchCount: 4, using: &generator)
  #expect(batches.count == 4 && batches.allSatisfy { $0.count == 2 })
  #expect(batches.flatMap { $0 }.sorted() == Array(0..<8))
}

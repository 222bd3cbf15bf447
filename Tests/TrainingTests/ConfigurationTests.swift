import Foundation
import Environments
import Testing
@testable import Training

private func decode(_ json: String) throws -> PPOConfiguration {
  try ConfigurationFile.decode(PPOConfiguration.self, from: Data(json.utf8), file: "ppo.json")
}

@Test func absentKeysKeepTheirDefaults() throws {
  let configuration = try decode(#"{"learning_rate": 0.0003, "epochs": 4}"#)
  var expected = PPOConfiguration()
  expected.learningRate = 3e-4
  expected.epochs = 4
  #expect(configuration == expected)
}

@Test func encodedConfigurationDecodesToItself() throws {
  var configuration = PPOConfiguration()
  configuration.targetKL = 0.02
  configuration.workerCount = 2
  let data = try ConfigurationFile.encoder().encode(configuration)
  #expect(String(decoding: data, as: UTF8.self).contains("\"learning_rate\""))
  #expect(try ConfigurationFile.decode(PPOConfiguration.self, from: data, file: "x") == configuration)
}

@Test func unknownKeyIsNamedWithTheFile() {
  #expect {
    try decode(#"{"learning_rat": 0.1}"#)
  } throws: { error in
    let message = "\(error)"
    return message.hasPrefix("ppo.json: learning_rat: unknown key") && message.contains("learning_rate")
  }
}

@Test func wrongTypeNamesTheField() {
  #expect {
    try decode(#"{"epochs": "ten"}"#)
  } throws: { error in
    "\(error)" == "ppo.json: epochs: expected an integer"
  }
}

@Test func invalidJSONSaysSo() {
  #expect {
    try decode(#"{"epochs": 4"#)
  } throws: { error in
    "\(error)" == "ppo.json: is not valid JSON"
  }
}

@Test func validationNamesTheFieldAndTheProblem() {
  var configuration = PPOConfiguration()
  configuration.minibatchCount = 3
  #expect {
    try configuration.validate()
  } throws: { error in
    "\(error)" == "ppo.minibatch_count: must divide environment_count (8), got 3"
  }
}

@Test func actorGainScalesTheActorHeadAndMustBePositive() throws {
  let policy = try ConfigurationFile.decode(
    PolicyConfiguration.self, from: Data(#"{"circuit": "mlp", "actor_gain": 2}"#.utf8), file: "policy.json")
  #expect(policy.actorGain == 2 && PolicyConfiguration().actorGain == 0.01)
  func actorNorm(_ gain: Double) throws -> Float {
    var configuration = policy
    configuration.actorGain = gain
    let model = try ActorCritic(
      configuration: configuration, observationSpace: ObservationSpace(shape: [6], low: -1, high: 1),
      actionSpace: .discrete(count: 3), seed: 5)
    return model.actor.weight.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()
  }
  // Orthogonal [3, 64] rows: the Frobenius norm is gain · √3.
  #expect(abs(try actorNorm(2) - 2 * Float(3).squareRoot()) < 1e-4)
  #expect(abs(try actorNorm(0.01) - 0.01 * Float(3).squareRoot()) < 1e-6)
  var invalid = policy
  invalid.actorGain = 0
  #expect(throws: ConfigurationError.self) { try invalid.validate() }
}

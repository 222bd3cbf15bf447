import Foundation
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

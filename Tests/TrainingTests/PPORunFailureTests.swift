import Foundation
import NeuralNetworks
import TensorCore
import Testing
@testable import Training

/// `smallPPORun()` on one worker with two evaluation episodes and the default minibatches.
private func tinyRun() -> PPORunConfiguration {
  var configuration = smallPPORun()
  configuration.ppo.minibatchCount = PPOConfiguration().minibatchCount
  configuration.ppo.evaluationEpisodes = 2
  configuration.ppo.workerCount = 1
  return configuration
}

@Test func aNaNLossStopsTheRunWithAMessageAndLeavesTheCheckpointAlone() throws {
  let directory = try RunDirectory(FileManager.default.temporaryDirectory.appendingPathComponent("ppo-nan-\(UUID())"))
  defer { try? FileManager.default.removeItem(at: directory.url) }
  var first = PPORun(configuration: tinyRun(), directory: directory)
  first.showsProgress = false
  first.iterationLimit = 2
  #expect(try first.run(resume: false) == nil)

  // A NaN in the critic makes every value, advantage and loss of the next iteration NaN.
  let url = directory.file(PPORun.checkpointName)
  var file = try SafeTensorsFile(contentsOf: url)
  let bias = try file.tensor(named: "policy.critic.bias")
  try file.setTensor(Tensor([Float](repeating: .nan, count: bias.count), shape: bias.shape), named: "policy.critic.bias")
  try file.write(to: url)
  let saved = try Data(contentsOf: url)

  var second = PPORun(configuration: tinyRun(), directory: directory)
  second.showsProgress = false
  let error = try #require(throws: ConfigurationError.self) { try second.run(resume: true) }
  #expect(error.problem.contains("NaN") && error.problem.contains("iteration 3"), "\(error)")
  #expect(try Data(contentsOf: url) == saved, "the checkpoint was overwritten")
  #expect(!FileManager.default.fileExists(atPath: directory.file("summary.json").path))
}

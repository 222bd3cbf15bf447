import Environments
import Foundation
import NeuralNetworks
import TensorCore

/// Reads the policy out of a PPO run's `checkpoint.safetensors` for watching and evaluation
/// (the optimizer state and counters in the file are ignored).
///
/// The file holds the policy's state dict under `policy.*` and the run's
/// `PPORunConfiguration` as JSON in the metadata field `config`; the policy is rebuilt from that
/// configuration and the catalog environment's spaces, then its tensors are loaded.
public enum PPOCheckpoint {
  /// The run configuration and the trained policy stored in `url`.
  ///
  /// - Throws: `ConfigurationError` naming the file and the field when the file cannot be read,
  ///   is not a PPO checkpoint, names an unknown environment, or its tensors do not fit the policy.
  public static func load(from url: URL) throws -> (configuration: PPORunConfiguration, policy: ActorCritic) {
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile(contentsOf: url) } catch {
      throw ConfigurationError(file: url.path, field: nil, problem: "is not a readable safetensors file (\(error))")
    }
    guard let json = file.metadata["config"] else {
      throw ConfigurationError(
        file: url.path, field: "config", problem: "is missing from the metadata; is this a ppo-train checkpoint.safetensors?")
    }
    let configuration = try ConfigurationFile.decode(PPORunConfiguration.self, from: Data(json.utf8), file: url.path)
    let prototype: any Environment
    do { prototype = try Catalog.make(configuration.env) } catch {
      throw ConfigurationError(file: url.path, field: "config.env", problem: "\(error)")
    }
    var policy: ActorCritic
    do {
      policy = try ActorCritic(
        configuration: configuration.policy, observationSpace: prototype.observationSpace,
        actionSpace: prototype.actionSpace, seed: configuration.seed)
    } catch let error as ConfigurationError {
      throw ConfigurationError(file: url.path, field: error.field.map { "config." + $0 }, problem: error.problem)
    } catch {
      throw ConfigurationError(file: url.path, field: "config.policy", problem: "\(error)")
    }
    let tensors: [String: Tensor]
    do { tensors = try file.tensors() } catch {
      throw ConfigurationError(file: url.path, field: nil, problem: "has unreadable tensors (\(error))")
    }
    var stateDict: [String: Tensor] = [:]
    for (name, tensor) in tensors where name.hasPrefix("policy.") {
      stateDict[String(name.dropFirst("policy.".count))] = tensor
    }
    guard !stateDict.isEmpty else {
      throw ConfigurationError(file: url.path, field: "policy", problem: "has no policy.* tensors")
    }
    do { try policy.loadStateDict(stateDict) } catch {
      throw ConfigurationError(file: url.path, field: "policy", problem: "\(error)")
    }
    return (configuration, policy)
  }
}

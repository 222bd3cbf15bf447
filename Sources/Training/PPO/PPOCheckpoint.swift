import Environments
import Foundation
import NeuralNetworks
import TensorCore

/// Reads the policy out of a PPO run's `checkpoint.safetensors` for watching and evaluation
/// (the optimizer state and counters in the file are ignored).
///
/// The file holds the policy's state dict under `policy.*` and the run's
/// `PPORunConfiguration` as JSON in the metadata field `config`; the policy is rebuilt from that
/// configuration and the catalog environment's spaces, then its tensors are loaded. bc-train's
/// checkpoints have the same layout plus their cloning settings in `bc_config`; a policy cloned
/// with `frame_stack` k sees the environment through ``ChannelStack`` k deep.
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
    let observationSpace = stacked(prototype, depth: try frameStack(of: file, url: url)).observationSpace
    var policy: ActorCritic
    do {
      policy = try ActorCritic(
        configuration: configuration.policy, observationSpace: observationSpace,
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

  /// Observations the policy sees side by side: `frame_stack` of a bc-train checkpoint's
  /// `bc_config`, 1 for PPO checkpoints.
  static func frameStack(of file: SafeTensorsFile, url: URL) throws -> Int {
    guard let json = file.metadata["bc_config"] else { return 1 }
    let settings = try ConfigurationFile.decode(BCRunConfiguration.self, from: Data(json.utf8), file: url.path)
    return settings.frameStack
  }

  /// `environment` as a policy that reads `depth` stacked observations sees it.
  static func stacked(_ environment: any Environment, depth: Int) -> any Environment {
    func wrap<Env: Environment>(_ base: Env) -> any Environment { ChannelStack(base, stackSize: depth) }
    return depth > 1 ? wrap(environment) : environment
  }
}

extension PPOCheckpoint {
  /// The run's environment as its policy saw it: the catalog environment, inside frozen
  /// observation normalisation when the run normalised observations (the statistics of every
  /// training environment merged, as the run's own final evaluation uses them), or stacked when
  /// a cloning run used `frame_stack`.
  ///
  /// - Throws: `ConfigurationError` naming the file and `observation_statistics` when the run
  ///   normalised observations but the statistics are missing or do not fit the environment.
  public static func environment(from url: URL, configuration: PPORunConfiguration) throws -> any Environment {
    let prototype: any Environment
    do { prototype = try Catalog.make(configuration.env) } catch {
      throw ConfigurationError(file: url.path, field: "config.env", problem: "\(error)")
    }
    let file: SafeTensorsFile
    do { file = try SafeTensorsFile(contentsOf: url) } catch {
      throw ConfigurationError(file: url.path, field: nil, problem: "is not a readable safetensors file (\(error))")
    }
    guard configuration.normalizeObservations else { return stacked(prototype, depth: try frameStack(of: file, url: url)) }
    func fail(_ problem: String) -> ConfigurationError {
      ConfigurationError(file: url.path, field: "observation_statistics", problem: problem)
    }
    guard let json = file.metadata["observation_statistics"] else {
      throw fail("is missing from the metadata, but the run normalised observations")
    }
    let statistics: [RunningMeanVariance<Float>]
    do { statistics = try JSONDecoder().decode([RunningMeanVariance<Float>].self, from: Data(json.utf8)) } catch {
      throw fail("is not valid (\(error))")
    }
    let size = prototype.observationSpace.elementCount
    guard let merged = RunningMeanVariance.merged(statistics), merged.mean.count == size, merged.variance.count == size
    else {
      throw fail("does not hold statistics of \(size) elements for \(configuration.env)")
    }
    func frozen<Env: Environment>(_ environment: Env) -> any Environment {
      var normalizing = ObservationNormalizing(environment, clip: configuration.observationClip)
      normalizing.statistics = merged
      normalizing.updatesStatistics = false
      return normalizing
    }
    return frozen(prototype)
  }
}

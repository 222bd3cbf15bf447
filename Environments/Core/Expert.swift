/// A scripted policy that plays an environment well: demonstrations for behaviour cloning and a
/// score reference. Each catalog entry may name one (``Catalog/Entry/makeExpert``); its mean
/// return is documented with the environment.
public protocol Expert: Sendable {
  /// The action to take in `environment`, whose latest observation is `observation` (as
  /// `Float`s). Experts that need more than the observation (a planner reading the grid) reach
  /// the bare environment through ``Environment/unwrapped(as:)``.
  mutating func action(in environment: any Environment, observation: [Float]) -> Action
}

/// An environment whose scripted expert reads its internal state: the arcade games and their
/// preprocessed and MinAtar forms, the probes. ``ScriptedExpert`` finds it through wrappers.
public protocol ExpertProviding {
  /// The action, an index into the environment's discrete action space, that the expert takes
  /// in the current state.
  func expertAction() -> Int
}

/// The scripted expert of an ``ExpertProviding`` environment as an ``Expert``: it asks the first
/// `ExpertProviding` environment inside `environment` (through ``EnvironmentWrapper``s such as
/// `TimeLimit`) for its action; the observation is not needed.
public struct ScriptedExpert: Expert {
  public init() {}

  public mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    guard let action = ScriptedExpert.expertAction(of: environment) else {
      preconditionFailure("ScriptedExpert needs an ExpertProviding environment, got \(type(of: environment))")
    }
    return .discrete(action)
  }

  static func expertAction(of environment: any Environment) -> Int? {
    if let provider = environment as? any ExpertProviding { return provider.expertAction() }
    if let wrapper = environment as? any EnvironmentWrapper { return expertAction(of: wrapper.wrappedEnvironment) }
    return nil
  }
}

/// A wrapper around another environment (`TimeLimit`, `NormalizeObservation`, ...).
public protocol EnvironmentWrapper: Environment {
  /// The environment one layer in.
  var wrappedEnvironment: any Environment { get }
}

extension Environment {
  /// This environment, or the first one inside its wrappers, that is a `T`; `nil` if none.
  public func unwrapped<T: Environment>(as type: T.Type) -> T? {
    if let environment = self as? T { return environment }
    if let wrapper = self as? any EnvironmentWrapper { return wrapper.wrappedEnvironment.unwrapped(as: type) }
    return nil
  }
}

extension TimeLimit: EnvironmentWrapper { public var wrappedEnvironment: any Environment { environment } }
extension RecordEpisodeStatistics: EnvironmentWrapper { public var wrappedEnvironment: any Environment { environment } }
extension NormalizeObservation: EnvironmentWrapper { public var wrappedEnvironment: any Environment { environment } }
extension NormalizeReward: EnvironmentWrapper { public var wrappedEnvironment: any Environment { environment } }
extension ActionRepeat: EnvironmentWrapper { public var wrappedEnvironment: any Environment { environment } }
extension FrameCapture: EnvironmentWrapper { public var wrappedEnvironment: any Environment { environment } }

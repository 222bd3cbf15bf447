/// A scripted policy that plays an environment well: demonstrations for behaviour cloning and a
/// score reference. Each catalog entry may name one (``Catalog/Entry/makeExpert``); its mean
/// return is documented with the environment.
public protocol Expert: Sendable {
  /// The action to take in `environment`, whose latest observation is `observation` (as
  /// `Float`s). Experts that need more than the observation (a planner reading the grid) reach
  /// the bare environment through ``Environment/unwrapped(as:)``.
  mutating func action(in environment: any Environment, observation: [Float]) -> Action
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

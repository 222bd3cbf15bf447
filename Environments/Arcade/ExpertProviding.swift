/// An environment with a scripted heuristic expert that reads its internal state: the arcade
/// games, their preprocessed and MinAtar forms, and stacks of them.
///
/// The catalog pairs each arcade and MinAtar id with an ``ArcadeExpert`` (the project's
/// ``Expert`` protocol), which finds the `ExpertProviding` environment through the wrappers.
public protocol ExpertProviding {
  /// The action, an index into the environment's discrete action space, that the expert takes
  /// in the current state.
  func expertAction() -> Int
}

extension ArcadeEnvironment: ExpertProviding {}
extension AtariPreprocessing: ExpertProviding {}
extension MinAtarEnvironment: ExpertProviding {}

extension FrameStack: ExpertProviding where Base: ExpertProviding {
  public func expertAction() -> Int { base.expertAction() }
}

extension FrameStack: EnvironmentWrapper { public var wrappedEnvironment: any Environment { base } }
extension AtariPreprocessing: EnvironmentWrapper { public var wrappedEnvironment: any Environment { base } }

/// The scripted expert of the arcade and MinAtar environments as an ``Expert``: it asks the
/// first ``ExpertProviding`` environment inside `environment` (through ``EnvironmentWrapper``s
/// such as `TimeLimit`) for its action; the observation is not needed.
public struct ArcadeExpert: Expert {
  public init() {}

  public mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    guard let action = ArcadeExpert.expertAction(of: environment) else {
      preconditionFailure("ArcadeExpert needs an arcade or MinAtar environment, got \(type(of: environment))")
    }
    return .discrete(action)
  }

  static func expertAction(of environment: any Environment) -> Int? {
    if let provider = environment as? any ExpertProviding { return provider.expertAction() }
    if let wrapper = environment as? any EnvironmentWrapper { return expertAction(of: wrapper.wrappedEnvironment) }
    return nil
  }
}

extension ArcadeEnvironment: ExpertProviding {}
extension AtariPreprocessing: ExpertProviding {}
extension MinAtarEnvironment: ExpertProviding {}

extension FrameStack: ExpertProviding where Base: ExpertProviding {
  public func expertAction() -> Int { base.expertAction() }
}

extension FrameStack: EnvironmentWrapper { public var wrappedEnvironment: any Environment { base } }
extension AtariPreprocessing: EnvironmentWrapper { public var wrappedEnvironment: any Environment { base } }

/// The scripted expert of the arcade and MinAtar environments (the general ``ScriptedExpert``).
public typealias ArcadeExpert = ScriptedExpert

/// An environment with a scripted heuristic expert that reads its internal state: the arcade
/// games, their preprocessed and MinAtar forms, and stacks of them.
///
/// Catalog environments are existentials; `(env as? any ExpertProviding)?.expertAction()` asks
/// for the expert's next action when there is one, e.g. to record demonstrations:
/// ```swift
/// var env = try Catalog.make("Arcade/Breakout-v0")
/// let expert = env as? any ExpertProviding
/// ```
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

/// Every environment of swift-ncps by id, ready to use: `Catalog.make("CartPole-v1")`.
///
/// An id names an environment *and* the wrappers Gymnasium's registration adds — for the
/// classic-control envs that is the `TimeLimit` (CartPole-v1: 500 steps, Pendulum-v1: 200) —
/// so that a catalog env behaves like `gymnasium.make(id)`.
///
/// Each family of environments keeps its entries in its own file (`Catalog+ClassicControl.swift`,
/// `Catalog+GridWorld.swift`, `Catalog+Arcade.swift`, `Catalog+Probes.swift`); ``entries`` joins
/// them. To add an environment, add an ``Entry`` to your family's list; the conformance suite
/// picks it up from ``entries``.
public enum Catalog {
  /// One registered environment.
  public struct Entry: Sendable {
    /// The id users pass to ``Catalog/make(_:options:)``, Gymnasium-style (`Name-vN`).
    public var id: String
    /// One line for `--help` listings and the README table.
    public var summary: String
    /// The episode limit of the registration (Gymnasium's `max_episode_steps`); `nil` when the
    /// environment ends its episodes itself.
    public var maxEpisodeSteps: Int?
    /// Builds the bare environment, without the time limit.
    public var make: @Sendable () -> any Environment
    /// Builds the environment's scripted expert, if it has one.
    public var makeExpert: (@Sendable () -> any Expert)?
    /// Builds the bare environment ending an episode on every lost life (Atari games with
    /// lives: ``Options/terminalOnLifeLoss``); the same type as `make`'s.
    public var makeTerminalOnLifeLoss: (@Sendable () -> any Environment)?

    public init(
      id: String, summary: String, maxEpisodeSteps: Int?, make: @escaping @Sendable () -> any Environment,
      makeExpert: (@Sendable () -> any Expert)? = nil, makeTerminalOnLifeLoss: (@Sendable () -> any Environment)? = nil
    ) {
      self.id = id
      self.summary = summary
      self.maxEpisodeSteps = maxEpisodeSteps
      self.make = make
      self.makeExpert = makeExpert
      self.makeTerminalOnLifeLoss = makeTerminalOnLifeLoss
    }
  }

  /// How ``Catalog/make(_:options:)`` deviates from the registration.
  public struct Options: Hashable, Sendable {
    /// Overrides the registration's episode limit; `nil` keeps it.
    public var maxEpisodeSteps: Int?
    /// `false` returns the bare environment without a `TimeLimit`: episodes end only when the
    /// task ends them.
    public var timeLimit: Bool
    /// End the episode (terminated) on every lost life; the next `reset(seed: nil)` continues
    /// the same game (OpenAI baselines' `EpisodicLifeEnv`, the usual Atari *training* setting;
    /// ``AtariPreprocessing/Settings/terminalOnLifeLoss``). Only `Arcade/<Game>-v0` ids.
    public var terminalOnLifeLoss: Bool

    public init(maxEpisodeSteps: Int? = nil, timeLimit: Bool = true, terminalOnLifeLoss: Bool = false) {
      self.maxEpisodeSteps = maxEpisodeSteps
      self.timeLimit = timeLimit
      self.terminalOnLifeLoss = terminalOnLifeLoss
    }
  }

  /// An id that is not in the catalog, or options it cannot honour.
  public enum Error: Swift.Error, CustomStringConvertible, Equatable {
    case unknownID(String, valid: [String])
    case invalidOption(String)

    public var description: String {
      switch self {
      case .unknownID(let id, let valid):
        "unknown environment id '\(id)'; valid ids: \(valid.joined(separator: ", "))"
      case .invalidOption(let message): message
      }
    }
  }

  /// Every registered environment, by family.
  public static var entries: [Entry] { classicControl + gridWorlds + arcade + probes }

  /// Every valid id, in catalog order.
  public static var ids: [String] { entries.map(\.id) }

  /// The entry for `id`, or ``Error/unknownID(_:valid:)`` listing the valid ids.
  public static func entry(_ id: String) throws -> Entry {
    guard let entry = entries.first(where: { $0.id == id }) else {
      throw Error.unknownID(id, valid: ids)
    }
    return entry
  }

  /// The environment `id` with its registration's wrappers, ready for `reset(seed:)`.
  public static func make(_ id: String, options: Options = Options()) throws -> any Environment {
    let entry = try entry(id)
    if let steps = options.maxEpisodeSteps, steps <= 0 {
      throw Error.invalidOption("maxEpisodeSteps must be positive, got \(steps)")
    }
    let environment: any Environment
    if options.terminalOnLifeLoss {
      guard let make = entry.makeTerminalOnLifeLoss else {
        throw Error.invalidOption("\(id) has no lives to end episodes on (terminal on life loss: Arcade/<Game>-v0 ids only)")
      }
      environment = make()
    } else {
      environment = entry.make()
    }
    guard options.timeLimit, let limit = options.maxEpisodeSteps ?? entry.maxEpisodeSteps else {
      return environment
    }
    return limited(environment, maxEpisodeSteps: limit)
  }

  /// Opens the existential so the generic wrapper sees the concrete type.
  private static func limited<E: Environment>(_ environment: E, maxEpisodeSteps: Int) -> any Environment {
    TimeLimit(environment, maxEpisodeSteps: maxEpisodeSteps)
  }
}

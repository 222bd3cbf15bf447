/// A scripted expert for every grid task: breadth-first search over the task's own rules.
///
/// The search runs on copies of the task (tasks are values), over the actions left, right,
/// forward, pickup and toggle, and treats two states as the same when the grid, the agent's
/// position, direction and carried object, and ``GridTask/expertRequirementMet`` agree. It
/// returns a shortest action sequence that ends in a success (a terminal step with positive
/// reward, with the requirement met), so it picks up the key and opens the door in DoorKey, and
/// in Memory first turns to look at the cue when it has not been seen — the plan a memory-less
/// observer could not follow, and the demonstration a recurrent policy can learn from. The
/// expert reads the full state; it is a teacher and a score reference, not an observer.
///
/// Since the reward falls with every step, a shortest plan earns the highest return from its
/// start (within the cue-first constraint for Memory).
public struct GridExpert: Sendable {
  /// The rest of the current plan and the world it expects next, to notice surprises.
  private var plan: [GridAction] = []
  private var expectedWorld: GridWorld?

  public init() {}

  /// The expert's action in `task`'s current state (replans whenever the world is not the one
  /// the plan expected). Returns `.done` when no success is reachable.
  public mutating func action<Task: GridTask>(for task: Task) -> GridAction {
    if plan.isEmpty || expectedWorld.map({ !GridExpert.sameState($0, task.world) }) ?? true {
      plan = GridExpert.shortestPlan(from: task) ?? []
    }
    guard !plan.isEmpty else {
      expectedWorld = nil
      return .done
    }
    let next = plan.removeFirst()
    var copy = task
    _ = copy.advance(next)
    expectedWorld = copy.world
    return next
  }

  /// A shortest action sequence from `task`'s current state to a success, or `nil` when none
  /// exists (step limits are ignored; compare the plan's length with the steps remaining).
  public static func shortestPlan<Task: GridTask>(from task: Task) -> [GridAction]? {
    func key(_ task: Task) -> SearchKey {
      SearchKey(cells: task.world.cells, position: task.world.agentPosition, direction: task.world.agentDirection,
          carrying: task.world.carrying, requirement: task.expertRequirementMet)
    }
    var start = task
    start.world.stepCount = 0
    start.world.maxSteps = Int.max / 2  // the search must not be cut off by truncation
    var frontier = [(task: start, parent: -1, action: GridAction.done)]
    var seen: Set<SearchKey> = [key(start)]
    var head = 0
    let actions: [GridAction] = [.left, .right, .forward, .pickup, .toggle]
    while head < frontier.count {
      let node = frontier[head]
      for action in actions {
        var next = node.task
        let outcome = next.advance(action)
        if outcome.isTerminal {
          guard outcome.reward > 0, next.expertRequirementMet else { continue }
          var path = [action]
          var index = head
          while index > 0 {
            path.append(frontier[index].action)
            index = frontier[index].parent
          }
          return path.reversed()
        }
        if seen.insert(key(next)).inserted { frontier.append((next, head, action)) }
      }
      head += 1
    }
    return nil
  }

  /// What makes two search states the same.
  private struct SearchKey: Hashable {
    var cells: [GridObject?]
    var position: GridPosition
    var direction: GridDirection
    var carrying: GridObject?
    var requirement: Bool
  }

  private static func sameState(_ a: GridWorld, _ b: GridWorld) -> Bool {
    a.agentPosition == b.agentPosition && a.agentDirection == b.agentDirection && a.carrying == b.carrying
      && a.cells == b.cells
  }
}

extension GridExpert: Expert {
  /// The catalog's form: finds the ``GridTask`` inside `environment`'s wrappers and plays
  /// ``action(for:)`` (the observation is not needed).
  public mutating func action(in environment: any Environment, observation: [Float]) -> Action {
    guard let action = planAction(in: environment) else {
      preconditionFailure("GridExpert needs a grid task, got \(type(of: environment))")
    }
    return .discrete(action)
  }

  private mutating func planAction(in environment: any Environment) -> Int? {
    if let task = environment as? any GridTask { return action(for: task).rawValue }
    if let wrapper = environment as? any EnvironmentWrapper { return planAction(in: wrapper.wrappedEnvironment) }
    return nil
  }
}

extension GridTask {
  /// The scripted expert's action for the current state (the first step of a shortest plan;
  /// `done` when no success is reachable), as an action index. Stateless: it searches anew on
  /// every call. For long runs keep a ``GridExpert``, which replays its plan.
  public func expertAction() -> Int {
    (GridExpert.shortestPlan(from: self)?.first ?? .done).rawValue
  }
}

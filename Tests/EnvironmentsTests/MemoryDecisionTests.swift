import Testing
@testable import Environments

/// What a policy must learn to clone `MiniGrid-MemoryS7-v0`'s expert, checked on every layout.
///
/// S7 has 16 layouts (start column 1...4 × cue key/ball × key above/below). The expert's only
/// memory-dependent action is the turn at the corridor's end, where the agent faces east with
/// the upper object on its left: it turns left exactly when the cue matches the upper object.
/// That turn is an exclusive-or of the remembered cue and the object in view, so neither alone
/// predicts it — which is why clones learn it slowly (Experiments/memory-cloning).
@Suite struct MemoryDecisionTests {
  /// One expert episode of a layout: the views (before each action) and the actions.
  struct Episode {
    var layout: MiniGridMemory.Layout
    var views: [[UInt8]]
    var actions: [GridAction]
    var succeeded: Bool
  }

  static let layouts: [MiniGridMemory.Layout] = (1...4).flatMap { column in
    [GridObjectKind.key, .ball].flatMap { cue in
      [GridObjectKind.key, .ball].map { upper in
        MiniGridMemory.Layout(hallwayEnd: 4, agentColumn: column, cue: cue, upperObject: upper)
      }
    }
  }

  static func view(_ task: MiniGridMemory) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: GridWorld.viewSize * GridWorld.viewSize * 4)
    buffer.withUnsafeMutableBufferPointer { task.world.encodeView(into: $0, includeDirection: true) }
    return buffer
  }

  static func play(_ layout: MiniGridMemory.Layout) -> Episode {
    var task = MiniGridMemory(size: 7)
    task.generate(layout)
    var expert = GridExpert()
    var episode = Episode(layout: layout, views: [], actions: [], succeeded: false)
    for _ in 0..<20 {
      episode.views.append(view(task))
      let action = expert.action(for: task)
      episode.actions.append(action)
      let outcome = task.advance(action)
      if outcome.isTerminal {
        episode.succeeded = outcome.reward > 0
        break
      }
    }
    return episode
  }

  static let episodes = layouts.map(play)

  /// The index of the turn at the corridor's end: the last action before the final forward.
  static func decisionStep(_ episode: Episode) -> Int { episode.actions.count - 2 }

  @Test func theExpertSolvesEveryLayoutAndTurnsByTheExclusiveOr() {
    #expect(Self.episodes.count == 16)
    for episode in Self.episodes {
      #expect(episode.succeeded, "\(episode.layout)")
      #expect(episode.actions.last == .forward)
      let turn = episode.actions[Self.decisionStep(episode)]
      let matchesUpper = episode.layout.cue == episode.layout.upperObject
      #expect(turn == (matchesUpper ? .left : .right), "\(episode.layout)")
    }
  }

  /// Groups every step by the last `window` views (the episode's first view repeated before its
  /// start, as `ChannelStack` pads; `nil` = the whole history) and returns the decision steps
  /// whose group holds more than one expert action: steps no policy seeing only that window can
  /// always get right.
  static func ambiguousDecisions(window: Int?) -> Int {
    func key(_ episode: Episode, _ t: Int) -> [UInt8] {
      let first = window.map { t - $0 + 1 } ?? 0
      return (first...t).flatMap { episode.views[max(0, $0)] } + [UInt8(t - first)]
    }
    var actions: [[UInt8]: Set<GridAction>] = [:]
    for episode in episodes {
      for t in episode.actions.indices { actions[key(episode, t), default: []].insert(episode.actions[t]) }
    }
    return episodes.filter { actions[key($0, decisionStep($0))]!.count > 1 }.count
  }

  /// The expert sees the cue at step 0 (start column 1) or step 1 (columns 2...4, after
  /// turning to look) and turns at step 4, 5, 4, 3 for columns 1, 2, 3, 4: the cue lies 4, 4, 3, 2
  /// steps before the turn, so a window of k views shows it at the turn for columns with a gap
  /// below k (4 layouts each).
  @Test func theHistoryDeterminesEveryActionButShortWindowsDoNot() {
    #expect(Self.ambiguousDecisions(window: nil) == 0)
    #expect(Self.ambiguousDecisions(window: 1) == 16)
    #expect(Self.ambiguousDecisions(window: 2) == 16)
    #expect(Self.ambiguousDecisions(window: 3) == 12)
    #expect(Self.ambiguousDecisions(window: 4) == 8)
    #expect(Self.ambiguousDecisions(window: 5) == 0)
  }
}

import Randomness
import Testing
@testable import Environments

/// Every grid task of the catalog, bare.
let gridTasks: [any GridTask] = [
  MiniGridEmpty(size: 5), MiniGridEmpty(size: 8), MiniGridEmpty(size: 5, randomStart: true),
  MiniGridDoorKey(size: 5), MiniGridDoorKey(size: 8), MiniGridFourRooms(), MiniGridMemory(size: 7),
]

/// Plays one episode with the expert; returns the return and the number of steps.
func expertEpisode<Task: GridTask>(_ task: Task, seed: UInt64) -> (return: Double, steps: Int, task: Task) {
  var task = task
  _ = task.reset(seed: seed)
  var expert = GridExpert()
  var total = 0.0
  var steps = 0
  while true {
    let step = task.step(.discrete(expert.action(for: task).rawValue))
    total += step.reward
    steps += 1
    if step.isTerminal || step.isTruncated { return (total, steps, task) }
  }
}

struct GridWorldTests {
  @Test(arguments: gridTasks.indices)
  func sameSeedReplaysTheSameEpisode(_ index: Int) {
    func episode<Task: GridTask>(_ task: Task, seed: UInt64) -> [[UInt8]] {
      var task = task
      var actions = RandomStream(seed: 99)
      var observations = [task.reset(seed: seed)]
      for _ in 0..<60 {
        let step = task.step(.discrete(actions.nextInt(below: 7)))
        observations.append(step.observation)
        if step.isTerminal || step.isTruncated { observations.append(task.reset(seed: nil)) }
      }
      return observations
    }
    func check<Task: GridTask>(_ task: Task) {
      #expect(episode(task, seed: 3) == episode(task, seed: 3))
      let observation = episode(task, seed: 3)[0]
      #expect(task.observationSpace.contains(observation))
      #expect(observation.count == 7 * 7 * 4)
    }
    check(gridTasks[index])
  }

  @Test func seedsDrawDifferentLayoutsAndNilContinuesTheStream() {
    var task = MiniGridFourRooms()
    var worlds = Set<GridWorld>()
    for seed in 0..<10 as Range<UInt64> {
      _ = task.reset(seed: seed)
      worlds.insert(task.world)
    }
    #expect(worlds.count == 10)
    _ = task.reset(seed: 1)
    let first = task.world
    _ = task.reset(seed: nil)
    #expect(task.world != first)
    _ = task.reset(seed: 1)
    #expect(task.world == first)
  }

  @Test func directionChannelFollowsTurns() {
    var task = MiniGridEmpty(size: 5)
    #expect(Set(task.reset(seed: 0).enumerated().filter { $0.offset % 4 == 3 }.map(\.element)) == [0])
    let turned = task.step(.discrete(GridAction.right.rawValue)).observation
    #expect(Set(turned.enumerated().filter { $0.offset % 4 == 3 }.map(\.element)) == [1])
    var imageOnly = MiniGridEmpty(size: 5, observationLayout: .image)
    #expect(imageOnly.reset(seed: 0).count == 147)
    #expect(imageOnly.observationSpace.shape == [7, 7, 3])
  }

  @Test func timeLimitTruncatesWithoutTerminating() {
    var task = MiniGridEmpty(size: 5)
    _ = task.reset(seed: 0)
    for t in 1...100 {
      let step = task.step(.discrete(GridAction.done.rawValue))
      #expect(!step.isTerminal && step.reward == 0)
      #expect(step.isTruncated == (t == 100))
    }
  }

  @Test func memoryWrongExitTerminatesWithoutReward() {
    var task = MiniGridMemory(size: 7)
    _ = task.reset(seed: 0)
    task.generate(.init(hallwayEnd: 4, agentColumn: 4, cue: .key, upperObject: .key))
    // The key is above, so the success cell is (5, 2) and the failure cell (5, 4).
    #expect(task.successPosition == GridPosition(x: 5, y: 2))
    for action in [GridAction.forward, .right, .forward] {
      let step = task.step(.discrete(action.rawValue))
      if action == .forward && task.world.agentPosition == GridPosition(x: 5, y: 4) {
        #expect(step.isTerminal && step.reward == 0)
      }
    }
    #expect(task.world.agentPosition == GridPosition(x: 5, y: 4))
  }

  // MARK: - Expert

  /// The expert's plans are as short as the breadth-first search run on the real MiniGrid
  /// (Scripts/make-minigrid-fixtures.py) for the same layouts.
  @Test func expertPlansAreAsShortAsMiniGridSearch() throws {
    let searched = MiniGridFixtureTests.cases.filter { $0.actionsKind == "bfs" }
    try #require(searched.count >= 7)
    for fixture in searched {
      let task = MiniGridFixtureTests.environment(for: fixture)
      func planLength<Task: GridTask>(_ task: Task) -> Int? { GridExpert.shortestPlan(from: task)?.count }
      let found = planLength(task)
      let length = try #require(found)
      if fixture.id.hasPrefix("MiniGrid-Memory") {
        // The expert must see the cue first, so it may need more steps than a blind search.
        #expect(length >= fixture.steps.count)
      } else {
        #expect(length == fixture.steps.count, "\(fixture.id) seed \(fixture.seed)")
      }
    }
  }

  /// From the fixed start the shortest path is known by hand: Empty-5x5 forward ×2, right,
  /// forward ×2 (5 steps); Empty-8x8 the same with 5 forwards each way (11 steps).
  @Test func expertReturnOnEmptyIsTheHandComputedOptimum() {
    let small: Double = 1 - 0.9 * 5 / 100
    let large: Double = 1 - 0.9 * 11 / 256
    #expect(expertEpisode(MiniGridEmpty(size: 5), seed: 0).return == small)
    #expect(expertEpisode(MiniGridEmpty(size: 8), seed: 0).return == large)
  }

  /// Every expert episode succeeds, with the reward MiniGrid's formula gives for its length,
  /// within a step bound read off each layout: at most 3 turns plus the moves of the longest
  /// Manhattan path (Empty-Random-5x5: 4 moves; DoorKey adds pickup, toggle and the detours to
  /// key and door, bounded by `4 · interior cells`; FourRooms by `4 · 17 · 17`, every state once).
  @Test(arguments: [2, 3, 4, 5, 6])
  func expertSolvesEveryEpisode(_ index: Int) {
    func run<Task: GridTask>(_ task: Task) {
      let interior = (task.world.width - 2) * (task.world.height - 2)
      for seed in 0..<20 as Range<UInt64> {
        let (total, steps, final) = expertEpisode(task, seed: seed)
        let expected: Double = 1 - 0.9 * Double(steps) / Double(final.world.maxSteps)
        #expect(total == expected, "seed \(seed)")
        #expect(total > 0, "seed \(seed)")
        #expect(final.expertRequirementMet)
        if task is MiniGridEmpty { #expect(steps <= 4 + 3) } else { #expect(steps <= 4 * interior) }
      }
    }
    run(gridTasks[index])
  }

  @Test func memoryExpertLooksAtTheCueAndPicksTheMatchingExit() {
    for seed in 0..<20 as Range<UInt64> {
      let (total, steps, final) = expertEpisode(MiniGridMemory(size: 7), seed: seed)
      #expect(final.hasSeenCue)
      #expect(final.world.agentPosition == final.successPosition)
      let expected: Double = 1 - 0.9 * Double(steps) / 245
      #expect(total == expected)
    }
  }

  /// Mean expert returns over 100 seeds, for the README (`swift test --filter expertMeanReturns`).
  @Test func expertMeanReturns() {
    let names = ["Empty-5x5", "Empty-8x8", "Empty-Random-5x5", "DoorKey-5x5", "DoorKey-8x8", "FourRooms", "MemoryS7"]
    for (name, task) in zip(names, gridTasks) {
      func mean<Task: GridTask>(_ task: Task) -> (Double, Double) {
        let episodes = (0..<100 as Range<UInt64>).map { expertEpisode(task, seed: $0) }
        return (episodes.map(\.return).reduce(0, +) / 100, Double(episodes.map(\.steps).reduce(0, +)) / 100)
      }
      func randomMean<Task: GridTask>(_ task: Task) -> Double {
        var task = task
        var actions = RandomStream(seed: 17)
        var total = 0.0
        for seed in 0..<100 as Range<UInt64> {
          _ = task.reset(seed: seed)
          while true {
            let step = task.step(.discrete(actions.nextInt(below: 7)))
            total += step.reward
            if step.isTerminal || step.isTruncated { break }
          }
        }
        return total / 100
      }
      let (meanReturn, meanSteps) = mean(task)
      let random = randomMean(task)
      print("expert MiniGrid-\(name): mean return \(meanReturn), mean length \(meanSteps); random policy \(random) (100 seeds)")
      #expect(meanReturn > 0.5 && meanReturn < 1)
      #expect(random < meanReturn)
    }
  }

  // MARK: - Rendering

  @Test(arguments: gridTasks.indices)
  func rendersMiniGridTilesWithTheAgentAndItsView(_ index: Int) {
    func check<Task: GridTask>(_ task: Task) {
      var task = task
      _ = task.reset(seed: 1)
      let frame = task.render()
      #expect(frame.width == task.world.width * 32 && frame.height == task.world.height * 32)
      #expect(frame.pixels.count == frame.width * frame.height * 3)
      var colours = Set<[UInt8]>()
      for p in 0..<(frame.width * frame.height) { colours.insert(Array(frame.pixels[(3 * p)..<(3 * p + 3)])) }
      // The agent's triangle, red lightened by the view highlight: 255, 0 + 0.3 · 255 → 76.
      #expect(colours.contains([255, 76, 76]))
      // Walls: plain grey outside the view; lightened grey (100 + 0.3 · 155 → 146) inside it.
      #expect(colours.contains([100, 100, 100]))
      #expect(task.render() == frame)
    }
    check(gridTasks[index])
  }

  @Test func renderDrawsTheAgentTileWhereTheAgentIs() {
    var task = MiniGridDoorKey(size: 5)
    _ = task.reset(seed: 0)
    let frame = task.render()
    let position = task.world.agentPosition
    // The tile's centre lies inside the triangle for every direction.
    let (cx, cy) = (position.x * 32 + 16, position.y * 32 + 16)
    let i = (cy * frame.width + cx) * 3
    #expect(Array(frame.pixels[i..<(i + 3)]) == [255, 76, 76])
    // The locked yellow door: dark yellow inside (0.45 · 255 → 114), lightened if in view.
    let door = (0..<5).compactMap { y in (0..<5).first { x in task.world[x, y]?.kind == .door }.map { ($0, y) } }[0]
    let d = ((door.1 * 32 + 16) * frame.width + door.0 * 32 + 5) * 3
    let (red, green, blue) = (frame.pixels[d], frame.pixels[d + 1], frame.pixels[d + 2])
    #expect(red == green && (red == 114 || red == 156) && (blue == 0 || blue == 76))
  }
}

import Foundation

/// Writes the README pictures to Docs/ (run on demand:
/// `WRITE_DOCS_IMAGES=1 swift test --filter writeGridWorldPictures`).
@Test(.enabled(if: ProcessInfo.processInfo.environment["WRITE_DOCS_IMAGES"] == "1"))
func writeGridWorldPictures() throws {
  let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Docs")
  try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
  func write<Task: GridTask>(_ task: Task, seed: UInt64, expertSteps: Int, name: String) throws {
    var task = task
    _ = task.reset(seed: seed)
    var expert = GridExpert()
    for _ in 0..<expertSteps { _ = task.step(.discrete(expert.action(for: task).rawValue)) }
    try Data(task.render().pngData()).write(to: docs.appendingPathComponent(name))
  }
  try write(MiniGridDoorKey(size: 8), seed: 2, expertSteps: 0, name: "minigrid-doorkey-8x8.png")
  try write(MiniGridFourRooms(), seed: 2, expertSteps: 0, name: "minigrid-fourrooms.png")
  try write(MiniGridMemory(size: 7), seed: 2, expertSteps: 0, name: "minigrid-memory-s7.png")
}

/// The stateless `expertAction()` follows a shortest plan too.
@Test func gridStatelessExpertActionSolvesDoorKey() {
  var task = MiniGridDoorKey(size: 5)
  _ = task.reset(seed: 4)
  let planned = GridExpert.shortestPlan(from: task)!.count
  var steps = 0
  while true {
    steps += 1
    let step = task.step(.discrete(task.expertAction()))
    if step.isTerminal || step.isTruncated {
      #expect(step.reward > 0)
      break
    }
  }
  #expect(steps == planned)
}

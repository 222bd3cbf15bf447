import Foundation
import Testing
@testable import Environments

/// Replays episodes recorded from the real MiniGrid (Scripts/make-minigrid-fixtures.py) and
/// checks the grid, every observation, reward and ending value for value.
struct MiniGridFixtureTests {
  struct Fixture: Decodable {
    var cases: [Case]
  }

  struct Case: Decodable {
    var id: String
    var seed: Int
    var actionsKind: String
    var width: Int
    var height: Int
    var maxSteps: Int
    var agentX: Int
    var agentY: Int
    var agentDirection: Int
    var layout: [String: LayoutValue]
    var grid: String
    var resetImage: String
    var resetDirection: Int
    var steps: [Step]
  }

  enum LayoutValue: Decodable {
    case int(Int), string(String)
    init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let value = try? container.decode(Int.self) { self = .int(value) } else { self = .string(try container.decode(String.self)) }
    }
    var int: Int { if case .int(let v) = self { v } else { -1 } }
    var kind: GridObjectKind { if case .string(let s) = self, s == "key" { .key } else { .ball } }
  }

  struct Step: Decodable {
    var action: Int
    var image: String
    var direction: Int
    var reward: Double
    var terminated: Bool
    var truncated: Bool
  }

  static let cases: [Case] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/minigrid-episodes.json")
    guard let data = try? Data(contentsOf: url), let fixture = try? JSONDecoder().decode(Fixture.self, from: data) else {
      return []
    }
    return fixture.cases
  }()

  static func bytes(_ hex: String) -> [UInt8] {
    var result = [UInt8]()
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      result.append(UInt8(hex[index..<next], radix: 16)!)
      index = next
    }
    return result
  }

  /// The environment of `fixture`, laid out as MiniGrid laid it out.
  static func environment(for fixture: Case) -> any GridTask {
    let agent = GridPosition(x: fixture.agentX, y: fixture.agentY)
    let direction = GridDirection(rawValue: fixture.agentDirection)!
    let l = fixture.layout
    switch fixture.id {
    case let id where id.hasPrefix("MiniGrid-Empty"):
      var env = MiniGridEmpty(size: fixture.width, observationLayout: .imageAndDirection)
      env.world.agentPosition = agent
      env.world.agentDirection = direction
      return env
    case let id where id.hasPrefix("MiniGrid-DoorKey"):
      var env = MiniGridDoorKey(size: fixture.width)
      env.generate(MiniGridDoorKey.Layout(
        wallColumn: l["wallColumn"]!.int, doorRow: l["doorRow"]!.int, agentPosition: agent,
        agentDirection: direction, keyPosition: GridPosition(x: l["keyX"]!.int, y: l["keyY"]!.int)))
      return env
    case let id where id.hasPrefix("MiniGrid-FourRooms"):
      var env = MiniGridFourRooms()
      env.generate(MiniGridFourRooms.Layout(
        verticalGaps: (l["upperGap"]!.int, l["lowerGap"]!.int), horizontalGaps: (l["leftGap"]!.int, l["rightGap"]!.int),
        agentPosition: agent, agentDirection: direction,
        goalPosition: GridPosition(x: l["goalX"]!.int, y: l["goalY"]!.int)))
      return env
    default:
      var env = MiniGridMemory(size: fixture.width)
      env.generate(MiniGridMemory.Layout(
        hallwayEnd: l["hallwayEnd"]!.int, agentColumn: agent.x, cue: l["cue"]!.kind, upperObject: l["upperObject"]!.kind))
      return env
    }
  }

  /// MiniGrid's `grid.encode()` of `world`: Shape [width (x), height (y), 3].
  static func encodedGrid(_ world: GridWorld) -> [UInt8] {
    var result = [UInt8]()
    for x in 0..<world.width {
      for y in 0..<world.height {
        if let object = world[x, y] {
          let e = object.encoding
          result += [e.0, e.1, e.2]
        } else {
          result += [1, 0, 0]
        }
      }
    }
    return result
  }

  /// Splits a [7, 7, 4] observation into MiniGrid's image and the direction channel.
  static func split(_ observation: [UInt8]) -> (image: [UInt8], directions: Set<UInt8>) {
    var image = [UInt8]()
    var directions = Set<UInt8>()
    for cell in 0..<49 {
      image += observation[(4 * cell)..<(4 * cell + 3)]
      directions.insert(observation[4 * cell + 3])
    }
    return (image, directions)
  }

  @Test func fixtureFileHasEveryEnvironment() {
    let ids = Set(Self.cases.map(\.id))
    #expect(ids == ["MiniGrid-Empty-5x5-v0", "MiniGrid-Empty-8x8-v0", "MiniGrid-DoorKey-5x5-v0",
                    "MiniGrid-DoorKey-8x8-v0", "MiniGrid-FourRooms-v0", "MiniGrid-MemoryS7-v0",
                    "MiniGrid-MemoryS11-v0", "MiniGrid-MemoryS13-v0"])
  }

  @Test(arguments: 0..<19)
  func episodeMatchesMiniGrid(_ index: Int) throws {
    try #require(index < Self.cases.count)
    let fixture = Self.cases[index]
    var env = Self.environment(for: fixture)
    #expect(env.world.maxSteps == fixture.maxSteps, "\(fixture.id): max steps")
    #expect(Self.encodedGrid(env.world) == Self.bytes(fixture.grid), "\(fixture.id) seed \(fixture.seed): grid")
    var observation = [UInt8](repeating: 0, count: env.observationSpace.elementCount)
    observation.withUnsafeMutableBufferPointer { env.world.encodeView(into: $0, includeDirection: true) }
    var (image, directions) = Self.split(observation)
    #expect(image == Self.bytes(fixture.resetImage), "\(fixture.id) seed \(fixture.seed): reset image")
    #expect(directions == [UInt8(fixture.resetDirection)])
    for (t, expected) in fixture.steps.enumerated() {
      let step = env.step(.discrete(expected.action))
      (image, directions) = Self.split(step.observation)
      let label = "\(fixture.id) seed \(fixture.seed) \(fixture.actionsKind) step \(t + 1) action \(expected.action)"
      #expect(image == Self.bytes(expected.image), "\(label): image")
      #expect(directions == [UInt8(expected.direction)], "\(label): direction")
      #expect(abs(step.reward - expected.reward) < 1e-12, "\(label): reward")
      #expect(step.isTerminal == expected.terminated, "\(label): terminated")
      // MiniGrid may report both endings on one step; here a terminal step is never truncated.
      #expect(step.isTruncated == (expected.truncated && !expected.terminated), "\(label): truncated")
      if image != Self.bytes(expected.image) { break }
    }
  }
}

extension MiniGridFixtureTests {
  /// Our pictures equal MiniGrid's `get_frame()` pixel for pixel (renders recorded by
  /// Scripts/make-minigrid-fixtures.py after the first `steps` actions of episode `index`).
  @Test(arguments: [(5, 0), (5, 6), (11, 0)])
  func renderMatchesMiniGrid(_ index: Int, _ steps: Int) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/minigrid-render-case\(index)-step\(steps).rgb")
    let expected = try [UInt8](Data(contentsOf: url))
    try #require(index < Self.cases.count)
    let fixture = Self.cases[index]
    var env = Self.environment(for: fixture)
    for step in fixture.steps.prefix(steps) { _ = env.step(.discrete(step.action)) }
    let frame = env.render()
    try #require(frame.pixels.count == expected.count)
    var differing = 0
    var largest = 0
    for i in expected.indices where frame.pixels[i] != expected[i] {
      differing += 1
      largest = max(largest, abs(Int(frame.pixels[i]) - Int(expected[i])))
    }
    #expect(differing == 0, "\(differing) of \(expected.count) values differ, by up to \(largest)")
  }
}

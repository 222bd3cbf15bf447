import Environments
import Testing
@testable import Viewer

private func keyMap(_ id: String) throws -> KeyMap {
  KeyMap(environmentID: id, actionSpace: try Catalog.make(id).actionSpace)
}

@Test func everyCatalogEnvironmentCanBePlayedWithTheKeyboard() throws {
  for id in Catalog.ids {
    let keys = try keyMap(id)
    let actions = Array(keys.bindings.values) + Array(keys.chords.values) + (keys.idleAction.map { [$0] } ?? [])
    #expect(!keys.bindings.isEmpty, "\(id) binds no key")
    for action in actions {
      switch (action, keys.actionSpace) {
      case (.discrete(let k), .discrete(let n)): #expect((0..<n).contains(k), "\(id)")
      case (.continuous(let v), .continuous(let low, _)): #expect(v.count == low.count, "\(id)")
      default: Issue.record("\(id): an action of the wrong kind")
      }
    }
    // Arcade and MinAtar games run in real time: NOOP when no key is held, arrows bound.
    if id.hasPrefix("Arcade/") || id.hasPrefix("MinAtar/") {
      #expect(keys.idleAction == .discrete(0), "\(id)")
      #expect(keys.bindings[.left] != nil || keys.bindings[.up] != nil, "\(id)")
    }
  }
}

@Test func arcadeKeysFollowTheActionNames() throws {
  // ALE Breakout: NOOP, FIRE, RIGHT, LEFT.
  let breakout = try keyMap("Arcade/Breakout-v0")
  #expect(breakout.action(held: [.left]) == .discrete(3) && breakout.action(held: [.right]) == .discrete(2))
  #expect(breakout.action(held: [.space]) == .discrete(1) && breakout.bindsSpace)
  // Pong: NOOP, FIRE, RIGHT, LEFT, RIGHTFIRE, LEFTFIRE; an arrow with Space fires while moving.
  let pong = try keyMap("Arcade/PongNoFrameskip-v0")
  #expect(pong.action(held: [.left, .space]) == .discrete(5))
  #expect(pong.action(held: [.space, .right]) == .discrete(4))
  #expect(pong.action(held: [.right]) == .discrete(2))
  // Freeway: NOOP, UP, DOWN.
  let freeway = try keyMap("Arcade/Freeway-v0")
  #expect(freeway.action(held: [.up]) == .discrete(1) && freeway.action(held: [.down]) == .discrete(2))
  #expect(!freeway.bindsSpace)
  // MinAtar minimal sets: Breakout noop, left, right; Space Invaders noop, left, right, fire.
  let minBreakout = try keyMap("MinAtar/Breakout-v1")
  #expect(minBreakout.action(held: [.left]) == .discrete(1) && minBreakout.action(held: [.right]) == .discrete(2))
  #expect(!minBreakout.bindsSpace)
  #expect(try keyMap("MinAtar/SpaceInvaders-v1").action(held: [.space]) == .discrete(3))
  // MinAtar full set: noop, left, up, right, down, fire.
  let full = try keyMap("MinAtar/Freeway-v0")
  #expect([GameKey.left, .up, .right, .down, .space].map { full.action(held: [$0]) } == (1...5).map { .discrete($0) })
  // The most recent key wins; digits pick any action.
  #expect(full.action(held: [.left, .right]) == .discrete(3))
  #expect(full.action(held: [.digit(4)]) == .discrete(4))
  #expect(full.action(held: []) == nil)
}

import Environments
import Foundation
import Testing
import Training
@testable import Viewer

/// SDL is process-global: the window tests run one at a time, headless.
@Suite(.serialized) struct ViewerWindowTests {
  init() { setenv("SDL_VIDEODRIVER", "dummy", 1) }

  @Test func readBackGameAreaEqualsTheScaledRender() throws {
    let session = try ViewerSession(environmentID: "CartPole-v1", seed: 3)
    for _ in 0..<5 { session.advance(humanAction: .discrete(1)) }
    let layout = session.layout()
    let window = try SDLWindow(title: "test", width: layout.width, height: layout.height)
    try window.show(session.composeWindow(layout: layout, status: ViewerStatus()))
    let shown = try window.readBack()
    let expected = session.render().scaled(by: layout.scale)
    #expect(shown.width == layout.width && shown.height == layout.height)
    var mismatches = 0
    for y in 0..<expected.height {
      for x in 0..<expected.width where shown[layout.gameX + x, layout.gameY + y] != expected[x, y] {
        mismatches += 1
      }
    }
    #expect(mismatches == 0)
  }

  @Test func smallFramesAreScaledUpByWholePixels() throws {
    let session = try ViewerSession(environmentID: "MinAtar/Breakout-v1", seed: 1)
    let layout = session.layout()
    #expect(layout.scale > 1)
    let window = try SDLWindow(title: "test", width: layout.width, height: layout.height)
    try window.show(session.composeWindow(layout: layout, status: ViewerStatus()))
    let shown = try window.readBack()
    let frame = session.render()
    for (x, y) in [(0, 0), (frame.width / 2, frame.height / 2), (frame.width - 1, frame.height - 1)] {
      for dx in 0..<layout.scale {
        #expect(shown[x * layout.scale + dx, layout.gameY + y * layout.scale + dx] == frame[x, y])
      }
    }
  }

  @Test func headlessRunWritesTheFinalWindow() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("viewer-\(UUID()).png")
    defer { try? FileManager.default.removeItem(at: url) }
    var viewer = Viewer(session: try ViewerSession(environmentID: "CartPole-v1"), frameLimit: 30, screenshotURL: url)
    try viewer.run()
    let png = try Data(contentsOf: url)
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(viewer.session.step > 0 || viewer.session.episode > 1)
  }

  @Test func unknownEnvironmentThrows() {
    #expect(throws: (any Error).self) { try ViewerSession(environmentID: "NoSuchEnv-v0") }
  }
}

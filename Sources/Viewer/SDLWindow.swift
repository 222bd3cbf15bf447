import CSDL2
import Environments

/// A failure of SDL, with SDL's own message.
public struct ViewerError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
  static func sdl(_ what: String) -> ViewerError { ViewerError("\(what): \(String(cString: SDL_GetError()))") }
}

/// What a key press means to the viewer.
public enum ViewerEvent: Hashable, Sendable {
  case quit, pause, singleStep, slower, faster, reset, screenshot, takeover, record
  case press(GameKey)
  case release(GameKey)
}

/// An SDL window drawn through its window surface (software, so SDL's `dummy` video driver works
/// headless) and read back pixel for pixel.
public final class SDLWindow {
  private let window: OpaquePointer
  public let width: Int
  public let height: Int

  /// Opens a window; SDL's video subsystem is initialized here and shut down on `deinit`.
  public init(title: String, width: Int, height: Int) throws {
    guard SDL_Init(SDL_INIT_VIDEO) == 0 else { throw ViewerError.sdl("SDL_Init failed") }
    let undefinedPosition: Int32 = 0x1FFF_0000  // SDL_WINDOWPOS_UNDEFINED
    guard
      let window = SDL_CreateWindow(
        title, undefinedPosition, undefinedPosition, Int32(width), Int32(height), SDL_WINDOW_SHOWN.rawValue)
    else {
      SDL_Quit()
      throw ViewerError.sdl("SDL_CreateWindow failed")
    }
    self.window = window
    self.width = width
    self.height = height
  }

  deinit {
    SDL_DestroyWindow(window)
    SDL_Quit()
  }

  /// Copies `frame` (same size as the window) to the window and presents it.
  public func show(_ frame: Frame) throws {
    precondition(frame.width == width && frame.height == height, "frame \(frame.width)×\(frame.height) for a \(width)×\(height) window")
    guard let target = SDL_GetWindowSurface(window) else { throw ViewerError.sdl("SDL_GetWindowSurface failed") }
    var pixels = frame.pixels
    try pixels.withUnsafeMutableBytes { bytes in
      guard
        let source = SDL_CreateRGBSurfaceWithFormatFrom(
          bytes.baseAddress, Int32(width), Int32(height), 24, Int32(3 * width), SDL_PIXELFORMAT_RGB24.rawValue)
      else { throw ViewerError.sdl("SDL_CreateRGBSurfaceWithFormatFrom failed") }
      defer { SDL_FreeSurface(source) }
      guard SDL_UpperBlit(source, nil, target, nil) == 0 else { throw ViewerError.sdl("SDL_BlitSurface failed") }
    }
    guard SDL_UpdateWindowSurface(window) == 0 else { throw ViewerError.sdl("SDL_UpdateWindowSurface failed") }
  }

  /// The window surface's pixels as an RGB frame.
  public func readBack() throws -> Frame {
    guard let source = SDL_GetWindowSurface(window) else { throw ViewerError.sdl("SDL_GetWindowSurface failed") }
    guard let copy = SDL_CreateRGBSurfaceWithFormat(0, Int32(width), Int32(height), 24, SDL_PIXELFORMAT_RGB24.rawValue)
    else { throw ViewerError.sdl("SDL_CreateRGBSurfaceWithFormat failed") }
    defer { SDL_FreeSurface(copy) }
    guard SDL_UpperBlit(source, nil, copy, nil) == 0 else { throw ViewerError.sdl("SDL_BlitSurface failed") }
    var frame = Frame(width: width, height: height)
    let pitch = Int(copy.pointee.pitch)
    let base = copy.pointee.pixels!.assumingMemoryBound(to: UInt8.self)
    for y in 0..<height {
      for i in 0..<(3 * width) { frame.pixels[3 * y * width + i] = base[y * pitch + i] }
    }
    return frame
  }

  /// The key and window events since the last call.
  public func pollEvents(spaceIsGameKey: Bool) -> [ViewerEvent] {
    var events: [ViewerEvent] = []
    var event = SDL_Event()
    while SDL_PollEvent(&event) != 0 {
      switch event.type {
      case SDL_QUIT.rawValue: events.append(.quit)
      case SDL_KEYDOWN.rawValue, SDL_KEYUP.rawValue:
        let down = event.type == SDL_KEYDOWN.rawValue
        let key = Int(event.key.keysym.sym)
        if let game = Self.gameKey(key, spaceIsGameKey: spaceIsGameKey) {
          if down && event.key.repeat != 0 { continue }
          events.append(down ? .press(game) : .release(game))
        } else if down, let command = Self.command(key, spaceIsGameKey: spaceIsGameKey) {
          events.append(command)
        }
      default: break
      }
    }
    return events
  }

  /// A key as a test script names it.
  public enum Key: Hashable, Sendable {
    case left, right, up, down, space, escape
    /// A letter, digit, `-` or `+` key, by its character.
    case character(Character)
  }

  /// Puts a key event in SDL's queue as if `key` was pressed (`isDown`) or released in this
  /// window: headless tests drive the viewer through the same path as a keyboard.
  public func inject(_ key: Key, isDown: Bool) throws {
    let code: Int32 =
      switch key {
      case .left: Int32(bitPattern: SDLK_LEFT.rawValue)
      case .right: Int32(bitPattern: SDLK_RIGHT.rawValue)
      case .up: Int32(bitPattern: SDLK_UP.rawValue)
      case .down: Int32(bitPattern: SDLK_DOWN.rawValue)
      case .space: Int32(bitPattern: SDLK_SPACE.rawValue)
      case .escape: Int32(bitPattern: SDLK_ESCAPE.rawValue)
      case .character(let c): Int32(c.asciiValue.map(Int32.init) ?? 0)  // SDL keycodes of printable keys are ASCII
      }
    var event = SDL_Event()
    event.key.type = isDown ? SDL_KEYDOWN.rawValue : SDL_KEYUP.rawValue
    event.key.windowID = SDL_GetWindowID(window)
    event.key.state = UInt8(isDown ? SDL_PRESSED : SDL_RELEASED)
    event.key.keysym.sym = code
    guard SDL_PushEvent(&event) >= 0 else { throw ViewerError.sdl("SDL_PushEvent failed") }
  }

  static func gameKey(_ key: Int, spaceIsGameKey: Bool) -> GameKey? {
    switch key {
    case Int(SDLK_LEFT.rawValue): .left
    case Int(SDLK_RIGHT.rawValue): .right
    case Int(SDLK_UP.rawValue): .up
    case Int(SDLK_DOWN.rawValue): .down
    case Int(SDLK_SPACE.rawValue) where spaceIsGameKey: .space
    case Int(SDLK_0.rawValue)...Int(SDLK_9.rawValue): .digit(key - Int(SDLK_0.rawValue))
    default: nil
    }
  }

  static func command(_ key: Int, spaceIsGameKey: Bool) -> ViewerEvent? {
    switch key {
    case Int(SDLK_q.rawValue), Int(SDLK_ESCAPE.rawValue): .quit
    case Int(SDLK_p.rawValue): .pause
    case Int(SDLK_SPACE.rawValue) where !spaceIsGameKey: .pause
    case Int(SDLK_n.rawValue): .singleStep
    case Int(SDLK_MINUS.rawValue), Int(SDLK_KP_MINUS.rawValue): .slower
    case Int(SDLK_PLUS.rawValue), Int(SDLK_EQUALS.rawValue), Int(SDLK_KP_PLUS.rawValue): .faster
    case Int(SDLK_r.rawValue): .reset
    case Int(SDLK_s.rawValue): .screenshot
    case Int(SDLK_t.rawValue): .takeover
    case Int(SDLK_c.rawValue): .record
    default: nil
    }
  }
}

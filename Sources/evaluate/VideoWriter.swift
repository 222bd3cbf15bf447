import Environments
import Foundation

/// Streams RGB frames into an MP4 or GIF through `ffmpeg` (raw RGB24 on its standard input), or
/// into numbered PNG files in a folder `<name>-frames/` with a one-line notice when ffmpeg is
/// missing. Frames are written as they come, so long recordings need no memory.
final class VideoWriter {
  private let url: URL
  private let width: Int, height: Int
  private var process: Process?
  private var input: FileHandle?
  private var frameDirectory: URL?
  /// Frames written so far.
  private(set) var frameCount = 0

  /// Starts a video of `width × height` frames at `url` (.mp4 or .gif).
  init(url: URL, width: Int, height: Int, framesPerSecond: Int = 30) throws {
    self.url = url
    self.width = width
    self.height = height
    let ext = url.pathExtension.lowercased()
    guard ext == "mp4" || ext == "gif" else { throw CLIError("--video '\(url.path)' must end in .mp4 or .gif") }
    guard let ffmpeg = Self.findOnPath("ffmpeg") else {
      let directory = URL(fileURLWithPath: url.deletingPathExtension().path + "-frames")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      frameDirectory = directory
      return
    }
    let process = Process()
    process.executableURL = ffmpeg
    // Even sizes for H.264's 4:2:0 chroma; a palette pass for GIF colours.
    let filter =
      ext == "mp4"
      ? ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p"]
      : ["-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse"]
    process.arguments =
      [
        "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
        "-r", "\(framesPerSecond)", "-i", "-",
      ] + filter + [url.path]
    let pipe = Pipe()
    process.standardInput = pipe
    signal(SIGPIPE, SIG_IGN)  // an ffmpeg that exits early is an error below, not a killed process
    do { try process.run() } catch { throw CLIError("cannot run ffmpeg: \(error.localizedDescription)") }
    self.process = process
    input = pipe.fileHandleForWriting
  }

  /// Appends one frame (frames of another size are skipped).
  func append(_ frame: Frame) throws {
    guard frame.width == width && frame.height == height else { return }
    if let frameDirectory {
      let name = String(format: "frame-%05d.png", frameCount)
      try Data(frame.pngData()).write(to: frameDirectory.appendingPathComponent(name), options: .atomic)
    } else {
      do { try input!.write(contentsOf: Data(frame.pixels)) } catch {
        throw CLIError("ffmpeg stopped reading frames for \(url.path): \(error.localizedDescription)")
      }
    }
    frameCount += 1
  }

  /// Ends the video (waits for ffmpeg) and prints the PNG fallback's notice.
  func finish() throws {
    if let frameDirectory {
      FileHandle.standardError.write(
        Data("evaluate: ffmpeg is not on PATH; wrote \(frameCount) PNG frames to \(frameDirectory.path)\n".utf8))
      return
    }
    try input?.close()
    process?.waitUntilExit()
    guard let process, process.terminationStatus == 0 else {
      throw CLIError("ffmpeg failed (status \(process?.terminationStatus ?? -1)) writing \(url.path)")
    }
  }

  static func findOnPath(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }
}

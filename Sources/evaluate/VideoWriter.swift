import Environments
import Foundation

/// Writes RGB frames as an MP4 or GIF through `ffmpeg` (raw RGB24 on its standard input), or as
/// numbered PNG files in a folder `<name>-frames/` with a one-line notice when ffmpeg is missing.
enum VideoWriter {
  static func write(_ frames: [Frame], to url: URL, framesPerSecond: Int = 30) throws {
    guard let first = frames.first else { return }
    let ext = url.pathExtension.lowercased()
    guard ext == "mp4" || ext == "gif" else {
      throw CLIError("--video '\(url.path)' must end in .mp4 or .gif")
    }
    guard let ffmpeg = findOnPath("ffmpeg") else {
      let directory = URL(fileURLWithPath: url.deletingPathExtension().path + "-frames")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      for (k, frame) in frames.enumerated() {
        let name = String(format: "frame-%05d.png", k)
        try Data(frame.pngData()).write(to: directory.appendingPathComponent(name), options: .atomic)
      }
      FileHandle.standardError.write(Data("evaluate: ffmpeg is not on PATH; wrote \(frames.count) PNG frames to \(directory.path)\n".utf8))
      return
    }
    let process = Process()
    process.executableURL = ffmpeg
    // Even sizes for H.264's 4:2:0 chroma; a palette pass for GIF colours.
    let filter = ext == "mp4" ? ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-pix_fmt", "yuv420p"]
      : ["-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse"]
    process.arguments = [
      "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(first.width)x\(first.height)",
      "-r", "\(framesPerSecond)", "-i", "-",
    ] + filter + [url.path]
    let input = Pipe()
    process.standardInput = input
    do { try process.run() } catch { throw CLIError("cannot run ffmpeg: \(error.localizedDescription)") }
    for frame in frames where frame.width == first.width && frame.height == first.height {
      try input.fileHandleForWriting.write(contentsOf: Data(frame.pixels))
    }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw CLIError("ffmpeg failed (status \(process.terminationStatus)) writing \(url.path)")
    }
  }

  static func findOnPath(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }
}

import Foundation

/// The folder of one training run, `runs/<name>/`: the configuration, metrics (CSV and
/// TensorBoard), checkpoints, the learning curve and `summary.json`.
public struct RunDirectory: Sendable {
  public let url: URL

  /// Creates (or reopens, for resuming) the run folder at `url`.
  public init(_ url: URL) throws {
    self.url = url
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw ConfigurationError(file: url.path, field: nil, problem: "cannot create the run directory (\(error.localizedDescription))")
    }
  }

  /// A fresh, unused folder `runs/<prefix>-<date>-<n>` under `parent`.
  public static func fresh(under parent: URL, prefix: String) throws -> RunDirectory {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    formatter.locale = Locale(identifier: "en_US_POSIX")
    let stem = "\(prefix)-\(formatter.string(from: Date()))"
    var candidate = parent.appendingPathComponent(stem)
    var index = 1
    while FileManager.default.fileExists(atPath: candidate.path) {
      index += 1
      candidate = parent.appendingPathComponent("\(stem)-\(index)")
    }
    return try RunDirectory(candidate)
  }

  /// The path of a file inside the run folder.
  public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  /// Writes `value` as pretty snake_case JSON to `name`, atomically.
  public func writeJSON<T: Encodable>(_ value: T, to name: String) throws {
    try writeAtomically(try ConfigurationFile.encoder().encode(value), to: file(name))
  }
}

/// Writes `data` to a temporary file beside `url`, then renames it over `url`, so that readers
/// (and a crash) see either the old file or the new one, never a partial write.
public func writeAtomically(_ data: Data, to url: URL) throws {
  let temporary = url.deletingLastPathComponent()
    .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
  do {
    try data.write(to: temporary)
    // rename(2) replaces the destination atomically within one file system.
    guard rename(temporary.path, url.path) == 0 else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
    }
  } catch {
    try? FileManager.default.removeItem(at: temporary)
    throw ConfigurationError(file: url.path, field: nil, problem: "cannot be written (\(error.localizedDescription))")
  }
}

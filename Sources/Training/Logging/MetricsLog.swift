import Foundation

/// Records training metrics as `metrics.csv` (one row per update, fixed columns) and as
/// TensorBoard scalars, in CleanRL's tag names (`charts/episodic_return`, `losses/approx_kl`, …).
public final class MetricsLog {
  /// The CSV columns after `step`, e.g. `charts/episodic_return`.
  public let columns: [String]
  private let csv: FileHandle
  private let tensorBoard: TensorBoardWriter

  /// Opens the logs of `run`. When `metrics.csv` exists (a resumed run) rows are appended to it,
  /// after checking that its columns are the same.
  public init(run: RunDirectory, columns: [String]) throws {
    self.columns = columns
    let url = run.file("metrics.csv")
    let header = (["step"] + columns).joined(separator: ",") + "\n"
    if FileManager.default.fileExists(atPath: url.path) {
      let existing = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
      guard existing.hasPrefix(header) else {
        throw ConfigurationError(file: url.path, field: nil, problem: "has other columns than this run logs; use a new run directory")
      }
    } else {
      try Data(header.utf8).write(to: url)
    }
    csv = try FileHandle(forWritingTo: url)
    try csv.seekToEnd()
    tensorBoard = try TensorBoardWriter(directory: run.url)
  }

  deinit { try? csv.close() }

  /// Appends one row at `step`; columns without a value are left empty in the CSV and absent
  /// from TensorBoard. Keys that are not columns are a programming error.
  public func record(step: Int, _ values: [String: Float]) throws {
    precondition(values.keys.allSatisfy(columns.contains), "unknown metric in \(values.keys.sorted())")
    let cells = columns.map { column in values[column].map { "\($0)" } ?? "" }
    try csv.write(contentsOf: Data(([String(step)] + cells).joined(separator: ",").utf8 + [0x0A]))
    let scalars = columns.compactMap { column in values[column].map { (tag: column, value: $0) } }
    if !scalars.isEmpty { try tensorBoard.add(scalars: scalars, step: step) }
  }
}

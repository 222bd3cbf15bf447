import Foundation

/// The live progress line of a training command: steps done, throughput, the latest episodic
/// return and the time left. On a terminal it redraws one line; otherwise (CI, a pipe) it
/// prints a new line at most every `interval` seconds.
public struct ProgressLine {
  public let totalSteps: Int
  public let interval: Double
  private let start = Date()
  private var lastPrinted = Date.distantPast
  private let isTerminal = isatty(STDERR_FILENO) != 0

  public init(totalSteps: Int, interval: Double = 5) {
    self.totalSteps = totalSteps
    self.interval = interval
  }

  /// Seconds since the line was created.
  public var elapsed: Double { Date().timeIntervalSince(start) }

  /// Shows the state after `steps` steps; `extra` is appended (e.g. the loss).
  public mutating func update(steps: Int, episodicReturn: Float?, extra: String = "") {
    let now = Date()
    guard isTerminal || now.timeIntervalSince(lastPrinted) >= interval || steps >= totalSteps else { return }
    lastPrinted = now
    let line = Self.describe(
      steps: steps, totalSteps: totalSteps, elapsed: elapsed, episodicReturn: episodicReturn, extra: extra)
    FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
  }

  /// Ends the redrawn line so later output starts on a fresh line.
  public func finish() {
    if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  /// `steps 12,288/100,000 (12%) | 41,200 steps/s | return 187.3 | 0:02 left`.
  static func describe(steps: Int, totalSteps: Int, elapsed: Double, episodicReturn: Float?, extra: String)
    -> String
  {
    let rate = elapsed > 0 ? Double(steps) / elapsed : 0
    let left = rate > 0 ? Double(max(0, totalSteps - steps)) / rate : 0
    var parts = [
      "steps \(grouped(steps))/\(grouped(totalSteps)) (\(Int(100 * Double(steps) / Double(max(1, totalSteps))))%)",
      "\(grouped(Int(rate))) steps/s",
    ]
    if let episodicReturn {
      let value = Double(episodicReturn)
      parts.append("return \(ReturnFormat(for: [value])(value))")
    }
    parts.append("\(clock(left)) left")
    if !extra.isEmpty { parts.append(extra) }
    return parts.joined(separator: " | ")
  }

  static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (offset, digit) in digits.enumerated() {
      if offset > 0 && (digits.count - offset) % 3 == 0 { result.append(",") }
      result.append(digit)
    }
    return (value < 0 ? "-" : "") + result
  }

  static func clock(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    return total >= 3600
      ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
      : String(format: "%d:%02d", total / 60, total % 60)
  }
}

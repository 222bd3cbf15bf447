// The `ncps` command-line tool: inspect, run and draw Neural Circuit Policy models and wirings.
//
// Thin by design: each subcommand lives in its own file (`WiringCommand.swift`, ...), parses
// its arguments, calls the libraries and prints. To add a subcommand, write its
// `ParsableCommand` in a new file and list it in `subcommands` below. Bad input is reported as
// one line on standard error with a non-zero exit status (see `failure(_:)`).
import ArgumentParser
import Foundation

@main
struct NCPS: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ncps",
    abstract: "Inspect, run and draw Neural Circuit Policy models and wirings.",
    subcommands: [WiringCommand.self])
}

/// Prints `message` as one line on standard error and returns the failure exit code to throw.
func failure(_ message: String) -> ExitCode {
  FileHandle.standardError.write(Data("error: \(message)\n".utf8))
  return ExitCode.failure
}

/// Writes `bytes` to `path` atomically (a temporary file renamed into place).
func writeAtomically(_ bytes: [UInt8], to path: String) throws(ExitCode) {
  do {
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
  } catch {
    throw failure("cannot write \(path): \(error.localizedDescription)")
  }
}

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
    subcommands: [WiringCommand.self, RunCommand.self, InspectCommand.self])

  /// ArgumentParser's entry point, except that a usage error is one line on standard error
  /// (help and version requests still print in full).
  static func main() {
    let parsed: ParsableCommand
    do {
      parsed = try parseAsRoot()
    } catch {
      guard exitCode(for: error) != .success else { exit(withError: error) }
      FileHandle.standardError.write(Data("error: \(message(for: error)) (see 'ncps help')\n".utf8))
      exit(withError: ExitCode.validationFailure)
    }
    var command = parsed
    do {
      try command.run()
    } catch {
      exit(withError: error)
    }
  }
}

/// Prints `message` as one line on standard error and returns the failure exit code to throw.
func failure(_ message: String) -> ExitCode {
  FileHandle.standardError.write(Data("error: \(message)\n".utf8))
  return ExitCode.failure
}

/// Writes `bytes` to `path` atomically (a temporary file renamed into place).
func writeAtomically(_ bytes: [UInt8], to path: String) throws(ExitCode) {
  let url = URL(fileURLWithPath: path)
  var isDirectory: ObjCBool = false
  let parent = url.deletingLastPathComponent().path
  guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
    throw failure("cannot write \(path): the directory \(parent) does not exist")
  }
  do {
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
  } catch {
    throw failure("cannot write \(path): \(error.localizedDescription)")
  }
}

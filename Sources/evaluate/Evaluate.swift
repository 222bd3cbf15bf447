// `evaluate`: replay a list of actions in a catalog environment (a debugging and acceptance
// check of environment parity), or play whole episodes with a policy and report returns.
//
//   swift run -c release evaluate --env CartPole-v1 --seed 3 --actions 1,0,1,1 --json
//   swift run -c release evaluate --env CartPole-v1 --policy expert --episodes 100
//   swift run -c release evaluate --checkpoint runs/x/checkpoint.safetensors --episodes 100 --json --video x.mp4
//
// The command is thin: environments come from `Catalog`, policies from `PolicyChoice` below
// (add a checkpoint policy there when Training provides one).

import ArgumentParser
import Environments
import Foundation

@main
struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Replay actions in, or play whole episodes of, a catalog environment.",
    discussion: "Environments: \(Catalog.ids.joined(separator: ", ")).")

  @Option(help: "The environment id, e.g. CartPole-v1 (with --checkpoint: optional, must match the checkpoint's).")
  var env: String?

  @Option(help: "The seed of the first reset (later episodes continue its stream) and of the random policy.")
  var seed: UInt64 = 0

  @Option(help: ArgumentHelp(
    "Comma-separated actions to replay from the reset, e.g. 1,0,1 (continuous components joined by ':'; write --actions=-0.5,1 when the list starts with a minus sign).",
    valueName: "actions"))
  var actions: String?

  @Option(help: "Play whole episodes with this policy instead of replaying actions: random or expert.")
  var policy: PolicyChoice?

  @Option(help: ArgumentHelp("Play whole greedy episodes with a ppo-train checkpoint.safetensors's policy (episode k resets with seed + k).", valueName: "path"))
  var checkpoint: String?

  @Option(help: "Episodes to play with --policy or --checkpoint.")
  var episodes = 10

  @Option(help: "Worker threads for --checkpoint.")
  var workers = 1

  @Option(help: "With --policy or --checkpoint: end each episode after this many steps (its return so far counts).")
  var maxSteps: Int?

  @Flag(help: "With --checkpoint: sample actions from the policy (episode k from its own stream) instead of taking the most likely.")
  var sampled = false

  @Option(help: ArgumentHelp("With --checkpoint: record the episodes as FILE.mp4 or FILE.gif through ffmpeg (PNG frames in FILE-frames/ without ffmpeg).", valueName: "file"))
  var video: String?

  @Option(help: "With --video: record only the first N episodes (default: all).")
  var videoEpisodes: Int?

  @Flag(help: "Print JSON lines instead of text.")
  var json = false

  @Option(help: ArgumentHelp("Write the render of the last state as a PNG file.", valueName: "path"))
  var renderPNG: String?

  func validate() throws {
    guard [actions != nil, policy != nil, checkpoint != nil].filter({ $0 }).count == 1 else {
      throw ValidationError("give exactly one of --actions, --policy and --checkpoint")
    }
    guard checkpoint != nil || env != nil else { throw ValidationError("--env is required with --actions and --policy") }
    guard episodes > 0 else { throw ValidationError("--episodes must be positive, got \(episodes)") }
    guard workers > 0 else { throw ValidationError("--workers must be positive, got \(workers)") }
    if let maxSteps {
      guard actions == nil else { throw ValidationError("--max-steps needs --policy or --checkpoint") }
      guard maxSteps > 0 else { throw ValidationError("--max-steps must be positive, got \(maxSteps)") }
    }
    if sampled && checkpoint == nil { throw ValidationError("--sampled needs --checkpoint") }
    if sampled && video != nil { throw ValidationError("--video records greedy episodes; drop --sampled") }
    if let video, !(video.lowercased().hasSuffix(".mp4") || video.lowercased().hasSuffix(".gif")) {
      throw ValidationError("--video must name a .mp4 or .gif file, got '\(video)'")
    }
    if video != nil && checkpoint == nil { throw ValidationError("--video needs --checkpoint") }
    if let videoEpisodes {
      guard video != nil else { throw ValidationError("--video-episodes needs --video") }
      guard videoEpisodes > 0 else { throw ValidationError("--video-episodes must be positive, got \(videoEpisodes)") }
    }
  }

  func run() throws {
    if let checkpoint { return try evaluateCheckpoint(checkpoint) }
    let env = self.env!
    let environment = try Catalog.make(env)
    if let actions {
      try replay(environment, actions: try parseActions(actions, for: environment.actionSpace))
    } else if let policy {
      try play(environment, policy: try policy.make(for: env, actionSpace: environment.actionSpace, seed: seed))
    }
  }

  /// Prints the reset observation, then one line per action until the episode ends.
  func replay<E: Environment>(_ environment: E, actions: [Action]) throws {
    var environment = environment
    emit(observation: environment.reset(seed: seed), outcome: nil)
    for action in actions {
      let step = environment.step(action)
      emit(observation: step.observation, outcome: StepOutcome(
        reward: step.reward, isTerminal: step.isTerminal, isTruncated: step.isTruncated))
      if step.isTerminal || step.isTruncated { break }
    }
    try saveRender(environment)
  }

  func emit<S: ObservationScalar>(observation: [S], outcome: StepOutcome?) {
    // `description` of Float and Double is the shortest decimal that reads back to the same value.
    let values = observation.map { "\($0)" }.joined(separator: ", ")
    guard let outcome else {
      print(json ? "{\"obs\": [\(values)]}" : "reset obs [\(values)]")
      return
    }
    if json {
      print("{\"obs\": [\(values)], \"reward\": \(outcome.reward), \"terminated\": \(outcome.isTerminal), \"truncated\": \(outcome.isTruncated)}")
    } else {
      print("obs [\(values)] reward \(outcome.reward) terminated \(outcome.isTerminal) truncated \(outcome.isTruncated)")
    }
  }

  /// Plays `episodes` episodes and prints return and length statistics.
  func play<E: Environment>(_ environment: E, policy: any EpisodePolicy) throws {
    var environment = environment, policy = policy
    var returns: [Double] = [], lengths: [Double] = []
    for episode in 0..<episodes {
      var observation = environment.reset(seed: episode == 0 ? seed : nil).map { $0.floatValue }
      policy.beginEpisode()
      var total = 0.0, length = 0
      while true {
        let step = environment.step(policy.action(in: environment, observation: observation))
        total += step.reward
        length += 1
        observation = step.observation.map { $0.floatValue }
        if step.isTerminal || step.isTruncated || length >= (maxSteps ?? .max) { break }
      }
      returns.append(total)
      lengths.append(Double(length))
    }
    let r = Summary(returns), l = Summary(lengths)
    if json {
      print("{\"env\": \"\(env!)\", \"policy\": \"\(self.policy!.rawValue)\", \"episodes\": \(episodes), \"seed\": \(seed), "
        + "\"return\": \(r.json), \"length\": \(l.json)}")
    } else {
      print("\(env!), \(self.policy!.rawValue) policy, \(episodes) episodes from seed \(seed)")
      print("return: \(r.text)")
      print("length: \(l.text)")
    }
    try saveRender(environment)
  }

  func saveRender<E: Environment>(_ environment: E) throws {
    guard let renderPNG else { return }
    do {
      try Data(environment.render().pngData()).write(to: URL(fileURLWithPath: renderPNG), options: .atomic)
    } catch {
      throw CLIError("cannot write --render-png file '\(renderPNG)': \(error.localizedDescription)")
    }
  }

  /// Runs the command; any error becomes one line on standard error and a non-zero exit.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
      } else {
        let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        FileHandle.standardError.write(Data("evaluate: \(message)\n".utf8))
      }
      Foundation.exit(code.rawValue)
    }
  }
}

/// A user-facing failure that is not about the command-line syntax.
struct CLIError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// `--actions` parsed for `space`: integers for discrete spaces, `a:b:…` vectors for continuous.
func parseActions(_ text: String, for space: ActionSpace) throws -> [Action] {
  let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
    $0.trimmingCharacters(in: .whitespaces)
  }
  return try items.enumerated().map { position, item in
    switch space {
    case .discrete(let count):
      guard let index = Int(item), (0..<count).contains(index) else {
        throw CLIError("--actions item \(position + 1) '\(item)' is not an action in 0..<\(count)")
      }
      return .discrete(index)
    case .continuous(let low, _):
      let parts = item.split(separator: ":").map { Float($0.trimmingCharacters(in: .whitespaces)) }
      guard parts.count == low.count, parts.allSatisfy({ $0 != nil && $0!.isFinite }) else {
        throw CLIError("--actions item \(position + 1) '\(item)' is not a vector of \(low.count) finite numbers")
      }
      return .continuous(parts.map { $0! })
    }
  }
}

/// Mean, standard deviation (population), minimum and maximum.
struct Summary {
  var mean = 0.0, std = 0.0, min = 0.0, max = 0.0

  init(_ values: [Double]) {
    mean = values.reduce(0, +) / Double(values.count)
    std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
    min = values.min()!
    max = values.max()!
  }

  var text: String {
    "mean \(fmt(mean)) ± \(fmt(std)) (min \(fmt(min)), max \(fmt(max)))"
  }

  var json: String { "{\"mean\": \(mean), \"std\": \(std), \"min\": \(min), \"max\": \(max)}" }

  private func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
}

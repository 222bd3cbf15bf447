// arcade-bench: throughput, expert-vs-random returns and pictures of the arcade environments.
//
//   swift run -c release arcade-bench speed [--repeats 5] [--milliseconds 1000] [--only <name part>]
//   swift run -c release arcade-bench returns [--episodes 20]
//   swift run -c release arcade-bench render <directory>
//
// `speed` steps environments with uniformly random actions, resetting at episode ends, on 1
// thread and on 2 (`DispatchQueue.concurrentPerform`, each worker owning half the envs), and
// prints the median over repeats. Scripts/bench-arcade.sh runs it beside MinAtar's Python.
import Dispatch
import Environments
import Foundation
import Randomness

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, default value: Int) -> Int {
  guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return value }
  return v
}

// MARK: - Throughput

/// Shared storage whose workers each touch only their own index.
final class Box<T>: @unchecked Sendable { var value: T; init(_ v: T) { value = v } }

/// Steps `envs` for about `seconds` with random actions; returns agent steps per wall-clock
/// second, and per CPU second of the workers times `workers` (what `workers` otherwise idle
/// cores would deliver; on a shared machine the wall-clock rate is lower).
func throughput<E: Environment>(_ envs: [E], workers: Int, seconds: Double) -> (wall: Double, cpu: Double) {
  let groups = Box((0..<workers).map { w in stride(from: w, to: envs.count, by: workers).map { envs[$0] } })
  let counts = Box([Int](repeating: 0, count: workers))
  let cpuSeconds = Box([Double](repeating: 0, count: workers))
  let start = DispatchTime.now().uptimeNanoseconds
  let deadline = start + UInt64(seconds * 1e9)
  // Each worker touches only groups.value[w] and counts.value[w].
  DispatchQueue.concurrentPerform(iterations: workers) { w in
    var mine = groups.value[w]
    let size = mine[0].observationSpace.elementCount
    let actions = mine[0].actionSpace.size
    var observation = [E.Scalar](repeating: 0, count: size)
    var random = RandomStream(seed: 7, stream: UInt64(w))
    let cpuStart = threadCPUSeconds()
    observation.withUnsafeMutableBufferPointer { buffer in
      for i in mine.indices { mine[i].reset(seed: UInt64(w * 1000 + i), into: buffer) }
      var steps = 0
      while DispatchTime.now().uptimeNanoseconds < deadline {
        for _ in 0..<64 {
          for i in mine.indices {
            let outcome = mine[i].step(.discrete(random.nextInt(below: actions)), into: buffer)
            if outcome.isDone { mine[i].reset(seed: nil, into: buffer) }
          }
          steps += mine.count
        }
      }
      counts.value[w] = steps
      cpuSeconds.value[w] = threadCPUSeconds() - cpuStart
    }
  }
  let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  let total = Double(counts.value.reduce(0, +))
  return (total / elapsed, total / cpuSeconds.value.reduce(0, +) * Double(workers))
}

/// CPU time consumed by the calling thread.
func threadCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

func speed<E: Environment>(_ name: String, _ make: (UInt64) -> E, envsPerWorker: Int, repeats: Int, seconds: Double) {
  if let i = arguments.firstIndex(of: "--only"), i + 1 < arguments.count, !name.contains(arguments[i + 1]) { return }
  for workers in [1, 2] {
    let envs = (0..<(envsPerWorker * workers)).map { make(UInt64($0)) }
    let rates = (0..<repeats).map { _ in throughput(envs, workers: workers, seconds: seconds) }
    print(String(format: "%-36@ %d thread%@  median %11.0f steps/s wall  %11.0f steps/s by CPU time  (wall: %@)",
                 name as NSString, workers, workers == 1 ? " " : "s", median(rates.map(\.wall)), median(rates.map(\.cpu)),
                 rates.map { String(format: "%.0f", $0.wall) }.joined(separator: " ")))
  }
}

// MARK: - Returns

/// Mean and standard deviation of full-game returns of `policy` over `episodes` episodes.
func returns<E: Environment>(_ env: E, episodes: Int, maxSteps: Int = 27_000, policy: (E, inout RandomStream) -> Int) -> (mean: Double, std: Double, steps: Double) {
  var env = env
  var random = RandomStream(seed: 99)
  var totals: [Double] = [], lengths: [Double] = []
  for episode in 0..<episodes {
    _ = env.reset(seed: UInt64(1000 + episode))
    var total = 0.0, steps = 0
    while steps < maxSteps {
      let step = env.step(.discrete(policy(env, &random)))
      total += step.reward
      steps += 1
      if step.isTerminal || step.isTruncated { break }
    }
    totals.append(total); lengths.append(Double(steps))
  }
  let mean = totals.reduce(0, +) / Double(episodes)
  let variance = totals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(episodes - 1, 1))
  return (mean, variance.squareRoot(), lengths.reduce(0, +) / Double(episodes))
}

func report<E: Environment>(_ name: String, _ env: E, episodes: Int, expert: @escaping (E) -> Int) {
  let count = env.actionSpace.size
  let e = returns(env, episodes: episodes) { env, _ in expert(env) }
  let r = returns(env, episodes: episodes) { _, random in random.nextInt(below: count) }
  print(String(format: "| %@ | %.1f ± %.1f | %.1f ± %.1f | %.0f / %.0f |", name, e.mean, e.std, r.mean, r.std, e.steps, r.steps))
}

func atariSettings() -> AtariPreprocessing<Breakout>.Settings { .init() }

// MARK: - Main

switch arguments.first {
case "speed":
  let repeats = option("--repeats", default: 5)
  let seconds = Double(option("--milliseconds", default: 1000)) / 1000
  func atari<G: ArcadeGame>(_ game: G) -> (UInt64) -> FrameStack<AtariPreprocessing<G>> {
    { seed in AtariPreprocessing.stacked(game, seed: seed) }
  }
  speed("Arcade/Breakout atari [4,84,84]", atari(Breakout()), envsPerWorker: 8, repeats: repeats, seconds: seconds)
  speed("Arcade/Pong atari [4,84,84]", atari(Pong()), envsPerWorker: 8, repeats: repeats, seconds: seconds)
  speed("Arcade/SpaceInvaders atari [4,84,84]", atari(SpaceInvaders()), envsPerWorker: 8, repeats: repeats, seconds: seconds)
  speed("Arcade/Freeway atari [4,84,84]", atari(Freeway()), envsPerWorker: 8, repeats: repeats, seconds: seconds)
  speed("MinAtar/Breakout", { MinAtarEnvironment(MinAtarBreakout(), seed: $0) }, envsPerWorker: 16, repeats: repeats, seconds: seconds)
  speed("MinAtar/Freeway", { MinAtarEnvironment(MinAtarFreeway(), seed: $0) }, envsPerWorker: 16, repeats: repeats, seconds: seconds)
  speed("MinAtar/SpaceInvaders", { MinAtarEnvironment(MinAtarSpaceInvaders(), seed: $0) }, envsPerWorker: 16, repeats: repeats, seconds: seconds)
  speed("MinAtar/Pong", { MinAtarEnvironment(MinAtarPong(), seed: $0) }, envsPerWorker: 16, repeats: repeats, seconds: seconds)
case "returns":
  let episodes = option("--episodes", default: 20)
  print("| Environment | expert mean ± std | random mean ± std | mean length expert / random |")
  print("|---|---|---|---|")
  func arcade<G: ArcadeGame>(_ name: String, _ game: G) {
    var settings = AtariPreprocessing<G>.Settings()
    settings.repeatActionProbability = 0.25
    report(name, AtariPreprocessing(game, settings: settings), episodes: episodes) { $0.expertAction() }
  }
  arcade("Arcade/Breakout-v0 (skip 4, sticky 0.25)", Breakout())
  arcade("Arcade/Pong-v0 (skip 4, sticky 0.25)", Pong())
  arcade("Arcade/SpaceInvaders-v0 (skip 4, sticky 0.25)", SpaceInvaders())
  arcade("Arcade/Freeway-v0 (skip 4, sticky 0.25)", Freeway())
  func minAtar<G: MinAtarGame>(_ name: String, _ game: G) {
    report(name, MinAtarEnvironment(game), episodes: episodes) { $0.expertAction() }
  }
  minAtar("MinAtar/Breakout-v0 (sticky 0.1)", MinAtarBreakout())
  minAtar("MinAtar/Freeway-v0 (sticky 0.1)", MinAtarFreeway())
  minAtar("MinAtar/SpaceInvaders-v0 (sticky 0.1)", MinAtarSpaceInvaders())
  minAtar("MinAtar/Pong-v0 (sticky 0.1)", MinAtarPong())
case "render":
  guard arguments.count > 1 else { print("usage: arcade-bench render <directory>"); exit(1) }
  let directory = URL(fileURLWithPath: arguments[1])
  func save(_ frame: Frame, _ name: String) {
    let url = directory.appendingPathComponent(name)
    do { try Data(frame.pngData()).write(to: url, options: .atomic) } catch {
      print("cannot write \(url.path): \(error)"); exit(1)
    }
    print("wrote \(url.path)")
  }
  func shoot<G: ArcadeGame>(_ name: String, _ game: G, frames: Int) {
    var env = ArcadeEnvironment(game, seed: 3)
    _ = env.reset(seed: 3)
    for _ in 0..<frames { _ = env.step(.discrete(env.expertAction())) }
    save(env.render().scaled(by: 2), "arcade-\(name).png")
    var pre = AtariPreprocessing.stacked(game, seed: 3)
    var observation = pre.reset(seed: 3)
    for _ in 0..<(frames / 4) { observation = pre.step(.discrete(pre.base.expertAction())).observation }
    // The newest of the 4 stacked 84×84 grayscale frames, as RGB, scaled ×3.
    var frame = Frame(width: 84, height: 84)
    for i in 0..<(84 * 84) { for c in 0..<3 { frame.pixels[3 * i + c] = observation[3 * 84 * 84 + i] } }
    save(frame.scaled(by: 3), "arcade-\(name)-84x84.png")
  }
  shoot("breakout", Breakout(), frames: 400)
  shoot("pong", Pong(), frames: 400)
  shoot("space-invaders", SpaceInvaders(), frames: 400)
  shoot("freeway", Freeway(), frames: 400)
  func shootMinAtar<G: MinAtarGame>(_ name: String, _ game: G) {
    var env = MinAtarEnvironment(game, seed: 3)
    _ = env.reset(seed: 3)
    for _ in 0..<30 { _ = env.step(.discrete(env.expertAction())) }
    save(env.render(), "minatar-\(name).png")
  }
  shootMinAtar("breakout", MinAtarBreakout())
  shootMinAtar("freeway", MinAtarFreeway())
  shootMinAtar("space-invaders", MinAtarSpaceInvaders())
  shootMinAtar("pong", MinAtarPong())
case "debug":
  var env = MinAtarEnvironment(MinAtarPong(), stickyActionProbability: 0)
  _ = env.reset(seed: 1)
  for t in 0..<200 {
    let a = env.expertAction()
    let g = env.game
    let s = env.step(.discrete(a))
    print(t, "ball", g.ballX, g.ballY, g.ballDX, g.ballDY, "pad", g.paddleY, "opp", g.opponentY, "a", a, "r", s.reward)
    if s.isTerminal { break }
  }
default:
  print("usage: arcade-bench speed|returns|render <directory>")
  exit(1)
}

// Environment throughput: CartPole-v1 (with its 500-step TimeLimit) as a single environment
// and as a VectorEnvironment, in env-steps per second. Run through Scripts/bench-envs.sh, which
// runs Gymnasium on the same machine and prints the ratios.
//
//   swift run -c release bench-environments [--steps N] [--repeats R] [--envs N] [--workers W]
//
// Prints one line per measurement: `<name> <steps/s, median of R runs> <all runs>`.
// Actions are drawn once up front (a fixed xorshift stream) so that policy cost is not measured.

import Dispatch
import Environments

func argument(_ name: String, default value: Int) -> Int {
  let arguments = CommandLine.arguments
  guard let i = arguments.firstIndex(of: name) else { return value }
  guard i + 1 < arguments.count, let parsed = Int(arguments[i + 1]), parsed > 0 else {
    fatalError("\(name) needs a positive integer")
  }
  return parsed
}

let steps = argument("--steps", default: 2_000_000)
let repeats = argument("--repeats", default: 5)
let envCount = argument("--envs", default: 4096)
let workers = argument("--workers", default: 2)

/// Random 0/1 actions, 64 per word (xorshift64).
let actionBits: [UInt64] = {
  var words = [UInt64](repeating: 0, count: 1 << 14)
  var x: UInt64 = 0x9E37_79B9_7F4A_7C15
  for i in words.indices {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17
    words[i] = x
  }
  return words
}()

@inline(__always) func bit(_ k: Int) -> Int {
  Int(actionBits[(k >> 6) & (actionBits.count - 1)] >> UInt64(k & 63) & 1)
}

func seconds(_ body: () -> Void) -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func report(_ name: String, _ rates: [Double]) {
  let all = rates.map { String(Int($0)) }.joined(separator: ",")
  print("\(name) \(Int(median(rates))) \(all)")
}

// MARK: - Single environment: step, reset when the episode ends.

var singleRates: [Double] = []
var checksum: Float = 0
for _ in 0..<repeats {
  var environment = TimeLimit(CartPole(), maxEpisodeSteps: 500)
  var observation = [Float](repeating: 0, count: 4)
  let time = seconds {
    observation.withUnsafeMutableBufferPointer { buffer in
      environment.reset(seed: 0, into: buffer)
      for k in 0..<steps {
        let outcome = environment.step(.discrete(bit(k)), into: buffer)
        if outcome.isTerminal || outcome.isTruncated { environment.reset(seed: nil, into: buffer) }
      }
    }
  }
  checksum += observation[0]
  singleRates.append(Double(steps) / time)
}
report("swift-cartpole-single", singleRates)

// MARK: - Vector environment: `envCount` rows, autoreset, `workers` threads.

for workerCount in Set([1, workers]).sorted() {
  var vector = VectorEnvironment(TimeLimit(CartPole(), maxEpisodeSteps: 500), count: envCount, workerCount: workerCount)
  vector.reset(seed: 0)
  let batches = max(1, steps / envCount * 4)
  let actionBatches = (0..<64).map { b in (0..<envCount).map { Action.discrete(bit(b * envCount + $0)) } }
  var rates: [Double] = []
  for _ in 0..<repeats {
    let time = seconds {
      for b in 0..<batches { vector.step(actionBatches[b & 63]) }
    }
    rates.append(Double(batches * envCount) / time)
  }
  checksum += vector.observations[0]
  report("swift-cartpole-vector\(envCount)-workers\(workerCount)", rates)
}
if checksum.isNaN { print("unreachable: \(checksum)") }

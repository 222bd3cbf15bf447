// Environment throughput: CartPole-v1 (with its 500-step TimeLimit) as a single environment
// and as a VectorEnvironment, in env-steps per second. Run through Scripts/bench-envs.sh, which
// runs Gymnasium on the same machine and prints the ratios.
//
//   swift run -c release bench-environments [--steps N] [--repeats R] [--envs N] [--workers W]
//
// Prints one line per measurement: `<name> <steps/s, median of R runs> <all runs> cpu <rate>`:
// wall-clock rates, then the median rate by CPU time (the process's user + system seconds),
// multiplied by the worker count: what otherwise idle cores would deliver on a shared machine.
// Actions are drawn once up front (a fixed xorshift stream) so that policy cost is not measured.

import Dispatch
import Environments
#if canImport(Glibc)
import Glibc
#endif

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

/// User + system CPU seconds of the whole process (all threads).
func processCPUSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
    + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Wall-clock and CPU seconds of `body`.
func seconds(_ body: () -> Void) -> (wall: Double, cpu: Double) {
  let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
  body()
  return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, processCPUSeconds() - cpuStart)
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func report(_ name: String, _ rates: [Double], cpuRates: [Double]) {
  let all = rates.map { String(Int($0)) }.joined(separator: ",")
  print("\(name) \(Int(median(rates))) \(all) cpu \(Int(median(cpuRates)))")
}

// MARK: - Single environment: step, reset when the episode ends.

var singleRates: [Double] = [], singleCPURates: [Double] = []
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
  singleRates.append(Double(steps) / time.wall)
  singleCPURates.append(Double(steps) / time.cpu)
}
report("swift-cartpole-single", singleRates, cpuRates: singleCPURates)

// MARK: - Vector environment: `envCount` rows, autoreset, `workers` threads.

for workerCount in Set([1, workers]).sorted() {
  var vector = VectorEnvironment(TimeLimit(CartPole(), maxEpisodeSteps: 500), count: envCount, workerCount: workerCount)
  vector.reset(seed: 0)
  let batches = max(1, steps / envCount * 4)
  let actionBatches = (0..<64).map { b in (0..<envCount).map { Action.discrete(bit(b * envCount + $0)) } }
  var rates: [Double] = [], cpuRates: [Double] = []
  for _ in 0..<repeats {
    let time = seconds {
      for b in 0..<batches { vector.step(actionBatches[b & 63]) }
    }
    rates.append(Double(batches * envCount) / time.wall)
    cpuRates.append(Double(batches * envCount) / time.cpu * Double(workerCount))
  }
  checksum += vector.observations[0]
  report("swift-cartpole-vector\(envCount)-workers\(workerCount)", rates, cpuRates: cpuRates)
}
if checksum.isNaN { print("unreachable: \(checksum)") }

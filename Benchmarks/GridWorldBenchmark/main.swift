// Steps per second of the grid worlds with uniformly random actions, one thread.
//
//   swift run -c release gridworld-bench [repeats]      (default 5)
//
// Each repeat steps one environment for about a second (resetting at episode ends, each step
// writing its 7×7×4 observation) and prints the median over repeats per environment.
// Scripts/bench-gridworld.sh runs this and MiniGrid in Python side by side.
import Dispatch
import Environments
import Randomness

func stepsPerSecond<E: Environment>(_ environment: E, repeats: Int) -> Double {
  var environment = environment
  var actions = RandomStream(seed: 1)
  var observation = [E.Scalar](repeating: 0, count: environment.observationSpace.elementCount)
  let actionCount = environment.actionSpace.size
  var rates: [Double] = []
  observation.withUnsafeMutableBufferPointer { buffer in
    environment.reset(seed: 0, into: buffer)
    for _ in 0..<repeats {
      var steps = 0
      let start = DispatchTime.now().uptimeNanoseconds
      var elapsed: UInt64 = 0
      while elapsed < 1_000_000_000 {
        for _ in 0..<1000 {
          let outcome = environment.step(.discrete(actions.nextInt(below: actionCount)), into: buffer)
          if outcome.isDone { environment.reset(seed: nil, into: buffer) }
        }
        steps += 1000
        elapsed = DispatchTime.now().uptimeNanoseconds - start
      }
      rates.append(Double(steps) / (Double(elapsed) / 1e9))
    }
  }
  return rates.sorted()[rates.count / 2]
}

let repeats = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 5 : 5
let environments: [(String, any Environment)] = [
  ("MiniGrid-Empty-8x8-v0", MiniGridEmpty(size: 8)),
  ("MiniGrid-DoorKey-8x8-v0", MiniGridDoorKey(size: 8)),
  ("MiniGrid-FourRooms-v0", MiniGridFourRooms()),
  ("MiniGrid-MemoryS7-v0", MiniGridMemory(size: 7)),
]
for (id, environment) in environments {
  func run<E: Environment>(_ environment: E) -> Double { stepsPerSecond(environment, repeats: repeats) }
  print("swift \(id): \(Int(run(environment))) steps/s (median of \(repeats))")
}

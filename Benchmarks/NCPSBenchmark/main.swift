// ncps-bench: the speed and memory of NeuralCircuits on the cases of issue 3, printed as one
// JSON object per line ({"case", "median_ms", ...}). Scripts/bench-ncps.sh runs it next to
// Scripts/bench-ncps.py (ncps/PyTorch) and prints the ratios. Single-threaded: run with
// OPENBLAS_NUM_THREADS=1 (the script does).
//
// Each case reports the median wall time and the median CPU time (user + sys of the process) of
// its repeats: on a loaded machine the CPU-time ratio is the fairer comparison.
//
// Usage: ncps-bench [--repeats N] [--only SUBSTRING] | ncps-bench --memory   (LTC AutoNCP(128,16), batch 256: max RSS)

import Foundation
import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore

ComputeThreads.maximum = 1
let arguments = CommandLine.arguments
let repeats = arguments.firstIndex(of: "--repeats").map { Int(arguments[$0 + 1])! } ?? 7

let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }
/// CPU time (user + sys) of the whole process in milliseconds.
func cpuNow() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
  return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
}
func median(_ values: [Double]) -> Double { let s = values.sorted(); return s[s.count / 2] }
func report(_ name: String, _ milliseconds: Double, cpu: Double? = nil, _ extra: String = "") {
  let cpuField = cpu.map { ", \"cpu_ms\": \($0)" } ?? ""
  print("{\"case\": \"\(name)\", \"median_ms\": \(milliseconds)\(cpuField)\(extra)}")
}
func selected(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }

func models() throws -> [(String, CircuitModel)] {
  [
    ("CfC(16->64)", .cfc(CfC(inputSize: 16, units: 64))),
    ("CfC(16,AutoNCP(64,8))", .cfc(CfC(wiring: try Wiring(.autoNCP(units: 64, outputSize: 8), inputCount: 16)))),
    ("LTC(16,AutoNCP(32,8))", .ltc(LTC(wiring: try Wiring(.autoNCP(units: 32, outputSize: 8), inputCount: 16)))),
  ]
}

/// One training step as in Scripts/bench-ncps.py: forward, torch's `mse_loss`, backward, Adam —
/// through the library's Layer API (the model is a NeuralNetworks Layer).
func trainingStep(_ model: inout CircuitModel, _ adam: inout Adam, _ x: Tensor, _ y: Tensor) {
  let marked = model.requiringGradient()
  let loss = mseLoss(marked(x).output, y)
  adam.update(&model, along: loss.gradients(for: marked.parameters))
}

func timeTraining(_ name: String, _ model: CircuitModel, batch: Int, length: Int, outputs: Int) {
  guard selected(name) else { return }
  var g = RandomStream(seed: 1)
  var model = model
  let x = Tensor(normal: [batch, length, model.inputSize], using: &g)
  let y = Tensor(normal: [batch, length, outputs], using: &g)
  var adam = Adam()  // NeuralNetworks: PyTorch's defaults (lr 1e-3)
  trainingStep(&model, &adam, x, y)  // warm-up
  var times: [Double] = [], cpuTimes: [Double] = []
  for _ in 0..<repeats {
    let (start, cpuStart) = (now(), cpuNow())
    trainingStep(&model, &adam, x, y)
    times.append(now() - start)
    cpuTimes.append(cpuNow() - cpuStart)
  }
  report(name, median(times), cpu: median(cpuTimes))
}

if arguments.contains("--memory") {
  let wiring = try Wiring(.autoNCP(units: 128, outputSize: 16), inputCount: 32)
  var model = CircuitModel.ltc(LTC(wiring: wiring))
  var g = RandomStream(seed: 1)
  let (batch, length) = (256, 32)
  let x = Tensor(normal: [batch, length, 32], using: &g)
  let y = Tensor(normal: [batch, length, 16], using: &g)
  var adam = Adam()  // NeuralNetworks: PyTorch's defaults (lr 1e-3)
  let start = now()
  trainingStep(&model, &adam, x, y)
  let elapsed = now() - start
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  report("train LTC(32,AutoNCP(128,16)) B256xL32", elapsed, ", \"max_rss_mib\": \(Double(usage.ru_maxrss) / 1024)")
  exit(0)
}

for (name, model) in try models() where selected("act \(name) B1") {
  let stepper: CircuitStepper
  switch model {
  case .cfc(let m): stepper = CircuitStepper(m)
  case .ltc(let m): stepper = CircuitStepper(m)
  }
  var g = RandomStream(seed: 2)
  let input = (0..<16).map { _ in g.nextNormal() }
  var output = [Float](repeating: 0, count: stepper.outputSize)
  let steps = 2000
  var times: [Double] = [], cpuTimes: [Double] = []
  input.withUnsafeBufferPointer { x in
    output.withUnsafeMutableBufferPointer { y in
      for _ in 0..<200 { stepper.step(x.baseAddress!, output: y.baseAddress!) }
      for _ in 0..<repeats {
        let (start, cpuStart) = (now(), cpuNow())
        for _ in 0..<steps { stepper.step(x.baseAddress!, output: y.baseAddress!) }
        times.append((now() - start) / Double(steps))
        cpuTimes.append((cpuNow() - cpuStart) / Double(steps))
      }
    }
  }
  report("act \(name) B1", median(times), cpu: median(cpuTimes))
}
for (name, model) in try models() {
  let outputs = name.hasPrefix("CfC(16->") ? 64 : 8
  timeTraining("train \(name) B32xL64", model, batch: 32, length: 64, outputs: outputs)
}
timeTraining("train CfC(256->128) B256xL32", .cfc(CfC(inputSize: 256, units: 128)), batch: 256, length: 32, outputs: 128)

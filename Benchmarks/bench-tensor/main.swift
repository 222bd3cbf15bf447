// bench-tensor: TensorCore's side of Scripts/bench-tensor.sh (the PyTorch side is
// Scripts/bench-tensor.py). Prints one JSON line per case: {"case", "cpu_us", "wall_us"} (medians per iteration).
//
//   swift build -c release --product bench-tensor
//   OPENBLAS_NUM_THREADS=1 .build/release/bench-tensor --threads 1 --repeats 7

import CVectorMath
import Dispatch
import Foundation
import Randomness
import TensorCore

var threads = 1
var repeats = 7
var only: String? = nil
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
  switch argument {
  case "--threads": threads = Int(arguments.next() ?? "") ?? 1
  case "--repeats": repeats = Int(arguments.next() ?? "") ?? 7
  case "--only": only = arguments.next()
  default:
    FileHandle.standardError.write("usage: bench-tensor [--threads N] [--repeats N] [--only SUBSTRING]\n".data(using: .utf8)!)
    exit(2)
  }
}
ComputeThreads.maximum = threads

/// Keeps results alive so the optimizer cannot drop the measured work.
nonisolated(unsafe) var sink: Float = 0

/// Process CPU time in nanoseconds (robust when other processes share the cores).
func cpuNanoseconds() -> UInt64 {
  var t = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
  return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// Medians over `repeats` runs of the CPU and wall time per iteration, in microseconds.
@MainActor func measure(_ name: String, iterations: Int, _ body: () -> Tensor) {
  if let only, !name.contains(only) { return }
  for _ in 0..<max(1, iterations / 10) { sink += body().scalars[0] }  // warm-up
  var cpu: [Double] = [], wall: [Double] = []
  for _ in 0..<repeats {
    let (startWall, startCPU) = (DispatchTime.now().uptimeNanoseconds, cpuNanoseconds())
    for _ in 0..<iterations { sink += body().scalars[0] }
    let (endWall, endCPU) = (DispatchTime.now().uptimeNanoseconds, cpuNanoseconds())
    cpu.append(Double(endCPU - startCPU) / 1000 / Double(iterations))
    wall.append(Double(endWall - startWall) / 1000 / Double(iterations))
  }
  cpu.sort()
  wall.sort()
  print("{\"case\": \"\(name)\", \"cpu_us\": \(cpu[cpu.count / 2]), \"wall_us\": \(wall[wall.count / 2])}")
}

var generator = RandomStream(seed: 1)
@MainActor func random(_ shape: [Int]) -> Tensor { Tensor(uniform: shape, in: -1...1, using: &generator) }

// MARK: - Per-op overhead on 1×64 tensors (inference: nothing records)

let a = random([1, 64]), b = random([1, 64])
measure("add 1x64", iterations: 200_000) { a + b }
measure("tanh 1x64", iterations: 200_000) { tanh(a) }
measure("concat 2x(1x64)", iterations: 200_000) { concat([a, b], axis: 1) }
let x80 = random([1, 80]), w80 = random([128, 80]), b128 = random([128])
measure("linear 80->128 (1 row)", iterations: 100_000) { linear(x80, weight: w80, bias: b128) }

// MARK: - Linear(256→256) forward + backward at batch 256

let x256 = random([256, 256]), w256 = random([256, 256]) * 0.06, bias256 = random([256])
measure("linear 256->256 fwd+bwd b256", iterations: 50) {
  let (w, bias) = (w256.requiringGradient(), bias256.requiringGradient())
  let loss = linear(x256, weight: w, bias: bias).sum()
  let g = loss.gradients(for: [w, bias])
  return g[0]
}

// MARK: - Nature-CNN conv stack forward + backward, batch 32, 4×84×84

let frames = Tensor(uniform: [32, 4, 84, 84], in: 0...1, using: &generator)
let w1 = random([32, 4, 8, 8]) * 0.06, b1 = random([32]) * 0.06
let w2 = random([64, 32, 4, 4]) * 0.04, b2 = random([64]) * 0.04
let w3 = random([64, 64, 3, 3]) * 0.04, b3 = random([64]) * 0.04
measure("nature-cnn fwd+bwd b32", iterations: 3) {
  let p = [w1, b1, w2, b2, w3, b3].map { $0.requiringGradient() }
  var h = relu(conv2d(frames, weight: p[0], bias: p[1], stride: 4))
  h = relu(conv2d(h, weight: p[2], bias: p[3], stride: 2))
  h = relu(conv2d(h, weight: p[4], bias: p[5], stride: 1))
  return h.sum().gradients(for: p)[0]
}
measure("nature-cnn fwd b32", iterations: 3) {
  var h = relu(conv2d(frames, weight: w1, bias: b1, stride: 4))
  h = relu(conv2d(h, weight: w2, bias: b2, stride: 2))
  return relu(conv2d(h, weight: w3, bias: b3, stride: 1))
}

// MARK: - The vector-math kernels alone on 4096 floats (no PyTorch side; implementation choice)

let wide = random([4096]).scalars.map { $0 * 6 }
var wideOut = [Float](repeating: 0, count: 4096)
@MainActor func kernel(_ name: String, _ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) {
  measure("kernel \(name) 4096", iterations: 20_000) {
    f(wide, &wideOut, 4096)
    return Tensor(wideOut[0])
  }
}
kernel("tanh swift-simd8", swiftSIMDTanh)
kernel("tanh c-portable", { ncps_vtanh_portable($0, $1, $2) })
kernel("tanh c-avx2", { ncps_vtanh_avx2($0, $1, $2) })
kernel("exp c-portable", { ncps_vexp_portable($0, $1, $2) })
kernel("exp c-avx2", { ncps_vexp_avx2($0, $1, $2) })
kernel("sigmoid c-avx2", { ncps_vsigmoid_avx2($0, $1, $2) })

FileHandle.standardError.write("checksum \(sink)\n".data(using: .utf8)!)

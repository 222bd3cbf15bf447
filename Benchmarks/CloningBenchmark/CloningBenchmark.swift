// bench-cloning: one behavior-cloning training step of ncps' Atari model, timed.
//
// The model of ncps' `atari_torch.py` (reference/ncps.md §8): conv 4→64→128→128→256, 5×5
// stride 2 padding 2, BatchNorm after the 2nd and 4th conv, ReLU, global average pooling, then a
// CfC of 64 units (backbone 128, lecun_tanh) and a linear head to 4 actions (ncps'
// `proj_size=n_actions`), assembled as bc-train's `ActorCritic`. One step = forward over
// [batch, length, 4, 84, 84] float frames, cross-entropy on every step, backward, Adam.
// The step is `BCTrainer`'s: `replay` from a zero state, −mean log π(a*), gradients, Adam.
//
// Usage: bench-cloning [--threads N] [--repeats R] [--batch B] [--length T] [--layers FRAMES]
// (`--layers FRAMES` times each layer alone on FRAMES frames instead; LayerTimings.swift;
// `--blas-threads N` gives OpenBLAS N threads, default 1: conv2d already splits its samples over
// --threads Dispatch workers, and OpenBLAS threads inside them doubled the CPU time of a
// 2-thread step here, 2.14 -> 5.0 s at batch 4×32, while adding nothing on the loaded machine;
// `--plain-malloc 1` leaves glibc's allocator policy alone instead of
// `MemoryPolicy.retainFreedMemory()`, which training drivers use: 1.30 -> 1.08 s CPU at 4×32)
// Prints one line per timed step and a final `median_seconds=… cpu_seconds=…` line that
// Scripts/bench-cloning-atari.sh reads. Run it through that script (release build).

import Foundation
import NeuralCircuits
import NeuralNetworks
import Randomness
import TensorCore
import Training

func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

@main
struct CloningBenchmark {
  static func main() {
    var (threads, repeats, batch, length, layerFrames, blasThreads) = (1, 3, 32, 32, 0, 1)
    var plainMalloc = false
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next() {
      guard let value = arguments.next().flatMap(Int.init), value > 0 else {
        FileHandle.standardError.write(Data("bench-cloning: \(flag) needs a positive integer\n".utf8))
        exit(2)
      }
      switch flag {
      case "--threads": threads = value
      case "--repeats": repeats = value
      case "--batch": batch = value
      case "--length": length = value
      case "--layers": layerFrames = value
      case "--blas-threads": blasThreads = value
      case "--plain-malloc": plainMalloc = value == 1
      default:
        FileHandle.standardError.write(Data("bench-cloning: unknown option \(flag)\n".utf8))
        exit(2)
      }
    }
    ComputeThreads.maximum = threads
    ComputeThreads.setBLASThreads(blasThreads)
    let retained = plainMalloc ? false : MemoryPolicy.retainFreedMemory()
    if layerFrames > 0 {
      printLayerTimings(frames: layerFrames, repeats: repeats)
      return
    }

    var generator = RandomStream(seed: 1)
    func conv(_ inChannels: Int, _ outChannels: Int) -> Conv2d {
      Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 5, stride: 2, padding: 2, using: &generator)
    }
    let encoder = Sequential(
      conv(4, 64), Activation.relu, conv(64, 128), BatchNorm(featureCount: 128), Activation.relu,
      conv(128, 128), Activation.relu, conv(128, 256), BatchNorm(featureCount: 256), Activation.relu, GlobalAvgPool2d())
    let circuit = CfCCircuit(
      configuration: CfCKernelConfiguration(inputSize: 256, hiddenSize: 64, mode: .standard, backboneUnits: 128, backboneLayers: 1),
      using: &generator)
    var policy = ActorCritic(
      encoder: encoder, circuit: circuit, observationShape: [4, 84, 84], actionSpace: .discrete(count: 4), using: &generator)
    policy.setTraining(true)
    var optimizer = Adam(learningRate: 1e-4)

    let frames = (0..<(batch * length * 4 * 84 * 84)).map { _ in generator.nextFloat() }
    let observations = Tensor(frames, shape: [batch, length, 4, 84, 84])
    let actions = (0..<(batch * length)).map { _ in Float(generator.nextInt(below: 4)) }
    let starts = Tensor((0..<(batch * length)).map { $0 % length == 0 ? Float(1) : 0 }, shape: [batch, length])
    func trainingStep() -> Float {
      let marked = policy.requiringGradient()
      let (distribution, _) = marked.replay(
        observations: observations, initialState: Tensor(zeros: [batch, policy.stateSize]), episodeStarts: starts,
        elapsedTimes: Tensor(ones: [batch, length]))
      let loss = -distribution.logProbability(of: actions).mean()
      let gradients = loss.gradients(for: marked.parameters)
      optimizer.update(&policy, along: gradients)
      return loss.scalars[0]
    }

    print("bench-cloning: ncps Atari model, batch \(batch) × \(length) frames, \(threads) thread(s) (OpenBLAS \(blasThreads)), \(policy.parameters.reduce(0) { $0 + $1.count }) parameters\(retained ? ", freed memory kept in the heap" : "")")
    _ = trainingStep()  // warm-up
    var wall: [Double] = []
    var cpu: [Double] = []
    for r in 0..<repeats {
      let (start, cpuStart) = (Date(), cpuSeconds())
      let loss = trainingStep()
      wall.append(Date().timeIntervalSince(start))
      cpu.append(cpuSeconds() - cpuStart)
      print(String(format: "step %d: %.3f s wall, %.3f s cpu, loss %.4f", r + 1, wall.last!, cpu.last!, loss))
    }

    print(String(format: "median_seconds=%.4f cpu_seconds=%.4f frames_per_second=%.1f", median(wall), median(cpu), Double(batch * length) / median(wall)))
  }
}

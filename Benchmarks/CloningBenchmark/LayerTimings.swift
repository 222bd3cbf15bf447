// bench-cloning --layers N: the Atari model's layers one by one on N frames (CPU milliseconds
// per call, forward and backward apart), the counterpart of timing torch's layers one by one.
// Used to see where each side spends its step (TensorCore README, conv section).

import NeuralNetworks
import Randomness
import TensorCore

/// Median CPU milliseconds of `repeats` calls of `body` after one warm-up call.
func cpuMilliseconds(repeats: Int, _ body: () -> Void) -> Double {
  body()
  var times: [Double] = []
  for _ in 0..<repeats {
    let start = cpuSeconds()
    body()
    times.append((cpuSeconds() - start) * 1000)
  }
  return median(times)
}

/// Prints forward and backward CPU times of each conv layer, BatchNorm + ReLU and the global
/// average pooling of the Atari model at `frames` frames.
func printLayerTimings(frames: Int, repeats: Int) {
  var generator = RandomStream(seed: 2)
  // (inChannels, outChannels, input size, input needs a gradient)
  let convolutions = [(4, 64, 84, false), (64, 128, 42, true), (128, 128, 21, true), (128, 256, 11, true)]
  for (inChannels, outChannels, size, inputGradient) in convolutions {
    let layer = Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 5, stride: 2, padding: 2, using: &generator)
    let input = Tensor(uniform: [frames, inChannels, size, size], in: 0...1, using: &generator)
    let forward = cpuMilliseconds(repeats: repeats) { _ = layer(input) }
    let both = cpuMilliseconds(repeats: repeats) {
      let (w, b) = (layer.weight.requiringGradient(), layer.bias!.requiringGradient())
      let x = inputGradient ? input.requiringGradient() : input
      let y = conv2d(x, weight: w, bias: b, stride: 2, padding: 2)
      _ = y.gradients(for: inputGradient ? [x, w, b] : [w, b], seed: y.detached)
    }
    print(String(format: "conv %d->%d %dx%d: fwd %.1f ms, bwd %.1f ms (cpu)", inChannels, outChannels, size, size, forward, both - forward))
  }
  for (channels, size) in [(128, 21), (256, 6)] {
    var norm = BatchNorm(featureCount: channels)
    norm.setTraining(true)
    let input = Tensor(uniform: [frames, channels, size, size], in: 0...1, using: &generator)
    let forward = cpuMilliseconds(repeats: repeats) { _ = relu(norm(input)) }
    let both = cpuMilliseconds(repeats: repeats) {
      let x = input.requiringGradient()
      let y = relu(norm(x))
      _ = y.gradients(for: [x], seed: y.detached)
    }
    print(String(format: "batchnorm+relu %dx%dx%d: fwd %.1f ms, bwd %.1f ms (cpu)", channels, size, size, forward, both - forward))
  }
  let features = Tensor(uniform: [frames, 256, 6, 6], in: 0...1, using: &generator)
  let pooled = cpuMilliseconds(repeats: repeats) {
    let x = features.requiringGradient()
    let y = globalAvgPool2d(x)
    _ = y.gradients(for: [x], seed: y.detached)
  }
  print(String(format: "global average pool 256x6x6: fwd+bwd %.1f ms (cpu)", pooled))
}

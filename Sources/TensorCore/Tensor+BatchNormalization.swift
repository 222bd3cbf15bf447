// Training-mode batch normalisation over axis 1 as one op with a hand-written pullback
// (torch's native_batch_norm). As a composite of broadcast means and divisions its backward cost
// ~30× the forward on the Atari conv block's [N, 128, 21, 21] activations; fused it is two
// passes each way.
//
// Per channel c over the M = batch·spatial values:
//   μ = mean(x),  σ² = mean((x − μ)²) (biased),  r = 1/√(σ² + ε),  x̂ = (x − μ)·r
//   y = γ·x̂ + β
//   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ·r·(dy − dβ/M − x̂·dγ/M)

/// Batch normalisation of `input` with its own batch statistics (training mode).
///
/// - Parameters:
///   - input: Shape: [batch, channels, ...] (any number of trailing axes, or none).
///   - weight: γ, Shape: [channels], or nil for 1.
///   - bias: β, Shape: [channels], or nil for 0.
/// - Returns: the normalised output (input's shape) and the batch mean and biased variance per
///   channel (Shape: [channels], not recording) for running statistics.
public func batchNormalization(
  _ input: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float
) -> (output: Tensor, mean: Tensor, variance: Tensor) {
  precondition(input.rank >= 2, "batchNormalization: input shape \(input.shape) has no channel axis")
  let (batch, channels) = (input.shape[0], input.shape[1])
  let spatial = input.shape.dropFirst(2).reduce(1, *)
  if let weight { precondition(weight.shape == [channels], "batchNormalization: weight shape \(weight.shape) does not match input \(input.shape)") }
  if let bias { precondition(bias.shape == [channels], "batchNormalization: bias shape \(bias.shape) does not match input \(input.shape)") }
  let m = batch * spatial
  precondition(m > 0, "batchNormalization: input shape \(input.shape) has no values per channel")
  var means = [Float](repeating: 0, count: channels), variances = [Float](repeating: 0, count: channels)
  let gammas = weight?.scalars, betas = bias?.scalars
  let y = input.scalars.withUnsafeBufferPointer { xs in
    Tensor.build(shape: input.shape, count: input.count) { out in
      for c in 0..<channels {
        var sum: Double = 0
        for n in 0..<batch { sum += Double(planeSum(xs.baseAddress! + (n * channels + c) * spatial, spatial)) }
        let mean = Float(sum / Double(m))
        var squares: Double = 0
        for n in 0..<batch { squares += Double(planeSquaredDeviations(xs.baseAddress! + (n * channels + c) * spatial, spatial, mean)) }
        let variance = Float(squares / Double(m))
        means[c] = mean
        variances[c] = variance
        let r = 1 / (variance + epsilon).squareRoot()
        let scale = (gammas?[c] ?? 1) * r, shift = (betas?[c] ?? 0) - mean * scale
        for n in 0..<batch {
          let offset = (n * channels + c) * spatial
          let (x, o) = (xs.baseAddress! + offset, out + offset)
          for i in 0..<spatial { o[i] = x[i] * scale + shift }
        }
      }
    }
  }
  let meanTensor = Tensor(shape: [channels], scalars: means), varianceTensor = Tensor(shape: [channels], scalars: variances)
  var inputs = [input]
  if let weight { inputs.append(weight) }
  if let bias { inputs.append(bias) }
  guard inputs.contains(where: { $0.origin != nil }) else { return (y, meanTensor, varianceTensor) }
  let x = input.detached, hasWeight = weight != nil, hasBias = bias != nil
  let (channelMeans, channelVariances) = (means, variances)
  let output = y.recorded(from: inputs) { dy in
    var dx = [Float](repeating: 0, count: x.count)
    var dGamma = [Float](repeating: 0, count: channels), dBeta = [Float](repeating: 0, count: channels)
    x.scalars.withUnsafeBufferPointer { xs in
      dy.scalars.withUnsafeBufferPointer { gs in
        dx.withUnsafeMutableBufferPointer { dx in
          for c in 0..<channels {
            let mean = channelMeans[c], r = 1 / (channelVariances[c] + epsilon).squareRoot()
            // Σ dy and Σ dy·(x − μ) over the channel.
            var sumDy: Double = 0, sumDyCentered: Double = 0
            for n in 0..<batch {
              let offset = (n * channels + c) * spatial
              let (a, b) = planeSums(gs.baseAddress! + offset, xs.baseAddress! + offset, spatial, mean)
              sumDy += Double(a)
              sumDyCentered += Double(b)
            }
            let beta = Float(sumDy), gamma = Float(sumDyCentered) * r  // dβ, dγ = Σ dy·x̂
            dBeta[c] = beta
            dGamma[c] = gamma
            // dx = γ·r·dy − γ·r·dβ/M − γ·r²·(x − μ)·dγ/M
            let g = (gammas?[c] ?? 1) * r
            let a = g, b = -g * beta / Float(m), k = -g * r * gamma / Float(m)
            for n in 0..<batch {
              let offset = (n * channels + c) * spatial
              let (x, d, o) = (xs.baseAddress! + offset, gs.baseAddress! + offset, dx.baseAddress! + offset)
              for i in 0..<spatial { o[i] = a * d[i] + b + k * (x[i] - mean) }
            }
          }
        }
      }
    }
    var gradients = [Tensor(shape: x.shape, scalars: dx)]
    if hasWeight { gradients.append(Tensor(shape: [channels], scalars: dGamma)) }
    if hasBias { gradients.append(Tensor(shape: [channels], scalars: dBeta)) }
    return gradients
  }
  return (output, meanTensor, varianceTensor)
}

/// Σ p[i] over `count` floats, 8 lanes at a time.
private func planeSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
  var lanes = SIMD8<Float>(), i = 0
  while i + 8 <= count {
    lanes += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
    i += 8
  }
  var total = lanes.sum()
  while i < count { total += p[i]; i += 1 }
  return total
}

/// Σ (p[i] − mean)² over `count` floats.
private func planeSquaredDeviations(_ p: UnsafePointer<Float>, _ count: Int, _ mean: Float) -> Float {
  var lanes = SIMD8<Float>(), i = 0
  let m = SIMD8<Float>(repeating: mean)
  while i + 8 <= count {
    let d = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self) - m
    lanes += d * d
    i += 8
  }
  var total = lanes.sum()
  while i < count { total += (p[i] - mean) * (p[i] - mean); i += 1 }
  return total
}

/// (Σ g[i], Σ g[i]·(x[i] − mean)) over `count` floats.
private func planeSums(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, _ mean: Float) -> (Float, Float) {
  var a = SIMD8<Float>(), b = SIMD8<Float>(), i = 0
  let m = SIMD8<Float>(repeating: mean)
  while i + 8 <= count {
    let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
    a += gv
    b += gv * (UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) - m)
    i += 8
  }
  var (sa, sb) = (a.sum(), b.sum())
  while i < count { sa += g[i]; sb += g[i] * (x[i] - mean); i += 1 }
  return (sa, sb)
}

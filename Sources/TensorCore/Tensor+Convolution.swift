// 2-D convolution (PyTorch's conv2d: NCHW input, weights [out, in, kh, kw], cross-correlation)
// as im2col + GEMM over chunks of samples, chunks spread over worker threads.
//
// A chunk of S samples unfolds side by side:  col = [im2col(x[n]) …]      Shape: [in·kh·kw, S·oh·ow]
//   forward:   Y  = W · col                    Shape: [out, S·oh·ow], scattered to y[n] + b
//   backward:  G  = [dy[n] …] (gathered)       Shape: [out, S·oh·ow]
//              dW += G · colᵀ                  (col recomputed, not stored)
//              dx[n] = col2im((Wᵀ · G)[n])     (Wᵀ·G overwrites col)
//              db = Σ_n,hw dy
// One GEMM per chunk instead of per sample keeps the GEMM's N large on small late layers (6×6
// outputs) and the weights packed once per chunk. Scratch comes from `ScratchMemory`.

/// Samples per GEMM: one unless a sample's output is tiny (< 64 positions), then enough for
/// ~256 GEMM columns while the unfolded chunk stays ≤ 4 M floats (16 MB). Measured on the Atari
/// model here (OpenBLAS, 1 thread): chunks of 3–9 samples at 21×21 and 11×11 outputs were no
/// faster than one sample per GEMM, and up to 30% slower, because unfolding into a wide matrix
/// is slower than into a compact one; the GEMM alone gained only at 6×6 outputs.
func convolutionChunk(_ g: ConvolutionGeometry) -> Int {
  if g.columnWidth >= 64 { return 1 }
  let wanted = (256 + g.columnWidth - 1) / g.columnWidth
  let fitting = (4 << 20) / Swift.max(1, g.columnRows * g.columnWidth)
  return Swift.max(1, Swift.min(g.batch, wanted, fitting))
}

/// 2-D cross-correlation, PyTorch's `conv2d` with the same stride and zero padding along both axes.
///
/// - Parameters:
///   - input: Shape: [batch, inChannels, height, width].
///   - weight: Shape: [outChannels, inChannels, kernelHeight, kernelWidth].
///   - bias: Shape: [outChannels], or nil.
/// - Returns: Shape: [batch, outChannels, (height + 2·padding − kernelHeight) / stride + 1, …].
public func conv2d(
  _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
  algorithm: ConvolutionAlgorithm = .automatic
) -> Tensor {
  conv2d(input, weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding), algorithm: algorithm)
}

/// 2-D cross-correlation with strides and zero paddings per axis, PyTorch's
/// `conv2d(stride=(sH, sW), padding=(pH, pW))`.
///
/// - Parameters:
///   - input: Shape: [batch, inChannels, height, width].
///   - weight: Shape: [outChannels, inChannels, kernelHeight, kernelWidth].
///   - bias: Shape: [outChannels], or nil.
///   - stride: (along height, along width), each ≥ 1.
///   - padding: zeros added on both sides (along height, along width), each ≥ 0.
///   - algorithm: `.automatic` takes the Winograd path (Tensor+Winograd.swift) for 5×5 stride 2
///     and 3×3 stride 1 with ≥ 16 input channels, im2col + GEMM otherwise; `.direct` forces
///     im2col + GEMM. Both give the same values up to fp32 rounding.
/// - Returns: Shape: [batch, outChannels, (height + 2·pH − kernelHeight) / sH + 1,
///   (width + 2·pW − kernelWidth) / sW + 1].
public func conv2d(
  _ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int), padding: (Int, Int),
  algorithm: ConvolutionAlgorithm = .automatic
) -> Tensor {
  conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, algorithm: algorithm, tileSize: nil)
}

/// conv2d with the Winograd tile size m ∈ {2, 3, 4} given (tests), or picked by `WinogradPlan`.
func conv2d(
  _ input: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int),
  algorithm: ConvolutionAlgorithm, tileSize: Int?
) -> Tensor {
  precondition(
    input.rank == 4 && weight.rank == 4 && input.shape[1] == weight.shape[1],
    "conv2d: input shape \(input.shape) does not match weight shape \(weight.shape) (want [N, C, H, W] and [O, C, kh, kw])")
  precondition(
    stride.0 >= 1 && stride.1 >= 1 && padding.0 >= 0 && padding.1 >= 0,
    "conv2d: stride \(stride) must be ≥ 1 and padding \(padding) ≥ 0")
  let g = ConvolutionGeometry(
    batch: input.shape[0], channels: input.shape[1], height: input.shape[2], width: input.shape[3],
    kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], strideHeight: stride.0, strideWidth: stride.1,
    paddingHeight: padding.0, paddingWidth: padding.1)
  precondition(
    weight.shape[2] >= 1 && weight.shape[3] >= 1 && g.outputHeight >= 1 && g.outputWidth >= 1
      && input.shape[2] + 2 * padding.0 >= weight.shape[2] && input.shape[3] + 2 * padding.1 >= weight.shape[3],
    "conv2d: kernel \(weight.shape) with padding \(padding) does not fit input \(input.shape)")
  let outChannels = weight.shape[0]
  if let bias {
    precondition(bias.shape == [outChannels], "conv2d: bias shape \(bias.shape) does not match weight shape \(weight.shape)")
  }
  let plan = algorithm.usesWinograd(g) ? WinogradPlan(g, outChannels: outChannels, m: tileSize ?? WinogradPlan.forcedTileSize) : nil
  let y = plan.map { winogradForward($0, input: input, weight: weight, bias: bias) }
    ?? convolutionForward(g, input: input, weight: weight, bias: bias)
  let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
  guard inputs.contains(where: { $0.origin != nil }) else { return y }
  let (xv, wv) = (input.detached, weight.detached)
  let needsInputGradient = input.origin != nil, hasBias = bias != nil
  return y.recorded(from: inputs) { dy in
    let (dInput, dWeight) = plan.map {
      winogradBackward($0, input: xv, weight: wv, outputGradient: dy, needsInputGradient: needsInputGradient)
    } ?? convolutionBackward(g, input: xv, weight: wv, outputGradient: dy, needsInputGradient: needsInputGradient)
    var gradients = [dInput ?? Tensor.placeholder, dWeight]
    // db[o] = Σ over batch and positions of dy[n, o, :, :].
    if hasBias { gradients.append(dy.sum(alongAxes: [0, 2, 3])) }
    return gradients
  }
}

/// y = conv(x, W) + b, chunk by chunk. Shape: [batch, out, oh, ow].
private func convolutionForward(_ g: ConvolutionGeometry, input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
  let outChannels = weight.shape[0]
  let (rows, width) = (g.columnRows, g.columnWidth)
  let sampleSize = g.sampleSize, outputSize = outChannels * width
  let chunk = convolutionChunk(g)
  let chunks = (g.batch + chunk - 1) / chunk
  let chunkFlops = 2 * outChannels * rows * width * chunk
  return input.scalars.withUnsafeBufferPointer { xs in
    weight.scalars.withUnsafeBufferPointer { ws in
      Tensor.build(shape: [g.batch, outChannels, g.outputHeight, g.outputWidth], count: g.batch * outputSize) { out in
        let (xs, ws, out) = (SendableBuffer(xs), SendableBuffer(ws), SendableBuffer(out))
        let biasValues = bias?.scalars
        parallelChunks(count: chunks, minimumChunk: Swift.max(1, 4_000_000 / Swift.max(1, chunkFlops))) { range in
          // Unfolded columns, the GEMM's output (chunks of several samples), a sample's phases.
          let productSize = chunk > 1 ? outputSize * chunk : 0
          ScratchMemory.withBuffer(count: rows * width * chunk + productSize + (g.isStrided ? sampleSize : 0)) { scratch in
            let col = scratch, product = scratch + rows * width * chunk, phases = product + productSize
            for c in range {
              let first = c * chunk, samples = Swift.min(chunk, g.batch - first), n = samples * width
              for s in 0..<samples { g.unfold(xs.base + (first + s) * sampleSize, col + s * width, ld: n, phases: phases) }
              let o = out.base + first * outputSize
              if samples == 1 {
                // One sample: the GEMM writes its output in place, on top of the bias.
                if let biasValues {
                  for k in 0..<outChannels { (o + k * width).update(repeating: biasValues[k], count: width) }
                }
                gemm(
                  transposeA: false, transposeB: false, m: outChannels, n: width, k: rows,
                  a: ws.base, lda: rows, b: col, ldb: width, beta: biasValues == nil ? 0 : 1, c: o, ldc: width)
                continue
              }
              gemm(
                transposeA: false, transposeB: false, m: outChannels, n: n, k: rows,
                a: ws.base, lda: rows, b: col, ldb: n, c: product, ldc: n)
              // product[k, s·width + p] → y[first + s, k, p] (+ b[k]).
              for s in 0..<samples {
                for k in 0..<outChannels {
                  let target = o + s * outputSize + k * width, source = product + k * n + s * width
                  if let biasValues {
                    let b = biasValues[k]
                    for p in 0..<width { target[p] = source[p] + b }
                  } else {
                    target.update(from: source, count: width)
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

/// dx (when asked for) and dW of conv(x, W) given dy. Shapes: dx like x, dW like W.
private func convolutionBackward(
  _ g: ConvolutionGeometry, input: Tensor, weight: Tensor, outputGradient dy: Tensor, needsInputGradient: Bool
) -> (Tensor?, Tensor) {
  let outChannels = weight.shape[0]
  let (rows, width) = (g.columnRows, g.columnWidth)
  let sampleSize = g.sampleSize, outputSize = outChannels * width
  let chunk = convolutionChunk(g)
  let chunks = (g.batch + chunk - 1) / chunk
  let chunkFlops = 6 * outChannels * rows * width * chunk
  let workers = Swift.max(1, Swift.min(ComputeThreads.maximum, chunks / Swift.max(1, 4_000_000 / Swift.max(1, chunkFlops))))
  var dWeight = [Float](repeating: 0, count: outChannels * rows)
  var dInput = [Float](unsafeUninitializedCapacity: needsInputGradient ? g.batch * sampleSize : 0) { _, n in
    n = needsInputGradient ? g.batch * sampleSize : 0  // every sample is overwritten by col2im
  }
  // Each extra worker accumulates its own dW; they are summed after the parallel loop.
  var partials = [Float](repeating: 0, count: (workers - 1) * outChannels * rows)
  input.scalars.withUnsafeBufferPointer { xs in
    weight.scalars.withUnsafeBufferPointer { ws in
      dy.scalars.withUnsafeBufferPointer { gs in
        dWeight.withUnsafeMutableBufferPointer { dw in
          dInput.withUnsafeMutableBufferPointer { dx in
            partials.withUnsafeMutableBufferPointer { partials in
              let (xs, ws, gs, dw0) = (SendableBuffer(xs), SendableBuffer(ws), SendableBuffer(gs), SendableBuffer(dw))
              let dx = needsInputGradient ? SendableBuffer(dx) : nil
              let extra = workers > 1 ? SendableBuffer(partials) : nil
              func work(_ worker: Int) {
                let dw = worker == 0 ? dw0.base : extra!.base + (worker - 1) * outChannels * rows
                // Unfolded columns (then Wᵀ·G in their place), the gathered dy of a chunk, phases.
                let gatheredSize = chunk > 1 ? outputSize * chunk : 0
                ScratchMemory.withBuffer(count: rows * width * chunk + gatheredSize + (g.isStrided ? sampleSize : 0)) { scratch in
                  let col = scratch, gathered = scratch + rows * width * chunk, phases = gathered + gatheredSize
                  for c in (chunks * worker / workers)..<(chunks * (worker + 1) / workers) {
                    let first = c * chunk, samples = Swift.min(chunk, g.batch - first), n = samples * width
                    let dyChunk = gs.base + first * outputSize
                    let G: UnsafePointer<Float>
                    if samples == 1 {
                      G = UnsafePointer(dyChunk)
                    } else {
                      // dy[first + s, k, p] → G[k, s·width + p].
                      for s in 0..<samples {
                        for k in 0..<outChannels {
                          (gathered + k * n + s * width).update(from: dyChunk + s * outputSize + k * width, count: width)
                        }
                      }
                      G = UnsafePointer(gathered)
                    }
                    for s in 0..<samples { g.unfold(xs.base + (first + s) * sampleSize, col + s * width, ld: n, phases: phases) }
                    gemm(
                      transposeA: false, transposeB: true, m: outChannels, n: rows, k: n,
                      a: G, lda: n, b: col, ldb: n, beta: 1, c: dw, ldc: rows)
                    guard let dx else { continue }
                    gemm(
                      transposeA: true, transposeB: false, m: rows, n: n, k: outChannels,
                      a: ws.base, lda: rows, b: G, ldb: n, c: col, ldc: n)
                    for s in 0..<samples { g.fold(col + s * width, ld: n, dx.base + (first + s) * sampleSize, phases: phases) }
                  }
                }
              }
              parallelChunks(count: workers, minimumChunk: 1) { range in
                for worker in range { work(worker) }
              }
            }
          }
        }
      }
    }
  }
  let count = outChannels * rows
  for w in 0..<(workers - 1) {
    for i in 0..<count { dWeight[i] += partials[w * count + i] }
  }
  return (needsInputGradient ? Tensor(shape: input.shape, scalars: dInput) : nil, Tensor(shape: weight.shape, scalars: dWeight))
}

extension ConvolutionGeometry {
  /// im2col of one sample `x`, through its phases (scratch of `sampleSize`) when strided.
  @inline(__always)
  func unfold(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, ld: Int, phases: UnsafeMutablePointer<Float>) {
    if isStrided {
      splitPhases(x, into: phases)
      im2col(phases, col, ld: ld)
    } else {
      im2col(x, col, ld: ld)
    }
  }

  /// col2im into one sample `x` (overwritten), through its phases when strided.
  @inline(__always)
  func fold(_ col: UnsafePointer<Float>, ld: Int, _ x: UnsafeMutablePointer<Float>, phases: UnsafeMutablePointer<Float>) {
    let target = isStrided ? phases : x
    target.update(repeating: 0, count: sampleSize)
    col2im(col, ld: ld, target)
    if isStrided { mergePhases(phases, into: x) }
  }
}

extension Tensor {
  /// Stands in for the gradient of an input that does not record (the engine never reads it).
  static let placeholder = Tensor(shape: [0], scalars: [])
}

// 2-D convolution (PyTorch's conv2d: NCHW input, weights [out, in, kh, kw], cross-correlation)
// as im2col + GEMM, one sample per step, samples spread over worker threads.
//
// Per sample n:   col[n]  = im2col(x[n])                 Shape: [in·kh·kw, oh·ow]
//   forward:      y[n]    = W · col[n] + b               Shape: [out, oh·ow]
//   backward:     dW     += dy[n] · col[n]ᵀ              (col recomputed, not stored)
//                 dx[n]   = col2im(Wᵀ · dy[n])
//                 db      = Σ_n,hw dy

/// Geometry of one convolution or pooling window sweep.
struct ConvolutionGeometry: Sendable {
  let batch: Int, channels: Int, height: Int, width: Int
  let kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int
  var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
  var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
  var columnRows: Int { channels * kernelHeight * kernelWidth }
  var columnWidth: Int { outputHeight * outputWidth }
  var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }

  /// The output columns `x` whose input column `x·stride + j − padding` lies inside the image.
  @inline(__always)
  func validColumns(_ j: Int) -> Range<Int> {
    let first = j >= padding ? 0 : (padding - j + stride - 1) / stride
    let last = width - 1 + padding - j  // largest x·stride allowed
    let end = last < 0 ? 0 : Swift.min(outputWidth, last / stride + 1)
    return first..<Swift.max(first, end)
  }

  /// Unfolds one sample `x` [channels, height, width] into `col` [columnRows, columnWidth].
  func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>) {
    let (oh, ow) = (outputHeight, outputWidth)
    for c in 0..<channels {
      let plane = x + c * height * width
      for i in 0..<kernelHeight {
        for j in 0..<kernelWidth {
          let row = col + ((c * kernelHeight + i) * kernelWidth + j) * oh * ow
          let valid = validColumns(j)
          for y in 0..<oh {
            let sourceRow = y * stride + i - padding
            let target = row + y * ow
            if sourceRow < 0 || sourceRow >= height {
              target.initialize(repeating: 0, count: ow)
              continue
            }
            // source[x] is input column x·stride + j − padding.
            let source = plane + sourceRow * width + j - padding
            if valid.lowerBound > 0 { target.initialize(repeating: 0, count: valid.lowerBound) }
            if stride == 1 {
              (target + valid.lowerBound).update(from: source + valid.lowerBound, count: valid.count)
            } else {
              var from = source + valid.lowerBound &* stride
              for x in valid {
                target[x] = from.pointee
                from += stride
              }
            }
            if valid.upperBound < ow { (target + valid.upperBound).initialize(repeating: 0, count: ow - valid.upperBound) }
          }
        }
      }
    }
  }

  /// Folds `col` [columnRows, columnWidth] back into one sample `x` (overwriting it), summing
  /// overlapping windows: the adjoint of `im2col`.
  func col2im(_ col: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>) {
    let (oh, ow) = (outputHeight, outputWidth)
    x.initialize(repeating: 0, count: channels * height * width)
    for c in 0..<channels {
      let plane = x + c * height * width
      for i in 0..<kernelHeight {
        for j in 0..<kernelWidth {
          let row = col + ((c * kernelHeight + i) * kernelWidth + j) * oh * ow
          let valid = validColumns(j)
          for y in 0..<oh {
            let targetRow = y * stride + i - padding
            if targetRow < 0 || targetRow >= height { continue }
            let target = plane + targetRow * width + j - padding, source = row + y * ow
            if stride == 1 {
              for x in valid { target[x] += source[x] }
            } else {
              for x in valid { target[x * stride] += source[x] }
            }
          }
        }
      }
    }
  }
}

/// Samples per parallel chunk so each chunk is a few MFLOP (≥ ~100 µs).
func samplesPerChunk(flopsPerSample: Int) -> Int { Swift.max(1, 4_000_000 / Swift.max(flopsPerSample, 1)) }

/// 2-D cross-correlation, PyTorch's `conv2d` with square stride and zero padding.
///
/// - Parameters:
///   - input: Shape: [batch, inChannels, height, width].
///   - weight: Shape: [outChannels, inChannels, kernelHeight, kernelWidth].
///   - bias: Shape: [outChannels], or nil.
/// - Returns: Shape: [batch, outChannels, (height + 2·padding − kernelHeight) / stride + 1, …].
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
  precondition(
    input.rank == 4 && weight.rank == 4 && input.shape[1] == weight.shape[1],
    "conv2d: input shape \(input.shape) does not match weight shape \(weight.shape) (want [N, C, H, W] and [O, C, kh, kw])")
  precondition(stride >= 1 && padding >= 0, "conv2d: stride \(stride) must be ≥ 1 and padding \(padding) ≥ 0")
  let g = ConvolutionGeometry(
    batch: input.shape[0], channels: input.shape[1], height: input.shape[2], width: input.shape[3],
    kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
  precondition(
    g.outputHeight >= 1 && g.outputWidth >= 1,
    "conv2d: kernel \(weight.shape) with padding \(padding) does not fit input \(input.shape)")
  let outChannels = weight.shape[0]
  if let bias {
    precondition(bias.shape == [outChannels], "conv2d: bias shape \(bias.shape) does not match weight shape \(weight.shape)")
  }
  let (rows, width) = (g.columnRows, g.columnWidth)
  let sampleSize = g.channels * g.height * g.width, outputSize = outChannels * width
  let chunk = samplesPerChunk(flopsPerSample: 2 * outChannels * rows * width)

  let y = input.scalars.withUnsafeBufferPointer { xs in
    weight.scalars.withUnsafeBufferPointer { ws in
      Tensor.build(shape: [g.batch, outChannels, g.outputHeight, g.outputWidth], count: g.batch * outputSize) { out in
        let (xs, ws, out) = (SendableBuffer(xs), SendableBuffer(ws), SendableBuffer(out))
        let biasValues = bias?.scalars
        parallelChunks(count: g.batch, minimumChunk: chunk) { samples in
          var col = [Float](repeating: 0, count: g.isPointwise ? 0 : rows * width)
          col.withUnsafeMutableBufferPointer { col in
            for n in samples {
              let x = xs.base + n * sampleSize, o = out.base + n * outputSize
              if let biasValues {
                for c in 0..<outChannels { (o + c * width).initialize(repeating: biasValues[c], count: width) }
              }
              let b: UnsafePointer<Float>
              if g.isPointwise { b = UnsafePointer(x) } else { g.im2col(x, col.baseAddress!); b = UnsafePointer(col.baseAddress!) }
              gemm(
                transposeA: false, transposeB: false, m: outChannels, n: width, k: rows,
                a: ws.base, lda: rows, b: b, ldb: width, beta: biasValues == nil ? 0 : 1, c: o, ldc: width)
            }
          }
        }
      }
    }
  }
  let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
  guard inputs.contains(where: { $0.origin != nil }) else { return y }
  let (xv, wv) = (input.detached, weight.detached)
  let needsInputGradient = input.origin != nil
  return y.recorded(from: inputs) { dy in
    var dWeight = [Float](repeating: 0, count: outChannels * rows)
    var dInput = [Float](repeating: 0, count: needsInputGradient ? g.batch * sampleSize : 0)
    let workers = Swift.min(ComputeThreads.maximum, Swift.max(1, g.batch / chunk))
    // Each worker accumulates its own dW; they are summed after the parallel loop.
    var partials = [Float](repeating: 0, count: (workers - 1) * outChannels * rows)
    xv.scalars.withUnsafeBufferPointer { xs in
      wv.scalars.withUnsafeBufferPointer { ws in
        dy.scalars.withUnsafeBufferPointer { gs in
          dWeight.withUnsafeMutableBufferPointer { dw in
            dInput.withUnsafeMutableBufferPointer { dx in
              partials.withUnsafeMutableBufferPointer { partials in
                let (xs, ws, gs, dw0) = (SendableBuffer(xs), SendableBuffer(ws), SendableBuffer(gs), SendableBuffer(dw))
                let dx = needsInputGradient ? SendableBuffer(dx) : nil
                let extra = workers > 1 ? SendableBuffer(partials) : nil
                let perWorker = (g.batch + workers - 1) / workers
                func work(_ worker: Int) {
                  let samples = (worker * perWorker)..<Swift.min(g.batch, (worker + 1) * perWorker)
                  let dw = worker == 0 ? dw0.base : extra!.base + (worker - 1) * outChannels * rows
                  var col = [Float](repeating: 0, count: g.isPointwise ? 0 : rows * width)
                  var dcol = [Float](repeating: 0, count: dx == nil || g.isPointwise ? 0 : rows * width)
                  col.withUnsafeMutableBufferPointer { col in
                    dcol.withUnsafeMutableBufferPointer { dcol in
                      for n in samples {
                        let x = xs.base + n * sampleSize, gn = gs.base + n * outputSize
                        let b: UnsafePointer<Float>
                        if g.isPointwise { b = UnsafePointer(x) } else { g.im2col(x, col.baseAddress!); b = UnsafePointer(col.baseAddress!) }
                        gemm(
                          transposeA: false, transposeB: true, m: outChannels, n: rows, k: width,
                          a: gn, lda: width, b: b, ldb: width, beta: 1, c: dw, ldc: rows)
                        guard let dx else { continue }
                        let target = g.isPointwise ? dx.base + n * sampleSize : dcol.baseAddress!
                        gemm(
                          transposeA: true, transposeB: false, m: rows, n: width, k: outChannels,
                          a: ws.base, lda: rows, b: gn, ldb: width, c: target, ldc: width)
                        if !g.isPointwise { g.col2im(dcol.baseAddress!, dx.base + n * sampleSize) }
                      }
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
    var gradients = [
      needsInputGradient ? Tensor(shape: xv.shape, scalars: dInput) : Tensor.placeholder,
      Tensor(shape: wv.shape, scalars: dWeight),
    ]
    if bias != nil {
      // db[o] = Σ over batch and positions of dy[n, o, :, :].
      gradients.append(dy.sum(alongAxes: [0, 2, 3]))
    }
    return gradients
  }
}

extension Tensor {
  /// Stands in for the gradient of an input that does not record (the engine never reads it).
  static let placeholder = Tensor(shape: [0], scalars: [])
}

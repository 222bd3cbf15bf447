// Pooling over NCHW windows: max (gradient to the first maximum of each window, like PyTorch),
// average (padding counts as zeros in the divisor, PyTorch's count_include_pad=True default), and
// global average pooling as a composite mean.

/// The maximum of each `kernelSize`×`kernelSize` window (PyTorch `max_pool2d`; padding is −∞).
///
/// - Parameter input: Shape: [batch, channels, height, width].
/// - Returns: Shape: [batch, channels, (height + 2·padding − kernelSize) / stride + 1, …].
public func maxPool2d(_ input: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
  let g = poolingGeometry(input, kernelSize: kernelSize, stride: stride ?? kernelSize, padding: padding, function: "maxPool2d")
  let planes = g.batch * g.channels
  let (oh, ow) = (g.outputHeight, g.outputWidth)
  let recording = input.origin != nil
  // Flat input index of each output's maximum (kept only when recording).
  var argmax = [Int](repeating: 0, count: recording ? planes * oh * ow : 0)
  let y = input.scalars.withUnsafeBufferPointer { xs in
    argmax.withUnsafeMutableBufferPointer { argmax in
      Tensor.build(shape: [g.batch, g.channels, oh, ow], count: planes * oh * ow) { out in
        for p in 0..<planes {
          let plane = p * g.height * g.width
          for y in 0..<oh {
            for x in 0..<ow {
              var best = -Float.infinity, bestIndex = -1
              for i in 0..<kernelSize {
                let r = y * g.strideHeight + i - g.paddingHeight
                if r < 0 || r >= g.height { continue }
                for j in 0..<kernelSize {
                  let c = x * g.strideWidth + j - g.paddingWidth
                  if c < 0 || c >= g.width { continue }
                  let v = xs[plane + r * g.width + c]
                  if v > best || bestIndex < 0 { best = v; bestIndex = plane + r * g.width + c }
                }
              }
              let o = (p * oh + y) * ow + x
              out[o] = best
              if recording { argmax[o] = bestIndex }
            }
          }
        }
      }
    }
  }
  guard recording else { return y }
  let sourceShape = input.shape
  return y.recorded(from: [input]) { [argmax] dy in
    var dx = [Float](repeating: 0, count: sourceShape.reduce(1, *))
    for (o, i) in argmax.enumerated() where i >= 0 { dx[i] += dy.scalars[o] }
    return [Tensor(shape: sourceShape, scalars: dx)]
  }
}

/// The mean of each `kernelSize`×`kernelSize` window (PyTorch `avg_pool2d`, zero padding counted).
///
/// - Parameter input: Shape: [batch, channels, height, width].
public func avgPool2d(_ input: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
  let g = poolingGeometry(input, kernelSize: kernelSize, stride: stride ?? kernelSize, padding: padding, function: "avgPool2d")
  let planes = g.batch * g.channels
  let (oh, ow) = (g.outputHeight, g.outputWidth)
  let scale = 1 / Float(kernelSize * kernelSize)
  // Visits every (output, input) pair of the sweep; `body(outputIndex, inputIndex)`.
  @Sendable func sweep(_ body: (Int, Int) -> Void) {
    for p in 0..<planes {
      let plane = p * g.height * g.width
      for y in 0..<oh {
        for x in 0..<ow {
          let o = (p * oh + y) * ow + x
          for i in 0..<kernelSize {
            let r = y * g.strideHeight + i - g.paddingHeight
            if r < 0 || r >= g.height { continue }
            for j in 0..<kernelSize {
              let c = x * g.strideWidth + j - g.paddingWidth
              if c >= 0 && c < g.width { body(o, plane + r * g.width + c) }
            }
          }
        }
      }
    }
  }
  var values = [Float](repeating: 0, count: planes * oh * ow)
  input.scalars.withUnsafeBufferPointer { xs in
    values.withUnsafeMutableBufferPointer { out in sweep { o, i in out[o] += xs[i] * scale } }
  }
  let y = Tensor(shape: [g.batch, g.channels, oh, ow], scalars: values)
  guard input.origin != nil else { return y }
  let sourceShape = input.shape
  return y.recorded(from: [input]) { dy in
    var dx = [Float](repeating: 0, count: sourceShape.reduce(1, *))
    dy.scalars.withUnsafeBufferPointer { gs in
      dx.withUnsafeMutableBufferPointer { dx in sweep { o, i in dx[i] += gs[o] * scale } }
    }
    return [Tensor(shape: sourceShape, scalars: dx)]
  }
}

/// The mean over the spatial axes (composite).
///
/// - Parameter input: Shape: [batch, channels, height, width].
/// - Returns: Shape: [batch, channels].
public func globalAvgPool2d(_ input: Tensor) -> Tensor {
  precondition(input.rank == 4, "globalAvgPool2d: input shape \(input.shape) is not [N, C, H, W]")
  return input.mean(alongAxes: [2, 3])
}

private func poolingGeometry(
  _ input: Tensor, kernelSize: Int, stride: Int, padding: Int, function: String
) -> ConvolutionGeometry {
  precondition(input.rank == 4, "\(function): input shape \(input.shape) is not [N, C, H, W]")
  precondition(
    kernelSize >= 1 && stride >= 1 && padding >= 0 && padding * 2 <= kernelSize,
    "\(function): kernel \(kernelSize), stride \(stride), padding \(padding) are invalid (padding ≤ kernel/2)")
  let g = ConvolutionGeometry(
    batch: input.shape[0], channels: input.shape[1], height: input.shape[2], width: input.shape[3],
    kernelHeight: kernelSize, kernelWidth: kernelSize, strideHeight: stride, strideWidth: stride,
    paddingHeight: padding, paddingWidth: padding)
  precondition(
    g.outputHeight >= 1 && g.outputWidth >= 1,
    "\(function): kernel \(kernelSize) with padding \(padding) does not fit input \(input.shape)")
  return g
}

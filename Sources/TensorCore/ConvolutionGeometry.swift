// The window sweep shared by conv2d and pooling: output sizes and the im2col/col2im unfolding of
// one NCHW sample, with separate strides and paddings along height and width (PyTorch's
// stride=(sH, sW), padding=(pH, pW)).
//
// im2col writes one sample into a column block of a wider matrix (leading dimension `ld`), so a
// chunk of samples unfolds side by side into one [in·kh·kw, samples·oh·ow] matrix and one GEMM
// covers the whole chunk.

/// Geometry of one convolution or pooling window sweep.
struct ConvolutionGeometry: Sendable {
  let batch: Int, channels: Int, height: Int, width: Int
  let kernelHeight: Int, kernelWidth: Int
  let strideHeight: Int, strideWidth: Int
  let paddingHeight: Int, paddingWidth: Int

  var outputHeight: Int { (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1 }
  var outputWidth: Int { (width + 2 * paddingWidth - kernelWidth) / strideWidth + 1 }
  /// Rows of the unfolded matrix: in·kh·kw.
  var columnRows: Int { channels * kernelHeight * kernelWidth }
  /// Columns one sample contributes to the unfolded matrix: oh·ow.
  var columnWidth: Int { outputHeight * outputWidth }
  var sampleSize: Int { channels * height * width }

  /// The output columns `x` whose input column `x·strideWidth + j − paddingWidth` lies inside
  /// the image.
  @inline(__always)
  func validColumns(_ j: Int) -> Range<Int> {
    let first = j >= paddingWidth ? 0 : (paddingWidth - j + strideWidth - 1) / strideWidth
    let last = width - 1 + paddingWidth - j  // largest x·strideWidth allowed
    let end = last < 0 ? 0 : Swift.min(outputWidth, last / strideWidth + 1)
    return first..<Swift.max(first, end)
  }

  /// Unfolds one sample `x` [channels, height, width] into the columns of `col`
  /// [columnRows, ld] starting at `col` (the caller offsets it to the sample's column block).
  func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, ld: Int) {
    let (oh, ow) = (outputHeight, outputWidth)
    for c in 0..<channels {
      let plane = x + c * height * width
      for i in 0..<kernelHeight {
        for j in 0..<kernelWidth {
          let row = col + ((c * kernelHeight + i) * kernelWidth + j) * ld
          let valid = validColumns(j)
          for y in 0..<oh {
            let sourceRow = y * strideHeight + i - paddingHeight
            let target = row + y * ow
            if sourceRow < 0 || sourceRow >= height {
              target.update(repeating: 0, count: ow)
              continue
            }
            // source[x·strideWidth] is input column x·strideWidth + j − paddingWidth.
            let source = plane + sourceRow * width + j - paddingWidth
            if valid.lowerBound > 0 { target.update(repeating: 0, count: valid.lowerBound) }
            copyStrided(from: source, stride: strideWidth, to: target, valid)
            if valid.upperBound < ow { (target + valid.upperBound).update(repeating: 0, count: ow - valid.upperBound) }
          }
        }
      }
    }
  }

  /// Folds the columns of `col` [columnRows, ld] back into one sample `x` (overwriting it),
  /// summing overlapping windows: the adjoint of `im2col`.
  func col2im(_ col: UnsafePointer<Float>, ld: Int, _ x: UnsafeMutablePointer<Float>) {
    let (oh, ow) = (outputHeight, outputWidth)
    x.update(repeating: 0, count: sampleSize)
    for c in 0..<channels {
      let plane = x + c * height * width
      for i in 0..<kernelHeight {
        for j in 0..<kernelWidth {
          let row = col + ((c * kernelHeight + i) * kernelWidth + j) * ld
          let valid = validColumns(j)
          for y in 0..<oh {
            let targetRow = y * strideHeight + i - paddingHeight
            if targetRow < 0 || targetRow >= height { continue }
            let target = plane + targetRow * width + j - paddingWidth, source = row + y * ow
            if strideWidth == 1 {
              for x in valid { target[x] += source[x] }
            } else {
              for x in valid { target[x &* strideWidth] += source[x] }
            }
          }
        }
      }
    }
  }
}

/// target[x] = source[x·stride] for x in `range`.
@inline(__always)
private func copyStrided(from source: UnsafePointer<Float>, stride: Int, to target: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
  if range.isEmpty { return }
  switch stride {
  case 1:
    (target + range.lowerBound).update(from: source + range.lowerBound, count: range.count)
  case 2:
    for x in range { target[x] = source[x &* 2] }
  default:
    for x in range { target[x] = source[x &* stride] }
  }
}

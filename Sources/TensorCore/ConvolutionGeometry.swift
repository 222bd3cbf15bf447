// The window sweep shared by conv2d and pooling: output sizes and the im2col/col2im unfolding of
// one NCHW sample, with separate strides and paddings along height and width (PyTorch's
// stride=(sH, sW), padding=(pH, pW)). Strided sweeps unfold from the sample's phases (see
// "Phases" below) so every copy is a contiguous run.
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
  /// the image (used by pooling).
  @inline(__always)
  func validColumns(_ j: Int) -> Range<Int> {
    let first = j >= paddingWidth ? 0 : (paddingWidth - j + strideWidth - 1) / strideWidth
    let last = width - 1 + paddingWidth - j  // largest x·strideWidth allowed
    let end = last < 0 ? 0 : Swift.min(outputWidth, last / strideWidth + 1)
    return first..<Swift.max(first, end)
  }

  // MARK: Phases
  //
  // A strided sweep reads every sH-th row and sW-th column. Splitting each channel into its
  // sH·sW phases (rows ≡ p mod sH, columns ≡ q mod sW, each a small dense plane) once per sample
  // turns every kernel tap's reads into contiguous runs: input row y·sH + i − pH, column
  // x·sW + j − pW is phase (p, q) = ((i − pH) mod sH, (j − pW) mod sW) at row y + ⌊(i − pH)/sH⌋,
  // column x + ⌊(j − pW)/sW⌋. With stride 1 the only phase is the channel itself.

  /// Whether the sweep is strided (then im2col reads split phases, not the sample itself).
  var isStrided: Bool { strideHeight > 1 || strideWidth > 1 }

  /// Rows of phase row-class `p` (input rows ≡ p mod strideHeight).
  @inline(__always) func phaseRows(_ p: Int) -> Int { (height - p + strideHeight - 1) / strideHeight }
  /// Columns of phase column-class `q` (input columns ≡ q mod strideWidth).
  @inline(__always) func phaseColumns(_ q: Int) -> Int { (width - q + strideWidth - 1) / strideWidth }

  /// Offset of phase (p, q) inside a channel's block of height·width floats.
  @inline(__always) func phaseOffset(_ p: Int, _ q: Int) -> Int {
    var rows = 0, columns = 0
    for k in 0..<p { rows += phaseRows(k) }
    for k in 0..<q { columns += phaseColumns(k) }
    return rows * width + phaseRows(p) * columns
  }

  /// (phase class, shift) of kernel tap `i` along an axis: offset i − padding = stride·shift + class.
  @inline(__always) private func tap(_ i: Int, padding: Int, stride: Int) -> (Int, Int) {
    let d = i - padding
    let phase = ((d % stride) + stride) % stride
    return (phase, (d - phase) / stride)
  }

  /// Copies one sample `x` [channels, height, width] into `phases` (the same size), phase by phase.
  func splitPhases(_ x: UnsafePointer<Float>, into phases: UnsafeMutablePointer<Float>) {
    for c in 0..<channels {
      let plane = x + c * height * width, block = phases + c * height * width
      for p in 0..<strideHeight {
        for q in 0..<strideWidth {
          let target = block + phaseOffset(p, q), columns = phaseColumns(q)
          for r in 0..<phaseRows(p) {
            let source = plane + (r * strideHeight + p) * width + q, row = target + r * columns
            for k in 0..<columns { row[k] = source[k &* strideWidth] }
          }
        }
      }
    }
  }

  /// The inverse of `splitPhases`: writes every element of the sample `x`.
  func mergePhases(_ phases: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>) {
    for c in 0..<channels {
      let plane = x + c * height * width, block = phases + c * height * width
      for p in 0..<strideHeight {
        for q in 0..<strideWidth {
          let source = block + phaseOffset(p, q), columns = phaseColumns(q)
          for r in 0..<phaseRows(p) {
            let target = plane + (r * strideHeight + p) * width + q, row = source + r * columns
            for k in 0..<columns { target[k &* strideWidth] = row[k] }
          }
        }
      }
    }
  }

  /// Visits every kernel tap's run of one output row: `body(colRow, phaseRow, validColumns)`
  /// with `colRow` the start of that output row in the unfolded matrix [columnRows, ld],
  /// `phaseRow` the phase row it reads (nil when the row lies in the padding; then the whole
  /// output row is padding) shifted so that output column x reads phaseRow[x], and the output
  /// columns inside the image.
  @inline(__always)
  private func forEachRun(ld: Int, _ body: (_ colRow: Int, _ phaseRow: Int?, _ valid: Range<Int>) -> Void
  ) {
    let (oh, ow) = (outputHeight, outputWidth)
    for c in 0..<channels {
      for i in 0..<kernelHeight {
        let (p, rowShift) = tap(i, padding: paddingHeight, stride: strideHeight)
        let rows = phaseRows(p)
        for j in 0..<kernelWidth {
          let (q, columnShift) = tap(j, padding: paddingWidth, stride: strideWidth)
          let columns = phaseColumns(q)
          let block = c * height * width + phaseOffset(p, q)
          let valid = Swift.max(0, -columnShift)..<Swift.max(Swift.max(0, -columnShift), Swift.min(ow, columns - columnShift))
          let row = ((c * kernelHeight + i) * kernelWidth + j) * ld
          for y in 0..<oh {
            let r = y + rowShift
            body(row + y * ow, r >= 0 && r < rows ? block + r * columns + columnShift : nil, valid)
          }
        }
      }
    }
  }

  /// Unfolds one sample into the columns of `col` [columnRows, ld] starting at `col` (the
  /// caller offsets it to the sample's column block). `source` is the sample itself when the
  /// sweep is not strided, else its `splitPhases`.
  func im2col(_ source: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, ld: Int) {
    let ow = outputWidth
    forEachRun(ld: ld) { colRow, phaseRow, valid in
      let target = col + colRow
      guard let phaseRow else {
        target.update(repeating: 0, count: ow)
        return
      }
      let (from, to) = (source + (phaseRow + valid.lowerBound), target + valid.lowerBound)
      if valid.lowerBound > 0 { target.update(repeating: 0, count: valid.lowerBound) }
      for k in 0..<valid.count { to[k] = from[k] }
      if valid.upperBound < ow { (target + valid.upperBound).update(repeating: 0, count: ow - valid.upperBound) }
    }
  }

  /// Adds the columns of `col` [columnRows, ld] into one sample's `target` (the sample itself
  /// when the sweep is not strided, else its phases; the caller zeroes it first and merges the
  /// phases after): the adjoint of `im2col`.
  func col2im(_ col: UnsafePointer<Float>, ld: Int, _ target: UnsafeMutablePointer<Float>) {
    forEachRun(ld: ld) { colRow, phaseRow, valid in
      guard let phaseRow else { return }
      let (from, to) = (col + (colRow + valid.lowerBound), target + (phaseRow + valid.lowerBound))
      for k in 0..<valid.count { to[k] += from[k] }
    }
  }
}


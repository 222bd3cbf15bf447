/// Downscales a single-channel `UInt8` image by area averaging (OpenCV's `INTER_AREA`, Pillow's
/// `BOX` filter): each output pixel is the mean of the input area it covers, with fractional
/// weights for partly covered pixels, rounded to nearest with ties to
/// even (as OpenCV's `saturate_cast`).
///
/// Separable: a vertical pass (vectorised along the row) into a `Float` row, then a horizontal
/// pass. The taps are computed once; each output row or column gets the same number of taps
/// (`rowTapCount`, `columnTapCount`), padded with zero weights, so the inner loops have no
/// branches.
public struct AreaResampler: Hashable, Sendable {
  public let inputWidth: Int, inputHeight: Int, outputWidth: Int, outputHeight: Int
  let rowTapCount: Int, columnTapCount: Int
  /// First input row of output row `i`, and its weights. Shape: [outputHeight], [outputHeight, rowTapCount].
  let rowFirst: [Int], rowWeights: [Float]
  /// First input column of output column `j`, and its weights. Shape: [outputWidth], [outputWidth, columnTapCount].
  let columnFirst: [Int], columnWeights: [Float]
  /// The output columns whose windows read input column `x` are
  /// `firstColumnReading[x] ..< endColumnReading[x]`. Shape: [inputWidth] each.
  let firstColumnReading: [Int], endColumnReading: [Int]

  public init(inputWidth: Int, inputHeight: Int, outputWidth: Int, outputHeight: Int) {
    precondition(outputWidth >= 1 && outputHeight >= 1 && outputWidth <= inputWidth && outputHeight <= inputHeight,
                 "area resampling only shrinks")
    self.inputWidth = inputWidth
    self.inputHeight = inputHeight
    self.outputWidth = outputWidth
    self.outputHeight = outputHeight
    (rowFirst, rowWeights, rowTapCount) = AreaResampler.taps(input: inputHeight, output: outputHeight)
    (columnFirst, columnWeights, columnTapCount) = AreaResampler.taps(input: inputWidth, output: outputWidth)
    let (first, taps) = (columnFirst, columnTapCount)
    firstColumnReading = (0..<inputWidth).map { x in first.firstIndex { $0 + taps > x } ?? outputWidth }
    endColumnReading = (0..<inputWidth).map { x in (first.lastIndex { $0 <= x } ?? -1) + 1 }
  }

  /// Output cell `i` covers input `[i·s, (i+1)·s)` with `s = input / output`; input pixel `k`
  /// contributes its overlap with that interval, divided by `s`. Windows are shifted left where
  /// needed so that every padded window stays inside the input.
  static func taps(input: Int, output: Int) -> (first: [Int], weights: [Float], count: Int) {
    let scale = Double(input) / Double(output)
    var windows: [(first: Int, weights: [Double])] = []
    for i in 0..<output {
      let start = Double(i) * scale, end = Double(i + 1) * scale
      let first = Int(start.rounded(.down))
      let last = min(Int((end - 1e-9).rounded(.down)), input - 1)
      windows.append((first, (first...last).map { k in (min(end, Double(k + 1)) - max(start, Double(k))) / scale }))
    }
    let count = windows.map(\.weights.count).max()!
    var firsts: [Int] = [], weights: [Float] = []
    for window in windows {
      let first = min(window.first, input - count)
      let padding = window.first - first
      firsts.append(first)
      let padded = [Double](repeating: 0, count: padding) + window.weights
        + [Double](repeating: 0, count: count - padding - window.weights.count)
      weights += padded.map { Float($0) }
    }
    return (firsts, weights, count)
  }

  /// Shrinks `input` (Shape: [inputHeight, inputWidth]) into `output` (Shape: [outputHeight, outputWidth]).
  public func resize(_ input: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) {
    let all = 0..<inputWidth
    resize(input, into: output) { _ in all }
  }

  /// The input rows that output row `row` reads (its padded window).
  public func inputRows(ofOutputRow row: Int) -> Range<Int> {
    rowFirst[row] ..< rowFirst[row] + rowTapCount
  }

  /// Shrinks `input` into `output` like ``resize(_:into:)``, but recomputes only the output
  /// pixels that read changed input pixels, leaving the others of `output` as they are.
  ///
  /// `changedColumns(i)` names the input columns that changed, since `output` was last computed
  /// from the same-sized input, in any of output row `i`'s input rows
  /// (``inputRows(ofOutputRow:)``); an empty range skips the row. Every output pixel depends only
  /// on its own window, so the result equals a full resize of the current input.
  public func resize(
    _ input: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>,
    changedColumns: (Int) -> Range<Int>
  ) {
    let width = inputWidth, rowTaps = rowTapCount, columnTaps = columnTapCount
    withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { rowBuffer in
      let row = rowBuffer.baseAddress!
      rowFirst.withUnsafeBufferPointer { rowFirst in
      rowWeights.withUnsafeBufferPointer { rowWeights in
      columnFirst.withUnsafeBufferPointer { columnFirst in
      columnWeights.withUnsafeBufferPointer { columnWeights in
        for i in 0..<outputHeight {
          let changed = changedColumns(i)
          guard !changed.isEmpty else { continue }
          // The output columns reading a changed column, and the input columns they read.
          let outputColumns = firstColumnReading[changed.lowerBound] ..< endColumnReading[changed.upperBound - 1]
          let columns = columnFirst[outputColumns.lowerBound] ..< columnFirst[outputColumns.upperBound - 1] + columnTaps
          let source = input + rowFirst[i] * width
          let weight0 = rowWeights[i * rowTaps]
          if rowTaps == 3 {
            // One fused pass over the three source rows (the 210 → 84 case).
            let weight1 = rowWeights[i * rowTaps + 1], weight2 = rowWeights[i * rowTaps + 2]
            let source1 = source + width, source2 = source + 2 * width
            for x in columns {
              row[x] = weight0 * Float(source[x]) + weight1 * Float(source1[x]) + weight2 * Float(source2[x])
            }
          } else {
            for x in columns { row[x] = weight0 * Float(source[x]) }
            for tap in 1..<max(rowTaps, 1) {
              let weight = rowWeights[i * rowTaps + tap], tapSource = source + tap * width
              for x in columns { row[x] += weight * Float(tapSource[x]) }
            }
          }
          let destination = output + i * outputWidth
          if columnTaps == 3 {
            for j in outputColumns {
              let first = row + columnFirst[j], weights = columnWeights.baseAddress! + 3 * j
              let sum = weights[0] * first[0] + weights[1] * first[1] + weights[2] * first[2]
              destination[j] = roundedByte(sum)
            }
          } else {
            for j in outputColumns {
              let first = columnFirst[j], weights = j * columnTaps
              var sum: Float = 0
              for tap in 0..<columnTaps { sum += columnWeights[weights + tap] * row[first + tap] }
              destination[j] = roundedByte(sum)
            }
          }
        }
      }}}}
    }
  }
}

/// `value` (in 0...255) rounded to nearest, ties to even, without the range checks of
/// `UInt8(_:)`: adding 1.5·2²³ leaves the rounded integer in the low mantissa bits.
@inline(__always)
func roundedByte(_ value: Float) -> UInt8 {
  UInt8(truncatingIfNeeded: (value + 12_582_912).bitPattern)
}

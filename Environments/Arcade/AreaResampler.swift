/// Downscales a single-channel `UInt8` image by area averaging (OpenCV's `INTER_AREA`, Pillow's
/// `BOX` filter): each output pixel is the mean of the input area it covers, with fractional
/// weights for partly covered pixels, rounded to nearest.
///
/// Separable: a vertical pass (vectorisable along rows) into a `Float` row, then a horizontal
/// pass. The taps are computed once at initialisation.
public struct AreaResampler: Hashable, Sendable {
  public let inputWidth: Int, inputHeight: Int, outputWidth: Int, outputHeight: Int
  /// For output row `i`: the first input row and the weights of the rows it covers.
  let rowTaps: [Taps]
  /// For output column `j`: the first input column and the weights of the columns it covers.
  let columnTaps: [Taps]

  struct Taps: Hashable, Sendable {
    var first: Int
    var weights: [Float]
  }

  public init(inputWidth: Int, inputHeight: Int, outputWidth: Int, outputHeight: Int) {
    precondition(outputWidth <= inputWidth && outputHeight <= inputHeight, "area resampling only shrinks")
    self.inputWidth = inputWidth
    self.inputHeight = inputHeight
    self.outputWidth = outputWidth
    self.outputHeight = outputHeight
    rowTaps = AreaResampler.taps(input: inputHeight, output: outputHeight)
    columnTaps = AreaResampler.taps(input: inputWidth, output: outputWidth)
  }

  /// Output cell `i` covers input `[i·s, (i+1)·s)` with `s = input / output`; input pixel `k`
  /// contributes its overlap with that interval, divided by `s`.
  static func taps(input: Int, output: Int) -> [Taps] {
    let scale = Double(input) / Double(output)
    return (0..<output).map { i in
      let start = Double(i) * scale, end = Double(i + 1) * scale
      let first = Int(start.rounded(.down))
      let last = min(Int((end - 1e-9).rounded(.down)), input - 1)
      let weights = (first...last).map { k in
        Float((min(end, Double(k + 1)) - max(start, Double(k))) / scale)
      }
      return Taps(first: first, weights: weights)
    }
  }

  /// Shrinks `input` (Shape: [inputHeight, inputWidth]) into `output` (Shape: [outputHeight, outputWidth]).
  public func resize(_ input: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<UInt8>) {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: inputWidth) { row in
      let row = row.baseAddress!
      for (i, taps) in rowTaps.enumerated() {
        row.update(repeating: 0, count: inputWidth)
        for (offset, weight) in taps.weights.enumerated() {
          let source = input + (taps.first + offset) * inputWidth
          for x in 0..<inputWidth { row[x] += weight * Float(source[x]) }
        }
        let destination = output + i * outputWidth
        for (j, column) in columnTaps.enumerated() {
          var sum: Float = 0
          for (offset, weight) in column.weights.enumerated() { sum += weight * row[column.first + offset] }
          destination[j] = UInt8(min(255, max(0, sum.rounded(.toNearestOrEven))))
        }
      }
    }
  }
}

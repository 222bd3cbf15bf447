/// A 10×10 binary map packed in 100 bits: bit `y * 10 + x` is cell (row `y`, column `x`).
public struct Grid10: Hashable, Sendable {
  public var bits: UInt128 = 0

  public init() {}
  public init(bits: UInt128) { self.bits = bits & Grid10.all.bits }

  public static let all = Grid10(unmasked: (UInt128(1) << 100) - 1)
  init(unmasked bits: UInt128) { self.bits = bits }

  /// The cells of rows `rows` and columns `columns` set.
  public static func rectangle(rows: ClosedRange<Int>, columns: ClosedRange<Int>) -> Grid10 {
    var grid = Grid10()
    for y in rows { for x in columns { grid[y, x] = true } }
    return grid
  }

  public subscript(y: Int, x: Int) -> Bool {
    get { bits >> (y * 10 + x) & 1 != 0 }
    set {
      let mask = UInt128(1) << (y * 10 + x)
      if newValue { bits |= mask } else { bits &= ~mask }
    }
  }

  public var isEmpty: Bool { bits == 0 }
  public var count: Int { bits.nonzeroBitCount }

  /// Whether any cell of column `x` is set.
  public func columnIsOccupied(_ x: Int) -> Bool { bits & (Grid10.column0.bits << x) != 0 }
  /// Whether any cell of row `y` is set.
  public func rowIsOccupied(_ y: Int) -> Bool { bits & (UInt128(0x3FF) << (y * 10)) != 0 }

  static let column0 = Grid10(unmasked: (0..<10).reduce(UInt128(0)) { $0 | UInt128(1) << ($1 * 10) })

  /// Writes 1 at channel `channel` of every set cell. Shape: [10, 10, channels].
  public func write(into state: UnsafeMutablePointer<UInt8>, channel: Int, of channels: Int) {
    var remaining = bits
    while remaining != 0 {
      let index = remaining.trailingZeroBitCount
      state[index * channels + channel] = 1
      remaining &= remaining - 1
    }
  }
}

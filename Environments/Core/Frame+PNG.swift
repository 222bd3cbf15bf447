// PNG encoding of a `Frame`, in pure Swift (no zlib).
//
// Contract: `pngData()` returns a complete PNG file — signature, IHDR (8-bit RGB, no
// interlace), one IDAT, IEND — whose pixels are exactly `pixels`. The compressed stream is a
// zlib stream (RFC 1950) of fixed-Huffman deflate blocks (RFC 1951) produced by a greedy LZ77
// matcher, after per-row PNG filtering (None, Sub or Up, whichever has the smallest sum of
// absolute values). Rendered frames are large flat areas, so this gets most of the way to
// zlib's size with ~150 lines; the output is deterministic.

extension Frame {
  /// The frame as a PNG file (8-bit RGB).
  public func pngData() -> [UInt8] {
    var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var header: [UInt8] = []
    header.appendBigEndian(UInt32(width))
    header.appendBigEndian(UInt32(height))
    header += [8, 2, 0, 0, 0]  // bit depth 8, colour type RGB, deflate, adaptive filter, no interlace
    file.appendPNGChunk("IHDR", header)
    file.appendPNGChunk("IDAT", PNGEncoding.zlibCompress(filteredScanlines()))
    file.appendPNGChunk("IEND", [])
    return file
  }

  /// Each row prefixed by its filter type byte. Shape: [height, 1 + width * 3].
  private func filteredScanlines() -> [UInt8] {
    let rowBytes = width * 3
    var out: [UInt8] = []
    out.reserveCapacity(height * (rowBytes + 1))
    var candidates = [[UInt8]](repeating: [UInt8](repeating: 0, count: rowBytes), count: 3)
    for y in 0..<height {
      let row = y * rowBytes
      for i in 0..<rowBytes {
        let current = pixels[row + i]
        let left = i >= 3 ? pixels[row + i - 3] : 0
        let up = y > 0 ? pixels[row - rowBytes + i] : 0
        candidates[0][i] = current
        candidates[1][i] = current &- left
        candidates[2][i] = current &- up
      }
      // The usual heuristic: minimise the sum of the bytes read as signed values.
      let costs = candidates.map { $0.reduce(0) { $0 + abs(Int(Int8(bitPattern: $1))) } }
      let best = costs.indices.min { costs[$0] < costs[$1] }!
      out.append(UInt8(best))  // 0 None, 1 Sub, 2 Up
      out += candidates[best]
    }
    return out
  }
}

/// zlib, deflate and checksums for PNG.
enum PNGEncoding {
  /// CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected) as PNG chunks use it.
  static func crc32<S: Sequence<UInt8>>(_ bytes: S, initial: UInt32 = 0) -> UInt32 {
    var crc = ~initial
    for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return ~crc
  }

  static let crcTable: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// Adler-32, the zlib stream checksum.
  static func adler32(_ bytes: [UInt8]) -> UInt32 {
    var a: UInt32 = 1, b: UInt32 = 0
    var i = 0
    while i < bytes.count {
      // 5552 bytes is the most that can be summed before the 32-bit accumulators overflow.
      let end = min(i + 5552, bytes.count)
      while i < end {
        a += UInt32(bytes[i])
        b += a
        i += 1
      }
      a %= 65521
      b %= 65521
    }
    return b << 16 | a
  }

  /// A zlib stream: header, one fixed-Huffman deflate block, Adler-32 of `data`.
  static func zlibCompress(_ data: [UInt8]) -> [UInt8] {
    var bits = BitWriter()
    bits.bytes = [0x78, 0x01]  // deflate, 32 KiB window, no dictionary; 0x7801 % 31 == 0
    bits.write(1, count: 1)  // BFINAL
    bits.write(1, count: 2)  // BTYPE = 01, fixed Huffman codes
    let window = 32_768, maxLength = 258
    var head = [Int](repeating: -1, count: 1 << 15)
    var i = 0
    func hash(_ p: Int) -> Int {
      (Int(data[p]) << 10 ^ Int(data[p + 1]) << 5 ^ Int(data[p + 2])) & 0x7FFF
    }
    while i < data.count {
      var length = 0, distance = 0
      if i + 2 < data.count {
        let h = hash(i)
        let candidate = head[h]
        head[h] = i
        if candidate >= 0 && i - candidate <= window {
          let limit = min(maxLength, data.count - i)
          var n = 0
          while n < limit && data[candidate + n] == data[i + n] { n += 1 }
          if n >= 3 { length = n; distance = i - candidate }
        }
      }
      if length == 0 {
        bits.writeLiteral(Int(data[i]))
        i += 1
      } else {
        bits.writeMatch(length: length, distance: distance)
        // Index the skipped positions so later matches can find them.
        for p in (i + 1)..<min(i + length, data.count - 2) { head[hash(p)] = p }
        i += length
      }
    }
    bits.writeLiteral(256)  // end of block
    bits.flush()
    bits.bytes.appendBigEndian(adler32(data))
    return bits.bytes
  }

  /// Deflate's bit order: values LSB first, Huffman codes MSB first.
  struct BitWriter {
    var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var used = 0

    mutating func write(_ value: Int, count: Int) {
      buffer |= UInt64(value) << UInt64(used)
      used += count
      while used >= 8 {
        bytes.append(UInt8(truncatingIfNeeded: buffer))
        buffer >>= 8
        used -= 8
      }
    }

    mutating func writeCode(_ code: Int, length: Int) {
      var reversed = 0
      for k in 0..<length { reversed |= (code >> k & 1) << (length - 1 - k) }
      write(reversed, count: length)
    }

    /// A literal/length symbol with the fixed code of RFC 1951 §3.2.6.
    mutating func writeLiteral(_ symbol: Int) {
      switch symbol {
      case 0...143: writeCode(0x30 + symbol, length: 8)
      case 144...255: writeCode(0x190 + symbol - 144, length: 9)
      case 256...279: writeCode(symbol - 256, length: 7)
      default: writeCode(0xC0 + symbol - 280, length: 8)
      }
    }

    mutating func writeMatch(length: Int, distance: Int) {
      let l = PNGEncoding.lengthBases.lastIndex { $0 <= length }!
      writeLiteral(257 + l)
      write(length - PNGEncoding.lengthBases[l], count: PNGEncoding.lengthExtraBits[l])
      let d = PNGEncoding.distanceBases.lastIndex { $0 <= distance }!
      writeCode(d, length: 5)
      write(distance - PNGEncoding.distanceBases[d], count: PNGEncoding.distanceExtraBits[d])
    }

    mutating func flush() {
      if used > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
      buffer = 0
      used = 0
    }
  }

  // RFC 1951 §3.2.5 tables. Length 258 has its own code (285) with no extra bits.
  static let lengthBases = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258,
  ]
  static let lengthExtraBits = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  ]
  static let distanceBases = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  ]
  static let distanceExtraBits = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
  ]
}

extension [UInt8] {
  mutating func appendBigEndian(_ value: UInt32) {
    append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
  }

  /// Appends a PNG chunk: length, type, data, CRC-32 of type and data.
  mutating func appendPNGChunk(_ type: String, _ data: [UInt8]) {
    appendBigEndian(UInt32(data.count))
    let typed = Array(type.utf8) + data
    append(contentsOf: typed)
    appendBigEndian(PNGEncoding.crc32(typed))
  }
}

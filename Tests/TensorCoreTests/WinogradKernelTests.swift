// The C kernels of the Winograd path (Sources/CWinograd) one by one:
// - pack and unpack against their definitions (include/CWinograd.h), exactly, on shapes that
//   reach the padded-row blocks, partial column blocks and the channels past a multiple of 8;
// - the four transforms on 37 channels (two 16-channel vectors and a zero-padded tail) against
//   the same transforms run on each channel alone: every channel must come out bit for bit the
//   same, in both V layouts (ξ-major and tile-major), with and without bias. (Their values
//   against the direct convolution are WinogradTests'.)

import CWinograd
import Testing
@testable import TensorCore

@Suite struct WinogradKernelTests {
  /// Seeded values in −1…1.
  static func values(_ count: Int, seed: UInt64) -> [Float] { randomTensor([count], seed: seed).scalars }

  @Test(arguments: [[3, 6, 5, 1, 0], [8, 9, 10, 2, 2], [17, 13, 11, 2, 1], [64, 42, 42, 2, 2], [20, 21, 21, 1, 1]])
  func packAndUnpackFollowTheirDefinitions(shape: [Int]) {
    let (C, H, W, s, pad) = (shape[0], shape[1], shape[2], shape[3], shape[4])
    // Enough phase rows/columns for every image row/column, plus a few outside.
    let rows = (H + pad + s - 1) / s + 2, cols = (W + pad + s - 1) / s + 3, cp = s * s * C
    let x = Self.values(C * H * W, seed: 1)
    var d = [Float](repeating: .nan, count: rows * cols * cp)
    ncps_winograd_pack(x, C, H, W, s, pad, &d, rows, cols)
    var packMismatches = 0
    for r in 0..<rows {
      for q in 0..<cols {
        for py in 0..<s {
          for px in 0..<s {
            for c in 0..<C {
              let (y, xx) = (s * r + py - pad, s * q + px - pad)
              let expected = y >= 0 && y < H && xx >= 0 && xx < W ? x[(c * H + y) * W + xx] : 0
              if d[(r * cols + q) * cp + (py * s + px) * C + c].bitPattern != expected.bitPattern { packMismatches += 1 }
            }
          }
        }
      }
    }
    #expect(packMismatches == 0, "\(shape)")

    let dd = Self.values(rows * cols * cp, seed: 2)
    var dx = [Float](repeating: .nan, count: C * H * W)
    ncps_winograd_unpack(dd, C, H, W, s, pad, &dx, cols)
    var unpackMismatches = 0
    for c in 0..<C {
      for y in 0..<H {
        for xx in 0..<W {
          let (r, py, q, px) = ((y + pad) / s, (y + pad) % s, (xx + pad) / s, (xx + pad) % s)
          let expected = dd[(r * cols + q) * cp + (py * s + px) * C + c]
          if dx[(c * H + y) * W + xx].bitPattern != expected.bitPattern { unpackMismatches += 1 }
        }
      }
    }
    #expect(unpackMismatches == 0, "\(shape)")
  }

  /// Channel `c` of a channels-last array [cells, n] as its own array [cells, 1].
  static func channel(_ a: [Float], _ c: Int, of n: Int) -> [Float] { stride(from: c, to: a.count, by: n).map { a[$0] } }

  @Test(arguments: [4, 5, 6, 8])
  func registerKernelsMatchThePerChannelPath(alpha: Int) {
    let m = alpha - 2, (tilesY, tilesX) = (2, 3), tiles = tilesY * tilesX
    let rows = tilesY * m + 2, cols = tilesX * m + 2
    let cp = 37  // two 16-channel vectors and 5 channels on the per-channel path
    let a2 = alpha * alpha
    let d = Self.values(rows * cols * cp, seed: 3)
    // Layouts of V: ξ-major [α², T, cp] and tile-major [T, α², cp] with a padded tile stride.
    let layouts = [(vs: tiles * cp, ts: cp), (vs: cp, ts: a2 * cp + 16)]
    func single(_ v: [Float], _ layout: (vs: Int, ts: Int), _ c: Int, _ n: Int) -> [Float] {
      (0..<a2).flatMap { xi in (0..<tiles).map { t in v[xi * layout.vs + t * layout.ts + c] } }
    }
    for layout in layouts {
      var v = [Float](repeating: 0, count: a2 * tiles * cp + tiles * 16)
      ncps_winograd_input(d, cols, cp, tilesY, tilesX, alpha, &v, layout.vs, layout.ts)
      var dD = Self.values(rows * cols * cp, seed: 4)
      let dDStart = dD
      ncps_winograd_input_adjoint(v, layout.vs, layout.ts, cp, tilesY, tilesX, alpha, &dD, cols)
      var mismatches = 0
      for c in 0..<cp {
        var v1 = [Float](repeating: 0, count: a2 * tiles)
        ncps_winograd_input(Self.channel(d, c, of: cp), cols, 1, tilesY, tilesX, alpha, &v1, tiles, 1)
        if single(v, layout, c, cp).map(\.bitPattern) != v1.map(\.bitPattern) { mismatches += 1 }
        var dD1 = Self.channel(dDStart, c, of: cp)
        ncps_winograd_input_adjoint(single(v, layout, c, cp), tiles, 1, 1, tilesY, tilesX, alpha, &dD1, cols)
        if Self.channel(dD, c, of: cp).map(\.bitPattern) != dD1.map(\.bitPattern) { mismatches += 1 }
      }
      #expect(mismatches == 0, "α \(alpha), input transform and adjoint, layout \(layout)")
    }

    // Output transform (with and without bias) and its adjoint, K = 37 output channels.
    let K = 37, oh = tilesY * m - 1, ow = tilesX * m - 1  // partial tiles at the far edges
    let mm = Self.values(a2 * tiles * K, seed: 5), bias = Self.values(K, seed: 6)
    for withBias in [true, false] {
      var y = [Float](repeating: .nan, count: K * oh * ow)
      bias.withUnsafeBufferPointer { b in
        ncps_winograd_output(mm, tiles * K, K, K, tilesY, tilesX, alpha, withBias ? b.baseAddress : nil, &y, oh, ow)
      }
      var mismatches = 0
      for k in 0..<K {
        var y1 = [Float](repeating: .nan, count: oh * ow)
        let b1 = [bias[k]]
        b1.withUnsafeBufferPointer { b in
          ncps_winograd_output(
            Self.channel(mm, k, of: K), tiles, 1, 1, tilesY, tilesX, alpha, withBias ? b.baseAddress : nil, &y1, oh, ow)
        }
        if Array(y[(k * oh * ow)..<((k + 1) * oh * ow)]).map(\.bitPattern) != y1.map(\.bitPattern) { mismatches += 1 }
      }
      #expect(mismatches == 0, "α \(alpha), output transform, bias \(withBias)")
    }
    let dy = Self.values(K * oh * ow, seed: 7)
    var dm = [Float](repeating: .nan, count: a2 * tiles * K)
    ncps_winograd_output_adjoint(dy, K, oh, ow, tilesY, tilesX, alpha, &dm, tiles * K, K)
    var mismatches = 0
    for k in 0..<K {
      var dm1 = [Float](repeating: .nan, count: a2 * tiles)
      ncps_winograd_output_adjoint(Array(dy[(k * oh * ow)..<((k + 1) * oh * ow)]), 1, oh, ow, tilesY, tilesX, alpha, &dm1, tiles, 1)
      if Self.channel(dm, k, of: K).map(\.bitPattern) != dm1.map(\.bitPattern) { mismatches += 1 }
    }
    #expect(mismatches == 0, "α \(alpha), output adjoint")
  }
}

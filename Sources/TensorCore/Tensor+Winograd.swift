// Winograd convolution for the shapes where it pays: 5×5 (or 6×6) stride 2 and 3×3 stride 1.
//
// A stride-2 convolution with a 5×5 kernel is a 3×3 stride-1 convolution over the input's four
// phases (space-to-depth: cp = 4·C channels, the kernel zero-padded to 6×6 and regrouped). On
// that, F(m×m, 3×3) computes m×m outputs of a tile from α×α = (m + 2)² products per channel
// pair instead of 9·m² (Lavin & Gray 2016), and the channel sums become α² GEMMs. Per chunk of
// samples (T tiles in all, K output channels):
//   forward:   V[ξ] = Bᵀ d B                          Shape: [T, α², cp]  (CWinograd)
//              M[ξ] = V[ξ] · U[ξ],  U = G g Gᵀ         Shape: [α², T, K]   (α² GEMMs, lda α²·cp + 16)
//              y    = Aᵀ M A + b                      (CWinograd, scattered to NCHW)
//   backward:  dM[ξ] = A dy Aᵀ                        (the adjoint of the output transform)
//              dU[ξ] += V[ξ]ᵀ · dM[ξ],  dw = Gᵀ dU G  (V recomputed, not stored)
//              dV[ξ] = dM[ξ] · U[ξ]ᵀ,   dx = B dV Bᵀ  (overlapping tiles add; then unphased)
// Every step is linear and the backward pass is its exact adjoint, so the gradients are those
// of the Winograd forward: equal to the direct convolution's up to fp32 rounding.
//
// Points: F(2,3) {0, 1, −1, ∞}; F(3,3) {0, 1, −1, −2, ∞}; F(4,3) {0, 1, −1, ½, −2, ∞};
// F(6,3) {0, ±1, ±2, ±½, ∞} — the sets with the smallest fp32 error among those tried
// (Scripts/winograd-transforms.py: one tile, cp = 256, max error / max |y| 1.1e-6, 4.1e-6,
// 4.5e-6 and 2.2e-5). The tile size is the one with the fewest multiplies, α²·tiles: F(6,3)
// for all four of the Atari model's layers (outputs 42, 21, 11, 6).

import CWinograd

/// How conv2d computes a convolution.
public enum ConvolutionAlgorithm: Sendable, Hashable {
  /// Winograd where it applies and pays (5×5/6×6 stride 2 and 3×3 stride 1 with ≥ 16 input
  /// channels), im2col + GEMM otherwise. `NCPS_CONVOLUTION=direct` in the environment turns
  /// automatic into direct (benchmarks, comparisons).
  case automatic
  /// im2col + GEMM (exact up to the GEMM's rounding; every shape).
  case direct
  /// Winograd; traps where it does not apply (see `winogradApplies`).
  case winograd

  /// Whether the Winograd path handles conv2d with these shapes: equal strides 1 (kernel 3×3) or
  /// 2 (kernel 5×5 or 6×6) along both axes and equal paddings.
  public static func winogradApplies(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int)) -> Bool {
    guard stride.0 == stride.1, padding.0 == padding.1 else { return false }
    switch stride.0 {
    case 1: return kernel == (3, 3)
    case 2: return (kernel.0 == 5 || kernel.0 == 6) && kernel.0 == kernel.1
    default: return false
    }
  }

  /// The environment's override of `automatic` (read once).
  static let automaticIsDirect: Bool = {
    guard let value = getenv("NCPS_CONVOLUTION") else { return false }
    return String(cString: value) == "direct"
  }()

  /// Fewer input channels take the direct path: on the Atari model's first layer (4 channels,
  /// cp = 16, so GEMMs with k = 16) Winograd was 10–30% slower than im2col + GEMM.
  /// `NCPS_WINOGRAD_MIN_CHANNELS=N` in the environment overrides it (measurements).
  static let minimumChannels: Int = {
    guard let v = getenv("NCPS_WINOGRAD_MIN_CHANNELS"), let n = Int(String(cString: v)), n > 0 else { return 16 }
    return n
  }()

  /// Whether conv2d takes the Winograd path for `g` with `inChannels` input channels.
  func usesWinograd(_ g: ConvolutionGeometry) -> Bool {
    let applies = Self.winogradApplies(
      kernel: (g.kernelHeight, g.kernelWidth), stride: (g.strideHeight, g.strideWidth),
      padding: (g.paddingHeight, g.paddingWidth))
    switch self {
    case .direct: return false
    case .winograd:
      precondition(applies, "conv2d: the Winograd path needs 3×3 stride 1 or 5×5/6×6 stride 2 with equal paddings, got \(g)")
      return true
    case .automatic:
      return applies && g.channels >= Self.minimumChannels && !Self.automaticIsDirect
    }
  }
}

#if canImport(Glibc)
import Glibc
#endif

/// A Winograd tile size F(m×m, 3×3): α = m + 2. The matrices Bᵀ, Aᵀ and G are constant tables in
/// CWinograd (Winograd.c), so the compiler drops their zero terms from the transforms.
struct WinogradTransforms: Sendable {
  let alpha: Int, m: Int

  static let f2 = WinogradTransforms(alpha: 4, m: 2)
  static let f3 = WinogradTransforms(alpha: 5, m: 3)
  static let f4 = WinogradTransforms(alpha: 6, m: 4)
  static let f6 = WinogradTransforms(alpha: 8, m: 6)
}

/// The Winograd layout of one convolution: phases, tiles and chunk sizes.
struct WinogradPlan {
  let g: ConvolutionGeometry
  let outChannels: Int
  let transforms: WinogradTransforms
  /// The stride s: the phases are s×s, cp = s²·C.
  var stride: Int { g.strideHeight }
  var phaseChannels: Int { stride * stride * g.channels }
  var alpha: Int { transforms.alpha }
  var tilesY: Int { (g.outputHeight + transforms.m - 1) / transforms.m }
  var tilesX: Int { (g.outputWidth + transforms.m - 1) / transforms.m }
  /// Tiles of one sample.
  var tiles: Int { tilesY * tilesX }
  /// Rows and columns of a sample's phase array D (the tiles' reach).
  var rows: Int { tilesY * transforms.m + 2 }
  var columns: Int { tilesX * transforms.m + 2 }
  var phaseSize: Int { rows * columns * phaseChannels }
  /// Samples per chunk: enough for ~`targetTiles` GEMM rows.
  var chunk: Int { Swift.max(1, Swift.min(g.batch, (Self.targetTiles + tiles - 1) / tiles)) }
  /// Floats between consecutive tiles in V [T, α², cp]: one cache line more than α²·cp, so that
  /// the GEMMs' rows (lda = 64 or 128 KB on the Atari layers without it) do not all fall into
  /// the same cache sets. V is tile-major so that a tile's transform writes (and its adjoint
  /// reads) one contiguous block instead of α² far-apart runs: the input transform and its
  /// adjoint took 30–45% less time. M stays ξ-major: the forward GEMMs write it with beta 0,
  /// which OpenBLAS turns into one memset only for contiguous rows.
  var vTileStride: Int { alpha * alpha * phaseChannels + 16 }
  /// `NCPS_WINOGRAD_M=2|3|4|6` in the environment forces the tile size (measurements).
  static let forcedTileSize: Int? = {
    guard let v = getenv("NCPS_WINOGRAD_M") else { return nil }
    return Int(String(cString: v))
  }()
  /// Measured on the Atari model (1 thread): 64 and 96 tiles were 3–8% slower, 1024 no faster.
  /// `NCPS_WINOGRAD_TILES=N` in the environment overrides it (measurements).
  static let targetTiles: Int = {
    guard let v = getenv("NCPS_WINOGRAD_TILES"), let n = Int(String(cString: v)), n > 0 else { return 256 }
    return n
  }()

  /// The tile size with the fewest multiplies (α²·tiles, ties to the smaller α for accuracy),
  /// unless `m` is given.
  init(_ g: ConvolutionGeometry, outChannels: Int, m: Int? = nil) {
    self.g = g
    self.outChannels = outChannels
    func cost(_ t: WinogradTransforms) -> Int {
      let ty = (g.outputHeight + t.m - 1) / t.m, tx = (g.outputWidth + t.m - 1) / t.m
      return t.alpha * t.alpha * ty * tx
    }
    let all = [WinogradTransforms.f2, .f3, .f4, .f6]
    if let m, let chosen = all.first(where: { $0.m == m }) {
      transforms = chosen
    } else {
      transforms = all.min { cost($0) < cost($1) || (cost($0) == cost($1) && $0.alpha < $1.alpha) }!
    }
  }

  /// U = G g Gᵀ of the phase kernels. Shape: [α², cp, K].
  func kernelTransform(_ weight: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
    ncps_winograd_kernel(weight, outChannels, g.channels, g.kernelHeight, g.kernelWidth, stride, alpha, u)
  }
}

/// y = conv(x, W) + b through Winograd. Shape: [batch, out, oh, ow].
func winogradForward(_ plan: WinogradPlan, input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
  let g = plan.g, K = plan.outChannels, cp = plan.phaseChannels, a2 = plan.alpha * plan.alpha
  let chunk = plan.chunk, chunks = (g.batch + chunk - 1) / chunk
  let outputSize = K * g.outputHeight * g.outputWidth, sampleSize = g.sampleSize
  let chunkTiles = chunk * plan.tiles
  let vts = plan.vTileStride
  let chunkFlops = 2 * a2 * chunkTiles * cp * K
  return ScratchMemory.withBuffer(count: a2 * cp * K) { u in
    weight.scalars.withUnsafeBufferPointer { plan.kernelTransform($0.baseAddress!, into: u) }
    let us = SendableBuffer(u)
    return input.scalars.withUnsafeBufferPointer { xs in
      Tensor.build(shape: [g.batch, K, g.outputHeight, g.outputWidth], count: g.batch * outputSize) { out in
        let (xs, out) = (SendableBuffer(xs), SendableBuffer(out))
        let biasValues = bias?.scalars ?? []
        parallelChunks(count: chunks, minimumChunk: Swift.max(1, 4_000_000 / Swift.max(1, chunkFlops))) { range in
          // V [T, α², cp] (tile-major: a tile's transform writes one contiguous block), M [α², T, K], one sample's phases D.
          ScratchMemory.withBuffer(count: chunkTiles * (vts + a2 * K) + plan.phaseSize) { scratch in
            let v = scratch, mm = v + chunkTiles * vts, d = mm + chunkTiles * a2 * K
            for c in range {
              let first = c * chunk, samples = Swift.min(chunk, g.batch - first), t = samples * plan.tiles
              for s in 0..<samples {
                ncps_winograd_pack(
                  xs.base + (first + s) * sampleSize, g.channels, g.height, g.width, plan.stride, g.paddingHeight, d,
                  plan.rows, plan.columns)
                ncps_winograd_input(
                  d, plan.columns, cp, plan.tilesY, plan.tilesX, plan.alpha, v + s * plan.tiles * vts, cp, vts)
              }
              for xi in 0..<a2 {
                gemm(
                  transposeA: false, transposeB: false, m: t, n: K, k: cp,
                  a: v + xi * cp, lda: vts, b: us.base + xi * cp * K, ldb: K, c: mm + xi * t * K, ldc: K)
              }
              for s in 0..<samples {
                biasValues.withUnsafeBufferPointer { b in
                  ncps_winograd_output(
                    mm + s * plan.tiles * K, t * K, K, K, plan.tilesY, plan.tilesX, plan.alpha, b.baseAddress,
                    out.base + (first + s) * outputSize, g.outputHeight, g.outputWidth)
                }
              }
            }
          }
        }
      }
    }
  }
}

/// dx (when asked for) and dW of the Winograd conv(x, W) given dy. Shapes: dx like x, dW like W.
func winogradBackward(
  _ plan: WinogradPlan, input: Tensor, weight: Tensor, outputGradient dy: Tensor, needsInputGradient: Bool
) -> (Tensor?, Tensor) {
  let g = plan.g, K = plan.outChannels, cp = plan.phaseChannels, a2 = plan.alpha * plan.alpha
  let chunk = plan.chunk, chunks = (g.batch + chunk - 1) / chunk
  let outputSize = K * g.outputHeight * g.outputWidth, sampleSize = g.sampleSize
  let chunkTiles = chunk * plan.tiles
  let vts = plan.vTileStride
  let chunkFlops = (needsInputGradient ? 4 : 2) * a2 * chunkTiles * cp * K
  let workers = Swift.max(1, Swift.min(ComputeThreads.maximum, chunks / Swift.max(1, 4_000_000 / Swift.max(1, chunkFlops))))
  let uSize = a2 * cp * K
  var dInput = [Float](unsafeUninitializedCapacity: needsInputGradient ? g.batch * sampleSize : 0) { _, n in
    n = needsInputGradient ? g.batch * sampleSize : 0  // every sample is overwritten by unpack
  }
  var dWeight = [Float](repeating: 0, count: weight.count)
  // U, then one dU per worker (summed into the first after the parallel loop).
  ScratchMemory.withBuffer(count: uSize * (1 + workers)) { u in
    let du0 = u + uSize  // each worker's first chunk writes its dU (beta 0), later ones add
    weight.scalars.withUnsafeBufferPointer { plan.kernelTransform($0.baseAddress!, into: u) }
    input.scalars.withUnsafeBufferPointer { xs in
      dy.scalars.withUnsafeBufferPointer { gs in
        dInput.withUnsafeMutableBufferPointer { dx in
          let (us, dus, xs, gs) = (SendableBuffer(u), SendableBuffer(du0), SendableBuffer(xs), SendableBuffer(gs))
          let dx = needsInputGradient ? SendableBuffer(dx) : nil
          parallelChunks(count: workers, minimumChunk: 1) { range in
            for worker in range {
              let du = dus.base + worker * uSize
              // V (then dV in its place) [T, α², cp], dM [α², T, K], one sample's phases D (then dD).
              ScratchMemory.withBuffer(count: chunkTiles * (vts + a2 * K) + plan.phaseSize) { scratch in
                let v = scratch, dm = v + chunkTiles * vts, d = dm + chunkTiles * a2 * K
                let firstChunk = chunks * worker / workers
                for c in firstChunk..<(chunks * (worker + 1) / workers) {
                  let first = c * chunk, samples = Swift.min(chunk, g.batch - first), t = samples * plan.tiles
                  for s in 0..<samples {
                    ncps_winograd_output_adjoint(
                      gs.base + (first + s) * outputSize, K, g.outputHeight, g.outputWidth, plan.tilesY, plan.tilesX,
                      plan.alpha, dm + s * plan.tiles * K, t * K, K)
                    ncps_winograd_pack(
                      xs.base + (first + s) * sampleSize, g.channels, g.height, g.width, plan.stride, g.paddingHeight,
                      d, plan.rows, plan.columns)
                    ncps_winograd_input(
                      d, plan.columns, cp, plan.tilesY, plan.tilesX, plan.alpha, v + s * plan.tiles * vts, cp, vts)
                  }
                  for xi in 0..<a2 {
                    let vx = v + xi * cp, dmx = dm + xi * t * K
                    gemm(
                      transposeA: true, transposeB: false, m: cp, n: K, k: t,
                      a: vx, lda: vts, b: dmx, ldb: K, beta: c == firstChunk ? 0 : 1, c: du + xi * cp * K, ldc: K)
                    guard dx != nil else { continue }
                    gemm(
                      transposeA: false, transposeB: true, m: t, n: cp, k: K,
                      a: dmx, lda: K, b: us.base + xi * cp * K, ldb: K, c: vx, ldc: vts)
                  }
                  guard let dx else { continue }
                  for s in 0..<samples {
                    d.update(repeating: 0, count: plan.phaseSize)
                    ncps_winograd_input_adjoint(
                      v + s * plan.tiles * vts, cp, vts, cp, plan.tilesY, plan.tilesX, plan.alpha, d, plan.columns)
                    ncps_winograd_unpack(
                      d, g.channels, g.height, g.width, plan.stride, g.paddingHeight, dx.base + (first + s) * sampleSize,
                      plan.columns)
                  }
                }
              }
            }
          }
        }
      }
    }
    for w in 1..<Swift.max(1, workers) {
      let partial = du0 + w * uSize
      for i in 0..<uSize { du0[i] += partial[i] }
    }
    dWeight.withUnsafeMutableBufferPointer { dw in
      ncps_winograd_kernel_adjoint(du0, K, g.channels, g.kernelHeight, g.kernelWidth, plan.stride, plan.alpha, dw.baseAddress)
    }
  }
  return (needsInputGradient ? Tensor(shape: input.shape, scalars: dInput) : nil, Tensor(shape: weight.shape, scalars: dWeight))
}

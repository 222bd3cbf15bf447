// CWinograd: the transforms of TensorCore's Winograd convolution (Tensor+Winograd.swift), in C
// so that the channel loops vectorize (AVX-512, AVX2 and portable builds picked at load time by
// target_clones). The channel sums in between are OpenBLAS GEMMs, made by the Swift side.
//
// Layouts. A convolution with stride s (1 or 2) and a kernel of at most 3s×3s taps is a 3×3
// stride-1 convolution over the sample's s×s *phases*: D[r][q][(py·s + px)·C + c] =
// x[c][s·r + py − pad][s·q + px − pad] (zero outside the image), a channels-last array of
// cp = s²·C channels. F(m×m, 3×3) covers m×m outputs with an α×α tile of D (α = m + 2), tile
// (ty, tx) starting at D row ty·m and column tx·m; tiles are numbered t = ty·tilesX + tx.
//   V[ξ][t][c] = (Bᵀ d_t B)[ξ]        ξ = ξy·α + ξx < α², slices `v_stride` floats apart
//   M[ξ][t][k] = Σ_c V[ξ][t][c]·U[ξ][c][k]  (the GEMMs)
//   y[k][ty·m + i][tx·m + j] = (Aᵀ M_t A)[i][j] + bias[k]
// The matrices Bᵀ [α][α], Aᵀ [m][α] and G [α][3] are the C file's constant tables (the same
// values as WinogradTransforms in Tensor+Winograd.swift). α ∈ {4, 5, 6, 8} (m = 2, 3, 4, 6).

#ifndef CWINOGRAD_H
#define CWINOGRAD_H

/// One sample x [C][H][W] → D [rows][cols][s·s·C] (phases, channels last, zero outside x).
void ncps_winograd_pack(const float *x, long C, long H, long W, long s, long pad, float *D, long rows, long cols);

/// The adjoint of pack restricted to x: dx[c][y][x] = dD[…] (every element of dx written).
void ncps_winograd_unpack(const float *dD, long C, long H, long W, long s, long pad, float *dx, long cols);

/// V[ξ·v_stride + t·tile_stride + c] = (Bᵀ d_t B)[ξ] for the tiles of one sample (D as from pack).
void ncps_winograd_input(
    const float *D, long cols, long cp, long tiles_y, long tiles_x, long alpha, float *V, long v_stride,
    long tile_stride);

/// dD[tile rows/cols][c] += (B dV_t Bᵀ) for the tiles of one sample (the adjoint of input;
/// dD zeroed by the caller, overlapping tiles accumulate).
void ncps_winograd_input_adjoint(
    const float *dV, long v_stride, long tile_stride, long cp, long tiles_y, long tiles_x, long alpha, float *dD, long cols);

/// y[k][oy][ox] = (Aᵀ M_t A)[…] + bias[k] (bias may be NULL) for the outputs of one sample
/// inside [oh, ow]; M[ξ·m_stride + t·tile_stride + k].
void ncps_winograd_output(
    const float *M, long m_stride, long tile_stride, long K, long tiles_y, long tiles_x, long alpha, const float *bias, float *y,
    long oh, long ow);

/// dM[ξ·m_stride + t·tile_stride + k] = (A dy_t Aᵀ)[ξ], dy_t the tile of dy [K][oh][ow] (zero
/// outside): the adjoint of output.
void ncps_winograd_output_adjoint(
    const float *dy, long K, long oh, long ow, long tiles_y, long tiles_x, long alpha, float *dM, long m_stride,
    long tile_stride);

/// U[ξ][c'][k] = (G g G^T)[ξ] for the phase kernels g[k][c'] (3×3) of w [K][C][kh][kw]:
/// g[k][(py·s + px)·C + c][a][b] = w[k][c][s·a + py][s·b + px] (0 where the tap is outside).
void ncps_winograd_kernel(const float *w, long K, long C, long kh, long kw, long s, long alpha, float *U);

/// dw[k][c][s·a + py][s·b + px] = (Gᵀ dU G)[a][b] for every tap inside the kernel (the adjoint
/// of kernel; dw overwritten).
void ncps_winograd_kernel_adjoint(
    const float *dU, long K, long C, long kh, long kw, long s, long alpha, float *dw);

#endif

// See include/CWinograd.h. Every transform is two passes of short 1-D transforms (one axis of
// the tile, then the other). The input and output transforms and their adjoints run 16 channels
// of a tile at a time in registers (`*_tile16`, fully unrolled, constant coefficients; α = 8 with
// its own paired E ± O forms); the kernel transform and its adjoint (once per call) use
// `combine`, a channel loop with a compile-time length. α reaches the loops as a constant
// through `switch`. Pack and unpack are in Phases.c.

#include "CWinograd.h"
#include "Common.h"
#define NB 64  // channels per block: a tile's temporaries stay in L1

// The transform matrices (row-major; see Tensor+Winograd.swift for the points). They are
// compile-time constants of every instantiation below, so `combine` drops the zero terms.
static const float BT4[] = {-1, 0, 1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, -1, 0, 1};
static const float AT4[] = {1, 1, 1, 0, 0, 1, -1, 1};
static const float G4[] = {-1, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, -0.5f, 0.5f, 0, 0, 1};
static const float BT5[] = {-2, -1, 2, 1, 0, 0, 2, 3, 1, 0, 0, -2, 1, 1, 0, 0, -1, 0, 1, 0, 0, -2, -1, 2, 1};
static const float AT5[] = {1, 1, 1, 1, 0, 0, 1, -1, -2, 0, 0, 1, 1, 4, 1};
static const float G5[] = {
    -0.5f, 0, 0, 1.0f / 6, 1.0f / 6, 1.0f / 6, 0.5f, -0.5f, 0.5f, -1.0f / 6, 1.0f / 3, -2.0f / 3, 0, 0, 1};
static const float BT6[] = {
    1, -1.5f, -2, 1.5f, 1, 0, 0, -1, 0.5f, 2.5f, 1, 0, 0, 1, -2.5f, 0.5f, 1, 0,
    0, -2, -1, 2, 1, 0, 0, 0.5f, -1, -0.5f, 1, 0, 0, 1, -1.5f, -2, 1.5f, 1};
static const float AT6[] = {1, 1, 1, 1, 1, 0, 0, 1, -1, 0.5f, -2, 0, 0, 1, 1, 0.25f, 4, 0, 0, 1, -1, 0.125f, -8, 1};
static const float G6[] = {
    1, 0, 0, 1.0f / 3, 1.0f / 3, 1.0f / 3, -1.0f / 3, 1.0f / 3, -1.0f / 3,
    -16.0f / 15, -8.0f / 15, -4.0f / 15, 1.0f / 15, -2.0f / 15, 4.0f / 15, 0, 0, 1};
static const float BT8[] = {
    -1, 0, 21.0f / 4, 0, -21.0f / 4, 0, 1, 0, 0, 1, 1, -17.0f / 4, -17.0f / 4, 1, 1, 0,
    0, -1, 1, 17.0f / 4, -17.0f / 4, -1, 1, 0, 0, 1.0f / 2, 1.0f / 4, -5.0f / 2, -5.0f / 4, 2, 1, 0,
    0, -1.0f / 2, 1.0f / 4, 5.0f / 2, -5.0f / 4, -2, 1, 0, 0, 2, 4, -5.0f / 2, -5, 1.0f / 2, 1, 0,
    0, -2, 4, 5.0f / 2, -5, -1.0f / 2, 1, 0, 0, -1, 0, 21.0f / 4, 0, -21.0f / 4, 0, 1};
static const float AT8[] = {
    1, 1, 1, 1, 1, 1, 1, 0, 0, 1, -1, 2, -2, 1.0f / 2, -1.0f / 2, 0,
    0, 1, 1, 4, 4, 1.0f / 4, 1.0f / 4, 0, 0, 1, -1, 8, -8, 1.0f / 8, -1.0f / 8, 0,
    0, 1, 1, 16, 16, 1.0f / 16, 1.0f / 16, 0, 0, 1, -1, 32, -32, 1.0f / 32, -1.0f / 32, 1};
static const float G8[] = {
    -1, 0, 0, -2.0f / 9, -2.0f / 9, -2.0f / 9, -2.0f / 9, 2.0f / 9, -2.0f / 9, 1.0f / 90, 1.0f / 45, 2.0f / 45,
    1.0f / 90, -1.0f / 45, 2.0f / 45, 32.0f / 45, 16.0f / 45, 8.0f / 45, 32.0f / 45, -16.0f / 45, 8.0f / 45, 0, 0, 1};
#define BT_OF(A) ((A) == 4 ? BT4 : (A) == 5 ? BT5 : (A) == 6 ? BT6 : BT8)
#define AT_OF(A) ((A) == 4 ? AT4 : (A) == 5 ? AT5 : (A) == 6 ? AT6 : AT8)
#define G_OF(A) ((A) == 4 ? G4 : (A) == 5 ? G5 : (A) == 6 ? G6 : G8)

/// dst[c] = Σ_j coef[j·cs]·src[j·stride + c] for c < n (length L and the coefficients are
/// constants after inlining: zero terms vanish; the sum starts at −0, which adds exactly).
INLINE void combine(
    const long L, const float *restrict coef, const long cs, const float *restrict src, long stride,
    float *restrict dst, long n) {
  for (long c = 0; c < n; c++) {
    float s = -0.0f;
    for (long j = 0; j < L; j++)
      if (coef[j * cs] != 0) s += coef[j * cs] * src[j * stride + c];
    dst[c] = s;
  }
}

// MARK: Register kernels (16 channels of one tile)

// One tile's transform for 16 channels at a time: both passes fully unrolled, so each term is a
// vector operation with a constant coefficient and the α×α intermediates live in registers or
// L1. F(6×6, 3×3) (α = 8, every layer of the Atari model) has its own 1-D transforms: its points
// come in pairs ±p, so rows 2k−1 and 2k of Bᵀ and columns of Aᵀ are E ± O of shared partial
// sums (as in NNPACK and oneDNN) — 26 operations for Bᵀd instead of 44 multiply-adds, 20 for
// Aᵀm instead of 34, and the same for their adjoints. Other α use the tables term by term.
// Channels past the last multiple of 16 go through the same kernels on a zero-padded copy,
// so every channel's result is computed the same way.

#define UNROLL _Pragma("clang loop unroll(full)")
#define VL 16

/// Sixteen −0s: the start of every table-driven sum (−0 + x = x exactly).
#define NEG_ZERO (-(v16){0})

/// r = Bᵀ d for α = 8.
INLINE void bt8(const v16 *d, v16 *r) {
  v16 e, o;
  r[0] = (d[6] - d[0]) + 5.25f * (d[2] - d[4]);
  r[7] = (d[7] - d[1]) + 5.25f * (d[3] - d[5]);
  e = (d[2] + d[6]) - 4.25f * d[4], o = (d[1] + d[5]) - 4.25f * d[3];
  r[1] = e + o, r[2] = e - o;
  e = (d[6] + 0.25f * d[2]) - 1.25f * d[4], o = (0.5f * d[1] - 2.5f * d[3]) + 2.0f * d[5];
  r[3] = e + o, r[4] = e - o;
  e = (d[6] + 4.0f * d[2]) - 5.0f * d[4], o = (2.0f * d[1] - 2.5f * d[3]) + 0.5f * d[5];
  r[5] = e + o, r[6] = e - o;
}

/// d = B r (the adjoint of bt8) for α = 8.
INLINE void b8(const v16 *r, v16 *d) {
  const v16 s12 = r[1] + r[2], t12 = r[1] - r[2], s34 = r[3] + r[4], t34 = r[3] - r[4];
  const v16 s56 = r[5] + r[6], t56 = r[5] - r[6];
  d[0] = -r[0];
  d[1] = ((t12 + 0.5f * t34) + 2.0f * t56) - r[7];
  d[2] = ((s12 + 0.25f * s34) + 4.0f * s56) + 5.25f * r[0];
  d[3] = ((5.25f * r[7] - 4.25f * t12) - 2.5f * t34) - 2.5f * t56;
  d[4] = ((-5.25f * r[0] - 4.25f * s12) - 1.25f * s34) - 5.0f * s56;
  d[5] = ((t12 + 2.0f * t34) + 0.5f * t56) - 5.25f * r[7];
  d[6] = ((r[0] + s12) + s34) + s56;
  d[7] = r[7];
}

/// o = Aᵀ m for α = 8 (six outputs).
INLINE void at8(const v16 *m, v16 *o) {
  const v16 a = m[1] + m[2], b = m[1] - m[2], c = m[3] + m[4], d = m[3] - m[4], e = m[5] + m[6], f = m[5] - m[6];
  o[0] = ((m[0] + a) + c) + e;
  o[1] = (b + 2.0f * d) + 0.5f * f;
  o[2] = (a + 4.0f * c) + 0.25f * e;
  o[3] = (b + 8.0f * d) + 0.125f * f;
  o[4] = (a + 16.0f * c) + 0.0625f * e;
  o[5] = ((b + 32.0f * d) + 0.03125f * f) + m[7];
}

/// m = A o (the adjoint of at8) for α = 8.
INLINE void a8(const v16 *o, v16 *m) {
  const v16 a = (o[0] + o[2]) + o[4], b = (o[1] + o[3]) + o[5];
  const v16 c = (o[0] + 4.0f * o[2]) + 16.0f * o[4], d = (2.0f * o[1] + 8.0f * o[3]) + 32.0f * o[5];
  const v16 e = (o[0] + 0.25f * o[2]) + 0.0625f * o[4], f = (0.5f * o[1] + 0.125f * o[3]) + 0.03125f * o[5];
  m[0] = o[0];
  m[1] = a + b, m[2] = a - b, m[3] = c + d, m[4] = c - d, m[5] = e + f, m[6] = e - f;
  m[7] = o[5];
}

/// out[k] = Σ_j coef[j·cs]·in[j] for k < n_out (the table-driven 1-D transform of other α).
INLINE void table8(const long L, const long n_out, const float *coef, long row, long cs, const v16 *in, v16 *out) {
  UNROLL for (long k = 0; k < n_out; k++) {
    v16 s = NEG_ZERO;
    UNROLL for (long j = 0; j < L; j++) if (coef[k * row + j * cs] != 0) s += coef[k * row + j * cs] * in[j];
    out[k] = s;
  }
}

/// V[ξ·vs] = (Bᵀ d B)[ξ] for d[i][j] = d0[i·rs + j·cs].
INLINE void input_tile16(const long A, const float *d0, long rs, long cs, float *V, long vs) {
  const float *bt = BT_OF(A);
  v16 t[8][8];
  UNROLL for (long i = 0; i < A; i++) {
    v16 r[8];
    UNROLL for (long j = 0; j < A; j++) r[j] = *(const v16 *)(d0 + i * rs + j * cs);
    if (A == 8) bt8(r, t[i]); else table8(A, A, bt, A, 1, r, t[i]);
  }
  UNROLL for (long xx = 0; xx < A; xx++) {
    v16 col[8], out[8];
    UNROLL for (long i = 0; i < A; i++) col[i] = t[i][xx];
    if (A == 8) bt8(col, out); else table8(A, A, bt, A, 1, col, out);
    UNROLL for (long yy = 0; yy < A; yy++) *(v16 *)(V + (yy * A + xx) * vs) = out[yy];
  }
}

/// dd[i][j] += (B dV Bᵀ)[i][j] for dd[i][j] = dd0[i·rs + j·cs], dV[ξ] = dV[ξ·vs].
INLINE void input_adjoint_tile16(const long A, const float *dV, long vs, float *dd0, long rs, long cs) {
  const float *bt = BT_OF(A);  // B[i][ξ] = bt[ξ·A + i]
  v16 t[8][8];
  UNROLL for (long yy = 0; yy < A; yy++) {
    v16 r[8];
    UNROLL for (long xx = 0; xx < A; xx++) r[xx] = *(const v16 *)(dV + (yy * A + xx) * vs);
    if (A == 8) b8(r, t[yy]); else table8(A, A, bt, 1, A, r, t[yy]);
  }
  UNROLL for (long j = 0; j < A; j++) {
    v16 col[8], out[8];
    UNROLL for (long yy = 0; yy < A; yy++) col[yy] = t[yy][j];
    if (A == 8) b8(col, out); else table8(A, A, bt, 1, A, col, out);
    UNROLL for (long i = 0; i < A; i++) {
      float *dst = dd0 + i * rs + j * cs;
      *(v16 *)dst = *(const v16 *)dst + out[i];
    }
  }
}

/// out[(i·m + j)·16 + k] = (Aᵀ M A)[i][j] for M[ξ] = M[ξ·ms] (16 channels).
INLINE void output_tile16(const long A, const float *M, long ms, float *out) {
  const long m = A - 2;
  const float *at = AT_OF(A);
  v16 t[8][6];
  UNROLL for (long yy = 0; yy < A; yy++) {
    v16 r[8];
    UNROLL for (long xx = 0; xx < A; xx++) r[xx] = *(const v16 *)(M + (yy * A + xx) * ms);
    if (A == 8) at8(r, t[yy]); else table8(A, m, at, A, 1, r, t[yy]);
  }
  UNROLL for (long j = 0; j < m; j++) {
    v16 col[8], o[6];
    UNROLL for (long yy = 0; yy < A; yy++) col[yy] = t[yy][j];
    if (A == 8) at8(col, o); else table8(A, m, at, A, 1, col, o);
    UNROLL for (long i = 0; i < m; i++) *(v16 *)(out + (i * m + j) * VL) = o[i];
  }
}

/// dM[ξ·ms] = (A g Aᵀ)[ξ] for the 16-channel tile g[(i·m + j)·16 + k].
INLINE void output_adjoint_tile16(const long A, const float *g, float *dM, long ms) {
  const long m = A - 2;
  const float *at = AT_OF(A);  // A[ξ][i] = at[i·A + ξ]
  v16 t[6][8];
  UNROLL for (long i = 0; i < m; i++) {
    v16 r[6];
    UNROLL for (long j = 0; j < m; j++) r[j] = *(const v16 *)(g + (i * m + j) * VL);
    if (A == 8) a8(r, t[i]); else table8(m, A, at, 1, A, r, t[i]);
  }
  UNROLL for (long xx = 0; xx < A; xx++) {
    v16 col[6], o[8];
    UNROLL for (long i = 0; i < m; i++) col[i] = t[i][xx];
    if (A == 8) a8(col, o); else table8(m, A, at, 1, A, col, o);
    UNROLL for (long yy = 0; yy < A; yy++) *(v16 *)(dM + (yy * A + xx) * ms) = o[yy];
  }
}

// MARK: Whole samples

INLINE void input_tiles(
    const long A, const float *D, long cols, long cp, long tiles_y, long tiles_x, float *V, long vs, long ts) {
  const long m = A - 2, cv = cp / VL * VL, n = cp - cv;
  float in[8 * 8 * VL], out[8 * 8 * VL];  // a zero-padded tile of the last n channels
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      const float *d0 = D + (ty * m * cols + tx * m) * cp;
      for (long c0 = 0; c0 < cv; c0 += VL) input_tile16(A, d0 + c0, cols * cp, cp, V + t * ts + c0, vs);
      if (n == 0) continue;
      for (long i = 0; i < A * A; i++)
        for (long c = 0; c < VL; c++) in[i * VL + c] = c < n ? d0[((i / A) * cols + i % A) * cp + cv + c] : 0;
      input_tile16(A, in, A * VL, VL, out, VL);
      for (long xi = 0; xi < A * A; xi++)
        for (long c = 0; c < n; c++) V[xi * vs + t * ts + cv + c] = out[xi * VL + c];
    }
  }
}

WG_CLONES
void ncps_winograd_input(
    const float *D, long cols, long cp, long tiles_y, long tiles_x, long alpha, float *V, long v_stride,
    long tile_stride) {
  switch (alpha) {
  case 4: input_tiles(4, D, cols, cp, tiles_y, tiles_x, V, v_stride, tile_stride); break;
  case 5: input_tiles(5, D, cols, cp, tiles_y, tiles_x, V, v_stride, tile_stride); break;
  case 6: input_tiles(6, D, cols, cp, tiles_y, tiles_x, V, v_stride, tile_stride); break;
  case 8: input_tiles(8, D, cols, cp, tiles_y, tiles_x, V, v_stride, tile_stride); break;
  }
}

INLINE void input_adjoint_tiles(
    const long A, const float *dV, long vs, long ts, long cp, long tiles_y, long tiles_x, float *dD, long cols) {
  const long m = A - 2, cv = cp / VL * VL, n = cp - cv;
  float gin[8 * 8 * VL], acc[8 * 8 * VL];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      float *dd0 = dD + (ty * m * cols + tx * m) * cp;
      for (long c0 = 0; c0 < cv; c0 += VL) input_adjoint_tile16(A, dV + t * ts + c0, vs, dd0 + c0, cols * cp, cp);
      if (n == 0) continue;
      for (long xi = 0; xi < A * A; xi++)
        for (long c = 0; c < VL; c++) gin[xi * VL + c] = c < n ? dV[xi * vs + t * ts + cv + c] : 0;
      for (long i = 0; i < A * A; i++)
        for (long c = 0; c < VL; c++) acc[i * VL + c] = c < n ? dd0[((i / A) * cols + i % A) * cp + cv + c] : 0;
      input_adjoint_tile16(A, gin, VL, acc, A * VL, VL);
      for (long i = 0; i < A * A; i++)
        for (long c = 0; c < n; c++) dd0[((i / A) * cols + i % A) * cp + cv + c] = acc[i * VL + c];
    }
  }
}

WG_CLONES
void ncps_winograd_input_adjoint(
    const float *dV, long v_stride, long tile_stride, long cp, long tiles_y, long tiles_x, long alpha, float *dD,
    long cols) {
  switch (alpha) {
  case 4: input_adjoint_tiles(4, dV, v_stride, tile_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 5: input_adjoint_tiles(5, dV, v_stride, tile_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 6: input_adjoint_tiles(6, dV, v_stride, tile_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 8: input_adjoint_tiles(8, dV, v_stride, tile_stride, cp, tiles_y, tiles_x, dD, cols); break;
  }
}

INLINE void output_tiles(
    const long A, const float *M, long ms, long ts, long K, long tiles_y, long tiles_x, const float *bias, float *y,
    long oh, long ow) {
  const long m = A - 2, plane = oh * ow;
  float out[6 * 6 * VL], tail[8 * 8 * VL];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      const long mi = min_long(m, oh - ty * m), mj = min_long(m, ow - tx * m);
      for (long k0 = 0; k0 < K; k0 += VL) {
        const long n = min_long(VL, K - k0);
        if (n == VL) {
          output_tile16(A, M + t * ts + k0, ms, out);
        } else {
          for (long xi = 0; xi < A * A; xi++)
            for (long k = 0; k < VL; k++) tail[xi * VL + k] = k < n ? M[xi * ms + t * ts + k0 + k] : 0;
          output_tile16(A, tail, VL, out);
        }
        for (long k = 0; k < n; k++) {
          float *dst = y + (k0 + k) * plane + ty * m * ow + tx * m;
          if (bias) {
            const float b = bias[k0 + k];
            for (long i = 0; i < mi; i++)
              for (long j = 0; j < mj; j++) dst[i * ow + j] = out[(i * m + j) * VL + k] + b;
          } else {
            for (long i = 0; i < mi; i++)
              for (long j = 0; j < mj; j++) dst[i * ow + j] = out[(i * m + j) * VL + k];
          }
        }
      }
    }
  }
}

WG_CLONES
void ncps_winograd_output(
    const float *M, long m_stride, long tile_stride, long K, long tiles_y, long tiles_x, long alpha, const float *bias,
    float *y, long oh, long ow) {
  switch (alpha) {
  case 4: output_tiles(4, M, m_stride, tile_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 5: output_tiles(5, M, m_stride, tile_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 6: output_tiles(6, M, m_stride, tile_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 8: output_tiles(8, M, m_stride, tile_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  }
}

INLINE void output_adjoint_tiles(
    const long A, const float *dy, long K, long oh, long ow, long tiles_y, long tiles_x, float *dM, long ms, long ts) {
  const long m = A - 2, plane = oh * ow;
  float tile[6 * 6 * VL], tail[8 * 8 * VL];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      const long mi = min_long(m, oh - ty * m), mj = min_long(m, ow - tx * m);
      for (long k0 = 0; k0 < K; k0 += VL) {
        const long n = min_long(VL, K - k0);
        for (long k = 0; k < VL; k++) {
          const float *src = dy + (k0 + k) * plane + ty * m * ow + tx * m;
          for (long i = 0; i < m; i++)
            for (long j = 0; j < m; j++) tile[(i * m + j) * VL + k] = k < n && i < mi && j < mj ? src[i * ow + j] : 0;
        }
        if (n == VL) {
          output_adjoint_tile16(A, tile, dM + t * ts + k0, ms);
        } else {
          output_adjoint_tile16(A, tile, tail, VL);
          for (long xi = 0; xi < A * A; xi++)
            for (long k = 0; k < n; k++) dM[xi * ms + t * ts + k0 + k] = tail[xi * VL + k];
        }
      }
    }
  }
}

WG_CLONES
void ncps_winograd_output_adjoint(
    const float *dy, long K, long oh, long ow, long tiles_y, long tiles_x, long alpha, float *dM, long m_stride,
    long tile_stride) {
  switch (alpha) {
  case 4: output_adjoint_tiles(4, dy, K, oh, ow, tiles_y, tiles_x, dM, m_stride, tile_stride); break;
  case 5: output_adjoint_tiles(5, dy, K, oh, ow, tiles_y, tiles_x, dM, m_stride, tile_stride); break;
  case 6: output_adjoint_tiles(6, dy, K, oh, ow, tiles_y, tiles_x, dM, m_stride, tile_stride); break;
  case 8: output_adjoint_tiles(8, dy, K, oh, ow, tiles_y, tiles_x, dM, m_stride, tile_stride); break;
  }
}

// MARK: Kernel transform and its adjoint

INLINE void kernel_transform(
    const long A, const float *w, long K, long C, long kh, long kw, long s, float *U) {
  const long cp = s * s * C;
  const float *g = G_OF(A);
  float gk[3 * 3 * NB], tmp[3 * 8 * NB];
  for (long py = 0; py < s; py++) {
    for (long px = 0; px < s; px++) {
      for (long c = 0; c < C; c++) {
        const long cc = (py * s + px) * C + c;
        for (long k0 = 0; k0 < K; k0 += NB) {
          const long n = min_long(NB, K - k0);
          for (long a = 0; a < 3; a++) {
            for (long b = 0; b < 3; b++) {
              float *o = gk + (a * 3 + b) * NB;
              const long i = s * a + py, j = s * b + px;
              if (i < kh && j < kw) {
                const float *src = w + ((k0 * C + c) * kh + i) * kw + j;
                for (long k = 0; k < n; k++) o[k] = src[k * C * kh * kw];
              } else {
                for (long k = 0; k < n; k++) o[k] = 0;
              }
            }
          }
          // tmp[a][ξx] = Σ_b G[ξx][b]·g[a][b]; U[ξy][ξx] = Σ_a G[ξy][a]·tmp[a][ξx]
          for (long a = 0; a < 3; a++)
            for (long xx = 0; xx < A; xx++) combine(3, g + xx * 3, 1, gk + a * 3 * NB, NB, tmp + (a * A + xx) * NB, n);
          for (long yy = 0; yy < A; yy++)
            for (long xx = 0; xx < A; xx++)
              combine(3, g + yy * 3, 1, tmp + xx * NB, A * NB, U + ((yy * A + xx) * cp + cc) * K + k0, n);
        }
      }
    }
  }
}

WG_CLONES
void ncps_winograd_kernel(const float *w, long K, long C, long kh, long kw, long s, long alpha, float *U) {
  switch (alpha) {
  case 4: kernel_transform(4, w, K, C, kh, kw, s, U); break;
  case 5: kernel_transform(5, w, K, C, kh, kw, s, U); break;
  case 6: kernel_transform(6, w, K, C, kh, kw, s, U); break;
  case 8: kernel_transform(8, w, K, C, kh, kw, s, U); break;
  }
}

INLINE void kernel_adjoint(
    const long A, const float *dU, long K, long C, long kh, long kw, long s, float *dw) {
  const long cp = s * s * C;
  const float *g = G_OF(A);  // Gᵀ[a][ξ] = g[ξ·3 + a]
  float tmp[8 * 3 * NB], dg[3 * 3 * NB];
  for (long py = 0; py < s; py++) {
    for (long px = 0; px < s; px++) {
      for (long c = 0; c < C; c++) {
        const long cc = (py * s + px) * C + c;
        for (long k0 = 0; k0 < K; k0 += NB) {
          const long n = min_long(NB, K - k0);
          // tmp[ξy][b] = Σ_ξx Gᵀ[b][ξx]·dU[ξy][ξx]; dg[a][b] = Σ_ξy Gᵀ[a][ξy]·tmp[ξy][b]
          for (long yy = 0; yy < A; yy++)
            for (long b = 0; b < 3; b++)
              combine(A, g + b, 3, dU + (yy * A * cp + cc) * K + k0, cp * K, tmp + (yy * 3 + b) * NB, n);
          for (long a = 0; a < 3; a++)
            for (long b = 0; b < 3; b++) combine(A, g + a, 3, tmp + b * NB, 3 * NB, dg + (a * 3 + b) * NB, n);
          for (long a = 0; a < 3; a++) {
            for (long b = 0; b < 3; b++) {
              const long i = s * a + py, j = s * b + px;
              if (i >= kh || j >= kw) continue;
              const float *src = dg + (a * 3 + b) * NB;
              float *dst = dw + ((k0 * C + c) * kh + i) * kw + j;
              for (long k = 0; k < n; k++) dst[k * C * kh * kw] = src[k];
            }
          }
        }
      }
    }
  }
}

WG_CLONES
void ncps_winograd_kernel_adjoint(
    const float *dU, long K, long C, long kh, long kw, long s, long alpha, float *dw) {
  switch (alpha) {
  case 4: kernel_adjoint(4, dU, K, C, kh, kw, s, dw); break;
  case 5: kernel_adjoint(5, dU, K, C, kh, kw, s, dw); break;
  case 6: kernel_adjoint(6, dU, K, C, kh, kw, s, dw); break;
  case 8: kernel_adjoint(8, dU, K, C, kh, kw, s, dw); break;
  }
}

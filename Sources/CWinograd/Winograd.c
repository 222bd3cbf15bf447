// See include/CWinograd.h. Every transform is two passes of short linear combinations (one
// axis of the tile, then the other) over blocks of up to NB channels; `combine` is the only
// arithmetic loop, with `restrict` parameters and a compile-time length so clang unrolls the sum
// and vectorizes the channel loop. α reaches the loops as a constant through `switch`.

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

/// dst[c] += Σ_j coef[j·cs]·src[j·stride + c] for c < n.
INLINE void combine_add(
    const long L, const float *restrict coef, const long cs, const float *restrict src, long stride,
    float *restrict dst, long n) {
  for (long c = 0; c < n; c++) {
    float s = dst[c];
    for (long j = 0; j < L; j++)
      if (coef[j * cs] != 0) s += coef[j * cs] * src[j * stride + c];
    dst[c] = s;
  }
}

// MARK: Register kernels (16 channels of one tile)

// One tile's transform for 16 channels at a time: both passes fully unrolled, so each term is a
// vector FMA with a constant coefficient (zero terms dropped, ±1 terms plain adds), and the
// α×α intermediates live in registers or L1. The sums run in the same order as `combine`'s, so
// the results are the same; channels past the last multiple of 16 take the `combine` loops.

#define UNROLL _Pragma("clang loop unroll(full)")
#define VL 16

/// Sixteen −0s: the start of every sum (−0 + x = x exactly, as in `combine`).
#define NEG_ZERO (-(v16){0})

/// V[ξ·vs] = (Bᵀ d B)[ξ] for d[i][j] = d0[i·rs + j·cs].
INLINE void input_tile16(const long A, const float *d0, long rs, long cs, float *V, long vs) {
  const float *bt = BT_OF(A);
  v16 t[8][8];
  UNROLL for (long i = 0; i < A; i++) {
    v16 r[8];
    UNROLL for (long j = 0; j < A; j++) r[j] = *(const v16 *)(d0 + i * rs + j * cs);
    UNROLL for (long xx = 0; xx < A; xx++) {
      v16 s = NEG_ZERO;
      UNROLL for (long j = 0; j < A; j++) if (bt[xx * A + j] != 0) s += bt[xx * A + j] * r[j];
      t[i][xx] = s;
    }
  }
  UNROLL for (long yy = 0; yy < A; yy++) {
    UNROLL for (long xx = 0; xx < A; xx++) {
      v16 s = NEG_ZERO;
      UNROLL for (long i = 0; i < A; i++) if (bt[yy * A + i] != 0) s += bt[yy * A + i] * t[i][xx];
      *(v16 *)(V + (yy * A + xx) * vs) = s;
    }
  }
}

/// dd[i][j] += (B dV Bᵀ)[i][j] for dd[i][j] = dd0[i·rs + j·cs], dV[ξ] = dV[ξ·vs].
INLINE void input_adjoint_tile16(const long A, const float *dV, long vs, float *dd0, long rs, long cs) {
  const float *bt = BT_OF(A);  // B[i][ξ] = bt[ξ·A + i]
  v16 t[8][8];
  UNROLL for (long yy = 0; yy < A; yy++) {
    v16 r[8];
#ifdef WG_PREFETCH
    UNROLL for (long xx = 0; xx < A; xx++) __builtin_prefetch(dV + (yy * A + xx) * vs + WG_PREFETCH);
#endif
    UNROLL for (long xx = 0; xx < A; xx++) r[xx] = *(const v16 *)(dV + (yy * A + xx) * vs);
    UNROLL for (long j = 0; j < A; j++) {
      v16 s = NEG_ZERO;
      UNROLL for (long xx = 0; xx < A; xx++) if (bt[xx * A + j] != 0) s += bt[xx * A + j] * r[xx];
      t[yy][j] = s;
    }
  }
  UNROLL for (long i = 0; i < A; i++) {
    UNROLL for (long j = 0; j < A; j++) {
      float *dst = dd0 + i * rs + j * cs;
      v16 s = *(const v16 *)dst;
      UNROLL for (long yy = 0; yy < A; yy++) if (bt[yy * A + i] != 0) s += bt[yy * A + i] * t[yy][j];
      *(v16 *)dst = s;
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
    UNROLL for (long j = 0; j < m; j++) {
      v16 s = NEG_ZERO;
      UNROLL for (long xx = 0; xx < A; xx++) if (at[j * A + xx] != 0) s += at[j * A + xx] * r[xx];
      t[yy][j] = s;
    }
  }
  UNROLL for (long i = 0; i < m; i++) {
    UNROLL for (long j = 0; j < m; j++) {
      v16 s = NEG_ZERO;
      UNROLL for (long yy = 0; yy < A; yy++) if (at[i * A + yy] != 0) s += at[i * A + yy] * t[yy][j];
      *(v16 *)(out + (i * m + j) * VL) = s;
    }
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
    UNROLL for (long xx = 0; xx < A; xx++) {
      v16 s = NEG_ZERO;
      UNROLL for (long j = 0; j < m; j++) if (at[j * A + xx] != 0) s += at[j * A + xx] * r[j];
      t[i][xx] = s;
    }
  }
  UNROLL for (long yy = 0; yy < A; yy++) {
    UNROLL for (long xx = 0; xx < A; xx++) {
      v16 s = NEG_ZERO;
      UNROLL for (long i = 0; i < m; i++) if (at[i * A + yy] != 0) s += at[i * A + yy] * t[i][xx];
      *(v16 *)(dM + (yy * A + xx) * ms) = s;
    }
  }
}

// MARK: Input transform and its adjoint

INLINE void input_tiles(
    const long A, const float *D, long cols, long cp, long tiles_y, long tiles_x, float *V, long vs, long ts) {
  const long m = A - 2, cv = cp / VL * VL;
  const float *bt = BT_OF(A);
  float tmp[8 * 8 * NB];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      const float *d0 = D + (ty * m * cols + tx * m) * cp;
      for (long c0 = 0; c0 < cv; c0 += VL) input_tile16(A, d0 + c0, cols * cp, cp, V + t * ts + c0, vs);
      for (long c0 = cv; c0 < cp; c0 += NB) {
        const long n = min_long(NB, cp - c0);
        // tmp[i][ξx] = Σ_j Bᵀ[ξx][j]·d[i][j]
        for (long i = 0; i < A; i++) {
          const float *row = D + ((ty * m + i) * cols + tx * m) * cp + c0;
          for (long xx = 0; xx < A; xx++) combine(A, bt + xx * A, 1, row, cp, tmp + (i * A + xx) * NB, n);
        }
        // V[ξy][ξx] = Σ_i Bᵀ[ξy][i]·tmp[i][ξx]
        for (long yy = 0; yy < A; yy++)
          for (long xx = 0; xx < A; xx++)
            combine(A, bt + yy * A, 1, tmp + xx * NB, A * NB, V + (yy * A + xx) * vs + t * ts + c0, n);
      }
    }
  }
}

WG_CLONES
void ncps_winograd_input(
    const float *D, long cols, long cp, long tiles_y, long tiles_x, long alpha, float *V, long v_stride, long tile_stride) {
  switch (alpha) {
  case 4: input_tiles(4, D, cols, cp, tiles_y, tiles_x, V, v_stride, tile_stride); break;
  case 5: input_tiles(5, D, cols, cp, tiles_y, tiles_x, V, v_stride, tile_stride); break;
  case 6: input_tiles(6, D, cols, cp, tiles_y, tiles_x, V, v_stride, tile_stride); break;
  case 8: input_tiles(8, D, cols, cp, tiles_y, tiles_x, V, v_stride, tile_stride); break;
  }
}

INLINE void input_adjoint_tiles(
    const long A, const float *dV, long vs, long ts, long cp, long tiles_y, long tiles_x, float *dD, long cols) {
  const long m = A - 2, cv = cp / VL * VL;
  const float *bt = BT_OF(A);  // B[i][ξ] = bt[ξ·A + i]
  float tmp[8 * 8 * NB];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      float *dd0 = dD + (ty * m * cols + tx * m) * cp;
      for (long c0 = 0; c0 < cv; c0 += VL) input_adjoint_tile16(A, dV + t * ts + c0, vs, dd0 + c0, cols * cp, cp);
      for (long c0 = cv; c0 < cp; c0 += NB) {
        const long n = min_long(NB, cp - c0);
        // tmp[ξy][j] = Σ_ξx B[j][ξx]·dV[ξy][ξx]
        for (long yy = 0; yy < A; yy++)
          for (long j = 0; j < A; j++)
            combine(A, bt + j, A, dV + yy * A * vs + t * ts + c0, vs, tmp + (yy * A + j) * NB, n);
        // dd[i][j] += Σ_ξy B[i][ξy]·tmp[ξy][j]
        for (long i = 0; i < A; i++) {
          float *row = dD + ((ty * m + i) * cols + tx * m) * cp + c0;
          for (long j = 0; j < A; j++) combine_add(A, bt + i, A, tmp + j * NB, A * NB, row + j * cp, n);
        }
      }
    }
  }
}

WG_CLONES
void ncps_winograd_input_adjoint(
    const float *dV, long v_stride, long tile_stride, long cp, long tiles_y, long tiles_x, long alpha, float *dD, long cols) {
  switch (alpha) {
  case 4: input_adjoint_tiles(4, dV, v_stride, tile_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 5: input_adjoint_tiles(5, dV, v_stride, tile_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 6: input_adjoint_tiles(6, dV, v_stride, tile_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 8: input_adjoint_tiles(8, dV, v_stride, tile_stride, cp, tiles_y, tiles_x, dD, cols); break;
  }
}

// MARK: Output transform and its adjoint

INLINE void output_tiles(
    const long A, const float *M, long ms, long ts, long K, long tiles_y, long tiles_x, const float *bias, float *y, long oh,
    long ow) {
  const long m = A - 2, plane = oh * ow, kv = K / VL * VL;
  const float *at = AT_OF(A);
  float tmp[8 * 6 * NB], out[6 * 6 * NB];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      const long mi = min_long(m, oh - ty * m), mj = min_long(m, ow - tx * m);
      for (long k0 = 0; k0 < kv; k0 += VL) {
        output_tile16(A, M + t * ts + k0, ms, out);
        for (long k = 0; k < VL; k++) {
          const float b = bias ? bias[k0 + k] : 0;
          float *dst = y + (k0 + k) * plane + ty * m * ow + tx * m;
          for (long i = 0; i < mi; i++)
            for (long j = 0; j < mj; j++) dst[i * ow + j] = bias ? out[(i * m + j) * VL + k] + b : out[(i * m + j) * VL + k];
        }
      }
      for (long k0 = kv; k0 < K; k0 += NB) {
        const long n = min_long(NB, K - k0);
        // tmp[ξy][j] = Σ_ξx Aᵀ[j][ξx]·M[ξy][ξx]
        for (long yy = 0; yy < A; yy++)
          for (long j = 0; j < m; j++) combine(A, at + j * A, 1, M + yy * A * ms + t * ts + k0, ms, tmp + (yy * m + j) * NB, n);
        // out[i][j] = Σ_ξy Aᵀ[i][ξy]·tmp[ξy][j]
        for (long i = 0; i < m; i++)
          for (long j = 0; j < m; j++) combine(A, at + i * A, 1, tmp + j * NB, m * NB, out + (i * m + j) * NB, n);
        for (long i = 0; i < m && ty * m + i < oh; i++) {
          for (long j = 0; j < m && tx * m + j < ow; j++) {
            const float *o = out + (i * m + j) * NB;
            float *dst = y + k0 * plane + (ty * m + i) * ow + tx * m + j;
            if (bias) {
              for (long k = 0; k < n; k++) dst[k * plane] = o[k] + bias[k0 + k];
            } else {
              for (long k = 0; k < n; k++) dst[k * plane] = o[k];
            }
          }
        }
      }
    }
  }
}

WG_CLONES
void ncps_winograd_output(
    const float *M, long m_stride, long tile_stride, long K, long tiles_y, long tiles_x, long alpha, const float *bias, float *y,
    long oh, long ow) {
  switch (alpha) {
  case 4: output_tiles(4, M, m_stride, tile_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 5: output_tiles(5, M, m_stride, tile_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 6: output_tiles(6, M, m_stride, tile_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 8: output_tiles(8, M, m_stride, tile_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  }
}

INLINE void output_adjoint_tiles(
    const long A, const float *dy, long K, long oh, long ow, long tiles_y, long tiles_x, float *dM, long ms, long ts) {
  const long m = A - 2, plane = oh * ow, kv = K / VL * VL;
  const float *at = AT_OF(A);  // A[ξ][i] = at[i·A + ξ]
  float tile[6 * 6 * NB], tmp[6 * 8 * NB];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      const long mi = min_long(m, oh - ty * m), mj = min_long(m, ow - tx * m);
      for (long k0 = 0; k0 < kv; k0 += VL) {
        for (long k = 0; k < VL; k++) {
          const float *src = dy + (k0 + k) * plane + ty * m * ow + tx * m;
          for (long i = 0; i < m; i++)
            for (long j = 0; j < m; j++) tile[(i * m + j) * VL + k] = i < mi && j < mj ? src[i * ow + j] : 0;
        }
        output_adjoint_tile16(A, tile, dM + t * ts + k0, ms);
      }
      for (long k0 = kv; k0 < K; k0 += NB) {
        const long n = min_long(NB, K - k0);
        for (long i = 0; i < m; i++) {
          for (long j = 0; j < m; j++) {
            float *o = tile + (i * m + j) * NB;
            const long oy = ty * m + i, ox = tx * m + j;
            if (oy < oh && ox < ow) {
              const float *src = dy + k0 * plane + oy * ow + ox;
              for (long k = 0; k < n; k++) o[k] = src[k * plane];
            } else {
              for (long k = 0; k < n; k++) o[k] = 0;
            }
          }
        }
        // tmp[i][ξx] = Σ_j A[ξx][j]·dy[i][j]
        for (long i = 0; i < m; i++)
          for (long xx = 0; xx < A; xx++) combine(m, at + xx, A, tile + i * m * NB, NB, tmp + (i * A + xx) * NB, n);
        // dM[ξy][ξx] = Σ_i A[ξy][i]·tmp[i][ξx]
        for (long yy = 0; yy < A; yy++)
          for (long xx = 0; xx < A; xx++)
            combine(m, at + yy, A, tmp + xx * NB, A * NB, dM + (yy * A + xx) * ms + t * ts + k0, n);
      }
    }
  }
}

WG_CLONES
void ncps_winograd_output_adjoint(
    const float *dy, long K, long oh, long ow, long tiles_y, long tiles_x, long alpha, float *dM, long m_stride, long tile_stride) {
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

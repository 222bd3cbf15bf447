// See include/CWinograd.h. Every transform is two passes of short linear combinations (one
// axis of the tile, then the other) over blocks of up to NB channels; `combine` is the only
// arithmetic loop, with `restrict` parameters and a compile-time length so clang unrolls the sum
// and vectorizes the channel loop. α reaches the loops as a constant through `switch`.

#include "CWinograd.h"

#if defined(__x86_64__) && defined(__ELF__)
#define WG_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WG_CLONES
#endif
#define INLINE static inline __attribute__((always_inline))
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

static long min_long(long a, long b) { return a < b ? a : b; }

// MARK: Phases

// Pack and unpack move 8×8 blocks (8 channels × 8 phase columns) through registers: a
// channel's row of x is contiguous, a D cell's channels are contiguous, so each block is eight
// vector loads, an in-register transpose and eight vector stores. Blocks that reach past the
// image or the channel count go element by element.

typedef float v8 __attribute__((vector_size(32), aligned(4)));
typedef float v16 __attribute__((vector_size(64), aligned(4)));

INLINE void transpose8(v8 r[8]) {
  v8 t[8], u[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
    u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
    u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  for (int i = 0; i < 4; i++) {
    r[i] = __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    r[i + 4] = __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}

/// Eight floats x[0], x[s], …, x[7s] for s ∈ {1, 2} (reads x[0 ..< 8s]).
INLINE void load_strided8(const float *x, long s, v8 *out) {
  if (s == 1) {
    *out = *(const v8 *)x;
  } else {
    v16 w = *(const v16 *)x;
    *out = __builtin_shufflevector(w, w, 0, 2, 4, 6, 8, 10, 12, 14);
  }
}

WG_CLONES
void ncps_winograd_pack(const float *x, long C, long H, long W, long s, long pad, float *D, long rows, long cols) {
  const long cp = s * s * C, plane = H * W;
  for (long r = 0; r < rows; r++) {
    for (long py = 0; py < s; py++) {
      const long y = s * r + py - pad;
      for (long px = 0; px < s; px++) {
        float *base = D + r * cols * cp + (py * s + px) * C;  // + q·cp + c
        for (long q0 = 0; q0 < cols; q0 += 8) {
          const long x0 = s * q0 + px - pad;
          long c0 = 0;
          if (y >= 0 && y < H && q0 + 8 <= cols && x0 >= 0 && x0 + 8 * s <= W) {
            for (; c0 + 8 <= C; c0 += 8) {
              v8 block[8];
              for (int k = 0; k < 8; k++) load_strided8(x + (c0 + k) * plane + y * W + x0, s, &block[k]);
              transpose8(block);
              for (int j = 0; j < 8; j++) *(v8 *)(base + (q0 + j) * cp + c0) = block[j];
            }
          }
          if (y >= 0 && y < H) {
            // An edge block: gather 8 channels' rows element by element (zeros outside).
            const long n = cols - q0 < 8 ? cols - q0 : 8;
            for (; c0 + 8 <= C; c0 += 8) {
              float rowsBlock[8][8];
              for (int k = 0; k < 8; k++) {
                const float *src = x + (c0 + k) * plane + y * W;
                for (int j = 0; j < 8; j++) {
                  const long xx = x0 + s * j;
                  rowsBlock[k][j] = xx >= 0 && xx < W ? src[xx] : 0;
                }
              }
              v8 block[8];
              for (int k = 0; k < 8; k++) block[k] = *(const v8 *)rowsBlock[k];
              transpose8(block);
              for (long j = 0; j < n; j++) *(v8 *)(base + (q0 + j) * cp + c0) = block[j];
            }
          }
          for (long q = q0; q < q0 + 8 && q < cols; q++) {
            const long xx = s * q + px - pad;
            float *dst = base + q * cp;
            if (y < 0 || y >= H || xx < 0 || xx >= W) {
              for (long c = c0; c < C; c++) dst[c] = 0;
            } else {
              const float *src = x + y * W + xx;
              for (long c = c0; c < C; c++) dst[c] = src[c * plane];
            }
          }
        }
      }
    }
  }
}

WG_CLONES
void ncps_winograd_unpack(const float *dD, long C, long H, long W, long s, long pad, float *dx, long cols) {
  const long cp = s * s * C, plane = H * W;
  for (long y = 0; y < H; y++) {
    const long r = (y + pad) / s, py = (y + pad) % s;
    const float *row = dD + r * cols * cp + py * s * C;  // + q·cp + px·C + c
    long xx = 0;
    // Blocks of 8s columns starting at phase 0: 8 cells of each phase, 8 channels at a time.
    for (; (xx + pad) % s != 0 && xx < W; xx++) {
      const long q = (xx + pad) / s, px = (xx + pad) % s;
      for (long c = 0; c < C; c++) dx[c * plane + y * W + xx] = row[q * cp + px * C + c];
    }
    for (; xx + 8 * s <= W && C >= 8; xx += 8 * s) {
      const long q0 = (xx + pad) / s;
      long c0 = 0;
      for (; c0 + 8 <= C; c0 += 8) {
        v8 even[8], odd[8];
        for (int j = 0; j < 8; j++) even[j] = *(const v8 *)(row + (q0 + j) * cp + c0);
        transpose8(even);
        if (s == 1) {
          for (int k = 0; k < 8; k++) *(v8 *)(dx + (c0 + k) * plane + y * W + xx) = even[k];
        } else {
          for (int j = 0; j < 8; j++) odd[j] = *(const v8 *)(row + (q0 + j) * cp + C + c0);
          transpose8(odd);
          for (int k = 0; k < 8; k++)
            *(v16 *)(dx + (c0 + k) * plane + y * W + xx) =
                __builtin_shufflevector(even[k], odd[k], 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
        }
      }
      for (long x2 = xx; x2 < xx + 8 * s; x2++) {
        const long q = (x2 + pad) / s, px = (x2 + pad) % s;
        for (long c = c0; c < C; c++) dx[c * plane + y * W + x2] = row[q * cp + px * C + c];
      }
    }
    // The last < 8s columns: 8 channels at a time through a transposed block.
    const long x0 = xx, n = W - xx;
    long c0 = 0;
    if (n > 0) {
      for (; c0 + 8 <= C; c0 += 8) {
        float columns[16][8];  // columns[x − x0][k]
        for (long x2 = x0; x2 < W; x2++) {
          const long q = (x2 + pad) / s, px = (x2 + pad) % s;
          for (int k = 0; k < 8; k++) columns[x2 - x0][k] = row[q * cp + px * C + c0 + k];
        }
        for (int k = 0; k < 8; k++) {
          float *dst = dx + (c0 + k) * plane + y * W + x0;
          for (long j = 0; j < n; j++) dst[j] = columns[j][k];
        }
      }
    }
    for (; xx < W; xx++) {
      const long q = (xx + pad) / s, px = (xx + pad) % s;
      for (long c = c0; c < C; c++) dx[c * plane + y * W + xx] = row[q * cp + px * C + c];
    }
  }
}

// MARK: Input transform and its adjoint

INLINE void input_tiles(
    const long A, const float *D, long cols, long cp, long tiles_y, long tiles_x, float *V, long vs) {
  const long m = A - 2;
  const float *bt = BT_OF(A);
  float tmp[8 * 8 * NB];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      for (long c0 = 0; c0 < cp; c0 += NB) {
        const long n = min_long(NB, cp - c0);
        // tmp[i][ξx] = Σ_j Bᵀ[ξx][j]·d[i][j]
        for (long i = 0; i < A; i++) {
          const float *row = D + ((ty * m + i) * cols + tx * m) * cp + c0;
          for (long xx = 0; xx < A; xx++) combine(A, bt + xx * A, 1, row, cp, tmp + (i * A + xx) * NB, n);
        }
        // V[ξy][ξx] = Σ_i Bᵀ[ξy][i]·tmp[i][ξx]
        for (long yy = 0; yy < A; yy++)
          for (long xx = 0; xx < A; xx++)
            combine(A, bt + yy * A, 1, tmp + xx * NB, A * NB, V + (yy * A + xx) * vs + t * cp + c0, n);
      }
    }
  }
}

WG_CLONES
void ncps_winograd_input(
    const float *D, long cols, long cp, long tiles_y, long tiles_x, long alpha, float *V, long v_stride) {
  switch (alpha) {
  case 4: input_tiles(4, D, cols, cp, tiles_y, tiles_x, V, v_stride); break;
  case 5: input_tiles(5, D, cols, cp, tiles_y, tiles_x, V, v_stride); break;
  case 6: input_tiles(6, D, cols, cp, tiles_y, tiles_x, V, v_stride); break;
  case 8: input_tiles(8, D, cols, cp, tiles_y, tiles_x, V, v_stride); break;
  }
}

INLINE void input_adjoint_tiles(
    const long A, const float *dV, long vs, long cp, long tiles_y, long tiles_x, float *dD, long cols) {
  const long m = A - 2;
  const float *bt = BT_OF(A);  // B[i][ξ] = bt[ξ·A + i]
  float tmp[8 * 8 * NB];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      for (long c0 = 0; c0 < cp; c0 += NB) {
        const long n = min_long(NB, cp - c0);
        // tmp[ξy][j] = Σ_ξx B[j][ξx]·dV[ξy][ξx]
        for (long yy = 0; yy < A; yy++)
          for (long j = 0; j < A; j++)
            combine(A, bt + j, A, dV + yy * A * vs + t * cp + c0, vs, tmp + (yy * A + j) * NB, n);
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
    const float *dV, long v_stride, long cp, long tiles_y, long tiles_x, long alpha, float *dD, long cols) {
  switch (alpha) {
  case 4: input_adjoint_tiles(4, dV, v_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 5: input_adjoint_tiles(5, dV, v_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 6: input_adjoint_tiles(6, dV, v_stride, cp, tiles_y, tiles_x, dD, cols); break;
  case 8: input_adjoint_tiles(8, dV, v_stride, cp, tiles_y, tiles_x, dD, cols); break;
  }
}

// MARK: Output transform and its adjoint

INLINE void output_tiles(
    const long A, const float *M, long ms, long K, long tiles_y, long tiles_x, const float *bias, float *y, long oh,
    long ow) {
  const long m = A - 2, plane = oh * ow;
  const float *at = AT_OF(A);
  float tmp[8 * 6 * NB], out[6 * 6 * NB];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      for (long k0 = 0; k0 < K; k0 += NB) {
        const long n = min_long(NB, K - k0);
        // tmp[ξy][j] = Σ_ξx Aᵀ[j][ξx]·M[ξy][ξx]
        for (long yy = 0; yy < A; yy++)
          for (long j = 0; j < m; j++) combine(A, at + j * A, 1, M + yy * A * ms + t * K + k0, ms, tmp + (yy * m + j) * NB, n);
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
    const float *M, long m_stride, long K, long tiles_y, long tiles_x, long alpha, const float *bias, float *y,
    long oh, long ow) {
  switch (alpha) {
  case 4: output_tiles(4, M, m_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 5: output_tiles(5, M, m_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 6: output_tiles(6, M, m_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  case 8: output_tiles(8, M, m_stride, K, tiles_y, tiles_x, bias, y, oh, ow); break;
  }
}

INLINE void output_adjoint_tiles(
    const long A, const float *dy, long K, long oh, long ow, long tiles_y, long tiles_x, float *dM, long ms) {
  const long m = A - 2, plane = oh * ow;
  const float *at = AT_OF(A);  // A[ξ][i] = at[i·A + ξ]
  float tile[6 * 6 * NB], tmp[6 * 8 * NB];
  for (long ty = 0; ty < tiles_y; ty++) {
    for (long tx = 0; tx < tiles_x; tx++) {
      const long t = ty * tiles_x + tx;
      for (long k0 = 0; k0 < K; k0 += NB) {
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
            combine(m, at + yy, A, tmp + xx * NB, A * NB, dM + (yy * A + xx) * ms + t * K + k0, n);
      }
    }
  }
}

WG_CLONES
void ncps_winograd_output_adjoint(
    const float *dy, long K, long oh, long ow, long tiles_y, long tiles_x, long alpha, float *dM, long m_stride) {
  switch (alpha) {
  case 4: output_adjoint_tiles(4, dy, K, oh, ow, tiles_y, tiles_x, dM, m_stride); break;
  case 5: output_adjoint_tiles(5, dy, K, oh, ow, tiles_y, tiles_x, dM, m_stride); break;
  case 6: output_adjoint_tiles(6, dy, K, oh, ow, tiles_y, tiles_x, dM, m_stride); break;
  case 8: output_adjoint_tiles(8, dy, K, oh, ow, tiles_y, tiles_x, dM, m_stride); break;
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

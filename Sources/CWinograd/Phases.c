// Pack (NCHW sample → phase-major channels-last D) and its adjoint unpack, for stride s ∈ {1, 2}.
//
// Both move 8×8 blocks (8 channels × 8 phase columns) through registers with an in-register
// transpose. Each block of 8 channels first goes through 8 *padded rows* in L1: row k holds
// x[c0 + k][y][u − pad] at u (zero where u − pad is outside the image), so every column block
// of every phase is the same strided vector load, with no edge cases (the Atari layers' images
// are 42, 21 and 11 wide: before, most of their blocks reached past an edge and went element
// by element, 7.5% of the training step). Channels past the last multiple of 8 go one by one.

#include <stdlib.h>

#include "CWinograd.h"
#include "Common.h"

#define NO_LIBC_LOOPS __attribute__((no_builtin("memcpy", "memset")))

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

/// dst[0 ..< n] = src[0 ..< n], inline: the rows are 11–84 floats, and a libc call per row and
/// channel cost more than the copy (the callers are `no_builtin`, so this stays a loop).
INLINE void copy_floats(float *restrict dst, const float *restrict src, long n) {
  long i = 0;
  for (; i + 8 <= n; i += 8) *(v8 *)(dst + i) = *(const v8 *)(src + i);
  for (; i < n; i++) dst[i] = src[i];
}

/// The length of a padded row: column blocks start at s·q0 + px ≤ s·(cols − 1) + s − 1 and read
/// 8s floats.
static long padded_length(long s, long cols) { return s * (cols + 8); }

#ifndef WG_PACK_AHEAD
#define WG_PACK_AHEAD 4
#endif

WG_CLONES NO_LIBC_LOOPS
void ncps_winograd_pack(const float *x, long C, long H, long W, long s, long pad, float *D, long rows, long cols) {
  const long cp = s * s * C, plane = H * W, L = padded_length(s, cols);
  float on_stack[8 * 512];
  float *padded = L <= 512 ? on_stack : malloc(sizeof(float) * 8 * L);
  // The valid span of a padded row: u ∈ [pad, pad + W) ∩ [0, L); the rest stays zero.
  const long lo = min_long(pad, L), hi = min_long(pad + W, L);
  for (long i = 0; i < 8 * L; i++) padded[i] = 0;
  // D rows whose image row is outside x: zeros.
  for (long r = 0; r < rows; r++) {
    for (long py = 0; py < s; py++) {
      const long y = s * r + py - pad;
      if (y >= 0 && y < H) continue;
      for (long px = 0; px < s; px++) {
        float *base = D + r * cols * cp + (py * s + px) * C;
        for (long q = 0; q < cols; q++)
          for (long c = 0; c < C; c++) base[q * cp + c] = 0;
      }
    }
  }
  // Eight channels at a time, all their rows in order: eight sequential read streams through x
  // (row-outer order jumped between all C planes for every row and waited on memory).
  long c0 = 0;
  for (; c0 + 8 <= C; c0 += 8) {
    for (long y = 0; y < H; y++) {
      const long r = (y + pad) / s, py = (y + pad) % s;
      if (r >= rows) break;
      if (WG_PACK_AHEAD > 0) {
        // Prefetch the rows WG_PACK_AHEAD ahead (or the next channel block's first rows): x comes
        // from memory, and each row's first line otherwise waited its full latency (57% of
        // pack's samples sat on those loads; 4 rows ahead: 30–50% less time on the Atari layers).
        const long ya = y + WG_PACK_AHEAD < H ? y + WG_PACK_AHEAD : y + WG_PACK_AHEAD - H;
        const long ca = y + WG_PACK_AHEAD < H ? c0 : c0 + 8;
        if (ca + 8 <= C)
          for (int k = 0; k < 8; k++)
            for (long u = 0; u < W; u += 16) __builtin_prefetch(x + (ca + k) * plane + ya * W + u);
      }
      for (int k = 0; k < 8; k++) copy_floats(padded + k * L + lo, x + (c0 + k) * plane + y * W + (lo - pad), hi - lo);
      for (long px = 0; px < s; px++) {
        float *base = D + r * cols * cp + (py * s + px) * C + c0;  // + q·cp
        for (long q0 = 0; q0 < cols; q0 += 8) {
          v8 block[8];
          for (int k = 0; k < 8; k++) load_strided8(padded + k * L + s * q0 + px, s, &block[k]);
          transpose8(block);
          const long n = min_long(8, cols - q0);
          for (long j = 0; j < n; j++) *(v8 *)(base + (q0 + j) * cp) = block[j];
        }
      }
    }
  }
  // The channels past the last multiple of 8, one by one.
  if (c0 < C) {
    for (long r = 0; r < rows; r++) {
      for (long py = 0; py < s; py++) {
        const long y = s * r + py - pad;
        if (y < 0 || y >= H) continue;
        for (long px = 0; px < s; px++) {
          float *base = D + r * cols * cp + (py * s + px) * C;
          for (long q = 0; q < cols; q++) {
            const long xx = s * q + px - pad;
            float *dst = base + q * cp;
            if (xx < 0 || xx >= W) {
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
  if (padded != on_stack) free(padded);
}

#ifndef WG_UNPACK_AHEAD
#define WG_UNPACK_AHEAD 4
#endif

WG_CLONES
void ncps_winograd_unpack(const float *dD, long C, long H, long W, long s, long pad, float *dx, long cols) {
  const long cp = s * s * C, plane = H * W;
  // Eight channels at a time, all their rows in order (eight sequential write streams).
  for (long cb = 0; cb < C; cb += 8) {
  const long ce = min_long(cb + 8, C);
  for (long y = 0; y < H; y++) {
    const long r = (y + pad) / s, py = (y + pad) % s;
    const float *row = dD + r * cols * cp + py * s * C;  // + q·cp + px·C + c
    if (WG_UNPACK_AHEAD > 0) {
      // Prefetch dx's rows WG_UNPACK_AHEAD ahead for writing, as pack does for reading: dx goes
      // to memory (4 rows ahead: 30–50% less time on the 21- and 11-wide layers).
      const long ya = y + WG_UNPACK_AHEAD < H ? y + WG_UNPACK_AHEAD : y + WG_UNPACK_AHEAD - H;
      const long ca = y + WG_UNPACK_AHEAD < H ? cb : cb + 8;
      for (long c = ca; c < ca + 8 && c < C; c++)
        for (long u = 0; u < W; u += 16) __builtin_prefetch(dx + c * plane + ya * W + u, 1);
    }
    long xx = 0;
    // Blocks of 8s columns starting at phase 0: 8 cells of each phase, 8 channels at a time.
    for (; (xx + pad) % s != 0 && xx < W; xx++) {
      const long q = (xx + pad) / s, px = (xx + pad) % s;
      for (long c = cb; c < ce; c++) dx[c * plane + y * W + xx] = row[q * cp + px * C + c];
    }
    for (; xx + 8 * s <= W && ce - cb == 8; xx += 8 * s) {
      const long q0 = (xx + pad) / s;
      long c0 = cb;
      for (; c0 + 8 <= ce; c0 += 8) {
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
        for (long c = c0; c < ce; c++) dx[c * plane + y * W + x2] = row[q * cp + px * C + c];
      }
    }
    // The last < 8s columns: 8 channels at a time through a transposed block.
    const long x0 = xx, n = W - xx;
    long c0 = cb;
    if (n > 0) {
      for (; c0 + 8 <= ce; c0 += 8) {
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
      for (long c = c0; c < ce; c++) dx[c * plane + y * W + xx] = row[q * cp + px * C + c];
    }
  }
  }
}

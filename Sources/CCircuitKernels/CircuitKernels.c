// See include/CCircuitKernels.h. The per-row helpers take `restrict` parameters (clang honours
// restrict on parameters, not on local pointers), which lets it vectorize the loops.

#include "CCircuitKernels.h"

// Same rounding as the Swift loops they replace: no fused multiply-adds.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && defined(__ELF__)
#define CK_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CK_CLONES
#endif

static inline __attribute__((always_inline)) void gate_backward_row(
    const float *restrict up, const float *restrict carried, const float *restrict f1, const float *restrict f2,
    const float *restrict g, float *restrict d1, float *restrict d2, float *restrict dg, long units, int gated) {
  if (gated) {
    for (long j = 0; j < units; j++) {
      float dh = up[j] + carried[j];
      float a = f1[j], e = f2[j], s = g[j];
      d1[j] = dh * (1 - s) * (1 - a * a);
      d2[j] = dh * s * (1 - e * e);
      dg[j] = dh * (e - a) * s * (1 - s);
    }
  } else {
    for (long j = 0; j < units; j++) {
      float dh = up[j] + carried[j];
      float a = f1[j], e = f2[j], s = g[j];
      d1[j] = dh * (1 - a * a);
      d2[j] = dh * s * (1 - e * e);
      dg[j] = dh * e * s * (1 - s);
    }
  }
}

CK_CLONES
void ncps_cfc_gate_backward(
    const float *upstream, long upstream_stride, const float *carry, const float *heads, float *d_heads,
    long head_stride, long gate_offset, long rows, long units, int gated) {
  for (long r = 0; r < rows; r++) {
    if (r + 1 < rows) {  // the next upstream row is elsewhere when strided: start loading it now
      const char *next = (const char *)(upstream + (r + 1) * upstream_stride);
      for (long b = 0; b < units * (long)sizeof(float); b += 64) __builtin_prefetch(next + b);
    }
    const float *row = heads + r * head_stride;
    float *d_row = d_heads + r * head_stride;
    gate_backward_row(
        upstream + r * upstream_stride, carry + r * units, row, row + units, row + gate_offset, d_row, d_row + units,
        d_row + gate_offset, units, gated);
  }
}

static inline __attribute__((always_inline)) void gate_forward_row(
    const float *restrict f1, const float *restrict f2, const float *restrict g, float *restrict y, long units,
    int gated) {
  if (gated) {
    for (long j = 0; j < units; j++) y[j] = f1[j] * (1 - g[j]) + g[j] * f2[j];
  } else {
    for (long j = 0; j < units; j++) y[j] = f1[j] + g[j] * f2[j];
  }
}

CK_CLONES
void ncps_cfc_gate_forward(
    const float *heads, long head_stride, long gate_offset, float *output, long output_stride, long rows, long units,
    int gated) {
  for (long r = 0; r < rows; r++) {
    const float *row = heads + r * head_stride;
    gate_forward_row(row, row + units, row + gate_offset, output + r * output_stride, units, gated);
  }
}

CK_CLONES
void ncps_multiply(const float *a, const float *b, float *y, long n) {
  for (long i = 0; i < n; i++) y[i] = a[i] * b[i];
}

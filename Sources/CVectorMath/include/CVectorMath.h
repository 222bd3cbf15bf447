// CVectorMath: vectorized exp, log, tanh, sigmoid and softplus over contiguous Float buffers,
// plus a small-matrix kernel (a linear layer on a few rows) for TensorCore's fast paths.
//
// Each function exists twice: an AVX2+FMA build (`__attribute__((target("avx2,fma")))`) and a
// portable build for baseline x86-64 (SSE2) or any other architecture. The unsuffixed entry
// points pick one at run time (CPUID, checked once); the suffixed ones are for tests and
// benchmarks. `y` may equal `x` (in place); otherwise the buffers must not overlap.
//
// Accuracy (tested against double-precision references over the whole float range):
// exp, log, sigmoid within 2 ulp, tanh and softplus within 3 ulp; NaN in gives NaN out; ±inf and
// denormals (in and out) are handled. Swift users: call `VectorMath` in TensorCore instead.

#ifndef CVECTORMATH_H
#define CVECTORMATH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the AVX2+FMA kernels are in use, 0 for the portable ones.
int ncps_vector_level(void);

void ncps_vexp(const float *x, float *y, long n);
void ncps_vlog(const float *x, float *y, long n);
void ncps_vtanh(const float *x, float *y, long n);
void ncps_vsigmoid(const float *x, float *y, long n);
/// log(1 + eˣ), returning x where x > 20 (PyTorch's threshold for beta = 1).
void ncps_vsoftplus(const float *x, float *y, long n);

void ncps_vexp_portable(const float *x, float *y, long n);
void ncps_vlog_portable(const float *x, float *y, long n);
void ncps_vtanh_portable(const float *x, float *y, long n);
void ncps_vsigmoid_portable(const float *x, float *y, long n);
void ncps_vsoftplus_portable(const float *x, float *y, long n);

/// The AVX2+FMA builds; call only when ncps_vector_level() == 1.
void ncps_vexp_avx2(const float *x, float *y, long n);
void ncps_vlog_avx2(const float *x, float *y, long n);
void ncps_vtanh_avx2(const float *x, float *y, long n);
void ncps_vsigmoid_avx2(const float *x, float *y, long n);
void ncps_vsoftplus_avx2(const float *x, float *y, long n);

/// y[i, j] = bias[j] + Σₚ x[i, p]·w[j, p]: x [m, k], w [n, k] (torch's Linear layout), bias [n]
/// or NULL, y [m, n]. Meant for a few rows; larger products belong to BLAS.
void ncps_linear(const float *x, const float *w, const float *bias, float *y, long m, long n, long k);
void ncps_linear_portable(const float *x, const float *w, const float *bias, float *y, long m, long n, long k);
void ncps_linear_avx2(const float *x, const float *w, const float *bias, float *y, long m, long n, long k);

#ifdef __cplusplus
}
#endif

#endif

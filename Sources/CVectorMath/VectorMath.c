// Entry points of CVectorMath: the portable and the AVX2+FMA builds of each map, and the
// run-time choice between them (CPUID + XGETBV, checked once). See include/CVectorMath.h.

#include "CVectorMath.h"

#include <stdatomic.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define VM_HAS_AVX2_BUILD 1
#else
#define VM_HAS_AVX2_BUILD 0
#endif

/// A per-thread counter that flips the direction in which the small-matrix kernel walks its
/// weights on each call (see vm_linear in SmallMatrix+Body.h). Thread-local: no sharing, no race.
static __thread unsigned long vm_linear_turn;
static inline unsigned long vm_linear_next_turn(void) { return vm_linear_turn++; }

// MARK: - Portable build

#define VM_ATTR
#define VM_FN(name) name##_portable
#include "VectorMath+Body.h"
#include "SmallMatrix+Body.h"

VM_DEFINE_MAP(ncps_vexp_portable, vm_exp_portable, )
VM_DEFINE_MAP(ncps_vlog_portable, vm_log_portable, )
VM_DEFINE_MAP(ncps_vtanh_portable, vm_tanh_portable, )
VM_DEFINE_MAP(ncps_vsigmoid_portable, vm_sigmoid_portable, )
VM_DEFINE_MAP(ncps_vsoftplus_portable, vm_softplus_portable, )

void ncps_linear_portable(const float *x, const float *w, const float *bias, float *y, long m, long n, long k) {
  vm_linear_portable(x, w, bias, y, m, n, k);
}

#undef VM_ATTR
#undef VM_FN

// MARK: - AVX2 + FMA build

#if VM_HAS_AVX2_BUILD
#define VM_ATTR __attribute__((target("avx2,fma")))
#define VM_FN(name) name##_avx2
#include "VectorMath+Body.h"
#include "SmallMatrix+Body.h"

VM_DEFINE_MAP(ncps_vexp_avx2, vm_exp_avx2, VM_ATTR)
VM_DEFINE_MAP(ncps_vlog_avx2, vm_log_avx2, VM_ATTR)
VM_DEFINE_MAP(ncps_vtanh_avx2, vm_tanh_avx2, VM_ATTR)
VM_DEFINE_MAP(ncps_vsigmoid_avx2, vm_sigmoid_avx2, VM_ATTR)
VM_DEFINE_MAP(ncps_vsoftplus_avx2, vm_softplus_avx2, VM_ATTR)

VM_ATTR void ncps_linear_avx2(const float *x, const float *w, const float *bias, float *y, long m, long n, long k) {
  vm_linear_avx2(x, w, bias, y, m, n, k);
}
#else
// Other architectures: the "avx2" names run the portable build (never selected by dispatch).
void ncps_vexp_avx2(const float *x, float *y, long n) { ncps_vexp_portable(x, y, n); }
void ncps_vlog_avx2(const float *x, float *y, long n) { ncps_vlog_portable(x, y, n); }
void ncps_vtanh_avx2(const float *x, float *y, long n) { ncps_vtanh_portable(x, y, n); }
void ncps_vsigmoid_avx2(const float *x, float *y, long n) { ncps_vsigmoid_portable(x, y, n); }
void ncps_vsoftplus_avx2(const float *x, float *y, long n) { ncps_vsoftplus_portable(x, y, n); }
void ncps_linear_avx2(const float *x, const float *w, const float *bias, float *y, long m, long n, long k) {
  ncps_linear_portable(x, w, bias, y, m, n, k);
}
#endif

/// 1 when the CPU and the OS support AVX2 and FMA (YMM state saved on context switches).
static int vm_detect(void) {
#if VM_HAS_AVX2_BUILD
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!(fma && osxsave && avx)) return 0;
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 6) != 6) return 0;  // XMM and YMM state enabled by the OS
  if (__get_cpuid_max(0, 0) < 7) return 0;
  __cpuid_count(7, 0, a, b, c, d);
  return (b >> 5) & 1;
#else
  return 0;
#endif
}

static _Atomic int vm_level = -1;

int ncps_vector_level(void) {
  int level = atomic_load_explicit(&vm_level, memory_order_relaxed);
  if (level < 0) {
    level = vm_detect();  // idempotent: racing first callers store the same value
    atomic_store_explicit(&vm_level, level, memory_order_relaxed);
  }
  return level;
}

#define VM_DEFINE_DISPATCH(name)                                              \
  void ncps_v##name(const float *x, float *y, long n) {                       \
    if (ncps_vector_level() == 1) ncps_v##name##_avx2(x, y, n);               \
    else ncps_v##name##_portable(x, y, n);                                    \
  }

VM_DEFINE_DISPATCH(exp)
VM_DEFINE_DISPATCH(log)
VM_DEFINE_DISPATCH(tanh)
VM_DEFINE_DISPATCH(sigmoid)
VM_DEFINE_DISPATCH(softplus)

void ncps_linear(const float *x, const float *w, const float *bias, float *y, long m, long n, long k) {
  if (ncps_vector_level() == 1) ncps_linear_avx2(x, w, bias, y, m, n, k);
  else ncps_linear_portable(x, w, bias, y, m, n, k);
}

// The math of CVectorMath on eight-lane vectors (GCC/Clang vector extensions). VectorMath.c
// includes this file twice: with VM_ATTR empty and VM_FN(name) = name##_portable, and with
// VM_ATTR = target("avx2,fma") and VM_FN(name) = name##_avx2. The same source thus compiles to
// SSE2 (or the architecture's baseline) and to AVX2 where `a * b + c` contracts into FMAs.
// (Vectors cannot cross between functions of different targets: the ABI differs.)
//
// exp: Cody–Waite reduction x = n·ln2 + r (|r| ≤ ln2/2), Cephes' degree-6 expf polynomial, and
//   2ⁿ built in the exponent bits as 2^⌊n/2⌋·2^(n−⌊n/2⌋) so denormal results round once.
// log: x = m·2ᵉ with m in [√½, √2), Cephes' logf polynomial; denormal inputs are scaled by 2²³.
// tanh: Cephes' odd polynomial for |x| < 0.625, else sign(x)·(1 − 2/(e^{2|x|} + 1)).
// sigmoid: e = e^{−|x|}; 1/(1 + e) for x ≥ 0, e/(1 + e) below (no overflow, denormals kept).
// softplus: max(x, 0) + log1p(e^{−|x|}), with log1p(u) = log(w)·u/(w − 1), w = 1 + u (exact
//   rounding compensation); x itself above 20 (PyTorch).

#pragma clang diagnostic ignored "-Wpsabi"  // static inline helpers only; no vector crosses an ABI boundary

#ifndef VM_TYPES
#define VM_TYPES
typedef float v8f __attribute__((vector_size(32), aligned(4)));
typedef int v8i __attribute__((vector_size(32), aligned(4)));
#endif

#undef VM_INLINE
#define VM_INLINE static inline __attribute__((always_inline)) VM_ATTR

VM_INLINE v8f VM_FN(vm_splat)(float s) { return (v8f){s, s, s, s, s, s, s, s}; }
VM_INLINE v8i VM_FN(vm_splati)(int s) { return (v8i){s, s, s, s, s, s, s, s}; }

/// Lanes of `a` where `mask` is all ones, else lanes of `b`.
VM_INLINE v8f VM_FN(vm_select)(v8i mask, v8f a, v8f b) {
  return (v8f)(((v8i)a & mask) | ((v8i)b & ~mask));
}

VM_INLINE v8f VM_FN(vm_abs)(v8f x) { return (v8f)((v8i)x & VM_FN(vm_splati)(0x7fffffff)); }

VM_INLINE v8f VM_FN(vm_exp)(v8f x) {
  // Above 89 every result overflows and below −104 every result rounds to 0; clamping keeps n
  // in −150...128, where both scale factors below stay normal. (NaN compares false: kept.)
  v8f c = VM_FN(vm_select)(x > 89.0f, VM_FN(vm_splat)(89.0f), x);
  c = VM_FN(vm_select)(c < -104.0f, VM_FN(vm_splat)(-104.0f), c);
  // n = round(c / ln2) with the 1.5·2²³ trick: the low mantissa bits of t hold n.
  const v8f magic = VM_FN(vm_splat)(12582912.0f);
  v8f t = c * 1.44269504088896341f + magic;
  v8f n = t - magic;
  v8f r = c - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  v8f z = r * r;
  v8f p = VM_FN(vm_splat)(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * z + r;
  p = p + 1.0f;
  v8i k = (v8i)t - (v8i)magic;
  v8i half = k >> 1;
  v8f scale1 = (v8f)((half + 127) << 23);
  v8f scale2 = (v8f)((k - half + 127) << 23);
  v8f y = p * scale1 * scale2;
  return VM_FN(vm_select)(x != x, x, y);
}

VM_INLINE v8f VM_FN(vm_log)(v8f x) {
  v8i denormal = x < 1.17549435e-38f;
  v8f s = VM_FN(vm_select)(denormal, x * 8388608.0f, x);
  v8i bits = (v8i)s;
  v8i e = ((bits >> 23) & 0xff) - 126 - (denormal & 23);
  v8f m = (v8f)((bits & 0x007fffff) | 0x3f000000);  // in [0.5, 1)
  v8i low = m < 0.707106781186547524f;
  v8f ef = __builtin_convertvector(e + low, v8f);  // low is −1 where m < √½
  v8f f = VM_FN(vm_select)(low, m + m, m) - 1.0f;
  v8f z = f * f;
  v8f p = VM_FN(vm_splat)(7.0376836292e-2f);
  p = p * f - 1.1514610310e-1f;
  p = p * f + 1.1676998740e-1f;
  p = p * f - 1.2420140846e-1f;
  p = p * f + 1.4249322787e-1f;
  p = p * f - 1.6668057665e-1f;
  p = p * f + 2.0000714765e-1f;
  p = p * f - 2.4999993993e-1f;
  p = p * f + 3.3333331174e-1f;
  v8f y = p * f * z;
  y = y + ef * -2.12194440e-4f;
  y = y - z * 0.5f;
  v8f r = f + y;
  r = r + ef * 0.693359375f;
  r = VM_FN(vm_select)(x == __builtin_inff(), x, r);
  r = VM_FN(vm_select)(x == 0.0f, VM_FN(vm_splat)(-__builtin_inff()), r);
  r = VM_FN(vm_select)(x < 0.0f, VM_FN(vm_splat)(__builtin_nanf("")), r);
  return VM_FN(vm_select)(x != x, x, r);
}

VM_INLINE v8f VM_FN(vm_tanh)(v8f x) {
  v8f a = VM_FN(vm_abs)(x);
  v8f z = x * x;
  v8f p = VM_FN(vm_splat)(-5.70498872745e-3f);
  p = p * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  v8f small = (a * z) * p + a;
  v8f e = VM_FN(vm_exp)(a + a);
  v8f large = 1.0f - 2.0f / (e + 1.0f);
  v8f magnitude = VM_FN(vm_select)(a < 0.625f, small, large);
  return (v8f)((v8i)magnitude | ((v8i)x & VM_FN(vm_splati)((int)0x80000000)));  // sign of x
}

VM_INLINE v8f VM_FN(vm_sigmoid)(v8f x) {
  v8f e = VM_FN(vm_exp)(-VM_FN(vm_abs)(x));
  v8f r = 1.0f / (1.0f + e);
  return VM_FN(vm_select)(x >= 0.0f, r, e * r);
}

VM_INLINE v8f VM_FN(vm_softplus)(v8f x) {
  v8f u = VM_FN(vm_exp)(-VM_FN(vm_abs)(x));
  v8f w = 1.0f + u;
  v8f l = VM_FN(vm_select)(w == 1.0f, u, VM_FN(vm_log)(w) * u / (w - 1.0f));
  v8f y = VM_FN(vm_select)(x > 0.0f, x, VM_FN(vm_splat)(0.0f)) + l;
  y = VM_FN(vm_select)(x > 20.0f, x, y);
  return VM_FN(vm_select)(x != x, x, y);
}

/// y[i] = f(x[i]) eight lanes at a time; the tail goes through a zero-padded vector.
#ifndef VM_DEFINE_MAP
#define VM_DEFINE_MAP(name, f, attributes)                                    \
  attributes void name(const float *x, float *y, long n) {                   \
    long i = 0;                                                               \
    for (; i + 8 <= n; i += 8) {                                              \
      v8f v;                                                                  \
      __builtin_memcpy(&v, x + i, sizeof v);                                  \
      v = f(v);                                                               \
      __builtin_memcpy(y + i, &v, sizeof v);                                  \
    }                                                                         \
    if (i < n) {                                                              \
      float buffer[8] = {0, 0, 0, 0, 0, 0, 0, 0};                             \
      for (long j = 0; j < n - i; j++) buffer[j] = x[i + j];                  \
      v8f v;                                                                  \
      __builtin_memcpy(&v, buffer, sizeof v);                                 \
      v = f(v);                                                               \
      __builtin_memcpy(buffer, &v, sizeof v);                                 \
      for (long j = 0; j < n - i; j++) y[i + j] = buffer[j];                  \
    }                                                                         \
  }
#endif

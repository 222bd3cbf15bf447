// Small matrix products for one to a few rows, where a BLAS call's fixed cost dominates (a
// policy acting on one observation). Included twice by VectorMath.c like VectorMath+Body.h
// (VM_FN/VM_ATTR name the build; needs VectorMath+Body.h's types first).
//
// linear: y[i, j] = bias[j] + Σₚ x[i, p]·w[j, p] — torch's F.linear layout, w is [n, k].
// Eight outputs at a time: eight accumulators walk the row of x and eight rows of w together,
// then one transpose-and-add turns the eight vectors into the eight sums. Needs
// vm_linear_next_turn() (VectorMath.c) before the first include.

/// Adds lanes pairwise across two vectors: [a0+a2, b0+b2, a1+a3, b1+b3 | a4+a6, b4+b6, a5+a7, b5+b7].
/// Interleaves (unpcklps/unpckhps) and an add: cheaper than AVX's multi-uop vhaddps.
VM_INLINE v8f VM_FN(vm_pairsum)(v8f a, v8f b) {
  return __builtin_shufflevector(a, b, 0, 8, 1, 9, 4, 12, 5, 13)
    + __builtin_shufflevector(a, b, 2, 10, 3, 11, 6, 14, 7, 15);
}

/// The lane sums of s[0..<8] as one vector: result[j] = Σ lanes of s[j].
VM_INLINE v8f VM_FN(vm_sums8)(v8f s0, v8f s1, v8f s2, v8f s3, v8f s4, v8f s5, v8f s6, v8f s7) {
  v8f t01 = VM_FN(vm_pairsum)(s0, s1), t23 = VM_FN(vm_pairsum)(s2, s3);
  v8f t45 = VM_FN(vm_pairsum)(s4, s5), t67 = VM_FN(vm_pairsum)(s6, s7);
  // u0 = [Σ s0[0..3], Σ s1[0..3], Σ s2[0..3], Σ s3[0..3] | the same over lanes 4..7]
  v8f u0 = __builtin_shufflevector(t01, t23, 0, 1, 8, 9, 4, 5, 12, 13)
    + __builtin_shufflevector(t01, t23, 2, 3, 10, 11, 6, 7, 14, 15);
  v8f u1 = __builtin_shufflevector(t45, t67, 0, 1, 8, 9, 4, 5, 12, 13)
    + __builtin_shufflevector(t45, t67, 2, 3, 10, 11, 6, 7, 14, 15);
  return __builtin_shufflevector(u0, u1, 0, 1, 2, 3, 8, 9, 10, 11)
    + __builtin_shufflevector(u0, u1, 4, 5, 6, 7, 12, 13, 14, 15);
}

VM_INLINE v8f VM_FN(vm_load)(const float *p) {
  v8f v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

VM_INLINE float VM_FN(vm_dot)(const float *a, const float *b, long k) {
  v8f s = VM_FN(vm_splat)(0);
  long p = 0;
  for (; p + 8 <= k; p += 8) s = VM_FN(vm_load)(a + p) * VM_FN(vm_load)(b + p) + s;
  float total = 0;
  for (int l = 0; l < 8; l++) total += s[l];
  for (; p < k; p++) total += a[p] * b[p];
  return total;
}

/// Eight outputs j..<j+8 of every row: y[i, j + l] = bias[j + l] + Σₚ x[i, p]·w[j + l, p].
/// The group's eight rows of w (8·k floats) are read once from memory and stay in L1 for rows
/// 2...m of x.
VM_INLINE void VM_FN(vm_linear8)(
  const float *x, const float *w0, const float *bias, float *y, long m, long n, long k, long j
) {
  for (long i = 0; i < m; i++) {
    const float *row = x + i * k;
    v8f s0 = VM_FN(vm_splat)(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
    long p = 0;
    for (; p + 8 <= k; p += 8) {
      v8f v = VM_FN(vm_load)(row + p);
      s0 = v * VM_FN(vm_load)(w0 + p) + s0;
      s1 = v * VM_FN(vm_load)(w0 + k + p) + s1;
      s2 = v * VM_FN(vm_load)(w0 + 2 * k + p) + s2;
      s3 = v * VM_FN(vm_load)(w0 + 3 * k + p) + s3;
      s4 = v * VM_FN(vm_load)(w0 + 4 * k + p) + s4;
      s5 = v * VM_FN(vm_load)(w0 + 5 * k + p) + s5;
      s6 = v * VM_FN(vm_load)(w0 + 6 * k + p) + s6;
      s7 = v * VM_FN(vm_load)(w0 + 7 * k + p) + s7;
    }
    v8f sums = VM_FN(vm_sums8)(s0, s1, s2, s3, s4, s5, s6, s7);
    for (; p < k; p++) {
      float a = row[p];
      for (int l = 0; l < 8; l++) sums[l] += a * w0[l * k + p];
    }
    if (bias) sums = sums + VM_FN(vm_load)(bias + j);
    __builtin_memcpy(y + i * n + j, &sums, sizeof sums);
  }
}

/// Outputs j >= `from` (fewer than eight) of every row, one dot product each.
VM_INLINE void VM_FN(vm_linear_tail)(
  const float *x, const float *w, const float *bias, float *y, long m, long n, long k, long from
) {
  for (long j = from; j < n; j++) {
    for (long i = 0; i < m; i++) y[i * n + j] = VM_FN(vm_dot)(x + i * k, w + j * k, k) + (bias ? bias[j] : 0);
  }
}

/// Groups of eight outputs, walking w forward on one call and backward on the next (per
/// thread): a weight matrix a bit larger than L1 (Linear 80→128 is 40 KB) then finds the part
/// it touched last still in L1 instead of streaming all of it from L2 again. Each output is
/// computed the same way in either direction, so results do not depend on it.
VM_ATTR static void VM_FN(vm_linear)(
  const float *x, const float *w, const float *bias, float *y, long m, long n, long k
) {
  long groups = n / 8;
  if (vm_linear_next_turn() & 1) {
    VM_FN(vm_linear_tail)(x, w, bias, y, m, n, k, groups * 8);
    for (long g = groups - 1; g >= 0; g--) VM_FN(vm_linear8)(x, w + 8 * g * k, bias, y, m, n, k, 8 * g);
  } else {
    for (long g = 0; g < groups; g++) VM_FN(vm_linear8)(x, w + 8 * g * k, bias, y, m, n, k, 8 * g);
    VM_FN(vm_linear_tail)(x, w, bias, y, m, n, k, groups * 8);
  }
}

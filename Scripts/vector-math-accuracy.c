// Exhaustive accuracy of CVectorMath: every one of the 2^32 floats through both builds of each
// function, compared with a double-precision reference; prints the worst error in ulps (of the
// float result, denormal-aware) and where it occurs. Run by Scripts/vector-math-accuracy.sh.
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include "CVectorMath.h"
typedef void (*fn)(const float*, float*, long);
static double ref(int which, double x) {
  switch (which) {
  case 0: return exp(x);
  case 1: return log(x);
  case 2: return tanh(x);
  case 3: return x >= 0 ? 1/(1+exp(-x)) : exp(x)/(1+exp(x));
  default: return x > 20 ? x : log1p(exp(x));
  }
}
// ulp distance measured in the float ulp of the reference (denormal-aware)
static double ulps(float v, double r) {
  if (isnan(r)) return isnan(v) ? 0 : 1e9;
  if (isnan(v)) return 1e9;
  float rf = (float)r;
  if (isinf(rf)) { return (v == rf) ? 0 : (isinf(v) ? 1e9 : fabs(v - r) / ldexp(1, 104)); }
  double a = fabs(r);
  int e; frexp(a, &e);  // a = m*2^e, m in [0.5,1)
  double ulp = ldexp(1, (e - 1 < -126 ? -126 : e - 1) - 23);
  return fabs((double)v - r) / ulp;
}
int main(int argc, char** argv) {
  const char* names[] = {"exp","log","tanh","sigmoid","softplus"};
  fn p[] = {ncps_vexp_portable, ncps_vlog_portable, ncps_vtanh_portable, ncps_vsigmoid_portable, ncps_vsoftplus_portable};
  fn a[] = {ncps_vexp_avx2, ncps_vlog_avx2, ncps_vtanh_avx2, ncps_vsigmoid_avx2, ncps_vsoftplus_avx2};
  long chunk = 1<<20;
  float* x = malloc(chunk*4); float* y = malloc(chunk*4);
  for (int w = 0; w < 5; w++) for (int impl = 0; impl < 2; impl++) {
    double worst = 0; float wx = 0;
    for (uint64_t base = 0; base < (1ull<<32); base += chunk) {
      for (long i = 0; i < chunk; i++) { uint32_t b = (uint32_t)(base + i); memcpy(&x[i], &b, 4); }
      (impl ? a[w] : p[w])(x, y, chunk);
      for (long i = 0; i < chunk; i++) { double u = ulps(y[i], ref(w, x[i])); if (u > worst) { worst = u; wx = x[i]; } }
    }
    printf("%s %s max %.3f ulp at %g (%a)\n", names[w], impl ? "avx2" : "portable", worst, wx, wx);
    fflush(stdout);
  }
}

// CCircuitKernels: the element-wise inner loops of NeuralCircuits' fused CfC kernel in C, where
// `restrict` lets the compiler vectorize them (Swift cannot prove that the many row pointers do
// not alias, so its loops stay scalar). Each function is built twice, AVX2 and portable, and
// the loader picks one per CPU (target_clones). Plain float arithmetic in the same order as the
// Swift reference loops; no transcendental functions.

#ifndef CCIRCUITKERNELS_H
#define CCIRCUITKERNELS_H

/// Backward of one step of the gated (or no_gate) CfC output h = tanh f1·(1 − g) + g·tanh f2
/// (no_gate: h = tanh f1 + g·tanh f2), for `rows` samples of `units` values each.
///
/// Row r reads dh = upstream[r·upstream_stride + j] + carry[r·units + j] and, from
/// heads[r·head_stride + …], tanh f1 at 0, tanh f2 at `units`, g at `gate_offset`; it writes
/// d pre f1 = dh·(1 − g)·(1 − f1²) (no_gate: dh·(1 − f1²)), d pre f2 = dh·g·(1 − f2²) and
/// d gate pre = dh·(f2 − f1)·g·(1 − g) (no_gate: dh·f2·g·(1 − g)) at the same offsets of
/// d_heads[r·head_stride + …]. `upstream` may be strided (batch-first sequences).
void ncps_cfc_gate_backward(
    const float *upstream, long upstream_stride, const float *carry, const float *heads, float *d_heads,
    long head_stride, long gate_offset, long rows, long units, int gated);

/// Forward of the same output: y[r·output_stride + j] from heads[r·head_stride + …] (tanh f1 at 0,
/// tanh f2 at `units`, g at `gate_offset`), standard or no_gate.
void ncps_cfc_gate_forward(
    const float *heads, long head_stride, long gate_offset, float *output, long output_stride, long rows, long units,
    int gated);

/// y[i] = a[i] · b[i] for i < n (y may be a or b).
void ncps_multiply(const float *a, const float *b, float *y, long n);

#endif

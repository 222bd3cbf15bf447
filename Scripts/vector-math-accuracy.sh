#!/usr/bin/env bash
# Exhaustive accuracy check of the CVectorMath kernels (exp, log, tanh, sigmoid, softplus; the
# portable and the AVX2+FMA build) over all 2^32 float inputs against double-precision libm.
# Takes about 10 minutes of one core. The test suite runs a 2^17-point sweep of the same range.
#
#   Scripts/vector-math-accuracy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
clang -O2 -Wall -c Sources/CVectorMath/VectorMath.c -I Sources/CVectorMath/include -o "$out/vm.o"
clang -O2 Scripts/vector-math-accuracy.c "$out/vm.o" -I Sources/CVectorMath/include -lm -o "$out/accuracy"
"$out/accuracy"

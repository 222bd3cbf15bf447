// Shared by the CWinograd sources: the function-clone attribute and the vector types.
#ifndef CWINOGRAD_COMMON_H
#define CWINOGRAD_COMMON_H

#if defined(__x86_64__) && defined(__ELF__)
#define WG_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WG_CLONES
#endif
#define INLINE static inline __attribute__((always_inline))

/// Eight and sixteen floats (GCC vector extensions; each clone lowers them to its own registers).
typedef float v8 __attribute__((vector_size(32), aligned(4)));
typedef float v16 __attribute__((vector_size(64), aligned(4)));

static inline long min_long(long a, long b) { return a < b ? a : b; }

#endif

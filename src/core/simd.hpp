// Function multi-versioning for the hot kernels: one portable binary that runs each kernel
// with the widest vector unit of the CPU it runs on (x86-64: SSE2, AVX2 or AVX-512 clones,
// chosen once at load time through glibc's ifunc). Every clone computes the same bits: the
// build forbids FMA contraction (-ffp-contract=off) and kernels use only IEEE +, -, *, / and
// bit operations (util/exp.hpp for exp), which vector and scalar units round identically.
// tests: the invariance and restart tests compare runs of the same binary; docs/performance.md
// records a bitwise comparison of builds with and without -march=native.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(NEUROCHEM_NO_CLONES)
// aligned(64): the loops of a kernel keep their alignment when other code changes size.
#define NEUROCHEM_KERNEL __attribute__((target_clones("default", "avx2", "avx512f"), aligned(64)))
#else
#define NEUROCHEM_KERNEL
#endif

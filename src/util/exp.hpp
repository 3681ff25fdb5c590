// exp(x) for the neuron kernels: branch-free, so the compiler can vectorise it, and built from
// IEEE additions, multiplications and bit operations only, so a vector lane and the scalar
// remainder loop give the same bits (with -ffp-contract=off) and the result does not depend on
// which libm variant the CPU selects. Accuracy: within 2 ulp of the correctly rounded exp for
// x in [-708, 709] (tests/unit/test_exp.cpp).
#pragma once

#include <bit>
#include <cstdint>

namespace neurochem {

inline double exp_det(double x) {
    x = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
    constexpr double log2e = 1.4426950408889634;
    constexpr double ln2_hi = 0.6931471803691238;     // ln 2 with 32 significant bits
    constexpr double ln2_lo = 1.9082149292705877e-10;  // ln 2 - ln2_hi
    constexpr double shifter = 0x1.8p52;              // rounds to an integer in the mantissa
    double kd = x * log2e + shifter;
    const std::uint64_t kbits = std::bit_cast<std::uint64_t>(kd);
    kd -= shifter;                                    // k = round(x / ln 2)
    const double r = (x - kd * ln2_hi) - kd * ln2_lo;  // |r| <= ln 2 / 2
    // exp(r) by its Taylor series to r^13 (truncation error < 2e-18 relative), evaluated by
    // Estrin's scheme: 8 dependent operations instead of Horner's 28, so that the vectorised
    // kernels are not bound by the latency of one long chain per vector.
    const double r2 = r * r;
    const double r4 = r2 * r2;
    const double r8 = r4 * r4;
    const double q0 = 1.0 + r;
    const double q1 = 0.5 + r * (1.0 / 6.0);
    const double q2 = 1.0 / 24.0 + r * (1.0 / 120.0);
    const double q3 = 1.0 / 720.0 + r * (1.0 / 5040.0);
    const double q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
    const double q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    const double q6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    const double s0 = q0 + r2 * q1;
    const double s1 = q2 + r2 * q3;
    const double s2 = q4 + r2 * q5;
    const double t0 = s0 + r4 * s1;
    const double t1 = s2 + r4 * q6;
    const double p = t0 + r8 * t1;
    // 2^k: the mantissa of kd + shifter holds 2^51 + k; shifted into the exponent field the
    // 2^51 falls off the top, and adding the bias (modulo 2^64) gives the bits of 2^k for the
    // clamped range k in [-1022, 1023]. Only 64-bit shifts and adds: vectorisable with SSE2.
    const double scale = std::bit_cast<double>((kbits << 52) + (1023ULL << 52));
    return p * scale;
}

}  // namespace neurochem

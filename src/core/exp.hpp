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
    // exp(r) by its Taylor series to r^13 (truncation error < 2e-18 relative).
    double p = 1.0 / 6227020800.0;  // 1/13!
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    // 2^k: the mantissa of kd + shifter holds 2^51 + k; shifted into the exponent field the
    // 2^51 falls off the top, and adding the bias (modulo 2^64) gives the bits of 2^k for the
    // clamped range k in [-1022, 1023]. Only 64-bit shifts and adds: vectorisable with SSE2.
    const double scale = std::bit_cast<double>((kbits << 52) + (1023ULL << 52));
    return p * scale;
}

}  // namespace neurochem

// log, log1p, expm1, sin/cos of 2πv and pow for network construction and the model constants,
// built like exp_det (util/exp.hpp) from IEEE +, −, ×, ÷, sqrt and bit operations only: the
// same bits on every x86-64 CPU, compiler clone and libm. glibc picks FMA or non-FMA variants
// of log, sincos and exp by CPU, which may differ in the last bit; a network drawn with them
// could differ between the nodes of a heterogeneous cluster. Accuracy: within a few ulp of
// the correctly rounded result (tests/unit/test_exp.cpp gives the measured bounds).
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

#include "util/exp.hpp"

namespace neurochem {

/// Natural logarithm of a positive finite x (subnormals included); -inf for 0.
inline double log_det(double x) {
    if (x == 0.0) return -std::numeric_limits<double>::infinity();
    std::int64_t e = 0;
    if (x < 0x1p-1022) {  // subnormal: scale into the normal range
        x *= 0x1p54;
        e = -54;
    }
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    e += static_cast<std::int64_t>((bits >> 52) & 0x7ff) - 1023;
    double m =
        std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);  // [1, 2)
    if (m > 1.4142135623730951) {  // m in [sqrt(1/2), sqrt(2)): |f| <= 0.1716
        m *= 0.5;
        ++e;
    }
    // fdlibm's reduction: with f = m - 1 (exact) and s = f / (2 + f), log m = 2 atanh s
    // = f - hfsq + s (hfsq + R), hfsq = f^2 / 2, R = sum_{k>=1} 2 z^k / (2k + 1), z = s^2;
    // the rounding errors sit in the small correction terms only.
    const double f = m - 1.0;
    const double sv = f / (2.0 + f);
    const double z = sv * sv;  // <= 0.0295: R to z^11 leaves < 1e-18 relative
    const double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
    const double a0 = 2.0 / 3.0 + z * (2.0 / 5.0), a1 = 2.0 / 7.0 + z * (2.0 / 9.0);
    const double a2 = 2.0 / 11.0 + z * (2.0 / 13.0), a3 = 2.0 / 15.0 + z * (2.0 / 17.0);
    const double a4 = 2.0 / 19.0 + z * (2.0 / 21.0), a5 = 2.0 / 23.0;
    const double R = z * (((a0 + z2 * a1) + z4 * (a2 + z2 * a3)) + z8 * (a4 + z2 * a5));
    const double hfsq = 0.5 * f * f;
    constexpr double ln2_hi = 0.6931471803691238;      // 32 significant bits: e * ln2_hi is exact
    constexpr double ln2_lo = 1.9082149292705877e-10;  // ln 2 - ln2_hi
    const auto ed = static_cast<double>(e);
    return ed * ln2_hi - ((hfsq - (sv * (hfsq + R) + ed * ln2_lo)) - f);
}

/// log(1 + x) for x > -1, accurate also for |x| << 1 (Goldberg's correction).
inline double log1p_det(double x) {
    const double u = 1.0 + x;
    if (u == 1.0) return x;
    return log_det(u) * (x / (u - 1.0));
}

/// exp(x) - 1, accurate also for |x| << 1 (Kahan's correction).
inline double expm1_det(double x) {
    if (x > -1e-6 && x < 1e-6)
        return x + 0.5 * x * x + x * x * x * (1.0 / 6.0);  // error < x^3/24 relative
    const double u = exp_det(x);
    if (u == 1.0) return x;
    const double um1 = u - 1.0;
    if (um1 == -1.0) return -1.0;
    return um1 * x / log_det(u);
}

/// q^n for q > 0 as exp(n log q): the error grows with |n log q| (18 ulp at 11).
inline double pow_det(double q, double n) {
    return exp_det(n * log_det(q));
}

/// sin(2πv) and cos(2πv) for finite v with |v| < 2^50: v is reduced by quarter turns exactly,
/// then Taylor series on [−π/4, π/4].
inline void sincos_2pi_det(double v, double& sin_out, double& cos_out) {
    const double q = __builtin_floor(4.0 * v + 0.5);  // nearest quarter turn (floor is exact)
    const double t = v - q * 0.25;                    // exact: |t| <= 1/8
    const double x = t * 6.283185307179586;           // [−π/4, π/4]
    const double z = x * x, z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
    // sin x = x (1 − z/3! + z^2/5! − ... − z^9/19!), cos x = 1 − z/2! + ... + z^10/20!
    const double s0 = 1.0 - z * (1.0 / 6.0), s1 = 1.0 / 120.0 - z * (1.0 / 5040.0);
    const double s2 = 1.0 / 362880.0 - z * (1.0 / 39916800.0);
    const double s3 = 1.0 / 6227020800.0 - z * (1.0 / 1307674368000.0);
    const double s4 = 1.0 / 355687428096000.0 - z * (1.0 / 121645100408832000.0);
    const double sp = ((s0 + z2 * s1) + z4 * (s2 + z2 * s3)) + z8 * s4;
    const double c0 = 1.0 - z * 0.5, c1 = 1.0 / 24.0 - z * (1.0 / 720.0);
    const double c2 = 1.0 / 40320.0 - z * (1.0 / 3628800.0);
    const double c3 = 1.0 / 479001600.0 - z * (1.0 / 87178291200.0);
    const double c4 = 1.0 / 20922789888000.0 - z * (1.0 / 6402373705728000.0);
    const double c5 = 1.0 / 2432902008176640000.0;
    const double cp = ((c0 + z2 * c1) + z4 * (c2 + z2 * c3)) + z8 * (c4 + z2 * c5);
    const double sx = x * sp, cx = cp;
    // angle = q·π/2 + x
    switch (static_cast<std::int64_t>(q) & 3) {
        case 0:
            sin_out = sx;
            cos_out = cx;
            break;
        case 1:
            sin_out = cx;
            cos_out = -sx;
            break;
        case 2:
            sin_out = -sx;
            cos_out = -cx;
            break;
        default:
            sin_out = -cx;
            cos_out = sx;
            break;
    }
}

}  // namespace neurochem

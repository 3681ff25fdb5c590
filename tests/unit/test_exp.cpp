#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "util/detmath.hpp"
#include "util/exp.hpp"

using neurochem::exp_det;

namespace {
double ulp_distance(double a, double b) {
    return std::fabs(a - b) / (std::nextafter(std::fabs(b), INFINITY) - std::fabs(b));
}
}  // namespace

TEST(Exp, WithinTwoUlpOfLibm) {
    double worst = 0;
    for (double x = -708; x <= 709; x += 0.001357) worst = std::max(worst, ulp_distance(exp_det(x), std::exp(x)));
    for (double x = -1; x <= 0; x += 1e-6) worst = std::max(worst, ulp_distance(exp_det(x), std::exp(x)));
    EXPECT_LE(worst, 2.0);
    EXPECT_EQ(exp_det(0.0), 1.0);
    EXPECT_EQ(exp_det(-1e-300), 1.0);
    EXPECT_GT(exp_det(-708), 0.0);
    EXPECT_TRUE(std::isfinite(exp_det(709)));
    EXPECT_EQ(exp_det(-1e9), exp_det(-708));
}

// The same bits whether the compiler vectorises the loop or not: each element is compared with
// a call on a volatile copy that prevents vectorisation.
TEST(Exp, VectorAndScalarAgree) {
    std::vector<double> x(1003), y(1003);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = -0.01 * static_cast<double>(i) + 0.37;
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = exp_det(x[i]);
    for (std::size_t i = 0; i < x.size(); ++i) {
        volatile double xi = x[i];
        ASSERT_EQ(y[i], exp_det(xi)) << i;
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// The kernels are cloned for SSE2, AVX2 and AVX-512 (core/simd.hpp); each clone must give the
// same bits. The same loop (an exponential-Euler relaxation, as in the COBA kernel) compiled
// for each target is compared here on the targets this CPU supports.
namespace {
template <int>
void relax_loop(const double* gE, const double* g, const double* V, double* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        const double V_inf = gE[i] / g[i];
        out[i] = V_inf + (V[i] - V_inf) * exp_det(-0.0005 * g[i]);
    }
}
__attribute__((target("default"))) void relax_target(const double* a, const double* b, const double* c, double* o,
                                                     std::size_t n) {
    relax_loop<0>(a, b, c, o, n);
}
__attribute__((target("avx2"))) void relax_avx2(const double* a, const double* b, const double* c, double* o,
                                                std::size_t n) {
    relax_loop<1>(a, b, c, o, n);
}
__attribute__((target("avx512f"))) void relax_avx512(const double* a, const double* b, const double* c, double* o,
                                                     std::size_t n) {
    relax_loop<2>(a, b, c, o, n);
}
}  // namespace

TEST(Exp, KernelClonesAgreeBitwise) {
    const std::size_t n = 4099;
    std::vector<double> gE(n), g(n), V(n), ref(n), out(n);
    for (std::size_t i = 0; i < n; ++i) {
        g[i] = 10.0 + 0.37 * static_cast<double>(i % 997);
        gE[i] = -600.0 - 1.3 * static_cast<double>(i % 101) * g[i] / 10.0;
        V[i] = -70.0 + 0.011 * static_cast<double>(i);
    }
    relax_target(gE.data(), g.data(), V.data(), ref.data(), n);
    __builtin_cpu_init();
    int compared = 0;
    if (__builtin_cpu_supports("avx2")) {
        relax_avx2(gE.data(), g.data(), V.data(), out.data(), n);
        for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], ref[i]) << "avx2 " << i;
        ++compared;
    }
    if (__builtin_cpu_supports("avx512f")) {
        relax_avx512(gE.data(), g.data(), V.data(), out.data(), n);
        for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], ref[i]) << "avx512f " << i;
        ++compared;
    }
    std::printf("compared %d vector clone(s) with the SSE2 baseline\n", compared);
}
#endif

// log, log1p, expm1, sin/cos(2πv), pow of util/detmath.hpp against long-double references
// (x87, 64-bit significand): the ulp bounds below are the measured worst cases, rounded up.
namespace {
double ulps_from(double got, long double ref) {
    const double r = static_cast<double>(ref);
    const double ulp = std::nextafter(std::fabs(r), INFINITY) - std::fabs(r);
    return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / ulp);
}
}  // namespace

TEST(DetMath, LogLog1pExpm1PowAreAccurate) {
    using namespace neurochem;
    double w_log = 0, w_log1p = 0, w_expm1 = 0, w_pow = 0;
    for (double x = 1e-300; x < 1e300; x *= 1.0137) w_log = std::max(w_log, ulps_from(log_det(x), std::log(static_cast<long double>(x))));
    for (double x = 0.5; x < 2.0; x += 1.37e-6) w_log = std::max(w_log, ulps_from(log_det(x), std::log(static_cast<long double>(x))));
    for (double u = 0x1p-53; u < 1.0; u += 0.000731) w_log = std::max(w_log, ulps_from(log_det(u), std::log(static_cast<long double>(u))));
    EXPECT_EQ(log_det(1.0), 0.0);
    EXPECT_EQ(log_det(0.0), -INFINITY);
    EXPECT_NEAR(log_det(0x1p-1074), -744.44007192138126, 1e-12);  // smallest subnormal
    for (double x = -0.999; x < 10; x += 0.000913) w_log1p = std::max(w_log1p, ulps_from(log1p_det(x), std::log1p(static_cast<long double>(x))));
    for (double x = 1e-20; x < 1e-2; x *= 1.01) {
        w_log1p = std::max(w_log1p, ulps_from(log1p_det(x), std::log1p(static_cast<long double>(x))));
        w_log1p = std::max(w_log1p, ulps_from(log1p_det(-x), std::log1p(static_cast<long double>(-x))));
        w_expm1 = std::max(w_expm1, ulps_from(expm1_det(x), std::expm1(static_cast<long double>(x))));
        w_expm1 = std::max(w_expm1, ulps_from(expm1_det(-x), std::expm1(static_cast<long double>(-x))));
    }
    for (double x = -30; x < 30; x += 0.000917) w_expm1 = std::max(w_expm1, ulps_from(expm1_det(x), std::expm1(static_cast<long double>(x))));
    for (double q = 0.5; q < 1.0; q += 0.00173) {  // binomial inversion: (n + 1) p < 11
        for (double n = 1; n < 11.0 / (1.0 - q); n += 1) w_pow = std::max(w_pow, ulps_from(pow_det(q, n), std::pow(static_cast<long double>(q), static_cast<long double>(n))));
    }
    std::printf("worst ulp: log %.2f, log1p %.2f, expm1 %.2f, pow (|n log q| < 11) %.2f\n", w_log, w_log1p, w_expm1, w_pow);
    EXPECT_LE(w_log, 1.0);
    EXPECT_LE(w_log1p, 3.0);
    EXPECT_LE(w_expm1, 4.0);
    EXPECT_LE(w_pow, 25.0);  // exp of a rounded n log q: the error grows with |n log q|
}

TEST(DetMath, SinCosOfTurnsAreAccurate) {
    double worst = 0;
    const long double two_pi = 6.283185307179586476925286766559L;
    for (double v = 0; v < 1.0; v += 0.0000731) {
        double s, c;
        neurochem::sincos_2pi_det(v, s, c);
        const long double a = two_pi * static_cast<long double>(v);
        worst = std::max(worst, static_cast<double>(std::fabs(static_cast<long double>(s) - std::sin(a))));
        worst = std::max(worst, static_cast<double>(std::fabs(static_cast<long double>(c) - std::cos(a))));
    }
    std::printf("worst absolute error of sin/cos(2 pi v) on [0, 1): %.3g\n", worst);
    EXPECT_LE(worst, 4e-16);
    double s, c;
    neurochem::sincos_2pi_det(0.0, s, c);
    EXPECT_EQ(s, 0.0);
    EXPECT_EQ(c, 1.0);
    neurochem::sincos_2pi_det(0.25, s, c);
    EXPECT_EQ(s, 1.0);
    EXPECT_EQ(c, 0.0);
    neurochem::sincos_2pi_det(0.5, s, c);
    EXPECT_EQ(c, -1.0);
}

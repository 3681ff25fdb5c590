#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/exp.hpp"

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

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

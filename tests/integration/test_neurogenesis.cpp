// BDNF ([bdnf.POP]) and neurogenesis ([neurogenesis.POP]) against their exact step-by-step
// solutions (docs/model/slow.md), on tests/data/neurogenesis.ini: constant 5-HT, so CREB is
// constant; exercise sessions every 50 h; newborn slots that start unintegrated and silent.
#include <gtest/gtest.h>

#include <cmath>

#include "course_util.hpp"
#include "slow/course.hpp"
#include "test_util.hpp"

using namespace neurochem;

TEST(Neurogenesis, BdnfAndIntegrationFollowTheirExactSolutionsAndSwitchSlotsOn) {
    const auto m = test::load_model("tests/data/neurogenesis.ini");
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    test::SlowRows r;
    course.run(course.total_ticks(), nullptr, &r);
    ASSERT_EQ(r.rows.size(), 20u);
    const auto step = test::slow_column(course, "step_h"),
               ex = test::slow_column(course, "protocol/exercise"),
               creb = test::slow_column(course, "messenger/GRANULE/CREB"),
               expr = test::slow_column(course, "state/bdnf/GRANULE/expression"),
               prot = test::slow_column(course, "state/bdnf/GRANULE/protein"),
               w = test::slow_column(course, "state/neurogenesis/NEWBORN/integration"),
               frac = test::slow_column(course, "state/neurogenesis/NEWBORN/integration_fraction"),
               rate = test::slow_column(course, "rate/NEWBORN");
    double B = 1.0, W = 0.0, exercising = 0;
    for (const auto& row : r.rows) {
        const double dt = row[step], E = row[ex];
        exercising += E;
        EXPECT_GT(row[creb], 0.1);  // 5-HT4 (Gs) raises cAMP above basal, so CREB is active
        const double e = 0.5 + 2.0 * row[creb] + 1.5 * E;
        EXPECT_NEAR(row[expr], e,
                    1e-9);  // the CREB column is a fixed-point (2^-32) population mean
        B = e + (B - e) * std::exp(-dt / 48.0);
        EXPECT_NEAR(row[prot], B, 1e-9);
        const double s = B * (1.0 + E) / 100.0, beta = s + 1.0 / 200.0;
        W = s / beta + (W - s / beta) * std::exp(-beta * dt);
        EXPECT_NEAR(row[w], W, 1e-9);
        EXPECT_EQ(row[frac], W > 0.5 ? 1.0 : 0.0);
    }
    EXPECT_EQ(exercising, 4.0);  // sessions at 20, 70, 120, 170 h
    // Slots switched off receive no input: silent in the first window (w = 0 before it), firing
    // once integrated.
    EXPECT_EQ(r.rows.front()[rate], 0.0);
    EXPECT_GT(r.rows.back()[rate], 20.0);
}

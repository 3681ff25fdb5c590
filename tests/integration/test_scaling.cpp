// Homeostatic synaptic scaling ([scaling.POP], docs/model/slow.md) against its exact
// step-by-step solution on tests/data/scaling.ini: a population driven above its set point; the
// factor on its excitatory synapses follows s <- clip(s exp(dt (target - r)/(target tau))) with r
// the window rate of each step, and the rate converges to the target.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "course_util.hpp"
#include "slow/course.hpp"
#include "test_util.hpp"

using namespace neurochem;

TEST(SynapticScaling, FactorFollowsItsExactSolutionAndTheRateReachesTheSetPoint) {
    const auto m = test::load_model("tests/data/scaling.ini");
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    test::SlowRows r;
    course.run(course.total_ticks(), nullptr, &r);
    ASSERT_EQ(r.rows.size(), 60u);
    const auto step = test::slow_column(course, "step_h"),
               rate = test::slow_column(course, "rate/CTX"),
               factor = test::slow_column(course, "state/scaling/CTX/factor");
    const double target = 5.0, tau = 20.0;
    double s = 1.0;
    for (const auto& row : r.rows) {
        s = std::clamp(s * std::exp(row[step] * (target - row[rate]) / (target * tau)), 0.3, 4.0);
        EXPECT_NEAR(row[factor], s, 1e-12 * s);
    }
    EXPECT_GT(r.rows.front()[rate], 3 * target);  // unscaled: far above the set point
    EXPECT_LT(r.rows.back()[factor], 0.9);        // the synapses were turned down
    EXPECT_GT(r.rows.back()[factor], 0.3);        // without hitting the floor
    double late = 0;
    for (std::size_t k = r.rows.size() - 20; k < r.rows.size(); ++k)
        late += r.rows[k][rate] / 20.0;
    EXPECT_NEAR(late, target, 0.25 * target);
}

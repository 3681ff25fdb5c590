// Homeostatic synaptic scaling ([scaling.POP], docs/model/slow.md) against its exact
// step-by-step solution on tests/data/scaling.ini: a population driven above its set point; the
// factor on its excitatory synapses follows s <- clip(s exp(dt (target - r)/(target tau))) with r
// the window rate of each step, and the rate converges to the target.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "course_util.hpp"
#include "neurochem/errors.hpp"
#include "slow/course.hpp"
#include "test_util.hpp"

using namespace neurochem;

TEST(SynapticScaling, FactorFollowsItsExactSolutionAndTheRateReachesTheSetPoint) {
    const auto r = test::run_course(test::load_model("tests/data/scaling.ini"),
                                    {"step_h", "rate/CTX", "state/scaling/CTX/factor"});
    ASSERT_EQ(r.rows.size(), 60u);
    const auto step = r.col[0], rate = r.col[1], factor = r.col[2];
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

// With an onset time constant the rate error e = (target - r)/target is sensed through a
// first-order filter, m' = (e - m)/onset, d ln s/dt = m/tau. Step by step (e held over a step of
// D hours): m <- e + (m - e) exp(-D/onset), ln s += (e D + (m0 - e) onset (1 - exp(-D/onset)))
// / tau. The factor starts more slowly than without the onset and still brings the rate to its
// set point.
TEST(SynapticScaling, AnOnsetDelaysTheScalingAndFollowsItsExactSolution) {
    const auto r = test::run_course(
        test::load_model("tests/data/scaling.ini", {"scaling.CTX.onset=10 h"}),
        {"step_h", "rate/CTX", "state/scaling/CTX/factor", "state/scaling/CTX/sensed_error"});
    ASSERT_EQ(r.rows.size(), 60u);
    const auto step = r.col[0], rate = r.col[1], factor = r.col[2], sensed = r.col[3];
    const double target = 5.0, tau = 20.0, onset = 10.0;
    double s = 1.0, e_m = 0.0;
    for (const auto& row : r.rows) {
        const double D = row[step], e = (target - row[rate]) / target;
        const double q = std::exp(-D / onset);
        s = std::clamp(s * std::exp((e * D + (e_m - e) * onset * (1 - q)) / tau), 0.3, 4.0);
        e_m = e + (e_m - e) * q;
        EXPECT_NEAR(row[factor], s, 1e-12 * s);
        EXPECT_NEAR(row[sensed], e_m, 1e-12 * std::max(1.0, std::abs(e_m)));
    }
    // The first step: the sensed error has risen to only 1 - exp(-D/onset) of e, so the factor
    // moved by less than a fifth of what an immediate error moves it.
    const auto& first = r.rows.front();
    const double e0 = (target - first[rate]) / target;
    EXPECT_LT(std::abs(std::log(first[factor])), 0.2 * std::abs(e0 * first[step] / tau));
    EXPECT_LT(r.rows.back()[factor], 0.9);
    double late = 0;
    for (std::size_t k = r.rows.size() - 20; k < r.rows.size(); ++k)
        late += r.rows[k][rate] / 20.0;
    EXPECT_NEAR(late, target, 0.25 * target);
}

// A measured set point sensed awake only (tests/data/scaling_awake.ini): the set point is the
// mean awake rate of the slow steps that begin in [2 h, 24 h); the scaling is idle until 24 h
// and, after it, acts in awake steps only (asleep, the factor and the sensed error are held).
// From day 1 the drive is weaker, and the scaling brings the awake rate back to the set point.
namespace {
void expect_awake_baseline_scaling(double onset) {
    const auto r = test::run_course(
        test::load_model("tests/data/scaling_awake.ini",
                         {"scaling.CTX.onset=" + std::to_string(onset) + " h"}),
        {"time_h", "step_h", "state/sleep/asleep", "rate/CTX", "state/scaling/CTX/factor",
         "state/scaling/CTX/baseline_rate_sum", "state/scaling/CTX/baseline_hours"});
    ASSERT_EQ(r.rows.size(), 60u);
    const auto time = r.col[0], step = r.col[1], asleep = r.col[2], rate = r.col[3],
               factor = r.col[4], sum = r.col[5], hours = r.col[6];
    const double tau = 20.0;
    double s = 1.0, e_m = 0.0, rate_sum = 0.0, sensed_h = 0.0;
    std::size_t asleep_in_baseline = 0, asleep_after = 0;
    for (const auto& row : r.rows) {
        const double D = row[step], begin = row[time] - D;
        const bool awake = row[asleep] == 0.0;
        if (begin >= 2.0 && begin < 24.0) {
            if (awake) {
                rate_sum += row[rate] * D;
                sensed_h += D;
            } else {
                ++asleep_in_baseline;
            }
        } else if (begin >= 24.0) {
            const double target = rate_sum / sensed_h;
            if (!awake) {
                ++asleep_after;  // s and m held
            } else if (onset == 0) {
                s = std::clamp(s * std::exp(D * (target - row[rate]) / (target * tau)), 0.3, 4.0);
            } else {
                const double e = (target - row[rate]) / target, q = std::exp(-D / onset);
                s = std::clamp(s * std::exp((e * D + (e_m - e) * onset * (1 - q)) / tau), 0.3, 4.0);
                e_m = e + (e_m - e) * q;
            }
        }
        EXPECT_NEAR(row[sum], rate_sum, 1e-12 * std::max(1.0, rate_sum));
        EXPECT_NEAR(row[hours], sensed_h, 1e-12 * std::max(1.0, sensed_h));
        EXPECT_NEAR(row[factor], s, 1e-12 * s);
    }
    // Not vacuous: both states occur before and after the baseline's end.
    EXPECT_GT(asleep_in_baseline, 0u);
    EXPECT_GT(asleep_after, 2u);
    EXPECT_GT(sensed_h, 8.0);
    // The weaker drive was compensated: the synapses were turned up and the last day's awake
    // rate is back near the set point (it is 10 % or more below it before the scaling acts).
    const double target = rate_sum / sensed_h;
    EXPECT_GT(r.rows.back()[factor], 1.1);
    for (const auto& row : r.rows) {
        if (row[time] - row[step] >= 24.0 && row[asleep] == 0.0) {
            EXPECT_LT(row[rate], 0.9 * target);  // the first awake step of the weaker drive
            break;
        }
    }
    double late = 0, late_h = 0;
    for (const auto& row : r.rows) {
        if (row[time] > 96.0 && row[asleep] == 0.0) {
            late += row[rate] * row[step];
            late_h += row[step];
        }
    }
    EXPECT_NEAR(late / late_h, target, 0.1 * target);
}
}  // namespace

TEST(SynapticScaling, AMeasuredSetPointSensedAwakeFollowsItsExactSolution) {
    expect_awake_baseline_scaling(0.0);
}

TEST(SynapticScaling, AMeasuredSetPointSensedAwakeWithAnOnsetFollowsItsExactSolution) {
    expect_awake_baseline_scaling(5.0);
}

// A baseline in which the population is never sensed (asleep throughout) has no set point: the
// run stops with an error naming where the baseline was given and the section, when the scaling
// would first act.
TEST(SynapticScaling, ABaselineWithoutAnAwakeStepIsAnErrorNamingWhereItWasGiven) {
    const ModelSpec m = test::load_model(
        "tests/data/scaling_awake.ini",
        {"scaling.CTX.baseline_from=4 h", "scaling.CTX.baseline_until=10 h"});  // asleep
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    try {
        course.run(course.total_ticks(), nullptr, nullptr);
        FAIL() << "no error";
    } catch (const input_error& e) {
        const std::string what = e.what();
        // Where baseline_until was given (here the override; a file's line otherwise).
        EXPECT_EQ(what.rfind("--set scaling.CTX.baseline_until=10 h: [scaling.CTX] set_point = "
                             "baseline: the population was not sensed",
                             0),
                  0u)
            << what;
    }
}

// The state law of sleep pressure ([sleep] pressure_law = state, docs/model/circuit.md) against
// its exact step-by-step solution on tests/data/scaling_awake.ini (a population switched off
// and on by a circadian sleep population): in a slow step of length D whose window the network
// spends awake, H <- awake_level + (H - awake_level) exp(-D/chi); asleep, the same with
// asleep_level and chi_asleep. What the populations fire does not enter.
#include <gtest/gtest.h>

#include <cmath>

#include "course_util.hpp"
#include "test_util.hpp"

using namespace neurochem;

TEST(SleepPressure, StateLawFollowsItsExactSolutionInEachMeasuredState) {
    const double awake_level = 18.0, asleep_level = 9.0, chi = 18.2, chi_asleep = 4.2, h0 = 12.0;
    const auto r =
        test::run_course(test::load_model("tests/data/scaling_awake.ini",
                                          {"sleep.pressure_law=state", "sleep.awake_level=18",
                                           "sleep.asleep_level=9", "sleep.chi=18.2 h",
                                           "sleep.chi_asleep=4.2 h", "sleep.initial_pressure=12"}),
                         {"step_h", "state/sleep/asleep", "state/sleep/pressure"});
    ASSERT_GT(r.rows.size(), 40u);
    const auto step = r.col[0], asleep = r.col[1], pressure = r.col[2];
    double h = h0, written_before = h0;
    int awake_steps = 0, asleep_steps = 0;
    for (const auto& row : r.rows) {
        const bool slept = row[asleep] > 0.5;
        const double level = slept ? asleep_level : awake_level, tau = slept ? chi_asleep : chi;
        h = level + (h - level) * std::exp(-row[step] / tau);
        EXPECT_NEAR(row[pressure], h, 1e-12 * h);
        // The written pressure builds in every awake step and discharges in every asleep one
        // (between the two levels, where it starts).
        if (slept) {
            ++asleep_steps;
            EXPECT_LT(row[pressure], written_before);
        } else {
            ++awake_steps;
            EXPECT_GT(row[pressure], written_before);
        }
        written_before = row[pressure];
    }
    EXPECT_GT(awake_steps, 10);
    EXPECT_GT(asleep_steps, 10);
}

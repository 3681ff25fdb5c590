// The Phillips-Robinson 2007 mean-field sleep-wake model against the VT-13 reference cycle
// (BioModels BIOMD0000000917 parameters, C = 1 + cos wt): 19.0 h awake / 5.0 h asleep,
// Q_m ~4.5 /s awake and ~0.2 /s asleep, H cycling 9.7-15.2 nM, each within 2 %.
#include <gtest/gtest.h>

#include "slow/phillips_robinson.hpp"

using namespace neurochem;

TEST(PhillipsRobinson, ReproducesTheReferenceDay) {
    const PhillipsRobinsonParams p;
    const auto c = pr_cycle(p, 5.0, 5.0, 1.0);
    EXPECT_NEAR(c.wake_h_per_day, 19.0, 0.02 * 19.0);
    EXPECT_NEAR(c.sleep_h_per_day, 5.0, 0.02 * 5.0);
    EXPECT_NEAR(c.wake_h_per_day + c.sleep_h_per_day, 24.0, 1e-9);
    EXPECT_EQ(c.transitions, 10);  // one sleep bout per day: 2 transitions x 5 days
    EXPECT_NEAR(c.Q_m_wake_per_s, 4.5, 0.02 * 4.5 + 0.05);
    EXPECT_LT(c.Q_m_sleep_per_s, 0.25);
    EXPECT_NEAR(c.H_min_nM, 9.7, 0.02 * 9.7);
    EXPECT_NEAR(c.H_max_nM, 15.2, 0.02 * 15.2);
}

TEST(PhillipsRobinson, StepSizeConverged) {
    // Halving the step changes the wake time by less than a minute: the reference numbers
    // are properties of the model, not of the integrator.
    const PhillipsRobinsonParams p;
    const auto a = pr_cycle(p, 3.0, 2.0, 2.0);
    const auto b = pr_cycle(p, 3.0, 2.0, 1.0);
    EXPECT_NEAR(a.wake_h_per_day, b.wake_h_per_day, 1.0 / 60.0);
}

TEST(PhillipsRobinson, SleepPressureFollowsMonoaminergicFiring) {
    // chi dH/dt = -H + mu Q_m: H rises toward mu Q_m,wake while awake and falls toward
    // mu Q_m,sleep asleep, so it cycles strictly between the two.
    const PhillipsRobinsonParams p;
    const auto c = pr_cycle(p, 3.0, 2.0, 2.0);
    EXPECT_GT(c.H_min_nM, p.mu_nM_s * c.Q_m_sleep_per_s);
    EXPECT_LT(c.H_max_nM, p.mu_nM_s * c.Q_m_wake_per_s);
}

// Tissue inositol under lithium ([inositol.POP], docs/model/slow.md) on tests/data/inositol.ini:
// with a constant Gq activation G and IMPase occupancy o the slow equation
//   dn/dt = k_s (1 - n) - max(0, J(n) - V (1 - o)),  J(n) = p k_r n/(k_r n + p),  p = k_b + k_q G
// is an autonomous ODE in one variable: its trajectory is checked against an independent
// fine-step integration, its end against the steady state, and the Gq effect against the PLC
// flux factor n (k_r + p)/(k_r n + p).
#include <gtest/gtest.h>

#include <cmath>

#include "chem/chemistry.hpp"
#include "course_util.hpp"
#include "engine/simulation_access.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
// The [messengers] defaults (docs/model/chemistry.md), per second.
const double kb = 0.001, kq = 0.1, kr = 0.01, V = 0.012, ks = 0.0001;
const double G = 5.0 / 7.0, o = 0.5;  // activation T o/(1 + T o), T = 5, o = 1/2; Li at Ki
double rate_per_h(double n) {
    const double p = kb + kq * G;
    return 3600.0 * (ks * (1 - n) - std::max(0.0, p * kr * n / (kr * n + p) - V * (1 - o)));
}
/// n(t) by classical Runge-Kutta with 10^5 steps per hour from n = 1.
double reference(double t_h) {
    double n = 1.0;
    const int steps = static_cast<int>(std::lround(t_h * 1e5));
    const double h = t_h / steps;
    for (int s = 0; s < steps; ++s) {
        const double k1 = rate_per_h(n), k2 = rate_per_h(n + 0.5 * h * k1),
                     k3 = rate_per_h(n + 0.5 * h * k2), k4 = rate_per_h(n + h * k3);
        n += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return n;
}
}  // namespace

TEST(Inositol, LithiumDepletesInositolAlongTheExactTrajectoryAndDampsGqEffects) {
    const test::CourseRun run(test::load_model("tests/data/inositol.ini"));
    const auto& rows = run.slow.rows;
    const auto t = run.col("time_h"), n = run.col("state/inositol/CTX/level"),
               a = run.col("receptor/CTX/GQ/activation"), imp = run.col("occupancy/IMPase");
    ASSERT_EQ(rows.size(), 20u);
    for (const auto& row : rows) {
        EXPECT_NEAR(row[a], G, 1e-9);  // population means are fixed-point sums (2^-32)
        EXPECT_NEAR(row[imp], o, 1e-12);
        EXPECT_NEAR(row[n], reference(row[t]), 1e-7) << row[t];
    }
    // The steady state: k_s (1 - n) = J(n) - V (1 - o), by bisection.
    double lo = 0, hi = 1;
    for (int i = 0; i < 100; ++i)
        (rate_per_h(0.5 * (lo + hi)) < 0 ? hi : lo) = 0.5 * (lo + hi);
    const double n_end = rows.back()[n];
    EXPECT_NEAR(n_end, lo, 1e-4);  // 20 min: within 2e-5 of it (relaxation time ~2 min)
    EXPECT_LT(n_end, 0.7);         // about 0.66: a third of the inositol gone
    // The Gq effect (10 pA x activation) is scaled by the PLC flux at the n of the last window
    // (set before it: the value after the second-to-last step) relative to n = 1.
    const double n_last = rows[rows.size() - 2][n];
    const Chemistry* chem = SimulationAccess::chemistry(run.sim);
    const Neuromodulation* nm = chem->population(0);
    const double act = nm->values(Neuromodulation::Quantity::activation, 0)[0];
    const double p = kb + kq * act;
    const double flux = n_last * (kr + p) / (kr * n_last + p);
    EXPECT_LT(flux, 0.8);
    EXPECT_NEAR(nm->modulation().I_pA[0], 10.0 * act * flux, 1e-8);
}

// Without lithium the cycle keeps up (demand 0.0088 /s below the capacity 0.012 /s): inositol
// stays exactly at 1 and the Gq effect is the activation's alone.
TEST(Inositol, WithoutLithiumInositolStaysAtOneAndTheEffectIsUnchanged) {
    const test::CourseRun run(
        test::load_model("tests/data/inositol.ini", {"regimen.lithium_bath.concentration=0 mM"}));
    const auto n = run.col("state/inositol/CTX/level");
    ASSERT_EQ(run.slow.rows.size(), 20u);
    for (const auto& row : run.slow.rows)
        EXPECT_EQ(row[n], 1.0);
    const Neuromodulation* nm = SimulationAccess::chemistry(run.sim)->population(0);
    EXPECT_EQ(nm->modulation().I_pA[0],
              10.0 * nm->values(Neuromodulation::Quantity::activation, 0)[0]);
}

// Receptor regulation ([regulation.NAME], docs/model/slow.md) against its exact solution: with
// constant concentrations the window-mean occupancies are known in closed form, the slow
// equation dx/dt = (x0 - x)/R + k [up b (max - x) - down (o - ref)+ (x - min)] is linear with
// constant coefficients, and its value after t hours is x_eq + (x0 - x_eq) exp(-beta t).
#include <gtest/gtest.h>

#include <cmath>

#include "course_util.hpp"
#include "slow/course.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
/// x(t) of dx/dt = alpha - beta x from x0.
double exact(double alpha, double beta, double x0, double t) {
    const double eq = alpha / beta;
    return eq + (x0 - eq) * std::exp(-beta * t);
}

struct Run {
    std::vector<std::vector<double>> rows;
    std::size_t time, efficacy, fraction, activation, density, bound;
};

Run run(const ModelSpec& m, int threads = 1) {
    test::CourseRun r(m, threads);
    EXPECT_TRUE(r.course.done());
    return {r.slow.rows,
            r.col("time_h"),
            r.col("state/regulation/auto/efficacy"),
            r.col("state/regulation/auto/efficacy_fraction"),
            r.col("receptor/RAPHE/5HT1A_auto/activation"),
            r.col("state/regulation/d2_up/density"),
            r.col("receptor/STRIATUM/D2/bound")};
}

const double o = 0.2 / 1.2;            // 5-HT 0.2 uM at K_A 1 uM
const double down = 0.5 * (o - 0.05);  // per hour, median neuron
const double relax = 1.0 / 100.0;      // recovery 100 h
}  // namespace

// Antagonist-driven up-regulation of D2 density (no spread): the exact trajectory, and the bath
// regimen holds the drug-bound fraction at 3/(1 + 3) = 0.75.
TEST(Regulation, UpRegulationUnderAnAntagonistFollowsTheExactSolution) {
    const auto r = run(test::load_model("tests/data/regulation.ini"));
    ASSERT_EQ(r.rows.size(), 20u);
    const double b = 0.75, alpha = 1.0 / 50 + 0.01 * b * 2.0, beta = 1.0 / 50 + 0.01 * b;
    for (const auto& row : r.rows) {
        EXPECT_NEAR(row[r.bound], b, 1e-9);
        EXPECT_NEAR(row[r.density], exact(alpha, beta, 1.0, row[r.time]), 1e-9) << row[r.time];
    }
    EXPECT_GT(r.rows.back()[r.density], 1.2);  // towards x_eq = 1.27
}

// Without spread every raphe neuron follows the exact solution, and the receptor's activation in
// each window is the operational model's at the efficacy set before it: T = 5 x, a = T o/(1 + T o).
TEST(Regulation, DesensitisationFollowsTheExactSolutionAndFeedsTheTransducer) {
    auto m = test::load_model("tests/data/regulation.ini");
    m.slow.regulation[0].spread = 0;
    const auto r = run(m);
    double x_before = 1.0;
    for (const auto& row : r.rows) {
        const double t = row[r.time];
        const double x = exact(relax + down * 0.1, relax + down, 1.0, t);
        EXPECT_NEAR(row[r.efficacy], x, 1e-9) << t;
        const double T = 5.0 * x_before;
        EXPECT_NEAR(row[r.activation], T * o / (1 + T * o), 1e-9) << t;
        EXPECT_DOUBLE_EQ(row[r.fraction], x < 0.5 ? 1.0 : 0.0);
        x_before = row[r.efficacy];
    }
}

// With a log-normal rate factor k (sigma 1) a neuron is below half its efficacy at time t when
// k > k*(t); the fraction of 2000 neurons follows 1 - Phi(ln k* / sigma) within sampling error.
TEST(Regulation, HeterogeneousRatesGiveAGrowingFractionOfDesensitisedNeurons) {
    const auto r = run(test::load_model("tests/data/regulation.ini"));
    double previous = 0;
    for (const auto& row : r.rows) {
        const double t = row[r.time];
        auto x_of = [&](double k) {
            return exact(relax + k * down * 0.1, relax + k * down, 1.0, t);
        };
        double lo = 1e-6, hi = 1e6;  // x_of decreases with k
        for (int i = 0; i < 200; ++i) {
            const double mid = std::sqrt(lo * hi);
            (x_of(mid) < 0.5 ? hi : lo) = mid;
        }
        const double p = 0.5 * std::erfc(std::log(hi) / std::sqrt(2.0));  // P(ln k > ln k*)
        EXPECT_NEAR(row[r.fraction], p, 4 * std::sqrt(std::max(p * (1 - p), 1e-4) / 2000)) << t;
        EXPECT_GE(row[r.fraction], previous);
        previous = row[r.fraction];
    }
    EXPECT_GT(previous, 0.5);
    EXPECT_LT(r.rows.front()[r.fraction], 0.4);
}

// Transporter density ([uptake_regulation]) under a blocker at 3 Ki: the exact solution with
// occupancy 3/4, and the SERT occupancy column agrees. In the same run, the serotonin store
// ([synthesis]) under an MAO-A blocker at 3 Ki (occupancy 3/4) and half the normal tryptophan:
// ds/dt = (g(T)/g(1) - (m (1 - i) + 1 - m) s)/turnover, the exact solution.
TEST(Regulation, TransporterDensityAndSerotoninStoreFollowTheExactSolutions) {
    const test::CourseRun run(test::load_model("tests/data/regulation.ini"));
    const auto& rows = run.slow;
    const auto t = run.col("time_h"), x = run.col("state/uptake_regulation/sert/density"),
               occ = run.col("occupancy/SERT"), s = run.col("state/synthesis/striatum/store"),
               mao = run.col("occupancy/MAOA");
    const double o = 0.75, alpha = 1.0 / 100 + 0.02 * o * 0.4, beta = 1.0 / 100 + 0.02 * o;
    const double supply = (0.5 / 2.5) / (1.0 / 3.0), tau = 20;
    const double alpha_s = supply / tau, beta_s = (0.75 * (1 - o) + 0.25) / tau;
    for (const auto& row : rows.rows) {
        EXPECT_NEAR(row[occ], o, 1e-12);
        EXPECT_NEAR(row[x], exact(alpha, beta, 1.0, row[t]), 1e-9) << row[t];
        EXPECT_NEAR(row[mao], o, 1e-12);
        EXPECT_NEAR(row[s], exact(alpha_s, beta_s, 1.0, row[t]), 1e-9) << row[t];
    }
    EXPECT_LT(rows.rows.back()[x], 0.8);
    EXPECT_GT(rows.rows.back()[s], 1.3);  // towards supply / 0.4375 = 1.37: above untreated
}

// The mechanism on the raphe-PFC network (configs/raphe_pfc_moclobemide.ini, shortened to three
// days of 2-hour steps with 0.5-s windows): under moclobemide (MAO-A ~75 %) every terminal store
// rises, 5-HT rises in every region and the raphe slows through its 5-HT1A autoreceptors; the
// drug-free first day is untouched.
TEST(Regulation, MaoInhibitorRaisesSerotoninAndSlowsTheRaphe) {
    auto m = test::load_model("configs/raphe_pfc_moclobemide.ini",
                              {"simulation.duration=3 days", "protocol.record_every=100 day",
                               "protocol.slow_step=2 h", "protocol.window=0.5 s"});
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    test::SlowRows rows;
    course.run(course.total_ticks(), nullptr, &rows);
    const auto t = test::slow_column(course, "time_h"), drn = test::slow_column(course, "rate/DRN"),
               store = test::slow_column(course, "state/synthesis/PFC/store"),
               mao = test::slow_column(course, "occupancy/MAOA");
    // Day means over 10-20 h (awake).
    auto day_mean = [&](std::size_t col, int day) {
        double sum = 0;
        int n = 0;
        for (const auto& row : rows.rows) {
            if (row[t] > day * 24 + 10 && row[t] <= day * 24 + 20) {
                sum += row[col];
                ++n;
            }
        }
        return sum / n;
    };
    EXPECT_EQ(day_mean(mao, 0), 0.0);
    EXPECT_DOUBLE_EQ(day_mean(store, 0), 1.0);
    EXPECT_GT(day_mean(mao, 2), 0.6);
    EXPECT_GT(day_mean(store, 2), 1.8);
    for (const char* pool : {"pool/raphe/5HT", "pool/hippocampus/5HT", "pool/PFC/5HT"}) {
        const auto c = test::slow_column(course, pool);
        std::printf("%s: day 0 %.1f nM, day 2 %.1f nM\n", pool, 1000 * day_mean(c, 0),
                    1000 * day_mean(c, 2));
        EXPECT_GT(day_mean(c, 2), 1.3 * day_mean(c, 0)) << pool;
    }
    std::printf("DRN: day 0 %.2f Hz, day 2 %.2f Hz; PFC store %.2f\n", day_mean(drn, 0),
                day_mean(drn, 2), day_mean(store, 2));
    EXPECT_LT(day_mean(drn, 2), 0.8 * day_mean(drn, 0));
}

// Per-neuron rates come from (seed, name, neuron): the same on any number of threads.
TEST(Regulation, RatesDoNotDependOnThreads) {
    const auto m = test::load_model("tests/data/regulation.ini");
    EXPECT_EQ(run(m, 1).rows, run(m, 2).rows);
}

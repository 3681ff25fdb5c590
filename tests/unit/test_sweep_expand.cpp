// Expanding sweep specs into points: counts and order, derived seeds and sampled values are
// deterministic and depend only on what docs/sweeps.md says they depend on.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <set>

#include "config/config.hpp"
#include "sweep/expand.hpp"
#include "sweep/spec.hpp"
#include "test_util.hpp"
#include "util/stop_signal.hpp"

using namespace neurochem;
using namespace neurochem::sweep;

namespace {
const std::string base = neurochem::test::source_path("tests/data/brunel_small.ini");

Spec spec(const std::string& body) {
    return parse_spec_text("[sweep]\nconfig = " + base + "\n" + body, "/tmp/s.ini");
}
Plan plan(const std::string& body) {
    const Spec s = spec(body);
    return expand(s, read_base_config(s));
}
std::string value_of(const Point& p, const Plan& pl, const std::string& key) {
    for (std::size_t k = 0; k < pl.axis_keys.size(); ++k) {
        if (pl.axis_keys[k] == key) return p.values[k];
    }
    return "";
}
const char* cohort = R"(
seed = 11
[grid]
poisson.ext_E.rate = 15 Hz, 20 Hz, 25 Hz
[zip.inh]
projection.I->E.weight = -2 mV, -3 mV
projection.I->I.weight = -2 mV, -3 mV
[sample]
count = %d
population.E.tau_m = lognormal(20 ms, 3 ms, 12 ms, 30 ms)
)";
std::string cohort_with(int n, const std::string& more = "") {
    char buf[512];
    std::snprintf(buf, sizeof buf, cohort, n);
    return buf + more;
}
}  // namespace

TEST(SweepExpand, CountsAndOrder) {
    const Plan p = plan(cohort_with(2) + "[sweep]\n");  // an empty extra [sweep] header is harmless
    ASSERT_EQ(p.points.size(), 2u * 3u * 2u);
    // Index = (sample x G + grid) x R + replicate; the first grid dimension varies slowest.
    EXPECT_EQ(value_of(p.points[0], p, "poisson.ext_E.rate"), "15 Hz");
    EXPECT_EQ(value_of(p.points[0], p, "projection.I->E.weight"), "-2 mV");
    EXPECT_EQ(value_of(p.points[1], p, "projection.I->E.weight"), "-3 mV");
    EXPECT_EQ(value_of(p.points[1], p, "projection.I->I.weight"), "-3 mV");  // zipped
    EXPECT_EQ(value_of(p.points[2], p, "poisson.ext_E.rate"), "20 Hz");
    EXPECT_EQ(p.points[5].sample, 0u);
    EXPECT_EQ(p.points[6].sample, 1u);
    EXPECT_EQ(p.points[6].grid, 0u);
    // Every sample has one tau_m for all its grid points.
    std::set<std::string> taus0, taus1;
    for (const auto& pt : p.points)
        (pt.sample == 0 ? taus0 : taus1).insert(value_of(pt, p, "population.E.tau_m"));
    EXPECT_EQ(taus0.size(), 1u);
    EXPECT_EQ(taus1.size(), 1u);
    EXPECT_NE(*taus0.begin(), *taus1.begin());
    // Replicates only.
    EXPECT_EQ(plan("replicates = 5\n").points.size(), 5u);
    EXPECT_EQ(plan("").points.size(), 1u);
}

TEST(SweepExpand, PointsAreResolvedConfigsWithTheirValues) {
    const Plan p =
        plan("[set]\nsimulation.duration = 50 ms\n[grid]\npoisson.ext_E.rate = 0.015 kHz, 20 Hz\n");
    ASSERT_EQ(p.points.size(), 2u);
    EXPECT_EQ(p.points[0].resolved[0], "15 Hz");
    EXPECT_EQ(p.points[0].values[0], "0.015 kHz");  // as written in the spec
    for (const auto& pt : p.points) {
        EXPECT_NE(pt.config_text.find("duration = 50 ms\n"), std::string::npos);
        EXPECT_NE(pt.config_text.find("seed = " + std::to_string(pt.seed) + "\n"),
                  std::string::npos);
        // The frozen config text resolves to the same hash again (what a point's run checks).
        EXPECT_EQ(config::resolve(config::parse_config_text(pt.config_text, "x")).hash,
                  pt.config_hash);
    }
    EXPECT_NE(p.points[0].config_hash, p.points[1].config_hash);
    EXPECT_EQ(p.sweep_hash.size(), 64u);
}

TEST(SweepExpand, IsDeterministic) {
    const Plan a = plan(cohort_with(5)), b = plan(cohort_with(5));
    ASSERT_EQ(a.points.size(), b.points.size());
    for (std::size_t i = 0; i < a.points.size(); ++i) {
        EXPECT_EQ(a.points[i].seed, b.points[i].seed);
        EXPECT_EQ(a.points[i].values, b.points[i].values);
        EXPECT_EQ(a.points[i].config_hash, b.points[i].config_hash);
    }
    EXPECT_EQ(a.sweep_hash, b.sweep_hash);
    // Another sweep seed gives other seeds and samples.
    const Plan c = plan(cohort_with(5) + "[sweep]\n");  // same seed: same
    EXPECT_EQ(c.sweep_hash, a.sweep_hash);
    std::string other = cohort_with(5);
    other.replace(other.find("seed = 11"), 9, "seed = 12");
    const Plan d = plan(other);
    EXPECT_NE(d.points[0].seed, a.points[0].seed);
    EXPECT_NE(d.points[0].values.back(), a.points[0].values.back());
}

// Sample s has the same values whatever the number of samples, the grid, or other sampled keys.
TEST(SweepExpand, SampledValuesDependOnlyOnSeedKeyAndSampleIndex) {
    const Spec s10 = spec(cohort_with(10)), s100 = spec(cohort_with(100));
    for (std::uint64_t k = 0; k < 10; ++k) {
        EXPECT_EQ(sampled_value(s10.sampled[0], s10.seed, k),
                  sampled_value(s100.sampled[0], s100.seed, k));
    }
    const Plan small = plan(cohort_with(10)), big = plan(cohort_with(100));
    const Plan more_keys = plan(cohort_with(10, "population.I.tau_m = uniform(15 ms, 25 ms)\n"));
    const Plan no_grid = plan(
        "seed = 11\n[sample]\ncount = 10\npopulation.E.tau_m = lognormal(20 ms, 3 ms, 12 ms, 30 "
        "ms)\n");
    for (std::uint64_t k = 0; k < 10; ++k) {
        const std::string v = value_of(small.points[k * 6], small, "population.E.tau_m");
        EXPECT_EQ(v, value_of(big.points[k * 6], big, "population.E.tau_m"));
        EXPECT_EQ(v, value_of(more_keys.points[k * 6], more_keys, "population.E.tau_m"));
        EXPECT_EQ(v, value_of(no_grid.points[k], no_grid, "population.E.tau_m"));
    }
    // Within the bounds, in the spec's unit, and distributed as asked.
    const Spec wide = spec(
        "[sample]\ncount = 1\npoisson.ext_E.rate = uniform(10 Hz, 30 Hz)\n"
        "projection.E->E.indegree = normal(200, 20, 150, 250)\n");
    double sum = 0;
    for (std::uint64_t k = 0; k < 4000; ++k) {
        const std::string v = sampled_value(wide.sampled[0], wide.seed, k);
        ASSERT_EQ(v.substr(v.size() - 3), " Hz");
        const double x = std::stod(v);
        ASSERT_GE(x, 10.0);
        ASSERT_LT(x, 30.0);
        sum += x;
        const std::string n = sampled_value(wide.sampled[1], wide.seed, k);
        ASSERT_EQ(n.find_first_not_of("0123456789"), std::string::npos) << n;  // a whole number
        ASSERT_GE(std::stoi(n), 150);
        ASSERT_LE(std::stoi(n), 250);
    }
    EXPECT_NEAR(sum / 4000, 20.0, 0.3);
}

TEST(SweepExpand, DerivedSeeds) {
    // per_point: a function of (sweep seed, index) only: point 3 has the same seed in a
    // sweep of 4 points and of 400, and all seeds differ.
    const Plan a = plan("seed = 5\nreplicates = 4\n"), b = plan("seed = 5\nreplicates = 400\n");
    std::set<std::uint64_t> seeds;
    for (std::size_t i = 0; i < 4; ++i)
        EXPECT_EQ(a.points[i].seed, b.points[i].seed);
    for (const auto& p : b.points) {
        seeds.insert(p.seed);
        EXPECT_LT(p.seed, 1ULL << 48);
    }
    EXPECT_EQ(seeds.size(), 400u);
    // common: the same for every grid point of a (sample, replicate), different across replicates.
    const Plan c =
        plan("seeds = common\nreplicates = 2\n[grid]\npoisson.ext_E.rate = 15 Hz, 20 Hz, 25 Hz\n");
    EXPECT_EQ(c.points[0].seed, c.points[2].seed);
    EXPECT_EQ(c.points[0].seed, c.points[4].seed);
    EXPECT_EQ(c.points[1].seed, c.points[5].seed);
    EXPECT_NE(c.points[0].seed, c.points[1].seed);
    // config: the base config's seed (3 in brunel_small.ini), or an axis's.
    EXPECT_EQ(plan("seeds = config\n").points[0].seed, 3u);
    const Plan e = plan("seeds = config\n[grid]\nsimulation.seed = 1, 2, 3\n");
    EXPECT_EQ(e.points[2].seed, 3u);
}

// describe_point (what --dry-run lists for plans too large to expand) gives the same sample,
// replicate, seed and axis values as the full expansion, point by point.
TEST(SweepExpand, DescribePointEqualsTheExpansion) {
    const Spec s = spec(cohort_with(3, "[sweep]\nreplicates = 2\n"));
    const Plan full = expand(s, read_base_config(s));
    ASSERT_EQ(full.points.size(), 3u * 3u * 2u * 2u);
    for (const auto& p : full.points) {
        const Point d = describe_point(s, p.index);
        EXPECT_EQ(d.sample, p.sample);
        EXPECT_EQ(d.replicate, p.replicate);
        EXPECT_EQ(d.seed, p.seed);
        EXPECT_EQ(d.values, p.values);
    }
    // A partial plan: the first points, no sweep hash, the total kept.
    const Plan part = expand(s, read_base_config(s), 5);
    ASSERT_EQ(part.points.size(), 5u);
    EXPECT_TRUE(part.partial());
    EXPECT_EQ(part.total_points, full.points.size());
    EXPECT_TRUE(part.sweep_hash.empty());
    for (std::size_t i = 0; i < 5; ++i)
        EXPECT_EQ(part.points[i].config_hash, full.points[i].config_hash);
    EXPECT_FALSE(full.partial());
}

// A stop signal (SIGTERM, SIGINT) ends the expansion of a plan with stopped_error (exit 3 in
// the tool) instead of being ignored until the end (issue 15: a 10^7-point plan ignored it).
TEST(SweepExpand, AStopSignalEndsTheExpansion) {
    std::signal(SIGINT, SIG_DFL);  // an ignored SIGINT (a background job) would stay ignored
    install_stop_signal_handlers();
    const Spec s = spec(cohort_with(20));
    for (const int sig : {SIGTERM, SIGINT}) {
        ASSERT_EQ(raise(sig), 0);
        EXPECT_EQ(stop_signal_received(), sig);
        try {
            expand(s, read_base_config(s));
            ADD_FAILURE() << "no stop";
        } catch (const stopped_error& e) {
            EXPECT_NE(
                std::string(e.what()).find(std::string("stopped by ") + stop_signal_name(sig) +
                                           " while checking the points of sweep /tmp/s.ini"),
                std::string::npos)
                << e.what();
        }
        clear_stop_signal();
        if (sig == SIGINT) {  // the first Ctrl-C reset the handler: a second one ends the process
            struct sigaction now {};
            sigaction(SIGINT, nullptr, &now);
            EXPECT_EQ(now.sa_handler, SIG_DFL);
        }
    }
    EXPECT_EQ(expand(s, read_base_config(s)).points.size(), 20u * 6u);
}

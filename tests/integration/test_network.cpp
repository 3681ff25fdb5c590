// Whole-network runs: reference benchmarks within bands established from seeds (see
// docs/validation.md), and results that do not depend on the number of threads.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"

using namespace neurochem;

namespace {
struct Band {
    double rate_lo, rate_hi, cv_lo, cv_hi;
};

void expect_in_band(const ModelSpec& m, int threads, const Band& band) {
    Simulation sim(m, make_serial_context(threads));
    sim.run();
    for (const auto& s : sim.population_stats()) {
        EXPECT_GE(s.mean_rate_Hz, band.rate_lo) << s.name;
        EXPECT_LE(s.mean_rate_Hz, band.rate_hi) << s.name;
        EXPECT_GE(s.mean_cv_isi, band.cv_lo) << s.name;
        EXPECT_LE(s.mean_cv_isi, band.cv_hi) << s.name;
        EXPECT_GT(s.cv_neurons, s.size / 2) << s.name;
    }
}

void expect_same_spikes(const std::vector<Spike>& a, const std::vector<Spike>& b, const char* what) {
    ASSERT_FALSE(a.empty()) << what;
    ASSERT_EQ(a.size(), b.size()) << what;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i], b[i]) << what << ": first difference at spike " << i;
    }
}
}  // namespace

// Bands: seeds 1-10 gave rates 16.7-20.4 Hz and CV 1.45-1.58 (E and I).
TEST(Network, CobaBenchmarkRatesAndIrregularity) {
    expect_in_band(test::load_model("configs/coba.ini", {"simulation.seed=11"}), 2, {14, 23, 1.3, 1.75});
}

// Seeds 1-6: 5.25-6.08 Hz, CV 0.51-0.53.
TEST(Network, CubaBenchmarkRatesAndIrregularity) {
    expect_in_band(test::load_model("configs/cuba.ini", {"simulation.seed=12"}), 2, {4.5, 7.0, 0.45, 0.6});
}

// Seeds 1-6 (0.5 s): 36.7-37.7 Hz, CV 0.408-0.423: the asynchronous-irregular state.
TEST(Network, BrunelAsynchronousIrregularState) {
    expect_in_band(test::load_model("configs/brunel.ini", {"simulation.seed=13", "simulation.duration=0.5 s"}),
                   2, {35, 40, 0.38, 0.46});
}

TEST(Network, SameSpikesForAnyNumberOfThreads) {
    const auto coba = test::load_model("configs/coba.ini", {"simulation.duration=300 ms"});
    const auto ref = test::run_spikes(coba, 1);
    expect_same_spikes(ref, test::run_spikes(coba, 2), "COBA 1 vs 2 threads");
    expect_same_spikes(ref, test::run_spikes(coba, 3), "COBA 1 vs 3 threads");

    const auto brunel = test::load_model("configs/brunel.ini",
                                         {"simulation.duration=200 ms", "population.E.size=2000",
                                          "population.I.size=500", "projection.E->E.indegree=200",
                                          "projection.E->I.indegree=200", "projection.I->E.indegree=50",
                                          "projection.I->I.indegree=50", "poisson.ext_E.sources=200",
                                          "poisson.ext_I.sources=200", "projection.E->E.weight=0.5 mV",
                                          "projection.E->I.weight=0.5 mV", "projection.I->E.weight=-2.5 mV",
                                          "projection.I->I.weight=-2.5 mV", "poisson.ext_E.weight=0.5 mV",
                                          "poisson.ext_I.weight=0.5 mV"});
    const auto bref = test::run_spikes(brunel, 1);
    expect_same_spikes(bref, test::run_spikes(brunel, 2), "Brunel 1 vs 2 threads");
}

// Every feature at once: AdEx and CUBA populations, distributed weights and delays, several
// rules, named receptors, two Poisson drives (one in the PTRS regime), single-precision weights.
TEST(Network, MixedModelIsThreadInvariant) {
    const char* text = R"(
[simulation]
duration = 200 ms
seed = 5
[population.A]
model = adex_coba
size = 300
V_init = uniform(-70 mV, -55 mV)
w_init = normal(20 pA, 5 pA)
I_e = 500 pA
t_ref = 2 ms
[receptor.A.slow]
tau_syn = 50 ms
E_rev = 0 mV
[population.C]
model = lif_cuba_exp
size = 211
I_e = 390 pA
[projection.A->C]
rule = pairwise_bernoulli
probability = 0.1
weight = lognormal(20 pA, 5 pA)
delay = normal(2 ms, 1 ms, 0.5 ms, 6 ms)
receptor = exc
[projection.C->A]
rule = fixed_indegree
indegree = 20
multapses = false
weight = normal(0.2 nS, 0.05 nS, 0 nS)
delay = uniform(0.5 ms, 3 ms)
receptor = slow
[projection.A->A]
rule = all_to_all
autapses = false
weight = 0.01 nS
delay = 1 ms
receptor = inh
[projection.C->C:ring]
rule = one_to_one
weight = -5 pA
delay = 0.5 ms
receptor = inh
[poisson.bgA]
target = A
receptor = exc
rate = 5 Hz
sources = 1000
weight = 5 nS
[poisson.bgC]
target = C
receptor = exc
rate = 10 Hz
sources = 50
weight = 30 pA
start = 50 ms
stop = 150 ms
)";
    for (const char* precision : {"double", "single"}) {
        const auto m = test::model_from_text(text, {std::string("simulation.weight_precision=") + precision});
        const auto ref = test::run_spikes(m, 1);
        expect_same_spikes(ref, test::run_spikes(m, 2), precision);
        expect_same_spikes(ref, test::run_spikes(m, 3), precision);
        expect_same_spikes(ref, test::run_spikes(m, 5), precision);
    }
}

// Split runs: run(T) then run(2T) equals run(2T) directly.
TEST(Network, RunningInPiecesEqualsRunningAtOnce) {
    const auto m = test::load_model("configs/coba.ini", {"simulation.duration=200 ms"});
    const auto whole = test::run_spikes(m, 2);
    Simulation sim(m, make_serial_context(2));
    test::SpikeCollector c;
    sim.run(777, &c);  // not a multiple of the epoch
    sim.run(2000, &c);
    expect_same_spikes(whole, c.spikes, "pieces");
}

TEST(Network, DifferentSeedsGiveDifferentNetworks) {
    const auto a = test::run_spikes(test::load_model("configs/coba.ini", {"simulation.duration=50 ms"}), 2);
    const auto b = test::run_spikes(
        test::load_model("configs/coba.ini", {"simulation.duration=50 ms", "simulation.seed=2"}), 2);
    EXPECT_NE(a, b);
}

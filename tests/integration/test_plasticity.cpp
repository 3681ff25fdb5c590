// Plastic networks: Song et al. 2000's bimodal weights, layout independence of spikes and
// weights, bitwise continuation from a checkpoint (ring buffers and traces restored), and
// homeostatic scaling towards its set point.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/simulation_access.hpp"
#include "memory_state.hpp"
#include "plasticity/plasticity.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
std::vector<double> weights(const Simulation& sim, std::size_t projection) {
    return SimulationAccess::plasticity(sim)->edges(projection).weight;
}

std::size_t projection_index(const ModelSpec& m, const std::string& name) {
    for (std::size_t k = 0; k < m.projections.size(); ++k) {
        if (m.projections[k].name == name) return k;
    }
    ADD_FAILURE() << "no projection " << name;
    return 0;
}
}  // namespace

// Song, Miller & Abbott 2000, Fig. 1: under additive STDP the 1000 input weights of a neuron
// driven at 10 Hz split towards 0 and g_max, and the output rate settles.
TEST(Plasticity, Song2000WeightsBecomeBimodalAndTheRateSettles) {
    const auto m = test::load_model("tests/data/song2000.ini");
    Simulation sim(m, make_serial_context(1));
    std::vector<double> rate;  // per 100 s
    struct Rates final : SimulationObserver {
        std::uint64_t count = 0, bin = 0, gid = 0;
        std::vector<double>* out;
        void epoch(const EpochView& v) override {
            for (const auto& s : v.all_spikes) count += s.gid == gid;
            if (v.end_step / 1000000 > bin) {
                out->push_back(static_cast<double>(count) / 100.0);
                count = 0;
                bin = v.end_step / 1000000;
            }
        }
    } obs;
    obs.out = &rate;
    obs.gid = sim.first_gid(static_cast<std::size_t>(m.population_index("post")));
    sim.run(&obs);
    const auto w = weights(sim, projection_index(m, "exc->post"));
    ASSERT_EQ(w.size(), 1000u);
    const double gmax = 0.15;
    const auto outer = std::count_if(w.begin(), w.end(), [&](double x) { return x < 0.2 * gmax || x > 0.8 * gmax; });
    const auto low = std::count_if(w.begin(), w.end(), [&](double x) { return x < 0.1 * gmax; });
    const auto high = std::count_if(w.begin(), w.end(), [&](double x) { return x > 0.9 * gmax; });
    std::printf("outer 20 %%: %ld of 1000 (below 0.1 g_max %ld, above 0.9 g_max %ld); rates per 100 s:", static_cast<long>(outer),
                static_cast<long>(low), static_cast<long>(high));
    for (double r : rate) std::printf(" %.1f", r);
    std::printf("\n");
    EXPECT_GT(outer, 700);  // started uniform: 400 would be in the outer 20 %
    EXPECT_GT(low, 150);
    EXPECT_GT(high, 150);
    ASSERT_EQ(rate.size(), 15u);
    // Settled: the last 500 s within 20 % of their mean, in Song's range of output rates.
    const double mean = (rate[10] + rate[11] + rate[12] + rate[13] + rate[14]) / 5;
    for (std::size_t i = 10; i < 15; ++i) EXPECT_NEAR(rate[i], mean, 0.2 * mean);
    EXPECT_GT(mean, 5.0);
    EXPECT_LT(mean, 25.0);
    EXPECT_LT(rate[0], 0.5 * mean);  // it settled from far below
}

TEST(Plasticity, SpikesAndWeightsDoNotDependOnThreads) {
    const auto m = test::load_model("configs/coba_stdp.ini", {"simulation.duration=300 ms"});
    const std::size_t k = projection_index(m, "E->E");
    std::vector<std::vector<double>> w;
    std::vector<std::vector<Spike>> spikes;
    for (const int threads : {1, 2, 3}) {
        Simulation sim(m, make_serial_context(threads));
        test::SpikeCollector c;
        sim.run(&c);
        spikes.push_back(c.spikes);
        w.push_back(weights(sim, k));
    }
    EXPECT_NE(w[0], std::vector<double>(w[0].size(), 6.0));  // the weights did change
    for (std::size_t i = 1; i < w.size(); ++i) {
        EXPECT_EQ(spikes[i], spikes[0]) << i;
        EXPECT_EQ(w[i], w[0]) << i;
    }
}

// A checkpoint of a plastic network (weights, traces and the ring buffers, which the spikes in
// flight no longer determine) taken on 2 threads continues on 1 thread bit for bit.
TEST(Plasticity, ContinuesBitwiseFromACheckpoint) {
    const auto m = test::load_model("configs/coba_stdp.ini", {"simulation.duration=200 ms"});
    const std::size_t k = projection_index(m, "E->E");
    Simulation whole(m, make_serial_context(1));
    test::SpikeCollector all;
    whole.run(&all);
    test::MemoryState state;
    {
        Simulation first(m, make_serial_context(2));
        first.run(1237);
        first.save_state(state);
    }
    Simulation second(m, make_serial_context(1));
    second.load_state(state);
    test::SpikeCollector rest;
    second.run(&rest);
    EXPECT_EQ(weights(second, k), weights(whole, k));
    std::vector<Spike> tail;
    for (const auto& s : all.spikes) {
        if (s.step > 1237) tail.push_back(s);
    }
    EXPECT_EQ(rest.spikes, tail);
}

// Homeostatic scaling of the input weights drives each neuron towards its set point: from
// 6x the target (30 Hz), the population's mean rate over the last 2 time constants of a
// 4-time-constant run is within 10 % of it (each neuron's rate estimate of 1 s is noisy, so
// single 2 s bins scatter by ~20 %).
TEST(Plasticity, ScalingConvergesToTheSetPoint) {
    const auto m = test::model_from_text(R"(
[simulation]
duration = 40 s
[output]
spikes = false
[population.N]
model = lif_coba
size = 100
tau_syn_exc = 5 ms
V_init = uniform(-70 mV, -56 mV)
[population.S]
model = poisson_source
size = 400
rate = 10 Hz
[projection.S->N]
rule = fixed_indegree
indegree = 100
weight = 1.2 nS
delay = 1 ms
receptor = exc
[plasticity.S->N]
rule = none
scaling = true
scaling_target = 5 Hz
tau_scaling = 10 s
scaling_rate_tau = 1 s
scaling_interval = 100 ms
w_max = 100 nS
)");
    Simulation sim(m, make_serial_context(0));
    std::vector<double> rate;
    struct Rates final : SimulationObserver {
        std::uint64_t count = 0, bin = 0;
        std::vector<double>* out;
        void epoch(const EpochView& v) override {
            for (const auto& s : v.all_spikes) count += s.gid < 100;
            if (v.end_step / 20000 > bin) {  // 2 s bins
                out->push_back(static_cast<double>(count) / (100 * 2.0));
                count = 0;
                bin = v.end_step / 20000;
            }
        }
    } obs;
    obs.out = &rate;
    sim.run(&obs);
    ASSERT_EQ(rate.size(), 20u);
    std::printf("rates per 2 s:");
    for (double r : rate) std::printf(" %.2f", r);
    std::printf("\n");
    EXPECT_GT(rate[0], 10.0);  // started well above the set point
    double late = 0;
    for (std::size_t i = 10; i < 20; ++i) late += rate[i] / 10;
    EXPECT_NEAR(late, 5.0, 0.5);  // and holds it: the mean of the last 20 s
}

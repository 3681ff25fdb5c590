// Distributed runs compared in-process with a single-process run of the same model.
#include <gtest/gtest.h>

#include <numeric>

#include "comm/communicator.hpp"
#include "neurochem/mpi.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
Context world(int threads) { return make_mpi_context(threads, MPI_COMM_WORLD); }

std::vector<Spike> run_distributed(const ModelSpec& m, int threads) {
    Simulation sim(m, world(threads));
    test::SpikeCollector c;
    sim.run(&c);
    return c.spikes;
}
}  // namespace

TEST(Distributed, CommunicatorGathersSortedSpikes) {
    const Context ctx = world(1);
    auto& comm = *ctx.comm;
    const auto R = static_cast<std::uint64_t>(comm.size()), r = static_cast<std::uint64_t>(comm.rank());
    // Rank r holds gids r, r + R, ... at steps 1..3; some ranks have none.
    std::vector<Spike> local;
    if (r % 2 == 0) {
        for (std::uint64_t step = 1; step <= 3; ++step) {
            for (std::uint64_t g = r; g < 20; g += R) local.push_back({step, g});
        }
    }
    std::vector<Spike> all;
    comm.gather_spikes(local, all);
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
    std::uint64_t expected = 0;
    for (std::uint64_t q = 0; q < R; q += 2) expected += 3 * ((20 - q + R - 1) / R);
    EXPECT_EQ(all.size(), expected);
    std::vector<std::uint64_t> v{r, 1};
    comm.sum(v);
    EXPECT_EQ(v[0], R * (R - 1) / 2);
    EXPECT_EQ(v[1], R);
    EXPECT_EQ(comm.all_values(static_cast<double>(r)).size(), R);
    std::string s = r == 0 ? "from root" : "";
    comm.broadcast(s, 0);
    EXPECT_EQ(s, "from root");
}

TEST(Distributed, EachRankBuildsOnlyItsShare) {
    const auto m = test::load_model("configs/brunel.ini", {"population.E.size=2000", "population.I.size=500",
                                                           "simulation.duration=10 ms"});
    Simulation sim(m, world(1));
    auto& comm = *sim.context().comm;
    const auto R = static_cast<std::uint64_t>(comm.size());
    for (std::size_t p = 0; p < 2; ++p) {
        const auto [lo, hi] = sim.local_range(p);
        const std::uint64_t n = m.populations[p].size;
        EXPECT_LE(hi - lo, n / R + 1);
        EXPECT_GE(hi - lo, n / R);
    }
    const auto local = sim.local_network();
    const std::uint64_t total = sim.total_synapses();
    EXPECT_EQ(total, 2500u * 1250u);
    // Fixed in-degree: the synapses onto a rank's neurons are exactly its neurons' in-degrees.
    EXPECT_EQ(local.synapses, local.neurons * 1250u);
}

class Invariance : public ::testing::TestWithParam<const char*> {};

TEST_P(Invariance, SameSpikesAsOneProcess) {
    std::vector<std::string> sets = {"simulation.duration=150 ms"};
    if (std::string(GetParam()) == "configs/brunel.ini") {
        sets.insert(sets.end(), {"population.E.size=2000", "population.I.size=500", "projection.E->E.indegree=200",
                                 "projection.E->I.indegree=200", "projection.I->E.indegree=50",
                                 "projection.I->I.indegree=50", "poisson.ext_E.sources=200", "poisson.ext_I.sources=200",
                                 "projection.E->E.weight=0.5 mV", "projection.E->I.weight=0.5 mV",
                                 "projection.I->E.weight=-2.5 mV", "projection.I->I.weight=-2.5 mV",
                                 "poisson.ext_E.weight=0.5 mV", "poisson.ext_I.weight=0.5 mV"});
    }
    const auto m = test::load_model(GetParam(), sets);
    const auto serial = test::run_spikes(m, 1);
    ASSERT_FALSE(serial.empty());
    for (int threads : {1, 2}) {
        for (auto partition : {Partition::per_population, Partition::contiguous}) {
            auto mp = m;
            mp.simulation.partition = partition;
            const auto dist = run_distributed(mp, threads);
            ASSERT_EQ(dist.size(), serial.size()) << "threads " << threads;
            for (std::size_t i = 0; i < dist.size(); ++i) {
                ASSERT_EQ(dist[i], serial[i]) << "first difference at spike " << i << ", threads " << threads
                                              << ", partition " << static_cast<int>(partition);
            }
        }
    }
    // Statistics gathered across ranks equal the single-process ones.
    Simulation a(m, make_serial_context(1)), b(m, world(2));
    a.run();
    b.run();
    const auto sa = a.population_stats(), sb = b.population_stats();
    for (std::size_t p = 0; p < sa.size(); ++p) {
        EXPECT_EQ(sa[p].spikes, sb[p].spikes);
        EXPECT_EQ(sa[p].mean_cv_isi, sb[p].mean_cv_isi);
    }
    EXPECT_EQ(a.synaptic_events(), b.synaptic_events());
}

INSTANTIATE_TEST_SUITE_P(Distributed, Invariance,
                         ::testing::Values("configs/coba.ini", "configs/cuba.ini", "configs/brunel.ini"));

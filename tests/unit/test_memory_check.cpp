// The lower bound of a model's memory (app/memory_check): expected synapse counts per rule
// against hand-computed values; the output size estimate (app/output_estimate).
#include <gtest/gtest.h>

#include "app/memory_check.hpp"
#include "app/output_estimate.hpp"
#include "slow/timeline.hpp"

using namespace neurochem;

namespace {
/// A: 1000 neurons, B: 200.
ModelSpec two_populations() {
    ModelSpec m;
    PopulationSpec a, b;
    a.name = "A";
    a.size = 1000;
    b.name = "B";
    b.size = 200;
    m.populations = {a, b};
    return m;
}
}  // namespace

TEST(MemoryCheck, ExpectedSynapsesPerRule) {
    ModelSpec m = two_populations();
    auto projection = [](ConnectionRule r) {
        ProjectionSpec p;
        p.pre = "A";
        p.post = "B";
        p.rule = r;
        p.indegree = 50;
        p.total_synapses = 7777;
        p.probability = 0.1;
        return p;
    };
    const std::pair<ConnectionRule, double> cases[] = {
        {ConnectionRule::fixed_indegree, 50.0 * 200},
        {ConnectionRule::fixed_total_number, 7777},
        {ConnectionRule::pairwise_bernoulli, 0.1 * 1000 * 200},
        {ConnectionRule::one_to_one, 200},
        {ConnectionRule::all_to_all, 1000.0 * 200}};
    double all = 0;
    for (const auto& [rule, n] : cases) {
        m.projections = {projection(rule)};
        EXPECT_DOUBLE_EQ(app::expected_synapses(m), n);
        all += n;
    }
    m.projections.clear();
    for (const auto& c : cases)
        m.projections.push_back(projection(c.first));
    EXPECT_DOUBLE_EQ(app::expected_synapses(m), all);
    // 40 B per neuron + 8 B per synapse, shared by the ranks.
    EXPECT_DOUBLE_EQ(app::minimum_bytes_per_rank(m, 1), 1200 * 40.0 + all * 8.0);
    EXPECT_DOUBLE_EQ(app::minimum_bytes_per_rank(m, 4), (1200 * 40.0 + all * 8.0) / 4);
}

// The output estimate (app/output_estimate) of a run without a protocol, by hand: spikes at
// 16 B per spike of the recorded populations, 8 B per rate bin and population, 8 B per trace
// value (and its time column) per sample.
TEST(OutputEstimate, CountsWhatTheRunWrites) {
    ModelSpec m = two_populations();
    m.populations[1].record_spikes = false;
    m.simulation.duration_ms = 2000;
    m.simulation.dt_ms = 0.1;
    m.output.rate_bin_ms = 1.0;
    const Timeline timeline(m);
    const auto e = app::estimate_output(m, timeline, 3, 10, 0);
    EXPECT_DOUBLE_EQ(e.recorded_seconds, 2.0);
    EXPECT_DOUBLE_EQ(e.bytes_per_Hz, 16.0 * 1000 * 2.0);
    EXPECT_DOUBLE_EQ(e.fixed_bytes, 8.0 * 2000 * 2 + 8.0 * 4 * 20000 / 10);
    EXPECT_DOUBLE_EQ(e.bytes_at(5.0), e.fixed_bytes + 5 * e.bytes_per_Hz);
    m.output.spikes = false;  // no spikes: rates and traces only
    EXPECT_DOUBLE_EQ(app::estimate_output(m, timeline, 3, 10, 0).bytes_per_Hz, 0.0);
    // Recorded weights: 48 B per expected synapse.
    ProjectionSpec p;
    p.pre = "A";
    p.post = "B";
    p.rule = ConnectionRule::fixed_indegree;
    p.indegree = 10;
    p.plasticity.record_weights = true;
    m.projections = {p};
    EXPECT_DOUBLE_EQ(app::estimate_output(m, timeline, 3, 10, 0).fixed_bytes,
                     e.fixed_bytes + 48.0 * 10 * 200);
}

TEST(OutputEstimate, WarnsOnlyWhenTheOutputCannotFit) {
    app::OutputEstimate small{1e3, 1e3, 1};
    const app::FreeSpace here = app::free_space("out.h5");
    ASSERT_GE(here.bytes, 0.0);
    EXPECT_EQ(app::output_space_warning(small, "out.h5", here), "");
    app::OutputEstimate huge{1e18, 1e18, 1};  // an exabyte: no file system here has it
    const auto w = app::output_space_warning(huge, "out.h5", here);
    EXPECT_NE(w.find("out.h5 will need about"), std::string::npos) << w;
    EXPECT_NE(w.find("free"), std::string::npos) << w;
    EXPECT_NE(app::describe_estimate(huge, here).find("per Hz"), std::string::npos);
    EXPECT_EQ(app::output_space_warning(huge, "out.h5", app::FreeSpace{}), "");  // unknown
}

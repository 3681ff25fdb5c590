// The lower bound of a model's memory (app/memory_check): expected synapse counts per rule
// against hand-computed values.
#include <gtest/gtest.h>

#include "app/memory_check.hpp"

using namespace neurochem;

TEST(MemoryCheck, ExpectedSynapsesPerRule) {
    ModelSpec m;
    PopulationSpec a, b;
    a.name = "A";
    a.size = 1000;
    b.name = "B";
    b.size = 200;
    m.populations = {a, b};
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

// simulation.scale (src/model/scale.cpp): sizes times the scale; what a neuron sees held fixed.
#include <gtest/gtest.h>

#include <cmath>

#include "neurochem/errors.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
const char* kNet = R"(
[simulation]
duration = 10 ms
[population.E]
model = lif_coba
size = 1000
[population.I]
model = lif_coba
size = 250
[projection.E->I]
rule = fixed_indegree
indegree = 40
weight = 1 nS
receptor = exc
[projection.I->E]
rule = pairwise_bernoulli
probability = 0.1
weight = 1 nS
receptor = inh
[projection.E->E]
rule = fixed_total_number
synapses = 50000
weight = 1 nS
receptor = exc
[poisson.bg]
target = E
rate = 5 Hz
sources = 30
weight = 1 nS
receptor = exc
)";
const ProjectionSpec& proj(const ModelSpec& m, const std::string& pre, const std::string& post) {
    for (const auto& p : m.projections) {
        if (p.pre == pre && p.post == post) return p;
    }
    throw std::runtime_error("no projection");
}
}  // namespace

TEST(Scale, SizesScaleAndInDegreesHold) {
    for (double s : {0.1, 0.5, 2.0, 4.0}) {
        SCOPED_TRACE(s);
        const ModelSpec base = test::model_from_text(kNet);
        const ModelSpec m = test::model_from_text(kNet, {"simulation.scale=" + std::to_string(s)});
        EXPECT_EQ(m.populations[0].size, static_cast<std::uint64_t>(std::llround(1000 * s)));
        EXPECT_EQ(m.populations[1].size, static_cast<std::uint64_t>(std::llround(250 * s)));
        EXPECT_EQ(proj(m, "E", "I").indegree, proj(base, "E", "I").indegree);
        // Expected in-degree p x N_pre held.
        EXPECT_NEAR(proj(m, "I", "E").probability * static_cast<double>(m.populations[1].size),
                    proj(base, "I", "E").probability * 250.0, 1e-9);
        // Synapses per target held.
        EXPECT_NEAR(static_cast<double>(proj(m, "E", "E").total_synapses) / static_cast<double>(m.populations[0].size),
                    50.0, 0.01);
        EXPECT_EQ(m.poisson[0].sources, base.poisson[0].sources);
    }
}

TEST(Scale, RefusesWhatCannotHoldTheInDegree) {
    // p = 0.1 over 250 sources = 25 expected inputs; at scale 0.05 there are 13 sources.
    EXPECT_THROW(test::model_from_text(kNet, {"simulation.scale=0.05"}), input_error);
    EXPECT_THROW(test::model_from_text(kNet, {"simulation.scale=0"}), input_error);
    EXPECT_THROW(test::model_from_text(kNet, {"simulation.scale=-1"}), input_error);
}

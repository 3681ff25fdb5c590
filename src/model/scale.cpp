// simulation.scale: every population's size times the scale, with what a neuron sees held fixed,
// so that the dynamics do not change with size (the mean-field argument; fluctuations from
// shared inputs shrink as populations grow, as in any finite-size network):
//   fixed_indegree      in-degree unchanged
//   pairwise_bernoulli  probability / (source population's size factor): expected in-degree held
//   fixed_total_number  synapses x (target population's size factor): synapses per target held
//   one_to_one          unchanged (both sizes scale alike)
//   all_to_all          refused: its in-degree is the source's size
//   Poisson drives      sources per neuron unchanged
//   release             unchanged: a quantum is the rise if every neuron of the population
//                       spiked once (docs/model/chemistry.md), so pools do not change with size
// Sizes are rounded to whole neurons (at least 1); the factors use the rounded sizes.
#include <cmath>
#include <cstdio>

#include "model/validate.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

void scale_model(ModelSpec& m) {
    const double s = m.simulation.scale;
    if (!(s > 0) || !std::isfinite(s)) throw input_error("simulation.scale must be a positive number.");
    if (s == 1.0) return;
    std::vector<double> factor(m.populations.size());
    for (std::size_t p = 0; p < m.populations.size(); ++p) {
        auto& pop = m.populations[p];
        const double scaled = std::max(1.0, std::round(static_cast<double>(pop.size) * s));
        if (scaled > 4294967295.0) {
            throw input_error("simulation.scale = " + std::to_string(s) + " makes population '" + pop.name +
                              "' larger than 2^32 - 1 neurons.");
        }
        factor[p] = scaled / static_cast<double>(pop.size);
        pop.size = static_cast<std::uint64_t>(scaled);
    }
    auto index = [&](const std::string& name, const std::string& who) {
        const int i = m.population_index(name);
        if (i < 0) throw input_error(who + ": no population '" + name + "'.");
        return static_cast<std::size_t>(i);
    };
    for (auto& pr : m.projections) {
        const std::string who = "projection '" + pr.pre + "->" + pr.post + "'";
        switch (pr.rule) {
            case ConnectionRule::fixed_indegree:
            case ConnectionRule::one_to_one: break;
            case ConnectionRule::pairwise_bernoulli: {
                pr.probability /= factor[index(pr.pre, who)];
                if (pr.probability > 1.0) {
                    char b[64];
                    std::snprintf(b, sizeof b, "%g", pr.probability);
                    throw input_error(who + ": at simulation.scale = " + std::to_string(s) +
                                      " its probability would have to be " + b +
                                      " to hold the in-degree (at most 1); use a larger scale or fixed_indegree.");
                }
                break;
            }
            case ConnectionRule::fixed_total_number:
                pr.total_synapses = static_cast<std::uint64_t>(
                    std::llround(static_cast<double>(pr.total_synapses) * factor[index(pr.post, who)]));
                break;
            case ConnectionRule::all_to_all:
                throw input_error(who + ": rule all_to_all cannot hold its in-degree under simulation.scale != 1 "
                                        "(use fixed_indegree).");
        }
    }
}

}  // namespace neurochem

// Connection rules as pure functions of (seed, projection, target): the incoming synapses of
// target neuron j are drawn from the random stream keyed by (seed, "connect:NAME") with
// counter (j, substream). Any process can therefore draw the synapses onto its own neurons
// without knowing anything about other processes, and the result never depends on the number
// of ranks or threads. Substreams: sources, weights and delays are drawn from separate
// substreams so that the sources can be re-drawn cheaply (the network is built in two passes).
#pragma once

#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

class ConnectionSampler {
public:
    ConnectionSampler(const ProjectionSpec& proj, const PopulationSpec& pre,
                      const PopulationSpec& post, std::uint64_t seed, double dt_ms);

    /// Reusable per-thread working memory: a bitmap over the source population, Philox
    /// blocks and a radix-sort buffer.
    struct Scratch {
        std::vector<std::uint64_t> seen;
        std::vector<std::uint32_t> words, sort_buffer;
    };

    /// The sources (population-local indices in `pre`, ascending; repeated for multapses) of
    /// target j (population-local index in `post`). `out` is overwritten.
    void sources(std::uint64_t j, std::vector<std::uint32_t>& out, Scratch& scratch) const;

    /// Number of incoming synapses of target j: fixed_indegree and fixed_total_number only.
    std::uint64_t indegree(std::uint64_t j) const;

    /// Weight (unit of the target port) of each of the `count` synapses of target j, in the
    /// order of sources(). Does not depend on the sources drawn.
    void weights(std::uint64_t j, std::size_t count, std::vector<double>& out) const;

    /// Delays in whole steps (>= 1) of the `count` synapses of target j.
    void delays(std::uint64_t j, std::size_t count, std::vector<std::uint32_t>& out) const;

    bool constant_weight() const { return proj_.weight.is_constant(); }
    bool constant_delay() const { return proj_.delay_ms.is_constant(); }
    /// A lower bound of every delay of the projection, in steps, known from the spec alone.
    std::uint32_t min_delay_steps() const;
    std::uint32_t delay_steps(double delay_ms) const;

private:
    // sub_total: counter (node lo, node hi, 3) of the fixed_total_number in-degree tree.
    enum Substream : std::uint32_t { sub_sources = 0, sub_weights = 1, sub_delays = 2, sub_total = 3 };
    ProjectionSpec proj_;  // a copy: the sampler outlives any temporary spec
    std::uint64_t n_pre_, n_post_;
    bool exclude_self_;  // pre == post and no autapses
    double dt_ms_;
    rng::Philox::key_type key_;
};

}  // namespace neurochem

// Activity statistics of this process's neurons since step 0: spike counts and the moments of
// the inter-spike intervals, kept as integers of steps (exact), so the population means are
// the same on every layout.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/network.hpp"
#include "neurochem/simulation.hpp"

namespace neurochem {

class Communicator;
class StateRegistry;

class NetworkStats {
public:
    explicit NetworkStats(const NetworkLayout& layout);

    /// Adds the spikes of thread d's own neurons (called by that thread).
    void record(const NetworkLayout& layout, std::span<const Spike> spikes);
    /// Collective: per-population counts, rates and mean CV of ISI over all processes.
    std::vector<PopulationStats> population_stats(const ModelSpec& spec, std::uint64_t steps,
                                                  Communicator& comm) const;
    /// Spikes of local neuron i of population p since step 0.
    std::span<const std::uint64_t> spikes(std::size_t p) const { return pops_[p].spikes; }
    void register_state(StateRegistry& registry, const ModelSpec& spec, const NetworkLayout& layout);

private:
    struct Pop {
        std::vector<std::uint64_t> spikes, last_spike, n_isi, sum_isi;
        std::vector<double> sum_isi_sq;  // of integers: exact up to 2^53
    };
    std::vector<Pop> pops_;
};

}  // namespace neurochem

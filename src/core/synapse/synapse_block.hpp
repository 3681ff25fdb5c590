// The synapses of one projection onto one thread's targets, grouped by source (CSR).
// A synapse is 4 bytes, (target << delay_bits) | (delay - delay_base), plus its weight only
// when the projection's weights are drawn from a distribution (8 bytes as double, or 4 as
// float with simulation.weight_precision = single). Constant weights and delays are stored
// once per block. Rows exist for every source of the pre population (dense) when at least half
// of them have synapses here, otherwise only for present sources, looked up by binary search
// (sparse), so the index never costs more than twice the synapses it indexes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/connectivity.hpp"
#include "core/partition.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

class InputRing;

class SynapseBlock {
public:
    /// Draws and stores the synapses onto post-population targets with population-local
    /// indices in `targets` (this thread's share). Two passes: count, then fill.
    SynapseBlock(const ConnectionSampler& sampler, std::uint64_t n_pre, IndexRange targets,
                 WeightPrecision precision, ConnectionSampler::Scratch& scratch);

    std::uint64_t size() const { return packed_.size(); }
    std::uint32_t max_delay_steps() const { return max_delay_; }
    std::uint32_t min_delay_steps() const { return delay_base_; }
    /// Bytes of heap memory held (synapses and index).
    std::size_t memory_bytes() const;

    /// Adds the weights of source `src`'s synapses to the ring buffer of `port` at arrival
    /// step `spike_step + delay`, for targets offset by `target_offset` (the thread's first
    /// local index). Returns the number of synapses (events) delivered.
    std::uint64_t deliver(std::uint32_t src, std::uint64_t spike_step, InputRing& ring,
                          std::size_t port, std::size_t target_offset) const;
    /// As deliver(), but only the synapses whose arrival step is >= first_arrival (restoring
    /// the spikes in flight after a restart). Not for the hot path.
    void deliver_arriving_from(std::uint32_t src, std::uint64_t spike_step, std::uint64_t first_arrival,
                               InputRing& ring, std::size_t port, std::size_t target_offset) const;

    struct Synapse {
        std::uint32_t target;  // relative to the block's first target
        std::uint32_t delay_steps;
        double weight;
    };
    /// The synapses of one source, in stored order (tests, checkpoint).
    std::vector<Synapse> row(std::uint32_t src) const;

private:
    std::pair<std::uint64_t, std::uint64_t> row_bounds(std::uint32_t src) const;
    template <class WeightAt, bool ConstDelay>
    void deliver_row(std::uint64_t b, std::uint64_t e, std::uint64_t spike_step, InputRing& ring,
                     std::size_t port, std::size_t offset, WeightAt weight_at) const;

    static constexpr std::uint32_t max_table_delays = 64;
    bool dense_ = true;
    std::vector<std::uint32_t> sources_;  // sparse: sources present, ascending
    std::vector<std::uint64_t> row_ptr_;  // rows + 1 offsets into packed_
    std::vector<std::uint32_t> packed_;
    std::vector<double> w64_;
    std::vector<float> w32_;
    bool const_weight_ = true;
    double weight_ = 0.0;
    std::uint32_t delay_bits_ = 0;
    std::uint32_t delay_base_ = 1;
    std::uint32_t max_delay_ = 1;
};

}  // namespace neurochem

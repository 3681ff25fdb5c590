// A population of independent Poisson spike sources (a spike generator, no membrane): neuron
// j fires with rate r. Its spikes are drawn as geometric inter-spike intervals in whole steps,
// each from the counter-based stream (seed, "source:NAME", j, step of the previous spike), so a
// spike train is a pure function of (seed, j) — whatever the layout. Per step a neuron costs
// one comparison; the state is the step of each neuron's next spike. Input arriving at a source
// is consumed and ignored (the config refuses projections onto sources).
#pragma once

#include "core/neuron/neuron_group.hpp"

namespace neurochem {

class PoissonSourceGroup final : public NeuronGroup {
public:
    PoissonSourceGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed, IndexRange local,
                       std::uint64_t first_gid);
    void initialize(std::size_t lo, std::size_t hi) override;
    void step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input, const Modulation& mod,
              std::vector<Spike>& spikes) override;
    std::span<const double> synaptic_state(std::size_t) const override { return {}; }

private:
    void add_state_arrays(std::vector<StateArray>& out) override {
        out.push_back({"next_spike", next_, {}, false, "steps", Bounds::nonnegative()});
    }
    /// The step of the first spike after step `after` (never, i.e. 2^53, for rate 0).
    double draw_next(std::size_t local_index, std::uint64_t after) const;
    double draw_interval(std::size_t local_index, std::uint64_t counter) const;
    rng::Philox::key_type key_;
    double log_q_;  // log(1 - p), p = rate dt
    std::vector<double> next_;  // step of the next spike, exact up to 2^53
};

}  // namespace neurochem

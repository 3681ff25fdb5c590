// The chemistry layer of a simulation, a plug-in of the fast loop (core/plugin.hpp): pools,
// drugs, and the neuromodulation of every population that expresses receptors. Advanced once
// per chemistry step (K simulation steps), at an epoch boundary: the loop aligns its epochs so
// that every K-th step ends one. Drug kinetics run on the calendar clock the loop passes in.
// Spike counts of the releasing populations are summed over processes as integers, so the
// shared state (pools, drugs) is identical everywhere and independent of the layout.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "chem/neuromodulation.hpp"
#include "chem/pharmacokinetics.hpp"
#include "chem/pools.hpp"
#include "core/plugin.hpp"
#include "neurochem/model.hpp"
#include "neurochem/spike.hpp"

namespace neurochem {

class Communicator;
struct NetworkLayout;

class Chemistry final : public FastPlugin {
  public:
    Chemistry(const ModelSpec& model, const NetworkLayout& layout, Communicator& comm);

    // FastPlugin
    std::uint64_t steps_per_step() const override { return K_; }
    /// Sets receptor and messenger states of local neurons [lo, hi) of population p to their
    /// steady state at t = 0.
    void initialize(std::size_t p, std::size_t lo, std::size_t hi) override;
    Modulation modulation(std::size_t p) const override;
    /// Adds this process's spikes of releasing populations to the current chemistry step's
    /// counts, summed over processes.
    void exchanged(std::span<const Spike> local) override;
    /// Spikes of the thread's own neurons feed their activity traces (CREB).
    void thread_spikes(std::span<const Spike> spikes) override;
    /// Drugs to calendar time `calendar_h`, then the pools over one chemistry step.
    void step_shared(std::uint64_t end_step, double calendar_h) override;
    /// Receptors and messengers of local neurons [lo, hi) of population p over that step.
    void step_neurons(int d, std::size_t p, std::size_t lo, std::size_t hi) override;
    std::vector<std::string> trace_names() const override { return trace_names_; }
    std::uint64_t steps_per_sample() const override { return sample_every_; }
    std::vector<double> sample() const override;
    void register_state(StateRegistry& registry) override;

    Neuromodulation* population(std::size_t p) { return mods_[p].get(); }
    const Neuromodulation* population(std::size_t p) const { return mods_[p].get(); }
    const Pools& pools() const { return pools_; }
    Pools& pools() { return pools_; }
    const Pharmacokinetics& pk() const { return pk_; }
    /// A slice (protocol session), between fast runs: drugs given by a non-bath route absent
    /// from the tissue (washout), population p's synaptic input cut (isolated). A change
    /// refreshes the activations and effects at once (as after a restore, so a run split inside
    /// a slice step continues bit for bit).
    void set_washout(bool on);
    void set_isolated(std::size_t p, bool isolated);
    /// Recomputes activations and effects of population p after a slow process changed the
    /// coupling of its receptors (between fast runs; not thread-safe against a running step).
    void refresh_population(std::size_t p) {
        if (mods_[p]) mods_[p]->refresh(inputs_[p]);
    }

  private:
    ReceptorInputs inputs(std::size_t p) const;
    void refresh_inputs();

    const ModelSpec& model_;
    const NetworkLayout& layout_;
    Communicator& comm_;
    std::uint64_t K_ = 1;
    double dt_s_ = 1e-3;
    Pools pools_;
    Pharmacokinetics pk_;
    std::vector<std::unique_ptr<Neuromodulation>> mods_;
    std::vector<ReceptorInputs> inputs_;                 // per population, for the step being taken
    std::vector<std::vector<std::size_t>> releases_of_;  // per population: release indices
    std::vector<std::uint64_t> counts_;                  // per release, current chemistry step
    std::vector<double> km_factor_;                      // per uptake
    std::vector<std::string> trace_names_;
    std::uint64_t sample_every_ = 1;
};

}  // namespace neurochem

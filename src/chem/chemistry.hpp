// The chemistry layer of a simulation: pools, drugs, and the neuromodulation of every
// population that expresses receptors. Advanced once per chemistry step (K simulation steps),
// at an epoch boundary: the simulation aligns its epochs so that every K-th step ends one.
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
#include "neurochem/model.hpp"
#include "neurochem/spike.hpp"
#include "neurochem/state_io.hpp"

namespace neurochem {

class Communicator;

class Chemistry {
public:
    /// local_sizes: this process's neurons per population.
    Chemistry(const ModelSpec& model, std::span<const std::uint64_t> local_sizes, Communicator& comm);

    std::uint64_t steps_per_chemistry_step() const { return K_; }
    Neuromodulation* population(std::size_t p) { return mods_[p].get(); }
    const Neuromodulation* population(std::size_t p) const { return mods_[p].get(); }

    /// Sets receptor and messenger states of local neurons [lo, hi) of population p to their
    /// steady state at t = 0 (parallel over threads).
    void initialize(std::size_t p, std::size_t lo, std::size_t hi);

    /// Collective: adds this process's spikes of releasing populations (epoch's local spikes)
    /// to the current chemistry step's counts, summed over processes.
    void count(std::span<const Spike> local_spikes, std::span<const std::uint64_t> first_gid);
    /// Advances the shared state (drugs, pools) over chemistry step k (ending at (k+1) K).
    void advance_shared(std::uint64_t k);
    /// Advances the neuromodulation of local neurons [lo, hi) of population p over the step
    /// just advanced (parallel over threads).
    void step_population(std::size_t p, std::size_t lo, std::size_t hi);

    /// Collective: the current values of every trace (names: trace_names()).
    std::vector<double> sample() const;
    const std::vector<std::string>& trace_names() const { return trace_names_; }
    std::uint64_t steps_per_sample() const { return sample_every_; }  ///< in chemistry steps

    const Pools& pools() const { return pools_; }
    Pools& pools() { return pools_; }
    const Pharmacokinetics& pk() const { return pk_; }

    void save_state(StateSink& sink, std::span<const std::uint64_t> local_begin,
                    std::span<const std::uint64_t> sizes, bool root) const;
    void load_state(StateSource& source, std::span<const std::uint64_t> local_begin,
                    std::span<const std::uint64_t> sizes);

private:
    ReceptorInputs inputs(std::size_t p) const;
    void refresh_inputs();

    const ModelSpec& model_;
    Communicator& comm_;
    std::uint64_t K_ = 1;
    double dt_s_ = 1e-3;
    Pools pools_;
    Pharmacokinetics pk_;
    std::vector<std::unique_ptr<Neuromodulation>> mods_;
    std::vector<ReceptorInputs> inputs_;        // per population, for the step being taken
    std::vector<std::vector<std::size_t>> releases_of_;  // per population: release indices
    std::vector<std::uint64_t> counts_;         // per release, current chemistry step
    std::vector<double> km_factor_;             // per uptake
    std::vector<std::string> trace_names_;
    std::uint64_t sample_every_ = 1;
};

}  // namespace neurochem

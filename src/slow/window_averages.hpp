// Window averages: what a fast window tells the slow equations about the step it stands for.
// A plug-in of the fast loop (core/plugin.hpp) that, while active (the measured part of a
// window, after settling), accumulates at every chemistry step
//   shared:      pool concentrations, drug plasma and target concentrations, target occupancies
//   per neuron:  occupancy, activation, desensitisation of every expressed receptor; cAMP, CREB
// and, at the end of the window, population rates from the spike counts of the network's
// statistics (integers: exact on any layout). Per-neuron means feed per-neuron slow equations;
// population means (fixed-point sums over neurons, exact over ranks) go to the output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "chem/neuromodulation.hpp"
#include "core/plugin.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

class Chemistry;
class Communicator;
class NetworkStats;
class StateRegistry;
struct NetworkLayout;

/// The averages of one window.
struct WindowResult {
    double measured_s = 0;        ///< simulated seconds averaged over
    double exercise = 0;          ///< 1 in an exercise session (set by the course)
    double begin_h = 0;           ///< calendar hour the step begins (set by the course)
    std::vector<double> rate_Hz;  ///< per population
    std::vector<double> pool_uM;  ///< per pool (Pools order)
    std::vector<double> plasma_uM, target_uM;  ///< per drug
    std::vector<double> occupancy;             ///< per drug target (DrugTarget order), drugs alone
    /// Per population with neuromodulation, per tracked quantity: per local neuron means.
    std::vector<std::vector<std::vector<double>>> neuron;
    /// The same as population means (every process), same indexing.
    std::vector<std::vector<double>> population;
    /// Index of quantity (receptor type name or messenger, and what) in `neuron[p]`, or -1.
    int index(std::size_t p, const std::string& receptor, Neuromodulation::Quantity q) const;
    std::vector<std::vector<std::string>> names;  ///< per population: "5HT1A/activation", "CREB"
};

class WindowAverager final : public FastPlugin {
  public:
    WindowAverager(const ModelSpec& model, const NetworkLayout& layout, const NetworkStats& stats,
                   const Chemistry* chemistry, Communicator& comm);

    /// Starts the measured part of a window (collective): clears the sums, remembers the spike
    /// counts, becomes active.
    void begin();
    /// Ends it (collective): the averages over `measured_steps` steps of dt_ms.
    WindowResult end(std::uint64_t measured_steps);
    bool active() const { return active_ != 0; }

    // FastPlugin
    std::uint64_t steps_per_step() const override { return K_; }
    void step_shared(std::uint64_t end_step, double calendar_h) override;
    void step_neurons(int d, std::size_t p, std::size_t lo, std::size_t hi) override;
    void register_state(StateRegistry& registry) override;

    /// Output names and units of the population means, pools, drugs (in WindowResult order).
    const std::vector<std::vector<std::string>>& quantity_names() const { return names_; }

  private:
    struct Tracked {
        Neuromodulation::Quantity q;
        std::size_t receptor;
    };
    std::vector<std::uint64_t> population_spikes() const;  // collective: per population, all ranks
    const ModelSpec& model_;
    const NetworkLayout& layout_;
    const NetworkStats& stats_;
    const Chemistry* chem_;
    Communicator& comm_;
    std::uint64_t K_ = 0;
    std::uint64_t active_ = 0;
    std::uint64_t samples_ = 0;
    std::vector<std::uint64_t> spikes_at_begin_;         // per population, all ranks
    std::vector<double> shared_sum_;                     // pools, plasma, target, occupancy
    std::vector<std::vector<Tracked>> tracked_;          // per population
    std::vector<std::vector<std::vector<double>>> sum_;  // per population, tracked, local neuron
    std::vector<std::vector<std::string>> names_;
};

}  // namespace neurochem

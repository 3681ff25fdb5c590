// The plasticity plug-in of the fast loop (core/plugin.hpp). The per-spike work of plastic
// projections (delivery, STDP at pre and post spikes, traces) is done in the network's delivery
// (core/network.cpp, core/synapse/plastic_block.cpp); this plug-in adds what happens on a
// schedule and the state:
//   three_factor   the mean dopamine deviation of the post population's region over each
//                  update interval (sampled at every chemistry step), turned into weight changes
//   scaling        homeostatic scaling of every neuron's incoming weights each scaling interval
//   state          weights and eligibility in canonical (target, source, draw) order, the
//                  traces, and the dopamine sums, for checkpoints
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/plugin.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

class Chemistry;
class Communicator;
class Network;

class Plasticity final : public FastPlugin {
  public:
    Plasticity(const ModelSpec& model, Network& network, const Chemistry* chemistry,
               Communicator& comm);

    /// The plug-in step (in simulation steps) the model needs, or 0: known from the
    /// description alone (the network cuts its epochs to divide it).
    static std::uint64_t step_of(const ModelSpec& model);

    std::uint64_t steps_per_step() const override { return K_; }
    void step_shared(std::uint64_t end_step, double calendar_h) override;
    void step_neurons(int d, std::size_t p, std::size_t lo, std::size_t hi) override;
    void register_state(StateRegistry& registry) override;

    /// Collective: this process's weights of projection k in canonical order, their global
    /// offset and the projection's total (sources and targets population-local).
    struct Edges {
        std::vector<std::uint64_t> source, target;
        std::vector<double> weight;
        std::uint64_t offset = 0, total = 0;
    };
    Edges edges(std::size_t k) const;
    /// The projections with plastic weights (ModelSpec::projections indices).
    std::vector<std::size_t> plastic_projections() const;
    /// Collective: the mean weight of projection k over all processes (fixed-point sums, the same
    /// on any layout), in the projection's weight unit.
    double mean_weight(std::size_t k) const;
    /// BDNF/TrkB gating by the slow layer: multiplies the learning rate of three-factor projection
    /// k by `gain` from the next update on, or the potentiation amplitudes of an STDP projection
    /// from the next spike on (depression ungated); 1 at construction. Not state: the slow layer
    /// sets it again from its own state before every window, restored runs included.
    void set_learning_gain(std::size_t k, double gain);
    /// Forgetting over `dt_h` hours of the slow clock: every weight of each projection with
    /// tau_forget relaxes toward its initial value by exp(-dt / tau_forget). In projections with
    /// an early stage (tau_early), the part 1 - `capture` of each weight's change since the last
    /// call joins its early change, which decays by exp(-dt / tau_early) instead. Each block is
    /// its own, so the result is the same on any layout.
    void forget(double dt_h, double capture = 1.0);

  private:
    /// Collective: this process's offset in the canonical order and the total of projection k.
    std::pair<std::uint64_t, std::uint64_t> extent(std::size_t k) const;
    struct Project {
        std::size_t k;             // projection index
        std::uint64_t update = 0;  // three-factor interval, steps (0: none)
        std::uint64_t scale = 0;   // scaling interval, steps (0: none)
        int da_pool = -1;          // three-factor: index of the DA pool
        double baseline = 0.0;
        double da_sum = 0.0;  // sum of (DA - baseline) over the chemistry steps so far
        std::uint64_t da_samples = 0;
        double modulation = 0.0;     // mean over the interval just ended
        double learning_gain = 1.0;  // multiplies the learning rate (set by the slow layer)
    };
    const ModelSpec& model_;
    Network& net_;
    const Chemistry* chem_;
    Communicator& comm_;
    std::uint64_t K_ = 0, K_chem_ = 0;
    std::uint64_t end_ = 0;  // the step being taken
    std::vector<Project> projects_;
};

}  // namespace neurochem

// Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005, J Neurophysiol
// 94:3637) with exponentially decaying synaptic conductances:
//   C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_T)/Delta_T) + sum_p g_p (E_p - V) - w + I_e
//   tau_w dw/dt = a (V - E_L) - w
// A spike is emitted when V reaches V_peak: V -> V_reset, w -> w + b.
// Integration: Heun's method (explicit trapezoidal rule, 2nd order) with the conductances held
// at t_n over the step; the exponential's argument is capped at (V_peak - V_T)/Delta_T so the
// stages stay finite. During the refractory period V is clamped at V_reset and w relaxes
// exactly towards a (V_reset - E_L). Accuracy against a fine RK4 reference: tests/unit.
#pragma once

#include "core/neuron/neuron_group.hpp"

namespace neurochem {

class AdexGroup final : public NeuronGroup {
public:
    AdexGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed, IndexRange local,
              std::uint64_t first_gid);
    void initialize(std::size_t lo, std::size_t hi) override;
    void step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
              const Modulation& mod, std::vector<Spike>& spikes) override;
    std::span<const double> synaptic_state(std::size_t p) const override { return g_[p]; }
    std::span<const double> w_pA() const { return w_; }

private:
    void add_state_arrays(std::vector<StateArray>& out) override {
        out.push_back({"w", w_, {}, false, "pA"});
        for (std::size_t p = 0; p < g_.size(); ++p) out.push_back({"syn:" + spec_.receptors[p].name, g_[p], {}, false, "nS"});
    }
    // Derived constants.
    double g_L_nS_;
    double exp_arg_max_;  // (V_peak - V_T) / Delta_T
    double w_decay_ref_;  // exp(-dt / tau_w)
    std::vector<double> E_rev_mV_, g_decay_;
    // State.
    std::vector<double> w_;                // adaptation current, pA
    std::vector<std::vector<double>> g_;   // per port conductance, nS
    std::vector<double> g_tot_, g_E_;      // scratch
};

}  // namespace neurochem

// Leaky integrate-and-fire neuron with exponentially decaying synaptic conductances:
//   C_m dV/dt = g_L (E_L - V) + sum_p g_p (E_p - V) + I_e,   dg_p/dt = -g_p / tau_p
// Integration (exponential Euler, as Brian2's 'exponential_euler'): over a step the
// conductances are held at their value at t_n, so V relaxes exactly towards
//   V_inf = (g_L E_L + sum_p g_p E_p + I_e) / g_tot  with time constant C_m / g_tot,
// and each g_p decays exactly by exp(-dt/tau_p). Exact when no synaptic input is present;
// first-order accurate in dt otherwise. Parameters: docs/model/neurons.md.
// Options (Auryn's IFGroup, Zenke et al. 2013): an NMDA conductance that low-pass filters the
// "exc" (AMPA) conductance, g_nmda += (g_ampa - g_nmda)(1 - exp(-dt/tau_nmda)), the excitation
// then being r/(r+1) g_ampa + 1/(r+1) g_nmda; and a threshold that jumps at a spike and decays
// (relative refractoriness), spiking when V >= V_th + theta.
#pragma once

#include "core/neuron/neuron_group.hpp"

namespace neurochem {

class LifCobaGroup final : public NeuronGroup {
public:
    LifCobaGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed, IndexRange local,
                 std::uint64_t first_gid);
    void initialize(std::size_t lo, std::size_t hi) override;
    void step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
              const Modulation& mod, std::vector<Spike>& spikes) override;
    std::span<const double> synaptic_state(std::size_t p) const override { return g_[p]; }

private:
    void add_state_arrays(std::vector<StateArray>& out) override {
        for (std::size_t p = 0; p < g_.size(); ++p) out.push_back({"syn:" + spec_.receptors[p].name, g_[p], {}, false, "nS"});
        if (!g_nmda_.empty()) out.push_back({"syn:nmda", g_nmda_, {}, false, "nS"});
        if (!theta_.empty()) out.push_back({"threshold_offset", theta_, {}, false, "mV"});
    }
    void step_general(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input, const Modulation& mod,
                      std::vector<Spike>& spikes);
    void threshold_dynamic(std::size_t lo, std::size_t hi, std::uint64_t n, std::vector<Spike>& spikes);
    // Derived constants.
    double g_L_nS_;                  // C_m / tau_m
    double dt_over_C_;               // ms / pF
    std::vector<double> E_rev_mV_;   // per port
    std::vector<double> g_decay_;    // per port: exp(-dt / tau_syn)
    double a_ampa_ = 1.0, a_nmda_ = 0.0, nmda_rise_ = 0.0;  // NMDA option
    double theta_decay_ = 0.0;                               // dynamic threshold option
    // State.
    std::vector<std::vector<double>> g_;  // per port, per neuron: conductance, nS
    std::vector<double> g_nmda_;          // NMDA option: nS
    std::vector<double> theta_;           // dynamic threshold option: mV above V_th
    // Scratch (per neuron, reused every step; no allocation in the step).
    std::vector<double> g_tot_, g_E_;
};

}  // namespace neurochem

// Leaky integrate-and-fire neuron with current-based synapses, integrated exactly
// (Rotter & Diesmann 1999, Biol Cybern 81:381):
//   C_m dV/dt = -(C_m/tau_m)(V - E_L) + sum_p I_p + I_e
//   lif_cuba_exp:   dI_p/dt = -I_p / tau_p; a spike adds its weight (pA) to I_p at arrival.
//   lif_cuba_delta: a spike adds its weight (mV) to V at arrival (discarded while refractory).
// Over a step, V(t+h) = E_L + (V - E_L) P22 + sum_p I_p P21_p + I_e P20 with
//   P22 = exp(-h/tau_m), P20 = tau_m/C_m (1 - P22),
//   P21_p = tau_m tau_p / (C_m (tau_p - tau_m)) (exp(-h/tau_p) - exp(-h/tau_m))
// (the limit h/C_m exp(-h/tau_m) when tau_p == tau_m). Parameters: docs/model/neurons.md.
#pragma once

#include "core/neuron/neuron_group.hpp"

namespace neurochem {

class LifCubaGroup final : public NeuronGroup {
public:
    LifCubaGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed, IndexRange local,
                 std::uint64_t first_gid);
    void initialize(std::size_t lo, std::size_t hi) override;
    void step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
              const Modulation& mod, std::vector<Spike>& spikes) override;
    std::span<const double> synaptic_state(std::size_t p) const override {
        return delta_ ? std::span<const double>{} : std::span<const double>{I_[p]};
    }

    /// The propagator P21 above, exposed for tests.
    static double p21(double h_ms, double tau_m_ms, double tau_syn_ms, double C_m_pF);

private:
    void add_state_arrays(std::vector<StateArray>& out) override {
        for (std::size_t p = 0; p < I_.size(); ++p) out.push_back({"syn:" + spec_.receptors[p].name, I_[p], {}, false, "pA"});
    }
    bool delta_;
    // Derived constants.
    double P22_, P20_;
    std::vector<double> P21_, P11_;  // per port
    // State: synaptic current per port and neuron, pA (unused for delta synapses).
    std::vector<std::vector<double>> I_;
    std::vector<double> drive_;  // scratch: summed synaptic term of the step, mV
};

}  // namespace neurochem

#include "core/neuron/lif_coba.hpp"

#include "core/exp.hpp"

#include <cmath>

namespace neurochem {

LifCobaGroup::LifCobaGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed,
                           IndexRange local, std::uint64_t first_gid)
    : NeuronGroup(spec, dt_ms, seed, local, first_gid),
      g_L_nS_(spec.C_m_pF / spec.tau_m_ms),
      dt_over_C_(dt_ms / spec.C_m_pF),
      g_(spec.receptors.size(), std::vector<double>(local.size())),
      g_tot_(local.size()),
      g_E_(local.size()) {
    for (const auto& r : spec.receptors) {
        E_rev_mV_.push_back(r.E_rev_mV);
        g_decay_.push_back(std::exp(-dt_ms / r.tau_syn_ms));
    }
}

void LifCobaGroup::initialize(std::size_t lo, std::size_t hi) {
    initialize_membrane(lo, hi);
    for (std::size_t p = 0; p < g_.size(); ++p) {
        const auto& r = spec_.receptors[p];
        const std::string var = "syn:" + r.name;
        for (std::size_t i = lo; i < hi; ++i) g_[p][i] = draw_initial(r.init, var, i, "init");
    }
}

void LifCobaGroup::step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
                        const Modulation& mod, std::vector<Spike>& spikes) {
    const double gL = g_L_nS_;
    const double base_current = gL * spec_.E_L_mV + spec_.I_e_pA;
    for (std::size_t i = lo; i < hi; ++i) {
        g_tot_[i] = gL;
        g_E_[i] = base_current;
    }
    add_modulation(mod, lo, hi, g_tot_.data(), g_E_.data());
    // Synaptic input arriving at t_n, then the conductances' contribution over the step.
    for (std::size_t p = 0; p < g_.size(); ++p) {
        double* g = g_[p].data();
        double* in = input[p];
        const double E = E_rev_mV_[p];
        const double decay = g_decay_[p];
        const double* gain = p < mod.port_gain.size() ? mod.port_gain[p] : nullptr;
        for (std::size_t i = lo; i < hi; ++i) {
            const double gi = g[i] + (gain ? in[i] * gain[i] : in[i]);
            in[i] = 0.0;
            g_tot_[i] += gi;
            g_E_[i] += gi * E;
            g[i] = gi * decay;
        }
    }
    // The relaxation of every neuron (vectorisable; refractory neurons are computed and
    // discarded), then threshold and reset.
    const double k = -dt_over_C_;
    for (std::size_t i = lo; i < hi; ++i) {
        const double V_inf = g_E_[i] / g_tot_[i];
        g_E_[i] = V_inf + (V_[i] - V_inf) * exp_det(k * g_tot_[i]);  // scratch: the new V
    }
    threshold_and_reset(lo, hi, n, g_E_.data(), spikes);
}

}  // namespace neurochem

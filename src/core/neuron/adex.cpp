#include "core/neuron/adex.hpp"
#include "util/detmath.hpp"

#include <algorithm>
#include <cmath>

namespace neurochem {

AdexGroup::AdexGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed,
                     IndexRange local, std::uint64_t first_gid)
    : NeuronGroup(spec, dt_ms, seed, local, first_gid),
      g_L_nS_(spec.C_m_pF / spec.tau_m_ms),
      exp_arg_max_((spec.V_peak_mV - spec.V_th_mV) / spec.Delta_T_mV),
      w_decay_ref_(exp_det(-dt_ms / spec.tau_w_ms)),
      w_(local.size()),
      g_(spec.receptors.size(), std::vector<double>(local.size())),
      g_tot_(local.size()),
      g_E_(local.size()) {
    for (const auto& r : spec.receptors) {
        E_rev_mV_.push_back(r.E_rev_mV);
        g_decay_.push_back(exp_det(-dt_ms / r.tau_syn_ms));
    }
}

void AdexGroup::initialize(std::size_t lo, std::size_t hi) {
    initialize_membrane(lo, hi);
    for (std::size_t i = lo; i < hi; ++i) w_[i] = draw_initial(spec_.w_init, "w", i, "w_init");
    for (std::size_t p = 0; p < g_.size(); ++p) {
        const auto& r = spec_.receptors[p];
        const std::string var = "syn:" + r.name;
        for (std::size_t i = lo; i < hi; ++i) g_[p][i] = draw_initial(r.init, var, i, "init");
    }
}

void AdexGroup::step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
                     const Modulation& mod, std::vector<Spike>& spikes) {
    const auto& s = spec_;
    const double gL = g_L_nS_;
    for (std::size_t i = lo; i < hi; ++i) {
        g_tot_[i] = gL;
        g_E_[i] = gL * s.E_L_mV + s.I_e_pA;
    }
    add_modulation(mod, lo, hi, g_tot_.data(), g_E_.data());
    for (std::size_t p = 0; p < g_.size(); ++p) {
        double* g = g_[p].data();
        double* in = input[p];
        const double* gain = p < mod.port_gain.size() ? mod.port_gain[p] : nullptr;
        for (std::size_t i = lo; i < hi; ++i) {
            const double gi = g[i] + (gain ? in[i] * gain[i] : in[i]);
            in[i] = 0.0;
            g_tot_[i] += gi;
            g_E_[i] += gi * E_rev_mV_[p];
            g[i] = gi * g_decay_[p];
        }
    }
    const double h = dt_ms_;
    const double inv_C = 1.0 / s.C_m_pF;
    const double inv_tau_w = 1.0 / s.tau_w_ms;
    const double w_inf_ref = s.a_nS * (s.V_reset_mV - s.E_L_mV);
    for (std::size_t i = lo; i < hi; ++i) {
        double w = w_[i];
        if (ref_left_[i] > 0) {
            --ref_left_[i];
            w_[i] = w_inf_ref + (w - w_inf_ref) * w_decay_ref_;
            continue;
        }
        const double gt = g_tot_[i];
        const double gE = g_E_[i];
        auto dV = [&](double V, double wv) {
            const double x = std::min((V - s.V_th_mV) / s.Delta_T_mV, exp_arg_max_);
            return (gE - gt * V + gL * s.Delta_T_mV * exp_det(x) - wv) * inv_C;
        };
        auto dw = [&](double V, double wv) { return (s.a_nS * (V - s.E_L_mV) - wv) * inv_tau_w; };
        double V = V_[i];
        const double k1V = dV(V, w);
        const double k1w = dw(V, w);
        const double V1 = V + h * k1V;
        const double w1 = w + h * k1w;
        if (V1 >= s.V_peak_mV) {
            V = V1;
            w = w1;
        } else {
            V = V + 0.5 * h * (k1V + dV(V1, w1));
            w = w + 0.5 * h * (k1w + dw(V1, w1));
        }
        if (V >= s.V_peak_mV) {
            spikes.push_back({n + 1, first_gid_ + i});
            V = s.V_reset_mV;
            w += s.b_pA;
            ref_left_[i] = ref_steps_;
        }
        V_[i] = V;
        w_[i] = w;
    }
}

}  // namespace neurochem

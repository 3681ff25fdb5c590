#include "core/neuron/lif_cuba.hpp"

#include <cmath>

namespace neurochem {

double LifCubaGroup::p21(double h, double tau_m, double tau_s, double C) {
    // exp(-h/tau_s) - exp(-h/tau_m) = exp(-h/tau_m) * expm1(h * delta), delta = 1/tau_m - 1/tau_s
    const double delta = 1.0 / tau_m - 1.0 / tau_s;
    const double e_m = std::exp(-h / tau_m);
    if (std::fabs(h * delta) < 1e-12) return h / C * e_m;
    return e_m * std::expm1(h * delta) / (C * delta);
}

LifCubaGroup::LifCubaGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed,
                           IndexRange local, std::uint64_t first_gid)
    : NeuronGroup(spec, dt_ms, seed, local, first_gid),
      delta_(spec.model == NeuronModel::lif_cuba_delta),
      P22_(std::exp(-dt_ms / spec.tau_m_ms)),
      P20_(-spec.tau_m_ms / spec.C_m_pF * std::expm1(-dt_ms / spec.tau_m_ms)),
      I_(delta_ ? 0 : spec.receptors.size(), std::vector<double>(local.size())),
      drive_(local.size()) {
    for (const auto& r : spec.receptors) {
        P21_.push_back(delta_ ? 0.0 : p21(dt_ms, spec.tau_m_ms, r.tau_syn_ms, spec.C_m_pF));
        P11_.push_back(delta_ ? 0.0 : std::exp(-dt_ms / r.tau_syn_ms));
    }
}

void LifCubaGroup::initialize(std::size_t lo, std::size_t hi) {
    initialize_membrane(lo, hi);
    for (std::size_t p = 0; p < I_.size(); ++p) {
        const auto& r = spec_.receptors[p];
        const std::string var = "syn:" + r.name;
        for (std::size_t i = lo; i < hi; ++i) I_[p][i] = draw_initial(r.init, var, i, "init");
    }
}

void LifCubaGroup::step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
                        const Modulation& mod, std::vector<Spike>& spikes) {
    const std::size_t ports = spec_.receptors.size();
    for (std::size_t i = lo; i < hi; ++i) drive_[i] = 0.0;
    for (std::size_t p = 0; p < ports; ++p) {
        double* in = input[p];
        const double* gain = p < mod.port_gain.size() ? mod.port_gain[p] : nullptr;
        if (delta_) {
            for (std::size_t i = lo; i < hi; ++i) {
                drive_[i] += gain ? in[i] * gain[i] : in[i];
                in[i] = 0.0;
            }
        } else {
            double* I = I_[p].data();
            const double P21 = P21_[p];
            const double P11 = P11_[p];
            for (std::size_t i = lo; i < hi; ++i) {
                const double Ii = I[i] + (gain ? in[i] * gain[i] : in[i]);
                in[i] = 0.0;
                drive_[i] += Ii * P21;
                I[i] = Ii * P11;
            }
        }
    }
    // The new V of every neuron (refractory ones are computed and discarded), then threshold
    // and reset; drive_ becomes the new V.
    const double E_L = spec_.E_L_mV;
    const double constant_term = spec_.I_e_pA * P20_;
    const double* I_mod = mod.I_pA;  // conductance effects are refused for current-based models
    const double P22 = P22_, P20 = P20_;
    const double* V = V_.data();
    double* d = drive_.data();
    if (delta_) {
        for (std::size_t i = lo; i < hi; ++i) {
            const double c = I_mod ? constant_term + I_mod[i] * P20 : constant_term;
            d[i] = E_L + (V[i] + d[i] - E_L) * P22 + c;
        }
    } else {
        for (std::size_t i = lo; i < hi; ++i) {
            const double c = I_mod ? constant_term + I_mod[i] * P20 : constant_term;
            d[i] = E_L + (V[i] - E_L) * P22 + d[i] + c;
        }
    }
    threshold_and_reset(lo, hi, n, d, spikes);
}

}  // namespace neurochem

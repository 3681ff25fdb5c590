#include "core/neuron/lif_cuba.hpp"
#include "util/detmath.hpp"

#include <cmath>

#include "core/simd.hpp"

namespace neurochem {

double LifCubaGroup::p21(double h, double tau_m, double tau_s, double C) {
    // exp(-h/tau_s) - exp(-h/tau_m) = exp(-h/tau_m) * expm1(h * delta), delta = 1/tau_m - 1/tau_s
    const double delta = 1.0 / tau_m - 1.0 / tau_s;
    const double e_m = exp_det(-h / tau_m);
    if (std::fabs(h * delta) < 1e-12) return h / C * e_m;
    return e_m * expm1_det(h * delta) / (C * delta);
}

LifCubaGroup::LifCubaGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed,
                           IndexRange local, std::uint64_t first_gid)
    : NeuronGroup(spec, dt_ms, seed, local, first_gid),
      delta_(spec.model == NeuronModel::lif_cuba_delta),
      P22_(exp_det(-dt_ms / spec.tau_m_ms)),
      P20_(-spec.tau_m_ms / spec.C_m_pF * expm1_det(-dt_ms / spec.tau_m_ms)),
      I_(delta_ ? 0 : spec.receptors.size(), std::vector<double>(local.size())),
      drive_(local.size()) {
    for (const auto& r : spec.receptors) {
        P21_.push_back(delta_ ? 0.0 : p21(dt_ms, spec.tau_m_ms, r.tau_syn_ms, spec.C_m_pF));
        P11_.push_back(delta_ ? 0.0 : exp_det(-dt_ms / r.tau_syn_ms));
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

namespace {
// Input arriving at t_n at one port: added to the drive (delta synapses) or to the synaptic
// current, whose exact propagation over the step adds I P21 to V (exponential synapses).
NEUROCHEM_KERNEL
void add_port(std::size_t lo, std::size_t hi, double* __restrict in, const double* __restrict gain,
              double* __restrict drive, double* __restrict I, double P21, double P11) {
    for (std::size_t i = lo; i < hi; ++i) {
        const double x = gain ? in[i] * gain[i] : in[i];
        in[i] = 0.0;
        if (I) {
            const double Ii = I[i] + x;
            drive[i] += Ii * P21;
            I[i] = Ii * P11;
        } else {
            drive[i] += x;
        }
    }
}

// The new V of every neuron (refractory ones are computed and discarded later); the drive
// becomes the new V.
NEUROCHEM_KERNEL
void propagate(std::size_t lo, std::size_t hi, bool delta, double* __restrict d, const double* __restrict V,
               const double* __restrict I_mod, double E_L, double P22, double P20, double constant_term) {
    for (std::size_t i = lo; i < hi; ++i) {
        const double c = I_mod ? constant_term + I_mod[i] * P20 : constant_term;
        d[i] = delta ? E_L + (V[i] + d[i] - E_L) * P22 + c : E_L + (V[i] - E_L) * P22 + d[i] + c;
    }
}
}  // namespace

void LifCubaGroup::step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
                        const Modulation& mod, std::vector<Spike>& spikes) {
    for (std::size_t i = lo; i < hi; ++i) drive_[i] = 0.0;
    for (std::size_t p = 0; p < spec_.receptors.size(); ++p) {
        add_port(lo, hi, input[p], p < mod.port_gain.size() ? mod.port_gain[p] : nullptr, drive_.data(),
                 delta_ ? nullptr : I_[p].data(), P21_[p], P11_[p]);
    }
    // mod.I_pA: conductance effects are refused for current-based models.
    propagate(lo, hi, delta_, drive_.data(), V_.data(), mod.I_pA, spec_.E_L_mV, P22_, P20_, spec_.I_e_pA * P20_);
    threshold_and_reset(lo, hi, n, drive_.data(), spikes);
}

}  // namespace neurochem

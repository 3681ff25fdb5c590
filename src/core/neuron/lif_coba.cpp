#include "core/neuron/lif_coba.hpp"
#include "util/detmath.hpp"

#include "util/exp.hpp"
#include "core/simd.hpp"

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
        g_decay_.push_back(exp_det(-dt_ms / r.tau_syn_ms));
    }
    if (spec.ampa_nmda_ratio > 0) {
        a_ampa_ = spec.ampa_nmda_ratio / (spec.ampa_nmda_ratio + 1.0);
        a_nmda_ = 1.0 / (spec.ampa_nmda_ratio + 1.0);
        nmda_rise_ = -expm1_det(-dt_ms / spec.tau_nmda_ms);
        g_nmda_.assign(local.size(), 0.0);
    }
    if (spec.threshold_jump_mV > 0) {
        theta_decay_ = exp_det(-dt_ms / spec.tau_threshold_ms);
        theta_.assign(local.size(), 0.0);
    }
}

void LifCobaGroup::initialize(std::size_t lo, std::size_t hi) {
    initialize_membrane(lo, hi);
    for (std::size_t i = lo; i < hi && !g_nmda_.empty(); ++i) g_nmda_[i] = 0.0;
    for (std::size_t i = lo; i < hi && !theta_.empty(); ++i) theta_[i] = 0.0;
    for (std::size_t p = 0; p < g_.size(); ++p) {
        const auto& r = spec_.receptors[p];
        const std::string var = "syn:" + r.name;
        for (std::size_t i = lo; i < hi; ++i) g_[p][i] = draw_initial(r.init, var, i, "init");
    }
}

namespace {
// Synaptic input of one port arriving at t_n, then the conductance's share of the totals and
// its decay over the step.
NEUROCHEM_KERNEL
void add_port(std::size_t lo, std::size_t hi, double* __restrict g, double* __restrict in,
              const double* __restrict gain, double* __restrict g_tot, double* __restrict g_E, double E,
              double decay) {
    if (gain) {
        for (std::size_t i = lo; i < hi; ++i) {
            const double gi = g[i] + in[i] * gain[i];
            in[i] = 0.0;
            g_tot[i] += gi;
            g_E[i] += gi * E;
            g[i] = gi * decay;
        }
    } else {
        for (std::size_t i = lo; i < hi; ++i) {
            const double gi = g[i] + in[i];
            in[i] = 0.0;
            g_tot[i] += gi;
            g_E[i] += gi * E;
            g[i] = gi * decay;
        }
    }
}

// The exponential-Euler relaxation of every neuron towards V_inf = g_E / g_tot; g_E becomes
// the new V (refractory neurons are computed and discarded later).
NEUROCHEM_KERNEL
void relax(std::size_t lo, std::size_t hi, double* __restrict g_E, const double* __restrict g_tot,
           const double* __restrict V, double minus_dt_over_C) {
    for (std::size_t i = lo; i < hi; ++i) {
        const double V_inf = g_E[i] / g_tot[i];
        g_E[i] = V_inf + (V[i] - V_inf) * exp_det(minus_dt_over_C * g_tot[i]);
    }
}

// Both steps fused for the common case of two ports and no neuromodulation: one pass over
// the state instead of four. The sums are formed in the same order as by add_port and relax
// (g_tot = (g_L + g_0) + g_1, g_E = (g_L E_L + I_e + g_0 E_0) + g_1 E_1): the same bits.
NEUROCHEM_KERNEL
void step_two_ports(std::size_t lo, std::size_t hi, double* __restrict g0, double* __restrict g1,
                    double* __restrict in0, double* __restrict in1, double* __restrict V,
                    std::int32_t* __restrict left, double gL, double base_current,
                    double E0, double E1, double decay0, double decay1, double minus_dt_over_C, double V_th,
                    double V_reset, double ref) {
    for (std::size_t i = lo; i < hi; ++i) {
        const double a = g0[i] + in0[i];
        const double b = g1[i] + in1[i];
        in0[i] = 0.0;
        in1[i] = 0.0;
        const double g_tot = (gL + a) + b;
        const double g_E = (base_current + a * E0) + b * E1;
        g0[i] = a * decay0;
        g1[i] = b * decay1;
        const double V_inf = g_E / g_tot;
        const double v_old = V[i];
        const double v_new = V_inf + (v_old - V_inf) * exp_det(minus_dt_over_C * g_tot);
        const double r = left[i];
        const bool active = r <= 0;
        const bool fire = active & (v_new >= V_th);
        V[i] = fire ? V_reset : (active ? v_new : v_old);
        left[i] = static_cast<std::int32_t>(fire ? ref : (active ? r : r - 1));
    }
}

// Auryn's IFGroup in one branch-free pass (two ports, "exc" with its NMDA share, a dynamic
// threshold, no neuromodulation): the same operations in the same order as the general path, so
// the same bits. The neurons that fired are then those whose threshold offset equals the jump
// exactly (a decayed offset is always below it).
NEUROCHEM_KERNEL
void step_nmda_threshold(std::size_t lo, std::size_t hi, double* __restrict g0, double* __restrict g1,
                         double* __restrict gn, double* __restrict in0, double* __restrict in1, double* __restrict V,
                         double* __restrict theta, std::int32_t* __restrict left, double gL, double base_current,
                         double a_ampa, double a_nmda, double rise, double E0, double E1, double decay0, double decay1,
                         double minus_dt_over_C, double V_th, double V_reset, double jump, double theta_decay,
                         double ref) {
    for (std::size_t i = lo; i < hi; ++i) {
        const double ga = g0[i] + in0[i];
        const double gb = g1[i] + in1[i];
        in0[i] = 0.0;
        in1[i] = 0.0;
        const double ge = a_ampa * ga + a_nmda * gn[i];
        const double g_tot = (gL + ge) + gb;
        const double g_E = (base_current + ge * E0) + gb * E1;
        gn[i] += (ga - gn[i]) * rise;
        g0[i] = ga * decay0;
        g1[i] = gb * decay1;
        const double V_inf = g_E / g_tot;
        const double v_old = V[i];
        const double v_new = V_inf + (v_old - V_inf) * exp_det(minus_dt_over_C * g_tot);
        const double th = theta[i] * theta_decay;
        const double r = left[i];
        const bool active = r <= 0;
        const bool fire = active & (v_new >= V_th + th);
        V[i] = fire ? V_reset : (active ? v_new : v_old);
        left[i] = static_cast<std::int32_t>(fire ? ref : (active ? r : r - 1));
        theta[i] = fire ? jump : th;
    }
}

NEUROCHEM_KERNEL
void collect_jumped(std::size_t lo, std::size_t hi, const double* __restrict theta, double jump, std::uint64_t step,
                    std::uint64_t first_gid, std::vector<Spike>& spikes) {
    constexpr std::size_t block = 32;
    std::size_t i = lo;
    for (; i + block <= hi; i += block) {
        int any = 0;
        for (std::size_t k = 0; k < block; ++k) any |= theta[i + k] == jump;
        if (!any) continue;
        for (std::size_t k = 0; k < block; ++k) {
            if (theta[i + k] == jump) spikes.push_back({step, first_gid + i + k});
        }
    }
    for (; i < hi; ++i) {
        if (theta[i] == jump) spikes.push_back({step, first_gid + i});
    }
}

// The neurons that fired in the step just taken: with a refractory period of at least one
// step, exactly those whose counter now holds the full period (a counter never exceeds it).
// Blocks of 32 without a spike are skipped after one vectorised test.
NEUROCHEM_KERNEL
void collect_fired(std::size_t lo, std::size_t hi, const std::int32_t* __restrict left, std::int32_t ref,
                   std::uint64_t step, std::uint64_t first_gid, std::vector<Spike>& spikes) {
    constexpr std::size_t block = 32;
    std::size_t i = lo;
    for (; i + block <= hi; i += block) {
        int any = 0;
        for (std::size_t k = 0; k < block; ++k) any |= left[i + k] == ref;
        if (!any) continue;
        for (std::size_t k = 0; k < block; ++k) {
            if (left[i + k] == ref) spikes.push_back({step, first_gid + i + k});
        }
    }
    for (; i < hi; ++i) {
        if (left[i] == ref) spikes.push_back({step, first_gid + i});
    }
}
}  // namespace

void LifCobaGroup::step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
                        const Modulation& mod, std::vector<Spike>& spikes) {
    const double gL = g_L_nS_;
    const double base_current = gL * spec_.E_L_mV + spec_.I_e_pA;
    if (!g_nmda_.empty() && !theta_.empty() && g_.size() == 2 && !mod.active()) {
        step_nmda_threshold(lo, hi, g_[0].data(), g_[1].data(), g_nmda_.data(), input[0], input[1], V_.data(),
                            theta_.data(), ref_left_.data(), gL, base_current, a_ampa_, a_nmda_, nmda_rise_,
                            E_rev_mV_[0], E_rev_mV_[1], g_decay_[0], g_decay_[1], -dt_over_C_, spec_.V_th_mV,
                            spec_.V_reset_mV, spec_.threshold_jump_mV, theta_decay_, ref_steps_);
        collect_jumped(lo, hi, theta_.data(), spec_.threshold_jump_mV, n + 1, first_gid_, spikes);
        return;
    }
    if (!g_nmda_.empty() || !theta_.empty()) {
        step_general(lo, hi, n, input, mod, spikes);
        return;
    }
    if (g_.size() == 2 && !mod.active() && ref_steps_ >= 1) {
        step_two_ports(lo, hi, g_[0].data(), g_[1].data(), input[0], input[1], V_.data(), ref_left_.data(),
                       gL, base_current, E_rev_mV_[0], E_rev_mV_[1], g_decay_[0], g_decay_[1], -dt_over_C_,
                       spec_.V_th_mV, spec_.V_reset_mV, ref_steps_);
        collect_fired(lo, hi, ref_left_.data(), ref_steps_, n + 1, first_gid_, spikes);
        return;
    }
    for (std::size_t i = lo; i < hi; ++i) {
        g_tot_[i] = gL;
        g_E_[i] = base_current;
    }
    add_modulation(mod, lo, hi, g_tot_.data(), g_E_.data());
    for (std::size_t p = 0; p < g_.size(); ++p) {
        add_port(lo, hi, g_[p].data(), input[p], p < mod.port_gain.size() ? mod.port_gain[p] : nullptr,
                 g_tot_.data(), g_E_.data(), E_rev_mV_[p], g_decay_[p]);
    }
    relax(lo, hi, g_E_.data(), g_tot_.data(), V_.data(), -dt_over_C_);
    threshold_and_reset(lo, hi, n, g_E_.data(), spikes);
}

// With the NMDA or the dynamic-threshold option: the general path, with port "exc" split into
// its AMPA and NMDA shares and the threshold raised by theta.
void LifCobaGroup::step_general(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
                                const Modulation& mod, std::vector<Spike>& spikes) {
    const double gL = g_L_nS_;
    const double base_current = gL * spec_.E_L_mV + spec_.I_e_pA;
    for (std::size_t i = lo; i < hi; ++i) {
        g_tot_[i] = gL;
        g_E_[i] = base_current;
    }
    add_modulation(mod, lo, hi, g_tot_.data(), g_E_.data());
    for (std::size_t p = 0; p < g_.size(); ++p) {
        const double* gain = p < mod.port_gain.size() ? mod.port_gain[p] : nullptr;
        if (p != 0 || g_nmda_.empty()) {
            add_port(lo, hi, g_[p].data(), input[p], gain, g_tot_.data(), g_E_.data(), E_rev_mV_[p], g_decay_[p]);
            continue;
        }
        double* g = g_[0].data();
        double* in = input[0];
        double* gn = g_nmda_.data();
        const double E = E_rev_mV_[0], decay = g_decay_[0];
        for (std::size_t i = lo; i < hi; ++i) {
            const double ga = g[i] + (gain ? in[i] * gain[i] : in[i]);
            in[i] = 0.0;
            const double ge = a_ampa_ * ga + a_nmda_ * gn[i];
            g_tot_[i] += ge;
            g_E_[i] += ge * E;
            gn[i] += (ga - gn[i]) * nmda_rise_;
            g[i] = ga * decay;
        }
    }
    relax(lo, hi, g_E_.data(), g_tot_.data(), V_.data(), -dt_over_C_);
    if (theta_.empty()) {
        threshold_and_reset(lo, hi, n, g_E_.data(), spikes);
    } else {
        threshold_dynamic(lo, hi, n, spikes);
    }
}

void LifCobaGroup::threshold_dynamic(std::size_t lo, std::size_t hi, std::uint64_t n, std::vector<Spike>& spikes) {
    const double V_th = spec_.V_th_mV, V_reset = spec_.V_reset_mV, jump = spec_.threshold_jump_mV;
    for (std::size_t i = lo; i < hi; ++i) {
        theta_[i] *= theta_decay_;
        if (ref_left_[i] > 0) {
            --ref_left_[i];
            continue;
        }
        double V = g_E_[i];
        if (V >= V_th + theta_[i]) {
            spikes.push_back({n + 1, first_gid_ + i});
            V = V_reset;
            ref_left_[i] = ref_steps_;
            theta_[i] = jump;
        }
        V_[i] = V;
    }
}

}  // namespace neurochem

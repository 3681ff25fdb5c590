#include "chem/neuromodulation.hpp"
#include "util/detmath.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/state_registry.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

Neuromodulation::Neuromodulation(const ModelSpec& model, std::size_t population, std::size_t n,
                                 double chem_dt_ms)
    : m_(model.chemistry.messengers),
      dt_s_(chem_dt_ms * 1e-3),
      activity_tau_s_(model.chemistry.messengers.activity_tau_s),
      activity_decay_(exp_det(-chem_dt_ms * 1e-3 / model.chemistry.messengers.activity_tau_s)),
      cAMP_relax_(-expm1_det(-model.chemistry.messengers.cAMP_rate_per_s * chem_dt_ms * 1e-3)),
      E_K_(model.chemistry.E_K_mV),
      E_GABA_(model.chemistry.E_GABA_mV) {
    const auto& ps = model.populations[population];
    ports_ = ps.receptors.size();
    for (const auto& name : ps.expresses) {
        for (const auto& t : model.chemistry.receptor_types) {
            if (t.name == name) types_.push_back(t);
        }
    }
    for (const auto& e : model.chemistry.effects) {
        if (e.population != ps.name) continue;
        std::size_t r = 0;
        while (r < types_.size() && types_[r].name != e.receptor)
            ++r;
        const int port = e.kind == EffectKind::port_gain ? ps.receptor_index(e.port) : 0;
        effects_.push_back({e.kind, r, e.magnitude, static_cast<std::size_t>(std::max(port, 0)),
                            r < types_.size() && types_[r].coupling == Coupling::gq});
        any_port_gain_ |= e.kind == EffectKind::port_gain;
    }
    const std::size_t R = types_.size();
    for (auto* v : {&o_, &b_, &d_, &density_, &efficacy_, &a_})
        v->assign(R, std::vector<double>(n, 0.0));
    for (std::size_t r = 0; r < R; ++r) {
        std::fill(density_[r].begin(), density_[r].end(), types_[r].density);
        std::fill(efficacy_[r].begin(), efficacy_[r].end(), types_[r].efficacy);
    }
    for (auto* v : {&cAMP_, &PIP2_, &IP3_, &IP1_, &inositol_, &CREB_, &activity_, &g_, &gE_, &I_})
        v->assign(n, 0.0);
    for (const auto& g : model.slow.neurogenesis) {
        if (g.population == ps.name) {
            input_scale_.assign(
                n, g.integrated_above > 0 ? std::min(1.0, g.initial / g.integrated_above) : 1.0);
            any_port_gain_ = true;  // the scale acts through the port gains
        }
    }
    for (const auto& sc : model.slow.scaling) {
        if (sc.population != ps.name) continue;
        synaptic_scale_.assign(n, 1.0);
        scaled_port_.assign(ports_, 0);
        for (const auto& port : sc.ports)
            scaled_port_[static_cast<std::size_t>(ps.receptor_index(port))] = 1;  // validated
        any_port_gain_ = true;
    }
    for (const auto& x : model.slow.inositol) {
        if (x.population != ps.name) continue;
        inositol_level_.assign(n, x.initial);
        pi_flux_.assign(n, 1.0);
    }
    for (const auto& s : model.protocol.sessions) {
        if (std::find(s.isolate.begin(), s.isolate.end(), ps.name) != s.isolate.end())
            any_port_gain_ = true;  // a slice session cuts the input through the port gains
    }
    if (any_port_gain_) gain_.assign(ports_, std::vector<double>(n, 1.0));
}

Modulation Neuromodulation::modulation() const {
    Modulation m;
    bool conductance = false, current = false;
    for (const auto& e : effects_) {
        conductance |= e.kind == EffectKind::girk || e.kind == EffectKind::tonic_gaba;
        current |= e.kind == EffectKind::current;
    }
    if (conductance) {
        m.g_nS = g_.data();
        m.gE = gE_.data();
    }
    if (current) m.I_pA = I_.data();
    if (any_port_gain_) {
        for (const auto& g : gain_)
            m.port_gain.push_back(g.data());
    }
    return m;
}

int Neuromodulation::receptor_index(const std::string& name) const {
    for (std::size_t r = 0; r < types_.size(); ++r) {
        if (types_[r].name == name) return static_cast<int>(r);
    }
    return -1;
}

namespace {
/// The share of drug-bound receptors r that stimulates: sum e [D]/Ki / sum [D]/Ki.
double agonist_share(const ReceptorInputs& in, std::size_t r) {
    const double ra = in.antagonist_ratio[r];
    return ra > 0 && std::isfinite(ra) ? std::min(1.0, in.agonist_ratio[r] / ra) : 0.0;
}
}  // namespace

// The transducer: linear in the stimulus, or the operational model of Black & Leff (1983),
// E/Em = (T s)^n / (1 + (T s)^n) with T = tau * density * efficacy * (1 - d).
double Neuromodulation::activation(std::size_t r, std::size_t i, double share) const {
    const auto& t = types_[r];
    const double s = o_[r][i] + b_[r][i] * share;
    if (t.tau == 0.0) return s * (1.0 - d_[r][i]) * density_[r][i] * efficacy_[r][i];
    const double x = t.tau * ((1.0 - d_[r][i]) * density_[r][i] * efficacy_[r][i]) * s;
    const double p = t.slope == 1.0 ? x : pow_det(x, t.slope);
    return p / (1.0 + p);
}

void Neuromodulation::refresh(const ReceptorInputs& in) {
    for (std::size_t r = 0; r < types_.size(); ++r) {
        const double share = agonist_share(in, r);
        for (std::size_t i = 0; i < a_[r].size(); ++i)
            a_[r][i] = activation(r, i, share);
    }
    effects(0, cAMP_.size());
}

void Neuromodulation::initialize(std::size_t lo, std::size_t hi, const ReceptorInputs& in) {
    for (std::size_t r = 0; r < types_.size(); ++r) {
        const double share = agonist_share(in, r);
        const double x = in.ligand_uM[r] / types_[r].Kd_uM;
        const double ra = in.antagonist_ratio[r];
        for (std::size_t i = lo; i < hi; ++i) {
            o_[r][i] = x / (1.0 + x + ra);
            b_[r][i] = ra / (1.0 + x + ra);
            d_[r][i] = 0.0;
            a_[r][i] = activation(r, i, share);
        }
    }
    const double f = in.impase_factor;
    for (std::size_t i = lo; i < hi; ++i) {
        const auto [Gs, Gi, Gq] = g_protein_drive(i);
        cAMP_[i] = (1.0 + m_.Gs_gain * Gs) / (1.0 + m_.Gi_gain * Gi);
        const double plc = m_.PLC_basal_per_s + m_.PLC_Gq_per_s * Gq;
        PIP2_[i] = m_.PIP2_resynthesis_per_s / (m_.PIP2_resynthesis_per_s + plc);
        const double J = plc * PIP2_[i];
        IP3_[i] = J / m_.IP3_decay_per_s;
        const double vmax = m_.IMPase_Vmax_per_s / f;
        IP1_[i] = J < vmax ? (m_.IMPase_Km / f) * J / (vmax - J) : 10.0 * m_.IMPase_Km;
        inositol_[i] = 1.0;
        const double drive = std::max(0.0, m_.CREB_cAMP_weight * (cAMP_[i] - 1.0));
        CREB_[i] = m_.CREB_on_per_s * drive / (m_.CREB_on_per_s * drive + m_.CREB_off_per_s);
        activity_[i] = 0.0;
    }
    effects(lo, hi);
}

void Neuromodulation::step(std::size_t lo, std::size_t hi, const ReceptorInputs& in) {
    const double dt = dt_s_;
    // Binding and desensitisation: Heun's method, in substeps short against the fastest rate.
    for (std::size_t r = 0; r < types_.size(); ++r) {
        const auto& t = types_[r];
        const double x = in.ligand_uM[r] / t.Kd_uM;
        const double ra = in.antagonist_ratio[r];
        const double k = t.k_off_per_s;
        const double share = agonist_share(in, r);
        const int n = std::max(1, static_cast<int>(std::ceil(k * (1.0 + x + ra) * dt / 0.05)));
        const double h = dt / n;
        double* o = o_[r].data();
        double* b = b_[r].data();
        double* d = d_[r].data();
        for (std::size_t i = lo; i < hi; ++i) {
            double oi = o[i], bi = b[i], di = d[i];
            for (int s = 0; s < n; ++s) {
                const double f1o = k * (x * (1.0 - oi - bi) - oi);
                const double f1b = k * (ra * (1.0 - oi - bi) - bi);
                const double f1d = t.k_des_per_s * oi * (1.0 - di) - t.k_res_per_s * di;
                const double o1 = oi + h * f1o, b1 = bi + h * f1b, d1 = di + h * f1d;
                const double f2o = k * (x * (1.0 - o1 - b1) - o1);
                const double f2b = k * (ra * (1.0 - o1 - b1) - b1);
                const double f2d = t.k_des_per_s * o1 * (1.0 - d1) - t.k_res_per_s * d1;
                oi += 0.5 * h * (f1o + f2o);
                bi += 0.5 * h * (f1b + f2b);
                di += 0.5 * h * (f1d + f2d);
            }
            o[i] = oi;
            b[i] = bi;
            d[i] = di;
            a_[r][i] = activation(r, i, share);
        }
    }
    // Second messengers (explicit Euler: their rates are < 1/s against a step of ~1 ms).
    const double f = in.impase_factor;
    const double vmax = m_.IMPase_Vmax_per_s / f, km = m_.IMPase_Km / f;
    for (std::size_t i = lo; i < hi; ++i) {
        const auto [Gs, Gi, Gq] = g_protein_drive(i);
        const double target = (1.0 + m_.Gs_gain * Gs) / (1.0 + m_.Gi_gain * Gi);
        cAMP_[i] += (target - cAMP_[i]) * cAMP_relax_;
        const double J_plc = (m_.PLC_basal_per_s + m_.PLC_Gq_per_s * Gq) * PIP2_[i];
        const double v_imp = vmax * IP1_[i] / (km + IP1_[i]);
        const double J_res = m_.PIP2_resynthesis_per_s * inositol_[i] * (1.0 - PIP2_[i]);
        PIP2_[i] += dt * (J_res - J_plc);
        IP3_[i] += dt * (J_plc - m_.IP3_decay_per_s * IP3_[i]);
        IP1_[i] += dt * (m_.IP3_decay_per_s * IP3_[i] - v_imp);
        inositol_[i] += dt * (v_imp + m_.inositol_supply_per_s * (1.0 - inositol_[i]) - J_res);
        activity_[i] *= activity_decay_;
        const double drive = std::max(
            0.0, m_.CREB_cAMP_weight * (cAMP_[i] - 1.0) + m_.CREB_activity_weight * activity_[i]);
        CREB_[i] +=
            dt * (m_.CREB_on_per_s * drive * (1.0 - CREB_[i]) - m_.CREB_off_per_s * CREB_[i]);
    }
    effects(lo, hi);
}

std::array<double, 3> Neuromodulation::g_protein_drive(std::size_t i) const {
    std::array<double, 3> g{0.0, 0.0, 0.0};  // Gs, Gi, Gq
    for (std::size_t r = 0; r < types_.size(); ++r) {
        switch (types_[r].coupling) {
            case Coupling::gs:
                g[0] += a_[r][i];
                break;
            case Coupling::gi:
                g[1] += a_[r][i];
                break;
            case Coupling::gq:
                g[2] += a_[r][i];
                break;
            case Coupling::chloride_channel:
                break;
        }
    }
    return g;
}

void Neuromodulation::effects(std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
        g_[i] = gE_[i] = I_[i] = 0.0;
    }
    for (auto& g : gain_)
        std::fill(g.begin() + static_cast<std::ptrdiff_t>(lo),
                  g.begin() + static_cast<std::ptrdiff_t>(hi), 1.0);
    // With [inositol], the PLC flux at the neuron's inositol n relative to n = 1 at the same Gq
    // drive (PIP2 at its quasi-steady state k_r n/(k_r n + p)): n (k_r + p)/(k_r n + p).
    if (!inositol_level_.empty()) {
        const double kr = m_.PIP2_resynthesis_per_s;
        for (std::size_t i = lo; i < hi; ++i) {
            const double p = m_.PLC_basal_per_s + m_.PLC_Gq_per_s * g_protein_drive(i)[2];
            const double n = inositol_level_[i];
            pi_flux_[i] = n * (kr + p) / (kr * n + p);
        }
    }
    for (const auto& e : effects_) {
        const double* a = a_[e.receptor].data();
        // The activation that reaches the neuron: a, or a x the PLC flux factor (Gq, [inositol]).
        const double* flux = e.gq && !pi_flux_.empty() ? pi_flux_.data() : nullptr;
        auto drive = [a, flux](std::size_t i) { return flux ? a[i] * flux[i] : a[i]; };
        switch (e.kind) {
            case EffectKind::girk:
            case EffectKind::tonic_gaba: {
                const double E = e.kind == EffectKind::girk ? E_K_ : E_GABA_;
                for (std::size_t i = lo; i < hi; ++i) {
                    const double g = e.magnitude * drive(i);
                    g_[i] += g;
                    gE_[i] += g * E;
                }
                break;
            }
            case EffectKind::current:
                for (std::size_t i = lo; i < hi; ++i)
                    I_[i] += e.magnitude * drive(i);
                break;
            case EffectKind::port_gain:
                for (std::size_t i = lo; i < hi; ++i)
                    gain_[e.port][i] += e.magnitude * drive(i);
                break;
        }
    }
    if (!input_scale_.empty()) {
        for (auto& g : gain_) {
            for (std::size_t i = lo; i < hi; ++i)
                g[i] *= input_scale_[i];
        }
    }
    for (std::size_t port = 0; port < scaled_port_.size(); ++port) {
        if (!scaled_port_[port]) continue;
        for (std::size_t i = lo; i < hi; ++i)
            gain_[port][i] *= synaptic_scale_[i];
    }
    if (isolated_) {
        for (auto& g : gain_)
            std::fill(g.begin() + static_cast<std::ptrdiff_t>(lo),
                      g.begin() + static_cast<std::ptrdiff_t>(hi), 0.0);
    }
}

std::span<const double> Neuromodulation::values(Quantity q, std::size_t r) const {
    switch (q) {
        case Quantity::occupancy:
            return o_[r];
        case Quantity::activation:
            return a_[r];
        case Quantity::desensitised:
            return d_[r];
        case Quantity::bound:
            return b_[r];
        case Quantity::cAMP:
            return cAMP_;
        case Quantity::IP3:
            return IP3_;
        case Quantity::PIP2:
            return PIP2_;
        case Quantity::inositol:
            return inositol_;
        case Quantity::CREB:
            return CREB_;
    }
    return {};
}

std::int64_t Neuromodulation::local_sum_fixed(Quantity q, std::size_t r) const {
    std::int64_t s = 0;
    for (double x : values(q, r))
        s += std::llround(x * 0x1p32);
    return s;
}

void Neuromodulation::register_state(StateRegistry& reg, const std::string& prefix,
                                     std::uint64_t at, std::uint64_t n) {
    for (std::size_t r = 0; r < types_.size(); ++r) {
        const std::string p = prefix + "receptors/" + types_[r].name + "/";
        reg.add_slice(p + "occupancy", std::span<double>(o_[r]), at, n, "",
                      Bounds::unit_interval());
        reg.add_slice(p + "antagonist", std::span<double>(b_[r]), at, n, "",
                      Bounds::unit_interval());
        reg.add_slice(p + "desensitised", std::span<double>(d_[r]), at, n, "",
                      Bounds::unit_interval());
        reg.add_slice(p + "density", std::span<double>(density_[r]), at, n, "",
                      Bounds::nonnegative());
        reg.add_slice(p + "efficacy", std::span<double>(efficacy_[r]), at, n, "",
                      Bounds::nonnegative());
    }
    const std::pair<const char*, std::vector<double>*> m[] = {
        {"cAMP", &cAMP_},         {"PIP2", &PIP2_}, {"IP3", &IP3_},          {"IP1", &IP1_},
        {"inositol", &inositol_}, {"CREB", &CREB_}, {"activity", &activity_}};
    for (const auto& [name, v] : m) {
        reg.add_slice(prefix + "messengers/" + name, std::span<double>(*v), at, n,
                      std::string(name) == "activity" ? "Hz" : "", Bounds::nonnegative());
    }
    if (!input_scale_.empty()) {
        reg.add_slice(prefix + "input_scale", std::span<double>(input_scale_), at, n, "",
                      Bounds::unit_interval());
    }
    if (!synaptic_scale_.empty()) {
        reg.add_slice(prefix + "synaptic_scale", std::span<double>(synaptic_scale_), at, n, "",
                      Bounds::nonnegative());
    }
    if (!inositol_level_.empty()) {
        reg.add_slice(prefix + "inositol_level", std::span<double>(inositol_level_), at, n, "",
                      Bounds::unit_interval());
    }
}

}  // namespace neurochem

#include "chem/pharmacokinetics.hpp"
#include "util/detmath.hpp"

#include <algorithm>
#include <cmath>

#include "core/state_registry.hpp"

namespace neurochem {

Pharmacokinetics::Pharmacokinetics(const ChemistrySpec& ch)
    : drugs_(ch.drugs), body_mass_kg_(ch.body_mass_kg) {
    for (const auto& d : drugs_) {
        int p = -1;
        for (std::size_t j = 0; j < drugs_.size(); ++j) {
            if (drugs_[j].name == d.parent) p = static_cast<int>(j);
        }
        parent_.push_back(p);
        ke_.push_back(log_det(2.0) / d.half_life_h);
    }
    for (const auto& r : ch.regimens) {
        std::size_t d = 0;
        while (drugs_[d].name != r.drug) ++d;
        for (double t = r.start_h; t < r.stop_h; t += r.interval_h) {
            doses_.push_back({t, d, r.dose_mg});
            if (doses_.size() > 10000000) break;  // a schedule without a stop ends eventually
            if (!std::isfinite(r.stop_h) && t > 1e6) break;
        }
    }
    std::stable_sort(doses_.begin(), doses_.end(), [](const Dose& a, const Dose& b) { return a.t_h < b.t_h; });
    y_.assign(2 * drugs_.size(), 0.0);
    for (auto* v : {&k1_, &k2_, &k3_, &k4_, &tmp_}) v->assign(y_.size(), 0.0);
    t_h_ = doses_.empty() ? 0.0 : std::min(0.0, doses_.front().t_h);
    advance_to(0.0);
}

void Pharmacokinetics::derivative(const std::vector<double>& y, std::vector<double>& dy) const {
    for (std::size_t d = 0; d < drugs_.size(); ++d) {
        const double ka = drugs_[d].absorption_per_h;
        dy[2 * d] = -ka * y[2 * d];
        dy[2 * d + 1] = ka * y[2 * d] - ke_[d] * y[2 * d + 1];
        if (parent_[d] >= 0) {
            const auto p = static_cast<std::size_t>(parent_[d]);
            dy[2 * d + 1] += drugs_[d].fraction_formed * ke_[p] * y[2 * p + 1];
        }
    }
}

void Pharmacokinetics::integrate(double dt_h) {
    if (dt_h <= 0) return;
    const int n = std::max(1, static_cast<int>(std::ceil(dt_h / 0.05 - 1e-12)));
    const double h = dt_h / n;
    for (int s = 0; s < n; ++s) {
        derivative(y_, k1_);
        for (std::size_t i = 0; i < y_.size(); ++i) tmp_[i] = y_[i] + 0.5 * h * k1_[i];
        derivative(tmp_, k2_);
        for (std::size_t i = 0; i < y_.size(); ++i) tmp_[i] = y_[i] + 0.5 * h * k2_[i];
        derivative(tmp_, k3_);
        for (std::size_t i = 0; i < y_.size(); ++i) tmp_[i] = y_[i] + h * k3_[i];
        derivative(tmp_, k4_);
        for (std::size_t i = 0; i < y_.size(); ++i) y_[i] += h / 6.0 * (k1_[i] + 2 * k2_[i] + 2 * k3_[i] + k4_[i]);
    }
}

void Pharmacokinetics::advance_to(double t_h) {
    while (next_dose_ < doses_.size() && doses_[next_dose_].t_h <= t_h) {
        const Dose& dose = doses_[next_dose_++];
        integrate(dose.t_h - t_h_);
        t_h_ = dose.t_h;
        y_[2 * dose.drug] += drugs_[dose.drug].bioavailability * dose.mg;
    }
    integrate(t_h - t_h_);
    t_h_ = t_h;
}

double Pharmacokinetics::plasma_uM(std::size_t d) const {
    const auto& s = drugs_[d];
    const double mg_per_L = y_[2 * d + 1] / (s.Vd_L_per_kg * body_mass_kg_);
    return mg_per_L * 1000.0 / s.molar_mass_g_per_mol;  // mg/L / (g/mol) = mmol/m^3 = uM
}

double Pharmacokinetics::target_uM(std::size_t d) const {
    return plasma_uM(d) * drugs_[d].fraction_unbound * drugs_[d].brain_partition;
}

double Pharmacokinetics::inhibition(DrugTarget t) const {
    double r = 0.0;
    for (std::size_t d = 0; d < drugs_.size(); ++d) {
        const double ki = drugs_[d].Ki_uM[static_cast<int>(t)];
        if (ki > 0) r += target_uM(d) / ki;
    }
    return r;
}

double Pharmacokinetics::occupancy(DrugTarget t) const {
    const double r = inhibition(t);
    return r / (1.0 + r);
}

void Pharmacokinetics::register_state(StateRegistry& reg) {
    reg.add_shared("pk/amounts_mg", std::span<double>(y_), "mg", Bounds::finite());
    reg.add_scalar("pk/time_h", t_h_, "h", Bounds::finite());
    reg.add_scalar("pk/next_dose", next_dose_, "", {0.0, static_cast<double>(doses_.size())});
}

}  // namespace neurochem

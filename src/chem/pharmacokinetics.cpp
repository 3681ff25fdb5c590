#include "chem/pharmacokinetics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/state_registry.hpp"
#include "neurochem/errors.hpp"
#include "util/detmath.hpp"

namespace neurochem {

double divided_difference_exp(std::vector<double> z) {
    // Points sorted from the largest (a); f[z] = e^z for one point. Within a spread of 1 the
    // series e^a sum_m h_m(z - a) / (m + k)! (h_m: complete homogeneous symmetric polynomials;
    // |z - a| <= 1, so the terms fall faster than 1/m! and 40 reach rounding; repeated points
    // need no special case). Wider, the recurrence (f[z0..zk-1] - f[z1..zk]) / (z0 - zk), whose
    // difference then cancels at most a bit or two.
    std::sort(z.begin(), z.end(), std::greater<>());
    const std::size_t k = z.size() - 1;
    const double a = z.front();
    if (k == 0) return std::exp(a);
    if (a - z.back() <= 1.0) {
        constexpr int terms = 40;
        double h[terms] = {1.0};
        for (const double zi : z) {
            const double w = zi - a;
            for (int m = 1; m < terms; ++m)
                h[m] += w * h[m - 1];
        }
        double fact = 1.0;  // k!
        for (std::size_t i = 2; i <= k; ++i)
            fact *= static_cast<double>(i);
        double sum = 0.0;
        for (int m = 0; m < terms; ++m) {
            if (m > 0) fact *= static_cast<double>(static_cast<std::size_t>(m) + k);
            sum += h[m] / fact;
        }
        return std::exp(a) * sum;
    }
    const std::vector<double> head(z.begin(), z.end() - 1), tail(z.begin() + 1, z.end());
    return (divided_difference_exp(head) - divided_difference_exp(tail)) / (z.front() - z.back());
}

std::vector<double> matrix_exponential(const std::vector<double>& A, std::size_t n) {
    // exp(A)_ij = sum over paths j = p0 -> p1 -> ... -> pk = i of the off-diagonal graph of
    //   A(p1,p0) A(p2,p1) ... A(pk,pk-1) f[A(p0,p0), ..., A(pk,pk)]
    // (f: divided differences of exp). Exact for acyclic graphs, with no cancellation when the
    // off-diagonal entries are >= 0 (the flows of a compartment model): a few ulp per entry for
    // any rates, where scaling and squaring loses 2^s ulp on stiff systems.
    std::vector<double> E(n * n, 0.0);
    std::vector<std::size_t> path;
    std::vector<double> diag;
    auto visit = [&](auto&& self, std::size_t j, std::size_t i, double weight) -> void {
        if (path.size() > n)
            throw internal_error("matrix_exponential: the compartment graph has a cycle");
        E[i * n + j] += weight * divided_difference_exp(diag);
        for (std::size_t next = 0; next < n; ++next) {
            const double w = A[next * n + i];
            if (next == i || w == 0.0) continue;
            path.push_back(next);
            diag.push_back(A[next * n + next]);
            self(self, j, next, weight * w);
            path.pop_back();
            diag.pop_back();
        }
    };
    for (std::size_t j = 0; j < n; ++j) {
        path = {j};
        diag = {A[j * n + j]};
        visit(visit, j, j, 1.0);
    }
    return E;
}

Pharmacokinetics::Pharmacokinetics(const ChemistrySpec& ch)
    : drugs_(ch.drugs), regimens_(ch.regimens), body_mass_kg_(ch.body_mass_kg) {
    const std::size_t D = drugs_.size();
    central_.assign(D, -1);
    gut_.assign(D, -1);
    auto index_of = [&](const std::string& name) {
        for (std::size_t d = 0; d < D; ++d) {
            if (drugs_[d].name == name) return d;
        }
        throw internal_error("drug " + name);
    };
    // One system per parent: [G, A] then per metabolite [Gm, Am].
    std::size_t entries = 0;
    for (std::size_t p = 0; p < D; ++p) {
        if (!drugs_[p].parent.empty()) continue;
        System sys;
        std::vector<std::size_t> members{p};
        for (std::size_t m = 0; m < D; ++m) {
            if (drugs_[m].parent == drugs_[p].name) members.push_back(m);
        }
        for (const std::size_t d : members) {
            gut_[d] = static_cast<int>(entries++);
            central_[d] = static_cast<int>(entries++);
            sys.index.push_back(static_cast<std::size_t>(gut_[d]));
            sys.index.push_back(static_cast<std::size_t>(central_[d]));
        }
        const std::size_t n = sys.index.size();
        sys.rate.assign(n * n, 0.0);
        const double ka = drugs_[p].absorption_per_h, ke = log_det(2.0) / drugs_[p].half_life_h;
        sys.rate[0 * n + 0] = -ka;
        sys.rate[1 * n + 0] = ka;
        sys.rate[1 * n + 1] = -ke;
        for (std::size_t k = 1; k < members.size(); ++k) {
            const auto& m = drugs_[members[k]];
            const std::size_t g = 2 * k, a = 2 * k + 1;
            const double km = log_det(2.0) / m.half_life_h;
            const double molar = m.molar_mass_g_per_mol / drugs_[p].molar_mass_g_per_mol;
            sys.rate[g * n + g] = -ka;
            sys.rate[a * n + g] = ka;
            sys.rate[a * n + 1] = m.fraction_formed * molar * ke;
            sys.rate[a * n + a] = -km;
        }
        systems_.push_back(std::move(sys));
    }
    y_.assign(entries, 0.0);
    infusion_mg_h_.assign(entries, 0.0);
    infusion_end_h_.assign(regimens_.size(), -std::numeric_limits<double>::infinity());
    for (const auto& d : drugs_) {
        for (int t = 0; t < drug_target_count; ++t)
            allosteric_[t] = allosteric_[t] || d.allosteric_K_uM[t] > 0;
    }
    for (const auto& r : regimens_) {
        std::vector<std::pair<std::size_t, double>> parts;
        for (const auto& m : ch.mixtures) {
            if (m.name != r.drug) continue;
            for (const auto& [drug, fraction] : m.components)
                parts.emplace_back(index_of(drug), fraction);
        }
        if (parts.empty()) parts.emplace_back(index_of(r.drug), 1.0);
        regimen_parts_.push_back(std::move(parts));
    }

    // Dosing before t = 0: start where older doses no longer matter (64 half-lives of the
    // slowest process: elimination or absorption of any drug of the system).
    double slowest_h = 0;
    for (const auto& d : drugs_)
        slowest_h = std::max({slowest_h, d.half_life_h, log_det(2.0) / d.absorption_per_h});
    const double horizon = -64.0 * slowest_h;
    next_.assign(regimens_.size(), 0);
    double first = 0.0;
    for (std::size_t r = 0; r < regimens_.size(); ++r) {
        const auto& g = regimens_[r];
        if (g.start_h < horizon) {
            next_[r] = static_cast<std::uint64_t>(std::ceil((horizon - g.start_h) / g.interval_h));
        }
        const double t = next_dose_time(r);
        if (t < first) first = t;
    }
    t_h_ = first;
    advance_to(0.0);
}

double Pharmacokinetics::next_dose_time(std::size_t r) const {
    const auto& g = regimens_[r];
    if (g.route == Route::bath) return std::numeric_limits<double>::infinity();  // no doses
    const double t = g.start_h + static_cast<double>(next_[r]) * g.interval_h;
    return t < g.stop_h ? t : std::numeric_limits<double>::infinity();
}

void Pharmacokinetics::propagate(double dt_h) {
    if (!(dt_h > 0)) return;
    bool infusing = false;
    for (double u : infusion_mg_h_)
        infusing |= u != 0.0;
    if (dt_h != cached_dt_ || infusing) {
        cached_.clear();
        for (const auto& sys : systems_) {
            // Augmented with a column of input rates (infusions), held over the interval.
            const std::size_t n = sys.index.size(), m = n + 1;
            std::vector<double> A(m * m, 0.0);
            for (std::size_t i = 0; i < n; ++i) {
                for (std::size_t j = 0; j < n; ++j)
                    A[i * m + j] = sys.rate[i * n + j] * dt_h;
                A[i * m + n] = infusion_mg_h_[sys.index[i]] * dt_h;
            }
            cached_.push_back(matrix_exponential(A, m));
        }
        cached_dt_ = infusing ? -1.0 : dt_h;
    }
    for (std::size_t s = 0; s < systems_.size(); ++s) {
        const auto& sys = systems_[s];
        const auto& E = cached_[s];
        const std::size_t n = sys.index.size(), m = n + 1;
        auto& out = scratch_;
        out.assign(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            double v = E[i * m + n];  // input (the augmented state is 1)
            for (std::size_t j = 0; j < n; ++j)
                v += E[i * m + j] * y_[sys.index[j]];
            out[i] = v > 0 ? v : 0.0;  // rounding may leave -1e-17 where the exact value is 0
        }
        for (std::size_t i = 0; i < n; ++i)
            y_[sys.index[i]] = out[i];
    }
}

void Pharmacokinetics::give(const Dose& dose) {
    const auto& g = regimens_[dose.regimen];
    for (const auto& [d, fraction] : regimen_parts_[dose.regimen]) {
        const auto& drug = drugs_[d];
        const double mg = fraction * dose.mg;
        switch (g.route) {
            case Route::oral:
                y_[static_cast<std::size_t>(gut_[d])] += drug.bioavailability * mg;
                for (std::size_t m = 0; m < drugs_.size(); ++m) {  // first-pass metabolites
                    const auto& met = drugs_[m];
                    if (met.parent != drug.name || met.first_pass_fraction == 0) continue;
                    y_[static_cast<std::size_t>(gut_[m])] +=
                        (1.0 - drug.bioavailability) * met.first_pass_fraction *
                        (met.molar_mass_g_per_mol / drug.molar_mass_g_per_mol) * mg;
                }
                break;
            case Route::iv_bolus:
                y_[static_cast<std::size_t>(central_[d])] += mg;
                break;
            case Route::iv_infusion:
                infusion_mg_h_[static_cast<std::size_t>(central_[d])] += mg / g.infusion_h;
                infusion_end_h_[dose.regimen] = dose.t_h + g.infusion_h;
                break;
            case Route::bath:
                break;  // never dosed (next_dose_time)
        }
    }
}

void Pharmacokinetics::advance_to(double t_h) {
    if (!(t_h >= t_h_)) {
        if (t_h < t_h_) throw internal_error("pharmacokinetics cannot go back in time");
        throw internal_error("pharmacokinetics: time is not a number");
    }
    for (;;) {
        // The next event: a dose or the end of an infusion.
        double when = std::numeric_limits<double>::infinity();
        std::size_t which = 0;
        bool is_dose = false;
        for (std::size_t r = 0; r < regimens_.size(); ++r) {
            const double t = next_dose_time(r);
            if (t < when) {
                when = t;
                which = r;
                is_dose = true;
            }
            if (infusion_end_h_[r] > t_h_ && infusion_end_h_[r] < when) {
                when = infusion_end_h_[r];
                which = r;
                is_dose = false;
            }
        }
        if (!(when <= t_h)) break;
        propagate(when - t_h_);
        t_h_ = when;
        if (is_dose) {
            give({when, which, regimens_[which].dose_mg});
            ++next_[which];
        } else {
            for (const auto& [d, fraction] : regimen_parts_[which]) {
                double& rate = infusion_mg_h_[static_cast<std::size_t>(central_[d])];
                rate -= fraction * regimens_[which].dose_mg / regimens_[which].infusion_h;
                if (std::abs(rate) < 1e-12) rate = 0.0;
            }
            infusion_end_h_[which] = -std::numeric_limits<double>::infinity();
        }
    }
    propagate(t_h - t_h_);
    t_h_ = t_h;
}

std::vector<Pharmacokinetics::Dose> Pharmacokinetics::doses(double from_h, double to_h,
                                                            std::size_t limit) const {
    std::vector<Dose> out;
    for (std::size_t r = 0; r < regimens_.size() && out.size() < limit; ++r) {
        const auto& g = regimens_[r];
        if (g.route == Route::bath) continue;
        const double k0 = from_h > g.start_h ? std::ceil((from_h - g.start_h) / g.interval_h) : 0.0;
        for (double k = k0; out.size() < limit; k += 1.0) {
            const double t = g.start_h + k * g.interval_h;
            if (!(t < to_h) || !(t < g.stop_h)) break;
            out.push_back({t, r, g.dose_mg});
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Dose& a, const Dose& b) { return a.t_h < b.t_h; });
    if (out.size() > limit) out.resize(limit);
    return out;
}

double Pharmacokinetics::plasma_uM(std::size_t d) const {
    const auto& s = drugs_[d];
    const double mg_per_L = amount_mg(d) / (s.Vd_L_per_kg * body_mass_kg_);
    return mg_per_L * 1000.0 / s.molar_mass_g_per_mol;  // mg/L / (g/mol) = mmol/m^3 = uM
}

double Pharmacokinetics::target_uM(std::size_t d) const {
    double bath = 0.0;
    for (std::size_t r = 0; r < regimens_.size(); ++r) {
        const auto& g = regimens_[r];
        if (g.route != Route::bath || !(g.start_h <= t_h_ && t_h_ < g.stop_h)) continue;
        for (const auto& [x, fraction] : regimen_parts_[r]) {
            if (x == d) bath += fraction * g.bath_uM;
        }
    }
    return tissue_plasma_uM(d) * drugs_[d].fraction_unbound * drugs_[d].brain_partition + bath;
}

double Pharmacokinetics::allosteric_load(DrugTarget t, std::size_t d) const {
    const int i = static_cast<int>(t);
    double a = 1.0;
    if (!allosteric_[i]) return a;
    for (std::size_t m = 0; m < drugs_.size(); ++m) {
        const double K = drugs_[m].allosteric_K_uM[i];
        if (m != d && K > 0) a += tissue_plasma_uM(m) / K;
    }
    return a;
}

double Pharmacokinetics::inhibition(DrugTarget t) const {
    const int i = static_cast<int>(t);
    double r = 0.0, x = 0.0, emax = 0.0;
    for (std::size_t d = 0; d < drugs_.size(); ++d) {
        const auto& drug = drugs_[d];
        if (drug.PET_EC50_uM[i] > 0) {
            // PET-calibrated species: competitive ligands under one ceiling.
            x += tissue_plasma_uM(d) / drug.PET_EC50_uM[i] / allosteric_load(t, d);
            emax = std::max(emax, drug.PET_Emax[i]);
        } else if (drug.Ki_uM[i] > 0) {
            r += target_uM(d) / drug.Ki_uM[i] / allosteric_load(t, d);
        }
    }
    if (x > 0) {
        // occupancy o = Emax x/(1+x) as an equivalent load r = o/(1-o) of a competitive inhibitor.
        const double o = emax / (1.0 + 1.0 / x);  // = Emax x/(1+x), also for x = inf
        r += o < 1.0 ? o / (1.0 - o) : std::numeric_limits<double>::infinity();
    }
    return r;
}

double Pharmacokinetics::agonism(DrugTarget t) const {
    const int i = static_cast<int>(t);
    double r = 0.0;
    for (std::size_t d = 0; d < drugs_.size(); ++d) {
        const auto& drug = drugs_[d];
        if (drug.PET_EC50_uM[i] == 0 && drug.Ki_uM[i] > 0 && drug.efficacy[i] > 0) {
            r += drug.efficacy[i] * target_uM(d) / drug.Ki_uM[i] / allosteric_load(t, d);
        }
    }
    return r;
}

double Pharmacokinetics::occupancy(DrugTarget t) const {
    const double r = inhibition(t);
    return 1.0 - 1.0 / (1.0 + r);  // r / (1 + r), also 1 for r = inf
}

SteadyState time_to_steady_state(const ChemistrySpec& ch, std::size_t drug) {
    SteadyState out;
    const DrugSpec& d = ch.drugs.at(drug);
    const std::string parent = d.parent.empty() ? d.name : d.parent;
    const RegimenSpec* regimen = nullptr;
    auto doses = [&](const RegimenSpec& r) {
        if (r.drug == parent) return true;
        for (const auto& m : ch.mixtures) {
            for (const auto& c : m.components) {
                if (m.name == r.drug && c.first == parent) return true;
            }
        }
        return false;
    };
    for (const auto& r : ch.regimens) {
        if (doses(r) && r.route != Route::bath) {
            regimen = &r;
            break;
        }
    }
    if (!regimen) {
        out.why = "not dosed (no regimen of " + parent + ")";
        return out;
    }
    out.regimen = regimen->name;
    ChemistrySpec alone = ch;
    alone.regimens = {*regimen};
    alone.regimens[0].start_h = 0.0;
    alone.regimens[0].stop_h = std::numeric_limits<double>::infinity();
    double slowest_h = 0.0;
    for (const auto& x : ch.drugs) {
        if (x.name == parent || x.parent == parent) {
            slowest_h = std::max({slowest_h, x.half_life_h, log_det(2.0) / x.absorption_per_h});
        }
    }
    const double interval = regimen->interval_h;
    const double n = std::ceil(64.0 * slowest_h / interval) + 1.0;
    constexpr double most = 1e6;
    if (n > most) {
        out.why = "not computed (64 half-lives are more than 10^6 doses)";
        return out;
    }
    Pharmacokinetics pk(alone);
    std::vector<double> trough(static_cast<std::size_t>(n));
    for (std::size_t k = 0; k < trough.size(); ++k) {
        pk.advance_to((static_cast<double>(k) + 1.0 - 1e-9) * interval);
        trough[k] = pk.plasma_uM(drug);
    }
    const double ss = trough.back();
    if (!(ss > 0)) {
        out.why = "no steady-state level (the trough is 0)";
        return out;
    }
    std::size_t first = trough.size();
    while (first > 0 && std::abs(trough[first - 1] - ss) <= 0x1p-5 * ss)
        --first;
    out.reached = true;
    out.days = (static_cast<double>(first) + 1.0) * interval / 24.0;
    return out;
}

void Pharmacokinetics::register_state(StateRegistry& reg) {
    reg.add_shared("pk/amounts_mg", y_, "mg", Bounds::nonnegative());
    reg.add_shared("pk/infusion_mg_per_h", infusion_mg_h_, "mg/h", Bounds::nonnegative());
    reg.add_shared("pk/infusion_end_h", infusion_end_h_, "h",
                   {-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::max()});
    reg.add_shared("pk/next_dose", next_, "doses");
    reg.add_scalar("pk/time_h", t_h_, "h", Bounds::finite());
    reg.after_load([this] { cached_dt_ = -1.0; });
}

}  // namespace neurochem

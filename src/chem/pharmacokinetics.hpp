// Drug pharmacokinetics: for each drug a gut and a central compartment (one-compartment model
// with first-order absorption and elimination), and for each active metabolite a central
// compartment fed by a fraction of its parent's elimination:
//   dG/dt = -ka G,   dA/dt = ka G - ke A,   dM/dt = f ke A_parent - ke_M M,   ke = ln 2 / t_half
// Oral doses add F * dose to G at their times. Plasma concentration A / (Vd * body mass);
// concentration at the target (brain, unbound) = plasma * fraction_unbound * brain_partition.
// Integration: RK4 in substeps of at most 0.05 h, split exactly at dose times.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "neurochem/model.hpp"

namespace neurochem {

class StateRegistry;

class Pharmacokinetics {
public:
    /// Builds the schedules and runs every dose given before t = 0.
    explicit Pharmacokinetics(const ChemistrySpec& chemistry);

    /// Integrates from the current time to t_h (hours), giving every dose due in between.
    void advance_to(double t_h);
    double time_h() const { return t_h_; }

    std::size_t drugs() const { return drugs_.size(); }
    const std::string& name(std::size_t d) const { return drugs_[d].name; }
    double plasma_uM(std::size_t d) const;
    double target_uM(std::size_t d) const;
    /// sum over drugs of [D]/Ki at a target (0 when no drug acts on it).
    double inhibition(DrugTarget t) const;
    /// Fraction of `t` bound by drugs alone at equilibrium: r / (1 + r), r = inhibition(t).
    double occupancy(DrugTarget t) const;

    /// Every dose of every regimen, in time order (hours, mg): for tests and documentation.
    struct Dose {
        double t_h;
        std::size_t drug;
        double mg;
    };
    const std::vector<Dose>& schedule() const { return doses_; }

    /// Registers the amounts, the time and the next dose (the same on every process).
    void register_state(StateRegistry& registry);

private:
    void integrate(double dt_h);
    void derivative(const std::vector<double>& y, std::vector<double>& dy) const;

    std::vector<DrugSpec> drugs_;
    std::vector<int> parent_;  // index of the parent, -1 for a dosed drug
    std::vector<double> ke_;   // per h
    double body_mass_kg_;
    std::vector<Dose> doses_;
    std::uint64_t next_dose_ = 0;
    double t_h_ = 0.0;
    std::vector<double> y_;  // per drug: gut, central (mg)
    std::vector<double> k1_, k2_, k3_, k4_, tmp_;
};

}  // namespace neurochem

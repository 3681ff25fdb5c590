// Drug pharmacokinetics, solved exactly. Each dosed drug (a parent) and its active metabolites
// form one linear compartment system (amounts in mg, rates per hour):
//   dG/dt   = -ka G                                   parent's gut (oral doses)
//   dA/dt   =  ka G - ke A                            parent's central compartment
//   dGm/dt  = -ka Gm                                  metabolite formed before absorption (first
//   pass) dAm/dt  =  ka Gm + f (MWm/MW) ke A - km Am        metabolite's central compartment
// An oral dose D adds F D to G and (1 - F) fp (MWm/MW) D to Gm (fp: the share of the first-pass
// loss that becomes the metabolite); an i.v. bolus adds D to A; an infusion adds D / T per hour
// to A for T hours. Between events the system is advanced by its matrix exponential, computed
// to rounding (a sum over the paths of the compartment graph), so any rates are handled exactly:
// fast absorption, very short or long half-lives, bolus and infusion (see matrix_exponential).
// A bath regimen gives no doses: it adds a constant unbound concentration at the target while
// active (in-vitro style applications). Amounts can never become negative or NaN. Plasma
// concentration A / (Vd body mass); at the target (brain, unbound) plasma * fu * Kp,uu.
// A regimen of a mixture (a racemate) doses each component, a parent of its own system, with
// its mass fraction of the dose.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "neurochem/model.hpp"

namespace neurochem {

class StateRegistry;

class Pharmacokinetics {
  public:
    /// Builds the systems and gives every dose before t = 0 (doses more than 64 half-lives of
    /// the slowest process before the first time needed are skipped: below 2^-64 of a dose).
    explicit Pharmacokinetics(const ChemistrySpec& chemistry);

    /// Advances to t_h (hours, >= the current time), giving every dose due in between.
    void advance_to(double t_h);
    double time_h() const { return t_h_; }
    /// While on, target_uM counts bath application only (a perfused slice); not state: the
    /// protocol sets it for every slow step.
    void set_washout(bool on) { washout_ = on; }
    /// The plasma concentration the tissue is exposed to (uM): plasma_uM, or 0 during a washout.
    /// Target concentrations, PET-calibrated occupancies and allosteric loads are computed from
    /// it.
    double tissue_plasma_uM(std::size_t d) const { return washout_ ? 0.0 : plasma_uM(d); }
    bool washout() const { return washout_; }

    std::size_t drugs() const { return drugs_.size(); }
    const std::string& name(std::size_t d) const { return drugs_[d].name; }
    double plasma_uM(std::size_t d) const;
    double target_uM(std::size_t d) const;
    double amount_mg(std::size_t d) const {
        return central_[d] < 0 ? 0.0 : y_[static_cast<std::size_t>(central_[d])];
    }
    /// sum over drugs of [D]/Ki at a target (0 when no drug acts on it); a negative allosteric
    /// modulator divides the load of every other species by 1 + plasma / allosteric_K.
    double inhibition(DrugTarget t) const;
    /// sum over drugs of efficacy [D]/Ki at a receptor target: the agonist part of inhibition(t)
    /// weighted by intrinsic efficacy (PET-calibrated species count as antagonists).
    double agonism(DrugTarget t) const;
    /// Fraction of `t` bound by drugs alone at equilibrium: r / (1 + r), r = inhibition(t).
    double occupancy(DrugTarget t) const;

    /// The doses of every regimen in [from_h, to_h), in time order (at most `limit`).
    struct Dose {
        double t_h;
        std::size_t regimen;
        double mg;
    };
    std::vector<Dose> doses(double from_h, double to_h, std::size_t limit = 1000000) const;

    /// Registers the amounts, the time and each regimen's next dose (the same on every process).
    void register_state(StateRegistry& registry);

  private:
    struct System {
        std::vector<std::size_t> index;  // state entries of this system
        std::vector<double> rate;        // its matrix (n x n, row major, per hour)
    };
    void propagate(double dt_h);
    /// 1 + sum over the other species m of plasma_m / allosteric_K_m at t (1: no modulator).
    double allosteric_load(DrugTarget t, std::size_t d) const;
    bool allosteric_[drug_target_count] = {};  // a drug modulates target t allosterically
    void give(const Dose& dose);
    double next_dose_time(std::size_t r) const;

    std::vector<DrugSpec> drugs_;
    std::vector<RegimenSpec> regimens_;
    std::vector<int> central_;  // per drug: its central compartment's index in y_
    std::vector<int> gut_;  // per drug: its gut compartment (parents and first-pass metabolites)
    /// per regimen: the drugs it doses and the fraction of each dose they get (1 for a drug; a
    /// mixture's mass fractions)
    std::vector<std::vector<std::pair<std::size_t, double>>> regimen_parts_;
    std::vector<System> systems_;
    std::vector<double> y_;               // amounts, mg
    std::vector<double> infusion_mg_h_;   // per state entry: input rate now (infusions under way)
    std::vector<double> infusion_end_h_;  // per regimen: end of its current infusion (or -inf)
    std::vector<std::uint64_t> next_;     // per regimen: index of its next dose
    double body_mass_kg_;
    double t_h_ = 0.0;
    bool washout_ = false;
    // Cache of the last propagator (a run advances by the same step again and again).
    double cached_dt_ = -1.0;
    std::vector<std::vector<double>> cached_;
    std::vector<double> scratch_;
};

/// Time to steady state of drug `drug` (a parent or metabolite): its parent's first regimen given
/// alone from t = 0 without a stop; the time of the first trough (the level just before a dose)
/// from which every later trough is within 2^-5 = 3.1 % of the steady-state trough (5 half-lives
/// of a one-compartment drug). The steady-state trough is the trough after 64 half-lives of the
/// slowest process of the system. One definition, used by `neurochem pk`, the tests and the docs.
struct SteadyState {
    bool reached = false;
    double days = 0.0;
    std::string regimen;
    std::string why;  ///< when not reached
};
SteadyState time_to_steady_state(const ChemistrySpec& chemistry, std::size_t drug);

/// exp(A) of an n x n matrix (row major) whose off-diagonal entries form an acyclic graph (a
/// compartment model: flows never return), as a sum over paths of divided differences of exp:
/// to a few ulp per entry at any stiffness. internal_error for a cyclic graph.
std::vector<double> matrix_exponential(const std::vector<double>& A, std::size_t n);

/// The divided difference f[z0, ..., zk] of exp (points in any order, repeats allowed).
double divided_difference_exp(std::vector<double> z);

}  // namespace neurochem

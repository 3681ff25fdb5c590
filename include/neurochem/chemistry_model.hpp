// The description of the chemistry layer (docs/model/chemistry.md): extracellular transmitter
// pools per region, reuptake, release by modulatory populations, neuromodulator receptors
// and second messengers per neuron, their effects on neurons, and drugs. Plain data; units in
// the field names (uM = micromolar; rates per second).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace neurochem {

/// Transmitters of the extracellular pools: "5HT", "DA", "NE", "GABA".
enum class Transmitter { serotonin, dopamine, norepinephrine, gaba };
/// G-protein (or channel) a receptor type couples to.
enum class Coupling { gs, gi, gq, chloride_channel };
/// Drug targets with a named affinity (Ki) in a drug's definition.
enum class DrugTarget { SERT, NET, DAT, D2, HT2A, alpha1, IMPase, GSK3, HT1A, MAOA };
inline constexpr int drug_target_count = 10;
/// The target named `name` ("SERT", ..., "5HT2A", "5HT1A"), or -1.
int drug_target_index(const std::string& name);
/// Receptor targets, at which a drug may be an agonist (efficacy > 0) rather than an antagonist.
inline bool is_receptor_target(DrugTarget t) {
    return t == DrugTarget::D2 || t == DrugTarget::HT2A || t == DrugTarget::alpha1 ||
           t == DrugTarget::HT1A;
}

/// Extracellular pool of one transmitter in a region (RegionSpec::pools):
///   dC/dt = release - sum_uptakes Vmax C / (Km (1 + sum_drugs [I]/Ki) + C) - loss C.
struct PoolSpec {
    Transmitter transmitter = Transmitter::serotonin;
    double initial_uM = 0.0;
    double loss_per_s = 0.0;  ///< first-order loss (enzymatic breakdown, diffusion out)
};

/// Michaelis-Menten reuptake of `substrate` by a transporter in a region (NET also takes up DA).
struct UptakeSpec {
    std::string name, region;
    DrugTarget transporter = DrugTarget::SERT;  ///< SERT, NET or DAT: what drugs block
    Transmitter substrate = Transmitter::serotonin;
    double Vmax_uM_per_s = 0.0;
    double Km_uM = 1.0;
};

/// Release into a region's pool by the spikes of a population: every spike adds
/// quantum_uM / population size, so the quantum is the rise if every neuron spiked once.
/// Terminal autoreceptors (5-HT1B on serotonergic terminals) scale the release per spike by
///   (1 - a C/(C + Kd)) / (1 - a C0/(C0 + Kd))
/// with C the pool's concentration at the start of the chemistry step and C0 its initial value,
/// so that the quantum is the release at C0 and only departures from it are fed back.
struct ReleaseSpec {
    std::string name, population, region;
    Transmitter transmitter = Transmitter::serotonin;
    double quantum_uM = 0.0;
    double autoreceptor_max = 0.0;     ///< a: largest fraction of release they inhibit (0: none)
    double autoreceptor_Kd_uM = 0.01;  ///< Kd: half occupancy by the transmitter
};

/// A neuromodulator receptor type and its per-neuron kinetics:
///   occupancy o:        do/dt = k_on C (1 - o - b) - k_off o,  k_on = k_off / Kd
///   drug-bound share b: db/dt = sum_drugs k_off (A/Ki) (1 - o - b) - k_off b
///   desensitisation d:  dd/dt = k_des o (1 - d) - k_res d
///   stimulus s = o + b * (sum_drugs e A/Ki) / (sum_drugs A/Ki)   (e: drug's intrinsic efficacy)
///   activation, linear (tau = 0):  a = s (1 - d) * density * efficacy
///   operational model (tau > 0, Black & Leff 1983), T = tau * density * efficacy * (1 - d):
///                                  a = (T s)^n / (1 + (T s)^n)
struct ReceptorTypeSpec {
    std::string name;  ///< "5HT1A", "5HT2A", "D1", "D2", "alpha1", "alpha2", "beta", "GABAA_extra"
    Transmitter ligand = Transmitter::serotonin;
    Coupling coupling = Coupling::gi;
    double Kd_uM = 0.01;       ///< ligand concentration at half occupancy (no desensitisation)
    double k_off_per_s = 1.0;  ///< unbinding rate (sets the kinetics; k_on = k_off / Kd)
    double k_des_per_s = 0.0;  ///< desensitisation rate at full occupancy
    double k_res_per_s = 0.0;  ///< resensitisation rate
    double density = 1.0;      ///< initial per-neuron density (slow plasticity moves it)
    double efficacy = 1.0;     ///< initial per-neuron coupling efficacy
    double tau = 0.0;  ///< operational-model transducer ratio at density = efficacy = 1 (0: linear)
    double slope = 1.0;                             ///< operational-model slope n
    DrugTarget antagonist_target = DrugTarget::D2;  ///< which drug Ki blocks it (if `antagonized`)
    bool antagonized = false;
};

enum class EffectKind {
    girk,        ///< K+ conductance magnitude * a (nS), reversal chemistry.E_K
    tonic_gaba,  ///< Cl- conductance magnitude * a (nS), reversal chemistry.E_GABA
    current,     ///< current magnitude * a (pA; positive depolarises)
    port_gain,   ///< synaptic input at `port` scaled by (1 + magnitude * a)
};

/// What activation of a receptor does to the neurons of a population.
struct EffectSpec {
    std::string population, receptor;
    EffectKind kind = EffectKind::current;
    double magnitude = 0.0;  ///< nS, pA or dimensionless gain, by kind
    std::string port;        ///< port_gain only
};

/// Oral drug (or active metabolite) with linear one-compartment PK and first-order absorption.
struct DrugSpec {
    std::string name;
    std::string parent;            ///< metabolites: the drug they are formed from
    double fraction_formed = 0.0;  ///< metabolites: fraction of the parent's elimination (molar)
    /// metabolites: fraction of the parent's first-pass loss (1 - F of an oral dose) that
    /// becomes this metabolite before it reaches the circulation (molar)
    double first_pass_fraction = 0.0;
    double molar_mass_g_per_mol = 300.0;
    double assay_molar_mass_g_per_mol = 0.0;  ///< species a plasma assay reports (0: molar_mass)
    double bioavailability = 1.0;
    double Vd_L_per_kg = 1.0;
    double fraction_unbound = 1.0;  ///< in plasma
    double brain_partition = 1.0;   ///< unbound brain / unbound plasma (Kp,uu)
    double half_life_h = 24.0;
    double absorption_per_h = 1.0;         ///< ka
    double Ki_uM[drug_target_count] = {};  ///< 0 = no action on that target
    /// PET-calibrated occupancy (0 = none): at a target with PET_EC50 > 0 the drug acts through
    /// occupancy = Emax x / (1 + x), x = sum over such species of plasma_total / PET_EC50
    /// (competitive species under one ceiling, Emax the largest of theirs), instead of its Ki
    /// (docs/model/chemistry.md, "Occupancy calibrated to PET").
    double PET_EC50_uM[drug_target_count] = {};
    double PET_Emax[drug_target_count] = {};
    /// Intrinsic efficacy at a receptor target relative to the endogenous transmitter (0: neutral
    /// antagonist, 1: full agonist, in between: partial agonist). Enters the operational model as
    /// a stimulus efficacy * drug-bound fraction (docs/model/chemistry.md, "Receptor reserve").
    double efficacy[drug_target_count] = {};
    /// Negative allosteric modulation at a transporter target: the total plasma concentration
    /// (uM) of this species that halves the occupancy load of every *other* species there (0:
    /// none). R-citalopram at SERT (docs/model/chemistry.md, "Racemates").
    double allosteric_K_uM[drug_target_count] = {};
};

/// A drug given as a mixture of species, each a [drug.NAME] with its own PK and affinities (a
/// racemate: its enantiomers). A regimen of the mixture gives every component its mass fraction
/// of each dose (a bath regimen: that fraction of the concentration).
struct MixtureSpec {
    std::string name;
    std::vector<std::pair<std::string, double>> components;  ///< drug, mass fraction
};

/// bath: a constant unbound concentration at the target while the regimen is active (an in-vitro
/// or in-silico application, e.g. an agonist concentration-response), no PK.
enum class Route { oral, iv_bolus, iv_infusion, bath };

/// Repeated doses: at start, start + interval, ... while < stop (times may be negative: dosing
/// before the simulation begins). Oral, an intravenous bolus, or an infusion of infusion_h.
struct RegimenSpec {
    std::string name, drug;
    double dose_mg = 0.0;
    double interval_h = 24.0;
    double start_h = 0.0;
    double stop_h = std::numeric_limits<double>::infinity();
    Route route = Route::oral;
    double infusion_h = 1.0;  ///< iv_infusion: duration (<= interval)
    double bath_uM = 0.0;     ///< bath: concentration at the target from start to stop
};

/// Second messengers per neuron (dimensionless, basal level 1 where it applies):
///   cAMP:  dc/dt = k_c ((1 + g_s Gs) / (1 + g_i Gi) - c)
///   Gq/inositol cycle with lithium (docs/model/chemistry.md)
///   CREB:  dCREB/dt = k_creb ((c - 1) w_c + activity w_a)(1 - CREB) - k_creb_off CREB
struct MessengerSpec {
    double cAMP_rate_per_s = 0.1;
    double Gs_gain = 2.0, Gi_gain = 2.0;
    double PLC_basal_per_s = 0.001, PLC_Gq_per_s = 0.1;
    double IP3_decay_per_s = 0.14;
    double IMPase_Vmax_per_s = 0.012;  ///< in units of the PIP2 pool per second
    double IMPase_Km = 0.5;            ///< in units of the PIP2 pool (dimensionless)
    double PIP2_resynthesis_per_s = 0.01;
    double inositol_supply_per_s = 0.0001;
    double CREB_on_per_s = 0.01, CREB_off_per_s = 0.005;
    double CREB_cAMP_weight = 1.0, CREB_activity_weight = 0.1;  ///< activity: per Hz
    double activity_tau_s = 1.0;
};

struct ChemistrySpec {
    bool enabled = false;
    double dt_ms = 1.0;  ///< chemistry step, a multiple of simulation.dt
    double E_K_mV = -90.0;
    double E_GABA_mV = -70.0;
    double body_mass_kg = 70.0;
    double trace_interval_ms = 10.0;  ///< sampling of the chemistry traces in the output
    MessengerSpec messengers;
    std::vector<UptakeSpec> uptakes;
    std::vector<ReleaseSpec> releases;
    std::vector<ReceptorTypeSpec> receptor_types;
    std::vector<EffectSpec> effects;
    std::vector<DrugSpec> drugs;
    std::vector<MixtureSpec> mixtures;
    std::vector<RegimenSpec> regimens;  ///< of a drug (a parent) or of a mixture
};

const char* to_string(Transmitter t);
const char* to_string(DrugTarget t);

}  // namespace neurochem

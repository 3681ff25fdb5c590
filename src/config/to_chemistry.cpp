// The chemistry sections of a ResolvedConfig -> ChemistrySpec.
#include <cmath>

#include "config/fill.hpp"
#include "neurochem/errors.hpp"

namespace neurochem::config {

Transmitter transmitter_named(const std::string& t) {
    if (t == "5HT") return Transmitter::serotonin;
    if (t == "DA") return Transmitter::dopamine;
    if (t == "NE") return Transmitter::norepinephrine;
    if (t == "GABA") return Transmitter::gaba;
    throw internal_error("transmitter " + t);
}

namespace {
DrugTarget target_of(const std::string& t) {
    const int i = drug_target_index(t);
    if (i < 0) throw internal_error("drug target " + t);
    return static_cast<DrugTarget>(i);
}
}  // namespace

void fill_chemistry(const ResolvedConfig& c, ModelSpec& m) {
    auto& ch = m.chemistry;
    if (const auto* s = c.find("chemistry")) {
        ch.enabled = true;
        ch.dt_ms = s->at("dt").number;
        ch.E_K_mV = s->at("E_K").number;
        ch.E_GABA_mV = s->at("E_GABA").number;
        ch.body_mass_kg = s->at("body_mass").number * 1e-6;  // mg -> kg
        ch.trace_interval_ms = s->at("trace_interval").number;
        const double steps = ch.dt_ms / m.simulation.dt_ms;
        if (std::abs(steps - std::round(steps)) > 1e-6 * std::max(1.0, steps)) {
            throw input_error(both_keys(c, *s, "dt", *c.find("simulation"), "dt") +
                              ": the chemistry step is not a whole number of steps of "
                              "simulation.dt.");
        }
        const double ts = ch.trace_interval_ms / ch.dt_ms;
        if (std::abs(ts - std::round(ts)) > 1e-6 * std::max(1.0, ts)) {
            throw input_error(both_keys(c, *s, "trace_interval", *s, "dt") +
                              ": not a whole number of chemistry steps.");
        }
    }
    if (const auto* s = c.find("messengers")) {
        auto& x = ch.messengers;
        x.cAMP_rate_per_s = s->at("cAMP_rate").number;
        x.Gs_gain = s->at("Gs_gain").number;
        x.Gi_gain = s->at("Gi_gain").number;
        x.PLC_basal_per_s = s->at("PLC_basal").number;
        x.PLC_Gq_per_s = s->at("PLC_Gq").number;
        x.IP3_decay_per_s = s->at("IP3_decay").number;
        x.IMPase_Vmax_per_s = s->at("IMPase_Vmax").number;
        x.IMPase_Km = s->at("IMPase_Km").number;
        x.PIP2_resynthesis_per_s = s->at("PIP2_resynthesis").number;
        x.inositol_supply_per_s = s->at("inositol_supply").number;
        x.CREB_on_per_s = s->at("CREB_on").number;
        x.CREB_off_per_s = s->at("CREB_off").number;
        x.CREB_cAMP_weight = s->at("CREB_cAMP_weight").number;
        x.CREB_activity_weight = s->at("CREB_activity_weight").number;
        x.activity_tau_s = s->at("activity_tau").number * 1e-3;
    }
    for (const auto& s : c.sections) {
        const auto dot = s.id.find('.');
        if (s.kind == "uptake") {
            ch.uptakes.push_back({s.id.substr(dot + 1), s.id.substr(0, dot),
                                  target_of(s.at("transporter").text),
                                  transmitter_named(s.at("substrate").text), s.at("Vmax").number,
                                  s.at("Km").number});
        } else if (s.kind == "release") {
            const auto arrow = s.id.find("->");
            const auto colon = s.id.find(':');
            ReleaseSpec r;
            r.name = s.id;
            r.population = s.id.substr(0, arrow);
            r.region = s.id.substr(
                arrow + 2, colon == std::string::npos ? std::string::npos : colon - arrow - 2);
            r.transmitter = transmitter_named(s.at("transmitter").text);
            r.quantum_uM = s.at("quantum").number;
            r.autoreceptor_max = s.at("autoreceptor_max").number;
            r.autoreceptor_Kd_uM = s.at("autoreceptor_Kd").number;
            ch.releases.push_back(r);
        } else if (s.kind == "receptor_type") {
            ReceptorTypeSpec r;
            r.name = s.id;
            r.ligand = transmitter_named(s.at("ligand").text);
            const std::string cp = s.at("coupling").text;
            r.coupling = cp == "Gs"   ? Coupling::gs
                         : cp == "Gi" ? Coupling::gi
                         : cp == "Gq" ? Coupling::gq
                                      : Coupling::chloride_channel;
            r.Kd_uM = s.at("Kd").number;
            r.k_off_per_s = s.at("k_off").number;
            r.k_des_per_s = s.at("k_des").number;
            r.k_res_per_s = s.at("k_res").number;
            r.tau = s.at("tau").number;
            r.slope = s.at("slope").number;
            r.density = s.at("density").number;
            r.efficacy = s.at("efficacy").number;
            r.antagonized = s.at("antagonist").text != "none";
            if (r.antagonized) r.antagonist_target = target_of(s.at("antagonist").text);
            ch.receptor_types.push_back(r);
        } else if (s.kind == "effect") {
            EffectSpec e;
            e.population = s.id.substr(0, dot);
            e.receptor = s.id.substr(dot + 1);
            const std::string k = s.at("kind").text;
            e.kind = k == "girk"         ? EffectKind::girk
                     : k == "tonic_gaba" ? EffectKind::tonic_gaba
                     : k == "current"    ? EffectKind::current
                                         : EffectKind::port_gain;
            if (s.has("conductance")) e.magnitude = s.at("conductance").number;
            if (s.has("current")) e.magnitude = s.at("current").number;
            if (s.has("gain")) e.magnitude = s.at("gain").number;
            if (s.has("port")) e.port = s.at("port").text;
            ch.effects.push_back(e);
        } else if (s.kind == "drug") {
            DrugSpec d;
            d.name = s.id;
            if (s.at("parent").text != "none") d.parent = s.at("parent").text;
            d.fraction_formed = s.at("fraction_formed").number;
            d.first_pass_fraction = s.at("first_pass_fraction").number;
            d.molar_mass_g_per_mol = s.at("molar_mass").number;
            d.assay_molar_mass_g_per_mol = s.at("assay_molar_mass").number;
            d.bioavailability = s.at("bioavailability").number;
            d.Vd_L_per_kg = s.at("Vd").number;
            d.fraction_unbound = s.at("fraction_unbound").number;
            d.brain_partition = s.at("brain_partition").number;
            d.half_life_h = s.at("half_life").number / 3.6e6;
            d.absorption_per_h = s.at("absorption").number * 3600.0;
            for (int i = 0; i < drug_target_count; ++i) {
                const std::string name = to_string(static_cast<DrugTarget>(i));
                const double ki = s.at("Ki_" + name).number;
                d.Ki_uM[i] = std::isfinite(ki) ? ki : 0.0;
                const double ec50 = s.at("PET_EC50_" + name).number;
                d.PET_EC50_uM[i] = std::isfinite(ec50) ? ec50 : 0.0;
                d.PET_Emax[i] = s.at("PET_Emax_" + name).number;
                if (is_receptor_target(static_cast<DrugTarget>(i)))
                    d.efficacy[i] = s.at("efficacy_" + name).number;
                if (s.has("allosteric_K_" + name)) {
                    const double K = s.at("allosteric_K_" + name).number;
                    d.allosteric_K_uM[i] = std::isfinite(K) ? K : 0.0;
                }
            }
            ch.drugs.push_back(d);
        } else if (s.kind == "mixture") {
            ch.mixtures.push_back({s.id, s.at("components").pairs});
        } else if (s.kind == "regimen") {
            RegimenSpec r;
            r.name = s.id;
            r.drug = s.at("drug").text;
            if (s.has("dose")) r.dose_mg = s.at("dose").number;
            if (s.has("concentration")) r.bath_uM = s.at("concentration").number;
            r.interval_h = s.at("interval").number / 3.6e6;
            r.start_h = s.at("start").number / 3.6e6;
            r.stop_h = s.at("stop").number / 3.6e6;
            const std::string route = s.at("route").text;
            r.route = route == "iv_bolus"      ? Route::iv_bolus
                      : route == "iv_infusion" ? Route::iv_infusion
                      : route == "bath"        ? Route::bath
                                               : Route::oral;
            if (s.has("infusion")) r.infusion_h = s.at("infusion").number / 3.6e6;
            ch.regimens.push_back(r);
        }
    }
}

}  // namespace neurochem::config

// [patient]: a vulnerability profile (docs/model/outcomes.md, "Virtual patients"). Each key is a
// factor (1: the calibrated circuit) on one documented set of model parameters; applied after
// every other section is filled, so it acts on whatever the config built. A factor other than 1
// that finds nothing to act on is an error: a profile never silently does nothing.
#include <algorithm>
#include <string>

#include "config/fill.hpp"
#include "neurochem/errors.hpp"
#include "util/text.hpp"

namespace neurochem::config {

namespace {

void scale(Distribution& d, double f) {
    d.p1 *= f;
    if (d.kind != Distribution::Kind::constant) d.p2 *= f;
    d.min *= f;
    d.max *= f;
}

bool in_region(const ModelSpec& m, const std::string& population, const std::string& region) {
    const int p = m.population_index(population);
    const RegionSpec* r = p < 0 ? nullptr : m.region_of(static_cast<std::size_t>(p));
    return r && r->name == region;
}

}  // namespace

void fill_patient(const ResolvedConfig& c, ModelSpec& m) {
    const auto* s = c.find("patient");
    if (!s) return;
    auto factor = [&](const char* key) { return s->at(key).number; };
    auto nothing = [&](const char* key, const std::string& what) {
        if (factor(key) != 1.0) fail_at(*s, key, "the model has " + what + " to act on.");
    };

    // Raphe 5-HT1A autoreceptor density (the autoreceptor type, by name).
    {
        const std::string type = s->at("autoreceptor").text;
        bool found = false;
        for (auto& t : m.chemistry.receptor_types) {
            if (t.name == type) {
                t.density *= factor("autoreceptor_density");
                found = true;
            }
        }
        if (!found) nothing("autoreceptor_density", "no receptor type '" + type + "'");
    }
    // SERT density: the Vmax of every serotonin-transporter uptake.
    {
        bool found = false;
        for (auto& u : m.chemistry.uptakes) {
            if (u.transporter == DrugTarget::SERT) {
                u.Vmax_uM_per_s *= factor("sert_density");
                found = true;
            }
        }
        if (!found) nothing("sert_density", "no SERT uptake");
    }
    // BDNF expression: basal and CREB-driven expression of every [bdnf] (exercise's not).
    // The patient has been this way for long: protein and newborn-pool integration start at the
    // levels the lower expression sustains (protein in proportion; integration at the
    // equilibrium of dw/dt = S(1 - w)/maturation - w/turnover with S scaled by the factor,
    // relative to the configured start).
    const double fb = factor("bdnf_expression");
    for (auto& b : m.slow.bdnf) {
        b.basal *= fb;
        b.creb_gain *= fb;
        b.initial *= fb;
    }
    for (auto& g : m.slow.neurogenesis) {
        if (g.bdnf.empty()) continue;
        auto equilibrium = [&](double S) {
            return S / g.maturation_h / (S / g.maturation_h + 1.0 / g.turnover_h);
        };
        g.initial = std::min(1.0, g.initial * equilibrium(fb) / equilibrium(1.0));
    }
    if (m.slow.bdnf.empty()) nothing("bdnf_expression", "no [bdnf] section");
    // Prefrontal control of the amygdala: every projection from a PFC population onto an
    // amygdala population.
    {
        bool found = false;
        for (auto& p : m.projections) {
            if (in_region(m, p.pre, "PFC") && in_region(m, p.post, "amygdala")) {
                scale(p.weight, factor("pfc_amygdala_coupling"));
                found = true;
            }
        }
        if (!found) nothing("pfc_amygdala_coupling", "no projection from region PFC to amygdala");
    }
    // Stress drive: the Poisson drives onto the listed populations, in every session too.
    {
        const double f = factor("stress_drive");
        bool found = false;
        for (const auto& target : text::split(s->at("stress_targets").text, ',')) {
            if (m.population_index(target) < 0)
                fail_at(*s, "stress_targets", "there is no population '" + target + "'.");
            for (auto& d : m.poisson) {
                if (d.target != target) continue;
                d.rate_Hz *= f;
                found = true;
                for (auto& session : m.protocol.sessions) {
                    for (auto& [name, rate] : session.drive_rates_Hz) {
                        if (name == d.name) rate *= f;
                    }
                }
            }
        }
        if (!found) nothing("stress_drive", "no Poisson drive onto stress_targets");
    }
    // Sleep drive: the drive of the sleep-promoting population ([sleep] base rate and pressure
    // gain); below 1, shorter and lighter sleep.
    if (m.slow.sleep.enabled) {
        m.slow.sleep.base_rate_Hz *= factor("sleep_drive");
        m.slow.sleep.pressure_gain_Hz_per_nM *= factor("sleep_drive");
    } else {
        nothing("sleep_drive", "no [sleep] section");
    }
}

}  // namespace neurochem::config

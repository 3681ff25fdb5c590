// Cross-checks of the chemistry part of a ModelSpec.
#include <cmath>
#include <cstdio>
#include <set>

#include "model/validate.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

namespace {
[[noreturn]] void fail(const std::string& msg) {
    throw input_error(msg);
}

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", v);
    return b;
}

bool has_pool(const ModelSpec& m, const std::string& region, Transmitter t) {
    const int r = m.region_index(region);
    if (r < 0) return false;
    for (const auto& p : m.regions[static_cast<std::size_t>(r)].pools) {
        if (p.transmitter == t) return true;
    }
    return false;
}
}  // namespace

void validate_chemistry(const ModelSpec& m) {
    const auto& ch = m.chemistry;
    if (!ch.enabled) {
        for (const auto& p : m.populations) {
            if (!p.expresses.empty()) {
                fail("population '" + p.name +
                     "' expresses receptors but the model has no chemistry "
                     "(no [receptor_type.NAME] sections).");
            }
        }
        return;
    }
    if (!(ch.dt_ms >= m.simulation.dt_ms)) fail("chemistry.dt must be at least simulation.dt.");
    for (const auto& region : m.regions) {
        std::set<Transmitter> seen;
        for (const auto& p : region.pools) {
            if (!seen.insert(p.transmitter).second) {
                fail("pool '" + region.name + "." + to_string(p.transmitter) +
                     "' is defined twice.");
            }
        }
    }
    for (const auto& u : ch.uptakes) {
        if (!has_pool(m, u.region, u.substrate)) {
            fail("uptake '" + u.region + "." + u.name + "' takes up " + to_string(u.substrate) +
                 ", but region '" + u.region + "' has no [pool." + u.region + "." +
                 to_string(u.substrate) + "].");
        }
    }
    for (const auto& r : ch.releases) {
        if (m.population_index(r.population) < 0)
            fail("release '" + r.name + "': no population '" + r.population + "'.");
        if (!has_pool(m, r.region, r.transmitter)) {
            fail("release '" + r.name + "' releases " + to_string(r.transmitter) +
                 " into region '" + r.region + "', which has no [pool." + r.region + "." +
                 to_string(r.transmitter) + "].");
        }
    }
    std::set<std::string> types;
    for (const auto& t : ch.receptor_types)
        types.insert(t.name);
    for (const auto& p : m.populations) {
        for (const auto& r : p.expresses) {
            const ReceptorTypeSpec* t = nullptr;
            for (const auto& x : ch.receptor_types) {
                if (x.name == r) t = &x;
            }
            if (!t)
                fail("population '" + p.name + "' expresses '" + r +
                     "', which has no [receptor_type." + r + "].");
            const auto* region = m.region_of(static_cast<std::size_t>(m.population_index(p.name)));
            if (!region) fail("population '" + p.name + "' expresses receptors but has no region.");
            if (!has_pool(m, region->name, t->ligand)) {
                fail("population '" + p.name + "' expresses " + r + " (ligand " +
                     to_string(t->ligand) + ") in region '" + region->name +
                     "', which has no [pool." + region->name + "." + to_string(t->ligand) + "].");
            }
        }
    }
    for (const auto& e : ch.effects) {
        const int pi = m.population_index(e.population);
        if (pi < 0)
            fail("effect '" + e.population + "." + e.receptor + "': no population '" +
                 e.population + "'.");
        const auto& p = m.populations[static_cast<std::size_t>(pi)];
        bool expressed = false;
        for (const auto& r : p.expresses)
            expressed |= r == e.receptor;
        if (!expressed) {
            fail("effect '" + e.population + "." + e.receptor + "': population '" + e.population +
                 "' does not express " + e.receptor + " (add it to its 'expresses').");
        }
        if (e.kind == EffectKind::port_gain && p.receptor_index(e.port) < 0) {
            fail("effect '" + e.population + "." + e.receptor + "': population '" + e.population +
                 "' has no synaptic port '" + e.port + "'.");
        }
    }
    std::set<std::string> drugs;
    for (const auto& d : ch.drugs) {
        if (!drugs.insert(d.name).second) fail("drug '" + d.name + "' is defined twice.");
    }
    // PK inputs: bounded so that every amount and concentration stays finite (doses, volumes and
    // rates far outside pharmacology are refused by name rather than computed into infinities).
    auto range = [](const std::string& what, double v, double lo, double hi,
                    const std::string& unit, const std::string& why) {
        if (!(v >= lo && v <= hi)) {
            fail(what + " = " + num(v) + " " + unit + " is outside the allowed range [" + num(lo) +
                 ", " + num(hi) + "] " + unit + why);
        }
    };
    if (!ch.regimens.empty()) range("chemistry.body_mass", ch.body_mass_kg, 1.0, 1000.0, "kg", ".");
    for (const auto& d : ch.drugs) {
        const std::string w = "drug '" + d.name + "': ";
        range(w + "Vd", d.Vd_L_per_kg, 0.01, 1e5, "L/kg", " (plasma alone is 0.04 L/kg).");
        range(w + "half_life", d.half_life_h, 1e-4, 1e6, "h", ".");
        range(w + "absorption", d.absorption_per_h, 1e-4, 1e6, "/h",
              " (for an immediate effect use route = iv_bolus in the regimen).");
        range(w + "molar_mass", d.molar_mass_g_per_mol, 1.0, 1e6, "g/mol", ".");
        if (d.parent.empty() && d.first_pass_fraction != 0) {
            fail(w + "first_pass_fraction applies to metabolites only (set 'parent').");
        }
    }
    for (const auto& d : ch.drugs) {
        if (d.parent.empty()) continue;
        const DrugSpec* parent = nullptr;
        for (const auto& x : ch.drugs) {
            if (x.name == d.parent) parent = &x;
        }
        if (!parent) fail("drug '" + d.name + "': its parent '" + d.parent + "' is not defined.");
        if (!parent->parent.empty())
            fail("drug '" + d.name + "': metabolites of metabolites are not supported.");
        double formed = 0, first_pass = 0;
        for (const auto& x : ch.drugs) {
            if (x.parent != d.parent) continue;
            formed += x.fraction_formed;
            first_pass += x.first_pass_fraction;
        }
        if (formed > 1 + 1e-12) {
            fail("drug '" + d.parent + "': its metabolites' fraction_formed add up to " +
                 num(formed) + " (at most 1: a share of one elimination).");
        }
        if (first_pass > 1 + 1e-12) {
            fail("drug '" + d.parent + "': its metabolites' first_pass_fraction add up to " +
                 num(first_pass) + " (at most 1: a share of one first-pass loss).");
        }
    }
    auto drug_named = [&](const std::string& name) -> const DrugSpec* {
        for (const auto& x : ch.drugs) {
            if (x.name == name) return &x;
        }
        return nullptr;
    };
    std::set<std::string> mixtures;
    for (const auto& mix : ch.mixtures) {
        const std::string w = "mixture '" + mix.name + "': ";
        if (drugs.count(mix.name)) fail(w + "a drug of that name is defined too.");
        if (!mixtures.insert(mix.name).second) fail(w + "defined twice.");
        if (mix.components.empty()) fail(w + "components = none: a mixture needs a species.");
        double total = 0;
        for (const auto& [name, fraction] : mix.components) {
            const DrugSpec* d = drug_named(name);
            if (!d) fail(w + "components: drug '" + name + "' is not defined.");
            if (!d->parent.empty())
                fail(w + "components: '" + name + "' is a metabolite; list parents only.");
            if (!(fraction > 0)) fail(w + "components: '" + name + "' has no share of the dose.");
            total += fraction;
        }
        if (total > 1 + 1e-12) {
            fail(w + "components add up to " + num(total) +
                 " of the dose (at most 1: mass fractions of one dose).");
        }
    }
    for (const auto& r : ch.regimens) {
        const DrugSpec* d = drug_named(r.drug);
        if (!d && !mixtures.count(r.drug))
            fail("regimen '" + r.name + "': drug '" + r.drug +
                 "' is not defined (include its file from configs/drugs/).");
        if (d && !d->parent.empty())
            fail("regimen '" + r.name + "': '" + r.drug + "' is a metabolite; dose its parent.");
        const std::string w = "regimen '" + r.name + "': ";
        range(w + "dose", r.dose_mg, 0.0, 1e6, "mg", ".");
        range(w + "interval", r.interval_h, 1.0 / 60.0, 1e6, "h",
              " (for continuous dosing use route = iv_infusion with infusion = interval).");
        range(w + "start", r.start_h, -1e5, 1e7, "h", ".");
        if (!(r.stop_h > r.start_h)) {
            fail(w + "stop = " + num(r.stop_h) + " h is not after start = " + num(r.start_h) +
                 " h: the regimen would give no dose (remove the regimen for no treatment, or "
                 "move stop after start).");
        }
        if (r.route == Route::iv_infusion) {
            range(w + "infusion", r.infusion_h, 1.0 / 3600.0, r.interval_h, "h",
                  " (an infusion ends before the next starts).");
        }
    }
}

}  // namespace neurochem

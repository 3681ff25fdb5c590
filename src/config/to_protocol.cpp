// [protocol], [session.NAME] and [homeostasis.NAME] -> ProtocolSpec and SlowSpec. Errors that
// need the rest of the model (a drive that does not exist, a session outside the run) are found
// here, where the file and line of the offending key are still known.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "config/fill.hpp"
#include "neurochem/errors.hpp"
#include "util/text.hpp"

namespace neurochem::config {

namespace {
std::string names_of_drives(const ModelSpec& m) {
    std::vector<std::string> v;
    for (const auto& d : m.poisson)
        v.push_back(d.name);
    return v.empty() ? "none" : text::join(v, ", ");
}

std::string as_hours(double ms) {
    return text::format_double(ms / 3.6e6) + " h";
}

/// The population named by a slow process's section id exists and expresses receptor types
/// (it has the chemistry layer's per-neuron state); `why` says what needs them.
void require_expressing(const ResolvedSection& s, const ModelSpec& m, const std::string& name,
                        const std::string& why) {
    const int pop = m.population_index(name);
    if (pop < 0)
        throw input_error(written_at(s) + ": [" + s.name + "]: there is no population '" + name +
                          "'.");
    if (m.populations[static_cast<std::size_t>(pop)].expresses.empty()) {
        throw input_error(written_at(s) + ": [" + s.name + "]: population '" + name +
                          "' expresses no receptor types, " + why + "; give it `expresses = ...`.");
    }
}
bool expresses_gq(const ModelSpec& m, const std::string& name) {
    for (const auto& r :
         m.populations[static_cast<std::size_t>(m.population_index(name))].expresses)
        for (const auto& t : m.chemistry.receptor_types)
            if (t.name == r && t.coupling == Coupling::gq) return true;
    return false;
}
std::uint64_t whole_days(const ResolvedSection& s, const std::string& key) {
    const double d = s.at(key).number / 8.64e7;
    if (std::abs(d - std::round(d)) > 1e-9 || d < 1)
        fail_at(s, key, "must be a whole number of days (at least 1 day).");
    return static_cast<std::uint64_t>(std::llround(d));
}

// [outcomes] after the probes, populations and slow processes it reads.
void fill_outcomes(const ResolvedSection& s, ModelSpec& m) {
    OutcomeSpec o;
    o.enabled = true;
    o.probe = s.at("probe").text;
    o.amygdala = s.at("amygdala").text;
    o.prefrontal = s.at("prefrontal").text;
    o.probe_at_h = s.at("probe_at").number / 3.6e6;
    if (o.probe_at_h >= 23.0) fail_at(s, "probe_at", "must be a time of day before 23 h.");
    const ProbeSpec* probe = nullptr;
    std::vector<std::string> probes;
    for (const auto& p : m.probes) {
        probes.push_back(p.name);
        if (p.name == o.probe) probe = &p;
    }
    if (!probe)
        fail_at(s, "probe",
                "there is no [probe." + o.probe + "]; probes: " +
                    (probes.empty() ? std::string("none") : text::join(probes, ", ")) + ".");
    for (const char* key : {"amygdala", "prefrontal"}) {
        const std::string pop = s.at(key).text;
        if (std::find(probe->readout.begin(), probe->readout.end(), pop) == probe->readout.end())
            fail_at(s, key,
                    "is not a readout population of [probe." + o.probe +
                        "]; its readouts: " + text::join(probe->readout, ", ") + ".");
    }
    if (s.at("bdnf").text != "none") {
        o.bdnf = s.at("bdnf").text;
        bool found = false;
        for (const auto& b : m.slow.bdnf)
            found |= b.population == o.bdnf;
        if (!found) fail_at(s, "bdnf", "there is no [bdnf." + o.bdnf + "] section.");
    }
    if (s.at("neurogenesis").text != "none") {
        o.neurogenesis = s.at("neurogenesis").text;
        bool found = false;
        for (const auto& g : m.slow.neurogenesis)
            found |= g.population == o.neurogenesis;
        if (!found)
            fail_at(s, "neurogenesis",
                    "there is no [neurogenesis." + o.neurogenesis + "] section.");
    }
    o.amygdala_ref = s.at("amygdala_reference").number;
    o.prefrontal_ref = s.at("prefrontal_reference").number;
    o.bdnf_ref = s.at("bdnf_reference").number;
    o.neurogenesis_ref = s.at("neurogenesis_reference").number;
    o.sleep_ref_h = s.at("sleep_reference").number / 3.6e6;
    o.w_amygdala = s.at("weight_amygdala").number;
    o.w_prefrontal = s.at("weight_prefrontal").number;
    o.w_bdnf = o.bdnf.empty() ? 0.0 : s.at("weight_bdnf").number;
    o.w_neurogenesis = o.neurogenesis.empty() ? 0.0 : s.at("weight_neurogenesis").number;
    o.w_sleep = s.at("weight_sleep").number;
    o.sleep_deficit_only = s.at("sleep_term").text == "deficit";
    if (o.w_sleep > 0 && !m.slow.sleep.enabled)
        fail_at(s, "weight_sleep",
                "the model has no [sleep] section to measure sleep; set weight_sleep = 0.");
    o.burn_in_days = s.at("burn_in").number > 0 ? whole_days(s, "burn_in") : 0;
    o.baseline_days = whole_days(s, "baseline");
    o.rating_days = whole_days(s, "rating_window");
    o.remission_days = whole_days(s, "remission_for");
    o.relapse_days = whole_days(s, "relapse_for");
    o.response_drop = s.at("response_drop").number;
    o.remission_below = s.at("remission_below").number;
    o.relapse_above = s.at("relapse_above").number;
    if (s.at("continuation_from").number > 0) {
        const std::uint64_t c = whole_days(s, "continuation_from");
        if (c <= o.burn_in_days + o.baseline_days)
            fail_at(s, "continuation_from",
                    "must come after burn_in + baseline (day " +
                        std::to_string(o.burn_in_days + o.baseline_days) + "), or be 0.");
    }
    if (o.relapse_above < o.remission_below)
        fail_at(s, "relapse_above",
                "must not be below remission_below = " + s.at("remission_below").text + ".");
    m.slow.outcomes = o;
}
}  // namespace

void fail_at(const ResolvedSection& s, const std::string& key, const std::string& why) {
    const auto& v = s.at(key);
    throw input_error(v.origin + ": [" + s.name + "] " + key + " = '" +
                      text::escape_for_message(v.text) + "': " + why);
}

void fill_protocol(const ResolvedConfig& c, ModelSpec& m) {
    const auto* p = c.find("protocol");
    if (!p) {
        for (const auto& s : c.sections) {
            if (s.kind == "session" || s.kind == "homeostasis" || s.kind == "sleep" ||
                s.kind == "regulation" || s.kind == "bdnf" || s.kind == "neurogenesis" ||
                s.kind == "uptake_regulation" || s.kind == "synthesis" || s.kind == "scaling" ||
                s.kind == "inositol" || s.kind == "outcomes") {
                throw input_error(
                    written_at(s) + ": [" + s.name +
                    "] needs a [protocol] section (the slow clock it runs on; `neurochem "
                    "config-reference` lists its keys).");
            }
            if (s.kind == "plasticity" && s.has("tau_forget") &&
                std::isfinite(s.at("tau_forget").number))
                fail_at(s, "tau_forget",
                        "forgetting runs on the slow clock: it needs a [protocol] section.");
            if (s.kind == "plasticity" && s.has("tau_early") &&
                std::isfinite(s.at("tau_early").number))
                fail_at(s, "tau_early",
                        "the early stage decays on the slow clock: it needs a [protocol] section.");
        }
        return;
    }
    auto& pr = m.protocol;
    pr.enabled = true;
    pr.origin = p->at("slow_step").origin;
    pr.slow_step_h = p->at("slow_step").number / 3.6e6;
    pr.window_ms = p->at("window").number;
    pr.settle_ms = p->at("settle").number;
    pr.record_every_h = p->at("record_every").number / 3.6e6;
    pr.record_at_h = p->at("record_at").number / 3.6e6;
    const double dt = m.simulation.dt_ms;
    for (const char* key : {"window", "settle"}) {
        const double steps = p->at(key).number / dt;
        if (std::abs(steps - std::round(steps)) > 1e-6 * std::max(1.0, steps)) {
            fail_at(*p, key,
                    "is not a whole number of steps of simulation.dt = " +
                        c.find("simulation")->at("dt").text + ".");
        }
    }
    const double run_h = m.simulation.duration_ms / 3.6e6;
    if (std::isfinite(pr.record_every_h) && pr.record_every_h > 0 &&
        pr.record_at_h >= pr.record_every_h) {
        fail_at(*p, "record_at",
                "must lie within the record_every period (" + p->at("record_every").text + ").");
    }

    for (const auto& s : c.sections) {
        if (s.kind == "session") {
            SessionSpec x;
            x.name = s.id;
            x.origin = s.at("start").origin;
            x.start_h = s.at("start").number / 3.6e6;
            x.length_h = s.at("length").number / 3.6e6;
            x.every_h = s.at("every").number / 3.6e6;
            x.until_h = s.at("until").number / 3.6e6;
            x.asleep = s.at("asleep").boolean;
            x.exercise = s.at("exercise").boolean;
            x.whole = s.at("whole").boolean;
            x.washout = s.at("washout").boolean;
            if (s.at("isolate").text != "none") {
                for (const auto& name : text::split(s.at("isolate").text, ',')) {
                    require_expressing(s, m, name,
                                       "and a slice cuts its input through the chemistry "
                                       "layer's port gains");
                    x.isolate.push_back(name);
                }
            }
            if (x.start_h >= run_h) {
                fail_at(s, "start",
                        "lies at " + as_hours(s.at("start").number) +
                            ", at or after the end of the run "
                            "(simulation.duration = " +
                            as_hours(m.simulation.duration_ms) + ").");
            }
            if (x.every_h > 0 && x.length_h > x.every_h) {
                fail_at(s, "length",
                        "is longer than the repeat period every = " + s.at("every").text +
                            " (sessions would overlap themselves).");
            }
            if (x.until_h <= x.start_h)
                fail_at(s, "until", "must lie after start = " + s.at("start").text + ".");
            for (const auto& [drive, rate] : s.at("rates").pairs) {
                if (m.poisson_index(drive) < 0) {
                    fail_at(s, "rates",
                            "there is no Poisson drive '" + drive +
                                "'; drives: " + names_of_drives(m) + ".");
                }
                x.drive_rates_Hz.emplace_back(drive, rate);
            }
            if (s.at("enabled").boolean) {
                pr.sessions.push_back(x);
            } else {
                pr.disabled_sessions.push_back(x.name);
            }
        } else if (s.kind == "homeostasis") {
            DriveHomeostasisSpec h;
            h.name = s.id;
            h.drive = s.at("drive").text;
            h.population = s.at("population").text;
            h.target_Hz = s.at("target").number;
            h.tau_h = s.at("tau").number / 3.6e6;
            h.g_min = s.at("min_gain").number;
            h.g_max = s.at("max_gain").number;
            if (m.poisson_index(h.drive) < 0)
                fail_at(
                    s, "drive",
                    "there is no Poisson drive of that name; drives: " + names_of_drives(m) + ".");
            if (m.population_index(h.population) < 0)
                fail_at(s, "population", "there is no population of that name.");
            if (h.g_min > h.g_max)
                fail_at(s, "min_gain", "is larger than max_gain = " + s.at("max_gain").text + ".");
            if (h.g_min > 1 || h.g_max < 1)
                fail_at(s, "min_gain", "the bounds must contain the starting gain 1.");
            m.slow.drive_homeostasis.push_back(h);
        } else if (s.kind == "scaling") {
            SynapticScalingSpec sc;
            sc.population = s.id;
            sc.target_Hz = s.at("target").number;
            sc.tau_h = s.at("tau").number / 3.6e6;
            sc.onset_h = s.at("onset").number / 3.6e6;
            sc.s_min = s.at("min").number;
            sc.s_max = s.at("max").number;
            if (s.at("set_point").text == "given") {
                if (!(sc.target_Hz > 0))
                    fail_at(s, "target",
                            "must be a rate > 0 Hz with set_point = given (or set set_point = "
                            "baseline to measure it).");
            } else {
                sc.baseline_from_h = s.at("baseline_from").number / 3.6e6;
                sc.baseline_until_h = s.at("baseline_until").number / 3.6e6;
                sc.origin = s.at("baseline_until").origin;
                if (sc.target_Hz != 0)
                    fail_at(s, "target",
                            "is measured with set_point = baseline; give no target (or set "
                            "set_point = given).");
                if (!(sc.baseline_until_h > sc.baseline_from_h))
                    fail_at(s, "baseline_until",
                            "must be later than baseline_from (" +
                                text::format_double(sc.baseline_from_h) +
                                " h) with set_point = baseline.");
            }
            sc.awake_only = s.at("sense").text == "awake";
            if (sc.awake_only && !c.find("sleep"))
                fail_at(s, "sense",
                        "needs a [sleep] section (it measures whether a window is awake).");
            require_expressing(s, m, sc.population,
                               "and the scaling acts through the chemistry layer's port gains");
            const auto& ps =
                m.populations[static_cast<std::size_t>(m.population_index(sc.population))];
            std::vector<std::string> have;
            for (const auto& r : ps.receptors)
                have.push_back(r.name);
            for (const auto& port : text::split(s.at("ports").text, ',')) {
                if (ps.receptor_index(port) < 0)
                    fail_at(s, "ports",
                            "population '" + sc.population + "' has no input port '" + port +
                                "'; its ports: " + text::join(have, ", ") + ".");
                sc.ports.push_back(port);
            }
            if (sc.s_min > 1 || sc.s_max < 1)
                fail_at(s, "min", "the bounds [min, max] must contain the starting factor 1.");
            for (const auto& o : m.slow.scaling) {
                if (o.population == sc.population) fail_at(s, "population", "is scaled twice.");
            }
            m.slow.scaling.push_back(sc);
        } else if (s.kind == "inositol") {
            InositolSpec x;
            x.population = s.id;
            x.initial = s.at("initial").number;
            require_expressing(s, m, x.population, "so it has no inositol cycle to deplete");
            if (!expresses_gq(m, x.population)) {
                throw input_error(written_at(s) + ": [" + s.name + "]: population '" +
                                  x.population +
                                  "' expresses no Gq-coupled receptor type, so its inositol cycle "
                                  "is never stimulated; [inositol.POP] needs one (e.g. 5HT2A, "
                                  "alpha1: a [receptor_type] with coupling = Gq).");
            }
            m.slow.inositol.push_back(x);
        } else if (s.kind == "bdnf") {
            BdnfSpec b;
            b.population = s.id;
            b.basal = s.at("basal").number;
            b.creb_gain = s.at("creb_gain").number;
            b.exercise_gain = s.at("exercise_gain").number;
            b.gsk3_gain = s.at("gsk3_gain").number;
            b.tau_h = s.at("tau").number / 3.6e6;
            b.initial = s.at("initial").number;
            require_expressing(s, m, b.population,
                               "so it has no second messengers (CREB) to drive BDNF");
            if (s.at("gates").text != "none") {
                for (const auto& name : text::split(s.at("gates").text, ',')) {
                    const auto it =
                        std::find_if(m.projections.begin(), m.projections.end(),
                                     [&](const ProjectionSpec& proj) { return proj.name == name; });
                    if (it == m.projections.end())
                        fail_at(s, "gates",
                                "names no projection '" + name + "' (a [projection.PRE->POST]).");
                    if (it->plasticity.rule == PlasticityRule::none)
                        fail_at(
                            s, "gates",
                            "'" + name + "' has no plasticity ([plasticity." + name +
                                "] rule = three_factor, stdp_pair or stdp_triplet): BDNF gates the "
                                "learning rate of a three-factor rule and the potentiation "
                                "of an STDP rule.");
                    for (const auto& o : m.slow.bdnf)
                        for (const auto& g : o.gates)
                            if (g == name)
                                fail_at(s, "gates",
                                        "'" + name + "' is gated by [bdnf." + o.population +
                                            "] already.");
                    b.gates.push_back(name);
                }
            }
            b.gate_exponent = s.at("gate_exponent").number;
            m.slow.bdnf.push_back(b);
        } else if (s.kind == "uptake_regulation") {
            UptakeRegulationSpec u;
            u.name = s.id;
            u.uptake = s.at("region").text + "." + s.at("uptake").text;
            u.down_per_h = s.at("down").number * 3600.0;
            u.recovery_h = s.at("recovery").number / 3.6e6;
            u.x_min = s.at("min").number;
            bool found = false;
            std::vector<std::string> known;
            for (const auto& x : m.chemistry.uptakes) {
                known.push_back(x.region + "." + x.name);
                found |= known.back() == u.uptake;
            }
            if (!found) {
                fail_at(s, "uptake",
                        "there is no [uptake." + u.uptake + "]; uptakes: " +
                            (known.empty() ? std::string("none") : text::join(known, ", ")) + ".");
            }
            m.slow.uptake_regulation.push_back(u);
        } else if (s.kind == "synthesis") {
            SynthesisSpec y;
            y.name = s.id;
            y.region = s.at("region").text;
            y.transmitter = Transmitter::serotonin;
            y.turnover_h = s.at("turnover").number / 3.6e6;
            y.mao_share = s.at("mao_share").number;
            y.tryptophan = s.at("tryptophan").number;
            y.TPH_Km = s.at("TPH_Km").number;
            bool found = false;
            std::vector<std::string> known;
            for (const auto& r : m.regions) {
                for (const auto& pl : r.pools) {
                    if (pl.transmitter != y.transmitter) continue;
                    known.push_back(r.name);
                    found |= r.name == y.region;
                }
            }
            if (!found) {
                fail_at(s, "region",
                        "there is no [pool." + y.region + ".5HT]; regions with a 5-HT pool: " +
                            (known.empty() ? std::string("none") : text::join(known, ", ")) + ".");
            }
            for (const auto& other : m.slow.synthesis) {
                if (other.region == y.region)
                    fail_at(s, "region",
                            "the 5-HT store of " + y.region + " is already [synthesis." +
                                other.name + "].");
            }
            m.slow.synthesis.push_back(y);
        } else if (s.kind == "neurogenesis") {
            NeurogenesisSpec g;
            g.population = s.id;
            if (s.at("bdnf").text != "none") g.bdnf = s.at("bdnf").text;
            g.maturation_h = s.at("maturation").number / 3.6e6;
            g.turnover_h = s.at("turnover").number / 3.6e6;
            g.exercise_gain = s.at("exercise_gain").number;
            g.activity_gain_per_Hz = s.at("activity_gain").number * 1e-3;  // ms -> s
            g.spread = s.at("spread").number;
            g.initial = s.at("initial").number;
            g.integrated_above = s.at("integrated_above").number;
            require_expressing(
                s, m, g.population,
                "and the integration acts through the chemistry layer's per-neuron input gain");
            if (!g.bdnf.empty()) {
                bool found = false;
                for (const auto& b : m.slow.bdnf)
                    found |= b.population == g.bdnf;
                if (!found) fail_at(s, "bdnf", "there is no [bdnf." + g.bdnf + "] section.");
            }
            m.slow.neurogenesis.push_back(g);
        } else if (s.kind == "regulation") {
            ReceptorRegulationSpec r;
            r.name = s.id;
            r.population = s.at("population").text;
            r.receptor = s.at("receptor").text;
            r.density = s.at("regulates").text == "density";
            r.reference = s.at("reference").number;
            r.down_per_h = s.at("down").number * 3600.0;
            r.up_per_h = s.at("up").number * 3600.0;
            r.recovery_h = s.at("recovery").number / 3.6e6;
            r.x_min = s.at("min").number;
            r.x_max = s.at("max").number;
            r.spread = s.at("spread").number;
            r.regulated_below = s.at("regulated_below").number;
            const int pop = m.population_index(r.population);
            if (pop < 0) fail_at(s, "population", "there is no population of that name.");
            const auto& ex = m.populations[static_cast<std::size_t>(pop)].expresses;
            if (std::find(ex.begin(), ex.end(), r.receptor) == ex.end()) {
                fail_at(s, "receptor",
                        "population '" + r.population + "' does not express it; it expresses: " +
                            (ex.empty() ? std::string("none") : text::join(ex, ", ")) + ".");
            }
            const ReceptorTypeSpec* type = nullptr;
            for (const auto& t : m.chemistry.receptor_types) {
                if (t.name == r.receptor) type = &t;
            }
            const double x0 = type ? (r.density ? type->density : type->efficacy) : 1.0;
            if (r.x_min > x0 || r.x_max < x0) {
                fail_at(s, "min",
                        "the bounds [min, max] must contain the initial " +
                            std::string(r.density ? "density" : "efficacy") + " of receptor type " +
                            r.receptor + ".");
            }
            if (r.up_per_h > 0 && !(type && type->antagonized)) {
                fail_at(s, "up",
                        "receptor type " + r.receptor +
                            " has no drug target (antagonist = none), so nothing binds it but its "
                            "transmitter.");
            }
            for (const auto& o : m.slow.regulation) {
                if (o.population == r.population && o.receptor == r.receptor &&
                    o.density == r.density) {
                    fail_at(
                        s, "receptor",
                        "the same coupling is already regulated by [regulation." + o.name + "].");
                }
            }
            m.slow.regulation.push_back(r);
        } else if (s.kind == "sleep") {
            SleepSpec& sp = m.slow.sleep;
            sp.enabled = true;
            for (const auto& d : text::split(s.at("drive").text, ',')) {
                if (m.poisson_index(d) < 0) {
                    fail_at(s, "drive",
                            "there is no Poisson drive '" + d + "'; drives: " + names_of_drives(m) +
                                ".");
                }
                sp.drives.push_back(d);
            }
            for (const auto& name : text::split(s.at("sleep_population").text, ',')) {
                if (m.population_index(name) < 0) {
                    fail_at(s, "sleep_population", "there is no population '" + name + "'.");
                }
                sp.sleep_populations.push_back(name);
            }
            sp.pressure_from_state = s.at("pressure_law").text == "state";
            if (s.at("wake_populations").text != "none") {
                for (const auto& r : text::split(s.at("wake_populations").text, ','))
                    sp.wake_populations.push_back(r);
            }
            sp.asleep_above_Hz = s.at("asleep_above").number;
            sp.chi_h = s.at("chi").number / 3.6e6;
            sp.chi_asleep_h = s.at("chi_asleep").number / 3.6e6;
            sp.mu_nM_s = s.at("mu").number;
            sp.awake_level_nM = s.at("awake_level").number;
            sp.asleep_level_nM = s.at("asleep_level").number;
            // Checked on values, not on whether a key was written: a checkpoint's config lists
            // every key with its resolved value.
            if (sp.pressure_from_state) {
                if (sp.awake_level_nM == 0)
                    fail_at(s, "awake_level", "is needed with pressure_law = state (nM).");
                if (sp.awake_level_nM <= sp.asleep_level_nM) {
                    fail_at(s, "awake_level",
                            "must exceed asleep_level (sleep pressure builds in wake and "
                            "discharges in sleep).");
                }
            } else if (sp.chi_asleep_h != sp.chi_h || sp.awake_level_nM != 0 ||
                       sp.asleep_level_nM != 0) {
                fail_at(s, "pressure_law",
                        "is rate, which takes no chi_asleep, awake_level or asleep_level: set "
                        "pressure_law = state to use them.");
            }
            sp.initial_nM = s.at("initial_pressure").number;
            if (s.at("pressure_inhibits").text != "none") {
                for (const auto& d : text::split(s.at("pressure_inhibits").text, ',')) {
                    if (m.poisson_index(d) < 0) {
                        fail_at(s, "pressure_inhibits",
                                "there is no Poisson drive '" + d +
                                    "'; drives: " + names_of_drives(m) + ".");
                    }
                    if (std::find(sp.drives.begin(), sp.drives.end(), d) != sp.drives.end())
                        fail_at(s, "pressure_inhibits",
                                "names a sleep drive itself ('" + d + "').");
                    sp.pressure_inhibits.push_back(d);
                }
            }
            sp.pressure_reference_nM = s.at("pressure_reference").number;
            sp.pressure_inhibition_per_nM = s.at("pressure_inhibition").number;
            sp.capture_inhibition_per_nM = s.at("capture_inhibition").number;
            if (sp.capture_inhibition_per_nM > 0 &&
                std::none_of(m.projections.begin(), m.projections.end(),
                             [](const auto& pj) { return pj.plasticity.has_early_stage(); }))
                fail_at(s, "capture_inhibition",
                        "acts on the early stage of learning, and no [plasticity] section has a "
                        "finite tau_early: set one there, or 0 here.");
            sp.clearance_asleep = s.at("clearance_asleep").number;
            sp.base_rate_Hz = s.at("base_rate").number;
            sp.pressure_gain_Hz_per_nM = s.at("pressure_gain").number;
            sp.circadian_amplitude_Hz = s.at("circadian_amplitude").number;
            sp.circadian_peak_h = s.at("circadian_peak").number / 3.6e6;
            sp.period_h = s.at("period").number / 3.6e6;
            if (sp.wake_populations.empty() && !sp.pressure_from_state) {
                fail_at(s, "wake_populations",
                        "names no population (pressure_law = rate needs the populations whose "
                        "rate produces sleep pressure).");
            }
            for (const auto& name : sp.wake_populations) {
                if (m.population_index(name) < 0)
                    fail_at(s, "wake_populations", "there is no population '" + name + "'.");
                if (std::find(sp.sleep_populations.begin(), sp.sleep_populations.end(), name) !=
                    sp.sleep_populations.end()) {
                    fail_at(s, "wake_populations", "contains the sleep population '" + name + "'.");
                }
            }
            for (const auto& h : m.slow.drive_homeostasis) {
                if (std::find(sp.drives.begin(), sp.drives.end(), h.drive) != sp.drives.end()) {
                    fail_at(s, "drive",
                            "'" + h.drive + "' is also regulated by [homeostasis." + h.name +
                                "]; a drive has one regulator.");
                }
            }
        }
    }
    // Last: the score reads the probes and the slow processes above.
    if (const auto* o = c.find("outcomes")) fill_outcomes(*o, m);
}

}  // namespace neurochem::config

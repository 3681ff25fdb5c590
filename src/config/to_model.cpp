// ResolvedConfig -> ModelSpec: the only place that knows both the config keys and the core's
// plain structs.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "config/config.hpp"
#include "config/fill.hpp"
#include "model/validate.hpp"
#include "neurochem/errors.hpp"
#include "util/text.hpp"

namespace neurochem::config {

namespace {
/// The most steps a run may have: step numbers stay exact in a double (times, checkpoints).
constexpr double max_steps = 9007199254740992.0;  // 2^53

NeuronModel model_of(const std::string& s) {
    if (s == "lif_coba") return NeuronModel::lif_coba;
    if (s == "lif_cuba_exp") return NeuronModel::lif_cuba_exp;
    if (s == "lif_cuba_delta") return NeuronModel::lif_cuba_delta;
    if (s == "adex_coba") return NeuronModel::adex_coba;
    if (s == "poisson_source") return NeuronModel::poisson_source;
    throw internal_error("unknown model " + s);
}

ConnectionRule rule_of(const std::string& s) {
    if (s == "fixed_indegree") return ConnectionRule::fixed_indegree;
    if (s == "fixed_total_number") return ConnectionRule::fixed_total_number;
    if (s == "pairwise_bernoulli") return ConnectionRule::pairwise_bernoulli;
    if (s == "one_to_one") return ConnectionRule::one_to_one;
    if (s == "all_to_all") return ConnectionRule::all_to_all;
    throw internal_error("unknown rule " + s);
}
}  // namespace

// [plasticity.PROJECTION] onto the projection of the same name.
void fill_plasticity(const ResolvedConfig& c, ModelSpec& m) {
    for (const auto& s : c.sections) {
        if (s.kind != "plasticity") continue;
        auto it = std::find_if(m.projections.begin(), m.projections.end(),
                               [&](const auto& p) { return p.name == s.id; });
        if (it == m.projections.end())
            throw internal_error("plasticity of an unknown projection " + s.id);
        auto& p = it->plasticity;
        const std::string r = s.at("rule").text;
        p.rule = r == "stdp_pair"      ? PlasticityRule::stdp_pair
                 : r == "stdp_triplet" ? PlasticityRule::stdp_triplet
                 : r == "three_factor" ? PlasticityRule::three_factor
                                       : PlasticityRule::none;
        auto num = [&](const char* key, double& out) {
            if (s.has(key)) out = s.at(key).number;
        };
        num("tau_plus", p.tau_plus_ms);
        num("tau_minus", p.tau_minus_ms);
        num("tau_y", p.tau_y_ms);
        num("A_plus", p.A_plus);
        num("A_minus", p.A_minus);
        num("A3_plus", p.A3_plus);
        num("mu", p.mu);
        num("w_min", p.w_min);
        num("w_max", p.w_max);
        num("kappa", p.kappa_Hz);
        num("tau_hom", p.tau_hom_ms);
        num("tau_eligibility", p.tau_eligibility_ms);
        num("learning_rate", p.learning_rate_per_uM_s);
        num("dopamine_baseline", p.dopamine_baseline_uM);
        num("update_interval", p.update_interval_ms);
        num("scaling_target", p.scaling_target_Hz);
        num("tau_scaling", p.tau_scaling_ms);
        num("scaling_rate_tau", p.scaling_rate_tau_ms);
        num("scaling_interval", p.scaling_interval_ms);
        num("tau_forget", p.tau_forget_ms);
        num("tau_consolidate", p.tau_consolidate_ms);
        num("tau_early", p.tau_early_ms);
        if (p.consolidates() && !p.forgets())
            fail_at(s, "tau_consolidate",
                    "consolidation keeps part of what forgetting would take: it needs a finite "
                    "tau_forget.");
        if (s.has("sliding_threshold")) p.sliding_threshold = s.at("sliding_threshold").boolean;
        p.scaling = s.at("scaling").boolean;
        p.double_weights = s.at("weight_storage").text == "double";
        p.record_weights = s.at("record_weights").boolean;
    }
}

// Regions from the pool sections (in section order, which numbers the pools) and the
// populations' `region` keys.
void fill_regions(const ResolvedConfig& c, ModelSpec& m) {
    auto region = [&](const std::string& name) -> RegionSpec& {
        const int r = m.region_index(name);
        if (r >= 0) return m.regions[static_cast<std::size_t>(r)];
        m.regions.push_back({name, {}, {}});
        return m.regions.back();
    };
    for (const auto& s : c.sections) {
        if (s.kind != "pool") continue;
        const auto dot = s.id.find('.');
        region(s.id.substr(0, dot))
            .pools.push_back({transmitter_named(s.id.substr(dot + 1)), s.at("initial").number,
                              s.at("loss").number});
    }
    for (const auto& s : c.sections) {
        if (s.kind == "population" && s.at("region").text != "none")
            region(s.at("region").text).populations.push_back(s.id);
    }
}

ModelSpec to_model(const ResolvedConfig& c) {
    ModelSpec m;
    const auto& sim = *c.find("simulation");
    m.simulation.dt_ms = sim.at("dt").number;
    m.simulation.duration_ms = sim.at("duration").number;
    m.simulation.seed = sim.at("seed").integer;
    m.simulation.scale = sim.at("scale").number;
    m.simulation.weight_precision = sim.at("weight_precision").text == "single"
                                        ? WeightPrecision::single_precision
                                        : WeightPrecision::double_precision;
    m.simulation.partition = sim.at("partition").text == "contiguous" ? Partition::contiguous
                                                                      : Partition::per_population;
    const double steps = m.simulation.duration_ms / m.simulation.dt_ms;
    // Checks across two keys name both lines.
    const std::string both = both_keys(c, sim, "duration", sim, "dt");
    if (!(steps <= max_steps)) {
        char n[32];
        std::snprintf(n, sizeof n, "%.3g", steps);
        throw input_error(both + ": " + n +
                          " steps, more than the 2^53 (9.0e15) a run can count exactly; shorten "
                          "the run or lengthen dt.");
    }
    if (std::abs(steps - std::round(steps)) > 1e-6 * std::max(1.0, steps)) {
        throw input_error(both + ": not a whole number of steps of dt.");
    }
    const auto& out = *c.find("output");
    m.output.spikes = out.at("spikes").boolean;
    m.output.rate_bin_ms = out.at("rate_bin").number;
    const double bins = m.output.rate_bin_ms / m.simulation.dt_ms;
    if (std::abs(bins - std::round(bins)) > 1e-6 * std::max(1.0, bins)) {
        throw input_error(both_keys(c, out, "rate_bin", sim, "dt") +
                          ": the rate bin is not a whole number of steps of dt.");
    }

    for (const auto& s : c.sections) {
        if (s.kind != "population") continue;
        PopulationSpec p;
        p.name = s.id;
        p.model = model_of(s.at("model").text);
        p.size = s.at("size").integer;
        p.C_m_pF = s.at("C_m").number;
        p.tau_m_ms = s.at("tau_m").number;
        p.E_L_mV = s.at("E_L").number;
        p.V_th_mV = s.at("V_th").number;
        p.V_reset_mV = s.at("V_reset").number;
        p.t_ref_ms = s.at("t_ref").number;
        p.I_e_pA = s.at("I_e").number;
        p.V_init = s.at("V_init").distribution;
        p.record_spikes = s.at("record_spikes").boolean;
        if (s.at("expresses").text != "none") {
            for (const auto& r : text::split(s.at("expresses").text, ','))
                p.expresses.push_back(r);
        }
        if (p.model == NeuronModel::poisson_source) p.rate_Hz = s.at("rate").number;
        if (p.model == NeuronModel::lif_coba) {
            p.ampa_nmda_ratio = s.at("ampa_nmda_ratio").number;
            p.tau_nmda_ms = s.at("tau_nmda").number;
            p.threshold_jump_mV = s.at("threshold_jump").number;
            p.tau_threshold_ms = s.at("tau_threshold").number;
        }
        if (p.model == NeuronModel::adex_coba) {
            p.a_nS = s.at("a").number;
            p.b_pA = s.at("b").number;
            p.Delta_T_mV = s.at("Delta_T").number;
            p.tau_w_ms = s.at("tau_w").number;
            p.V_peak_mV = s.at("V_peak").number;
            p.w_init = s.at("w_init").distribution;
        }
        for (const char* port : {"exc", "inh"}) {
            ReceptorSpec r;
            r.name = port;
            const std::string P = port;
            if (s.has("tau_syn_" + P)) r.tau_syn_ms = s.at("tau_syn_" + P).number;
            if (s.has("E_rev_" + P)) r.E_rev_mV = s.at("E_rev_" + P).number;
            if (s.has("syn_init_" + P)) r.init = s.at("syn_init_" + P).distribution;
            p.receptors.push_back(r);
        }
        // Declared ports follow in name order (sections are sorted).
        for (const auto& rs : c.sections) {
            if (rs.kind != "receptor" || rs.id.substr(0, rs.id.find('.')) != p.name) continue;
            ReceptorSpec r;
            r.name = rs.id.substr(rs.id.find('.') + 1);
            if (rs.has("tau_syn")) r.tau_syn_ms = rs.at("tau_syn").number;
            if (rs.has("E_rev")) r.E_rev_mV = rs.at("E_rev").number;
            if (rs.has("init")) r.init = rs.at("init").distribution;
            p.receptors.push_back(r);
        }
        m.populations.push_back(p);
    }

    for (const auto& s : c.sections) {
        if (s.kind == "projection") {
            ProjectionSpec p;
            p.name = s.id;
            const auto arrow = s.id.find("->");
            const auto colon = s.id.find(':');
            p.pre = s.id.substr(0, arrow);
            p.post = s.id.substr(
                arrow + 2, colon == std::string::npos ? std::string::npos : colon - arrow - 2);
            p.rule = rule_of(s.at("rule").text);
            if (s.has("indegree")) p.indegree = s.at("indegree").integer;
            if (s.has("synapses")) p.total_synapses = s.at("synapses").integer;
            if (s.has("probability")) p.probability = s.at("probability").number;
            if (s.has("multapses")) p.multapses = s.at("multapses").boolean;
            p.autapses = s.at("autapses").boolean;
            p.weight = s.at("weight").distribution;
            p.delay_ms = s.at("delay").distribution;
            p.receptor = s.at("receptor").text;
            m.projections.push_back(p);
        } else if (s.kind == "poisson") {
            PoissonSpec d;
            d.name = s.id;
            d.target = s.at("target").text;
            d.receptor = s.at("receptor").text;
            d.rate_Hz = s.at("rate").number;
            d.sources = s.at("sources").integer;
            d.weight = s.at("weight").number;
            d.start_ms = s.at("start").number;
            d.stop_ms = s.at("stop").number;
            d.pulse_every_ms = s.at("pulse_every").number;
            d.pulse_length_ms = s.at("pulse_length").number;
            m.poisson.push_back(d);
        } else if (s.kind == "probe") {
            ProbeSpec pr;
            pr.name = s.id;
            pr.drive = s.at("drive").text;
            for (const auto& r : text::split(s.at("readout").text, ','))
                pr.readout.push_back(r);
            pr.baseline_ms = s.at("baseline").number;
            pr.response_ms = s.at("response").number;
            m.probes.push_back(pr);
        }
    }
    fill_plasticity(c, m);
    fill_regions(c, m);
    fill_chemistry(c, m);
    fill_protocol(c, m);
    fill_patient(c, m);
    try {
        scale_model(m);
        m.validate();
    } catch (const input_error& e) {
        throw input_error(where_in_config(c, e.what()) + ": " + e.what());
    }
    return m;
}

}  // namespace neurochem::config

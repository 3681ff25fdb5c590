#include "config/schema.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace neurochem::config {

namespace {
using D = Dimension;
using T = ValueType;
const std::vector<std::string> cond_models = {"lif_coba", "adex_coba"};
const std::vector<std::string> syn_models = {"lif_coba", "lif_cuba_exp", "adex_coba"};
const std::vector<std::string> adex = {"adex_coba"};

KeySpec q(std::string key, D dim, std::string def, std::string doc) {
    KeySpec k;
    k.key = std::move(key);
    k.type = T::quantity;
    k.dim = dim;
    k.default_value = std::move(def);
    k.required = k.default_value.empty();
    k.doc = std::move(doc);
    return k;
}
KeySpec positive(KeySpec k) {
    k.min = 0;
    k.min_exclusive = true;
    return k;
}
KeySpec nonnegative(KeySpec k) {
    k.min = 0;
    return k;
}
KeySpec only(KeySpec k, std::vector<std::string> models) {
    k.only_for = std::move(models);
    return k;
}
KeySpec by_model(KeySpec k, std::map<std::string, std::string> defaults) {
    k.model_defaults = std::move(defaults);
    k.required = false;
    return k;
}
KeySpec typed(std::string key, T type, std::string def, std::string doc) {
    KeySpec k;
    k.key = std::move(key);
    k.type = type;
    k.default_value = std::move(def);
    k.required = k.default_value.empty();
    k.doc = std::move(doc);
    return k;
}
KeySpec dist(std::string key, D dim, std::string def, std::string doc) {
    KeySpec k = q(std::move(key), dim, std::move(def), std::move(doc));
    k.type = T::distribution;
    return k;
}
KeySpec choice(std::string key, std::vector<std::string> choices, std::string def,
               std::string doc) {
    KeySpec k = typed(std::move(key), T::choice, std::move(def), std::move(doc));
    k.choices = std::move(choices);
    return k;
}
KeySpec integer(std::string key, double min, double max, std::string def, std::string doc) {
    KeySpec k = typed(std::move(key), T::integer, std::move(def), std::move(doc));
    k.min = min;
    k.max = max;
    return k;
}
KeySpec synaptic(KeySpec k) {
    k.synaptic = true;
    return k;
}

std::vector<SectionSpec> build() {
    std::vector<SectionSpec> s;
    s.push_back({"simulation", "[simulation]", "Time, step and random seed of the run.",
                 {nonnegative(q("duration", D::time, "1 s", "simulated time")),
                  positive(q("dt", D::time, "0.1 ms", "time step of the neuron update")),
                  integer("seed", 0, std::numeric_limits<double>::infinity(), "1",
                          "seed of every random stream (initial state, connectivity, drive)"),
                  choice("weight_precision", {"double", "single"}, "double",
                         "storage of per-synapse weights drawn from a distribution; single "
                         "saves 4 bytes per synapse and rounds the weights"),
                  choice("partition", {"per_population", "contiguous"}, "per_population",
                         "division of neurons between MPI ranks: each population evenly over "
                         "all ranks, or the gid range in contiguous blocks (same results)")}});
    s.push_back({"output", "[output]", "What the output file holds.",
                 {typed("spikes", T::boolean, "true", "write spike trains (SONATA layout)"),
                  positive(q("rate_bin", D::time, "1 ms",
                             "bin width of the population rate time series"))}});

    std::vector<KeySpec> pop = {
        choice("model", {"lif_coba", "lif_cuba_exp", "lif_cuba_delta", "adex_coba"}, "",
               "neuron model (docs/model/neurons.md)"),
        integer("size", 1, 4294967295.0, "", "number of neurons"),
        by_model(positive(q("C_m", D::capacitance, "250 pF", "membrane capacitance")),
                 {{"adex_coba", "281 pF"}}),
        by_model(positive(q("tau_m", D::time, "10 ms", "membrane time constant C_m/g_L")),
                 {{"lif_coba", "15 ms"}, {"adex_coba", "9.37 ms"}}),
        by_model(q("E_L", D::voltage, "-70 mV", "leak reversal (resting) potential"),
                 {{"adex_coba", "-70.6 mV"}}),
        by_model(q("V_th", D::voltage, "-55 mV",
                   "spike threshold (adex_coba: V_T, the exponential's midpoint)"),
                 {{"adex_coba", "-50.4 mV"}}),
        by_model(q("V_reset", D::voltage, "-70 mV", "membrane potential after a spike"),
                 {{"lif_coba", "-60 mV"}, {"adex_coba", "-60 mV"}}),
        by_model(nonnegative(q("t_ref", D::time, "2 ms", "absolute refractory period")),
                 {{"adex_coba", "0 ms"}}),
        q("I_e", D::current, "0 pA", "constant external current"),
        dist("V_init", D::voltage, "@E_L", "initial membrane potential (default: E_L)"),
        typed("record_spikes", T::boolean, "true", "write this population's spikes"),
        only(by_model(positive(q("tau_syn_exc", D::time, "2 ms",
                                 "decay time constant of receptor 'exc'")),
                      {{"lif_coba", "0.2 ms"}, {"adex_coba", "0.2 ms"}}),
             syn_models),
        only(positive(q("tau_syn_inh", D::time, "2 ms", "decay time constant of receptor 'inh'")),
             syn_models),
        only(q("E_rev_exc", D::voltage, "0 mV", "reversal potential of receptor 'exc'"),
             cond_models),
        only(q("E_rev_inh", D::voltage, "-85 mV", "reversal potential of receptor 'inh'"),
             cond_models),
        only(synaptic(dist("syn_init_exc", D::none, "0",
                           "initial state of receptor 'exc' (nS or pA)")),
             syn_models),
        only(synaptic(dist("syn_init_inh", D::none, "0",
                           "initial state of receptor 'inh' (nS or pA)")),
             syn_models),
        only(q("a", D::conductance, "4 nS", "subthreshold adaptation"), adex),
        only(q("b", D::current, "80.5 pA", "spike-triggered adaptation increment"), adex),
        only(positive(q("Delta_T", D::voltage, "2 mV", "slope factor of the exponential")), adex),
        only(positive(q("tau_w", D::time, "144 ms", "adaptation time constant")), adex),
        only(q("V_peak", D::voltage, "0 mV", "spike detection potential"), adex),
        only(dist("w_init", D::current, "0 pA", "initial adaptation current"), adex),
    };
    s.push_back({"population", "[population.NAME]",
                 "A population of identical neurons. Every population has the synaptic input "
                 "ports (receptors) 'exc' and 'inh'; more are declared in [receptor.NAME.PORT].",
                 pop});

    s.push_back({"receptor", "[receptor.POPULATION.PORT]",
                 "An additional synaptic input port of a population (e.g. NMDA, GABA_B).",
                 {only(positive(q("tau_syn", D::time, "", "decay time constant")), syn_models),
                  only(q("E_rev", D::voltage, "", "reversal potential"), cond_models),
                  only(synaptic(dist("init", D::none, "0", "initial state (nS or pA)")),
                       syn_models)}});

    KeySpec prob = typed("probability", T::real, "", "connection probability of each pair");
    prob.min = 0;
    prob.max = 1;
    s.push_back(
        {"projection", "[projection.PRE->POST] or [projection.PRE->POST:LABEL]",
         "Synapses from population PRE onto population POST. Each target's incoming synapses are "
         "drawn from its own random stream, so the network does not depend on the layout.",
         {choice("rule", {"fixed_indegree", "pairwise_bernoulli", "one_to_one", "all_to_all"}, "",
                 "connection rule"),
          only(integer("indegree", 0, 4294967295.0, "", "sources per target neuron"),
               {"fixed_indegree"}),
          only(prob, {"pairwise_bernoulli"}),
          synaptic(dist("weight", D::none, "",
                        "synaptic weight: nS (conductance models), pA (lif_cuba_exp) or "
                        "mV (lif_cuba_delta)")),
          dist("delay", D::time, "1 ms",
               "transmission delay, rounded to whole steps of at least one step"),
          typed("receptor", T::name, "", "input port of POST: exc, inh or a declared PORT"),
          typed("autapses", T::boolean, "true", "allow connections of a neuron onto itself"),
          only(typed("multapses", T::boolean, "true", "allow repeated (source, target) pairs"),
               {"fixed_indegree"})}});

    KeySpec stop = nonnegative(q("stop", D::time, "inf ms", "time the drive ends"));
    stop.allow_infinite = true;
    s.push_back({"poisson", "[poisson.NAME]",
                 "Independent Poisson spike trains onto every neuron of a population.",
                 {typed("target", T::name, "", "target population"),
                  typed("receptor", T::name, "", "input port of the target"),
                  nonnegative(q("rate", D::frequency, "", "rate of each source")),
                  integer("sources", 1, 4294967295.0, "1", "independent sources per neuron"),
                  synaptic(q("weight", D::none, "", "weight of each input spike (nS, pA or mV)")),
                  nonnegative(q("start", D::time, "0 ms", "time the drive begins")), stop}});
    return s;
}
}  // namespace

bool KeySpec::applies_to(const std::string& selector) const {
    return only_for.empty() ||
           std::find(only_for.begin(), only_for.end(), selector) != only_for.end();
}

std::string KeySpec::default_for(const std::string& selector) const {
    const auto it = model_defaults.find(selector);
    return it != model_defaults.end() ? it->second : default_value;
}

std::string KeySpec::type_text() const {
    const std::string unit = synaptic ? "synaptic unit" : dimension_name(dim);
    switch (type) {
        case T::quantity: return synaptic ? "quantity (nS, pA or mV)" : std::string(dimension_name(dim)).substr(2);
        case T::distribution:
            return "value or distribution of " +
                   (synaptic ? std::string("nS, pA or mV") : std::string(dimension_name(dim)).substr(2));
        case T::integer: return "integer";
        case T::real: return "number";
        case T::boolean: return "boolean";
        case T::choice: return "one of: " + text::join(choices, ", ");
        case T::name: return "name";
    }
    return unit;
}

std::string KeySpec::range_text() const {
    const bool lo = min > -std::numeric_limits<double>::infinity();
    const bool hi = max < std::numeric_limits<double>::infinity();
    const std::string u = (type == T::quantity && dim != D::none) ? std::string(" ") + internal_unit(dim) : "";
    if (lo && hi) return "[" + text::format_double(min) + ", " + text::format_double(max) + "]" + u;
    if (lo) return (min_exclusive ? "> " : ">= ") + text::format_double(min) + u;
    if (hi) return "<= " + text::format_double(max) + u;
    return "";
}

const KeySpec* SectionSpec::find(const std::string& key) const {
    for (const auto& k : keys) {
        if (k.key == key) return &k;
    }
    return nullptr;
}

std::vector<std::string> SectionSpec::key_names() const {
    std::vector<std::string> out;
    for (const auto& k : keys) out.push_back(k.key);
    return out;
}

const std::vector<SectionSpec>& schema() {
    static const std::vector<SectionSpec> s = build();
    return s;
}

const SectionSpec* find_section_kind(const std::string& kind) {
    for (const auto& s : schema()) {
        if (s.kind == kind) return &s;
    }
    return nullptr;
}

Dimension synaptic_dimension(const std::string& model) {
    if (model == "lif_cuba_exp") return Dimension::current;
    if (model == "lif_cuba_delta") return Dimension::voltage;
    return Dimension::conductance;
}

}  // namespace neurochem::config

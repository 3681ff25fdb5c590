// Validation of a RawConfig against the schema, defaults, and the canonical form.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "config/config.hpp"
#include "config/schema.hpp"
#include "config/values.hpp"
#include "neurochem/errors.hpp"
#include "util/sha256.hpp"
#include "util/text.hpp"

namespace neurochem::config {

namespace {

const char* kind_order[] = {
    "simulation",  "output",     "population",    "receptor",     "projection",
    "poisson",     "probe",      "chemistry",     "messengers",   "pool",
    "uptake",      "release",    "receptor_type", "effect",       "drug",
    "mixture",     "regimen",    "plasticity",    "protocol",     "session",
    "homeostasis", "regulation", "bdnf",          "neurogenesis", "uptake_regulation",
    "synthesis",   "inositol",   "scaling",       "sleep",        "outcomes",
    "patient"};
const char* chemistry_kinds[] = {"pool",   "uptake", "release", "receptor_type",
                                 "effect", "drug",   "mixture", "regimen"};
bool is_transmitter(const std::string& t) {
    return t == "5HT" || t == "DA" || t == "NE" || t == "GABA";
}
bool without_id(const std::string& kind) {
    return kind == "simulation" || kind == "output" || kind == "chemistry" ||
           kind == "messengers" || kind == "protocol" || kind == "sleep" || kind == "patient" ||
           kind == "outcomes";
}

std::string section_origin(const RawConfig& raw, const std::map<std::string, RawEntry>& keys) {
    if (keys.empty()) return raw.source;
    const std::string& o = keys.begin()->second.origin;
    const auto colon = o.rfind(':');
    return (o.rfind("--set", 0) == 0 || colon == std::string::npos) ? raw.source
                                                                    : o.substr(0, colon);
}

std::string known_sections() {
    std::vector<std::string> v;
    for (const auto& s : schema())
        v.push_back(s.pattern);
    return text::join(v, ", ");
}

struct SectionContext {
    std::string selector;       // model or rule: decides which keys apply
    std::string selector_what;  // "model" or "rule"
    Dimension synaptic = Dimension::none;
};

ResolvedSection resolve_section(const RawConfig& raw, const std::string& name,
                                const std::string& kind, const std::string& id,
                                const std::map<std::string, RawEntry>& keys,
                                const SectionSpec& spec, const SectionContext& ctx) {
    ResolvedSection out{name, kind, id, {}};
    auto fail = [&](const RawEntry& e, const std::string& key, const std::string& reason) {
        throw input_error(e.origin + ": [" + name + "] " + key + " = '" +
                          text::escape_for_message(e.value) + "': " + reason + ".");
    };
    for (const auto& [key, entry] : keys) {
        const KeySpec* ks = spec.find(key);
        if (!ks) {
            const auto near = text::closest(key, spec.key_names());
            const std::string hint = near.empty()
                                         ? "allowed keys: " + text::join(spec.key_names(), ", ")
                                         : "did you mean '" + near.front() + "'?";
            throw input_error(entry.origin + ": unknown key '" + key + "' in [" + name + "]; " +
                              hint + " (`neurochem config-reference` lists every key).");
        }
        if (!ks->applies_to(ctx.selector)) {
            fail(entry, key,
                 "this key is not used by " + ctx.selector_what + " " + ctx.selector +
                     "; it applies to: " + text::join(ks->only_for, ", "));
        }
        try {
            out.values[key] = parse_value(*ks, ks->synaptic ? ctx.synaptic : ks->dim, entry.value);
            out.values[key].origin = entry.origin;
        } catch (const ValueError& e) {
            fail(entry, key, e.what());
        }
    }
    // Defaults; "@KEY" defaults copy another key's resolved value, so they come last.
    for (int pass = 0; pass < 2; ++pass) {
        for (const auto& ks : spec.keys) {
            if (out.values.count(ks.key) || !ks.applies_to(ctx.selector)) continue;
            const std::string def = ks.default_for(ctx.selector);
            if (ks.required || def.empty()) {
                throw input_error(
                    section_origin(raw, keys) + ": [" + name + "] is missing the required key '" +
                    ks.key + "' (" + ks.type_text() +
                    (ks.range_text().empty() ? "" : ", " + ks.range_text()) + ": " + ks.doc + ").");
            }
            const bool ref = def.front() == '@';
            if (ref != (pass == 1)) continue;
            const Dimension dim = ks.synaptic ? ctx.synaptic : ks.dim;
            std::string text = ref ? out.values.at(def.substr(1)).text : def;
            if (text == "0" && dim != Dimension::none)
                text = std::string("0 ") + internal_unit(dim);
            try {
                out.values[ks.key] = parse_value(ks, dim, text);
                out.values[ks.key].origin = section_origin(raw, keys) + " (default)";
            } catch (const ValueError& e) {
                throw internal_error("default of " + name + "." + ks.key +
                                     " is invalid: " + e.what());
            }
        }
    }
    return out;
}

/// Every section and key, sorted, one "key = value" per line. Without the run's length (the
/// [simulation] duration) it identifies a run across extensions (resume --until).
std::string canonical_text(const std::vector<ResolvedSection>& sections, bool without_duration) {
    std::string text;
    for (const auto& s : sections) {
        if (!text.empty()) text += "\n";
        text += "[" + s.name + "]\n";
        for (const auto& [k, v] : s.values) {
            if (without_duration && s.kind == "simulation" && k == "duration") continue;
            text += k + " = " + v.text + "\n";
        }
    }
    return text;
}

std::string raw_value(const std::map<std::string, RawEntry>& keys, const std::string& key) {
    const auto it = keys.find(key);
    return it == keys.end() ? "" : it->second.value;
}

}  // namespace

const Value& ResolvedSection::at(const std::string& key) const {
    const auto it = values.find(key);
    if (it == values.end())
        throw internal_error("config key " + name + "." + key + " was not resolved");
    return it->second;
}

std::string both_keys(const ResolvedConfig& c, const ResolvedSection& a, const std::string& key_a,
                      const ResolvedSection& b, const std::string& key_b) {
    auto origin = [&](const Value& v) {
        return v.origin.empty() ? c.source + " (default)" : v.origin;
    };
    const Value& va = a.at(key_a);
    const Value& vb = b.at(key_b);
    return origin(va) + ": [" + a.name + "] " + key_a + " = '" + va.text + "' (with [" + b.name +
           "] " + key_b + " = '" + vb.text + "' at " + origin(vb) + ")";
}

std::string written_at(const ResolvedSection& s) {
    std::string best;
    long best_line = -1;
    for (const auto& [k, v] : s.values) {
        const auto colon = v.origin.rfind(':');
        if (v.origin.find("(default)") != std::string::npos || colon == std::string::npos) continue;
        const long line = std::strtol(v.origin.c_str() + colon + 1, nullptr, 10);
        if (best_line < 0 || line < best_line) {
            best_line = line;
            best = v.origin;
        }
    }
    return best.empty() && !s.values.empty() ? s.values.begin()->second.origin : best;
}

std::string where_in_config(const ResolvedConfig& c, const std::string& message) {
    // The first quoted name and the words before it ("plasticity of projection 'E->I'").
    const auto open = message.find('\'');
    const auto close = open == std::string::npos ? open : message.find('\'', open + 1);
    if (close == std::string::npos) return c.source;
    const std::string id = message.substr(open + 1, close - open - 1);
    const std::string before = message.substr(0, open);
    const ResolvedSection* section = nullptr;
    for (const auto& s : c.sections) {
        if (s.id == id && before.find(s.kind) != std::string::npos) section = &s;
    }
    if (!section) return c.source;
    // "...': KEY = ..." or "...': KEY must ...": the key's own line.
    std::size_t k = close + 1;
    while (k < message.size() && (message[k] == ':' || message[k] == ' '))
        ++k;
    std::size_t e = k;
    while (e < message.size() &&
           (std::isalnum(static_cast<unsigned char>(message[e])) || message[e] == '_'))
        ++e;
    const std::string key = message.substr(k, e - k);
    if (section->has(key) && !section->at(key).origin.empty() &&
        section->at(key).origin.find("(default)") == std::string::npos)
        return section->at(key).origin;
    const std::string at = written_at(*section);
    return at.empty() ? c.source : at;
}

const ResolvedSection* ResolvedConfig::find(const std::string& name) const {
    for (const auto& s : sections) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

ResolvedConfig resolve(const RawConfig& raw_in) {
    RawConfig raw = raw_in;
    raw.sections["simulation"];
    raw.sections["output"];
    // The chemistry sections with defaults only where the model has chemistry.
    bool chemistry = false;
    for (const auto& [name, keys] : raw_in.sections) {
        for (const char* k : chemistry_kinds)
            chemistry |= name.rfind(std::string(k) + ".", 0) == 0;
    }
    if (chemistry) {
        raw.sections["chemistry"];
        raw.sections["messengers"];
    }

    // Classify sections and check their names.
    struct Item {
        std::string name, kind, id;
    };
    std::vector<Item> items;
    for (const auto& [name, keys] : raw.sections) {
        const auto dot = name.find('.');
        const std::string kind = name.substr(0, dot);
        const std::string id = dot == std::string::npos ? "" : name.substr(dot + 1);
        const std::string where = section_origin(raw, keys);
        if (!find_section_kind(kind)) {
            std::vector<std::string> kinds;
            for (const auto& s : schema())
                kinds.push_back(s.kind);
            const auto near = text::closest(kind, kinds);
            throw input_error(where + ": unknown section [" + name + "]" +
                              (near.empty() ? ""
                                            : "; did you mean [" + near.front() +
                                                  (id.empty() ? "" : "." + id) + "]?") +
                              " Known sections: " + known_sections() + ".");
        }
        const bool wants_id = !without_id(kind);
        if (wants_id == id.empty()) {
            throw input_error(where + ": section [" + name + "] must be written as " +
                              find_section_kind(kind)->pattern + ".");
        }
        items.push_back({name, kind, id});
    }

    // Populations first: their models decide which keys other sections need.
    std::map<std::string, std::string> pop_model;
    for (const auto& it : items) {
        if (it.kind != "population") continue;
        if (!is_identifier(it.id)) {
            throw input_error(section_origin(raw, raw.sections[it.name]) + ": population name '" +
                              it.id + "' in [" + it.name +
                              "] must start with a letter or '_' and contain only letters, digits "
                              "and '_'.");
        }
        pop_model[it.id] = raw_value(raw.sections[it.name], "model");
    }
    auto require_pop = [&](const std::string& pop, const std::string& where,
                           const std::string& section) {
        if (!pop_model.count(pop)) {
            std::vector<std::string> names;
            for (const auto& [n, m] : pop_model)
                names.push_back(n);
            throw input_error(where + ": [" + section + "] refers to population '" + pop +
                              "', which is not defined; defined populations: " +
                              (names.empty() ? "none" : text::join(names, ", ")) + ".");
        }
        return pop_model[pop];
    };

    ResolvedConfig out;
    out.source = raw.source;
    for (const char* kind : kind_order) {
        const SectionSpec& spec = *find_section_kind(kind);
        for (const auto& it : items) {
            if (it.kind != kind) continue;
            const auto& keys = raw.sections[it.name];
            const std::string where = section_origin(raw, keys);
            SectionContext ctx;
            if (it.kind == "population") {
                ctx.selector = raw_value(keys, "model");
                ctx.selector_what = "model";
                const auto* mk = spec.find("model");
                if (keys.count("model") && std::find(mk->choices.begin(), mk->choices.end(),
                                                     ctx.selector) == mk->choices.end()) {
                    const auto& e = keys.at("model");
                    throw input_error(
                        e.origin + ": [" + it.name + "] model = '" + e.value +
                        "': unknown model; allowed: " + text::join(mk->choices, ", ") + ".");
                }
                if (keys.count("model")) ctx.synaptic = synaptic_dimension(ctx.selector);
            } else if (it.kind == "receptor") {
                const auto dot = it.id.find('.');
                const std::string pop = it.id.substr(0, dot);
                const std::string port = dot == std::string::npos ? "" : it.id.substr(dot + 1);
                if (!is_identifier(port)) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + " with PORT a name (letters, digits, '_').");
                }
                if (port == "exc" || port == "inh") {
                    throw input_error(where + ": [" + it.name +
                                      "]: ports 'exc' and 'inh' exist "
                                      "already; set them with tau_syn_" +
                                      port + ", E_rev_" + port + " and syn_init_" + port +
                                      " in [population." + pop + "].");
                }
                ctx.selector = require_pop(pop, where, it.name);
                ctx.selector_what = "model";
                ctx.synaptic = synaptic_dimension(ctx.selector);
            } else if (it.kind == "projection") {
                const auto arrow = it.id.find("->");
                const auto colon = it.id.find(':');
                const std::string pre = it.id.substr(0, arrow);
                const std::string post =
                    arrow == std::string::npos
                        ? ""
                        : it.id.substr(arrow + 2, colon == std::string::npos ? std::string::npos
                                                                             : colon - arrow - 2);
                if (arrow == std::string::npos || !is_identifier(pre) || !is_identifier(post) ||
                    (colon != std::string::npos && !is_identifier(it.id.substr(colon + 1)))) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + ".");
                }
                require_pop(pre, where, it.name);
                ctx.synaptic = synaptic_dimension(require_pop(post, where, it.name));
                ctx.selector = raw_value(keys, "rule");
                ctx.selector_what = "rule";
                const auto* rk = spec.find("rule");
                if (keys.count("rule") && std::find(rk->choices.begin(), rk->choices.end(),
                                                    ctx.selector) == rk->choices.end()) {
                    const auto& e = keys.at("rule");
                    throw input_error(e.origin + ": [" + it.name + "] rule = '" + e.value +
                                      "': unknown rule; allowed: " + text::join(rk->choices, ", ") +
                                      ".");
                }
            } else if (it.kind == "plasticity") {
                const auto arrow = it.id.find("->");
                const auto colon = it.id.find(':');
                const std::string pre = it.id.substr(0, arrow);
                const std::string post =
                    arrow == std::string::npos
                        ? ""
                        : it.id.substr(arrow + 2, colon == std::string::npos ? std::string::npos
                                                                             : colon - arrow - 2);
                if (arrow == std::string::npos || !is_identifier(pre) || !is_identifier(post) ||
                    (colon != std::string::npos && !is_identifier(it.id.substr(colon + 1)))) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + ".");
                }
                if (!raw.sections.count("projection." + it.id)) {
                    throw input_error(where + ": [" + it.name + "] belongs to projection '" +
                                      it.id + "', which is not defined (no [projection." + it.id +
                                      "]).");
                }
                ctx.synaptic = synaptic_dimension(require_pop(post, where, it.name));
                ctx.selector = raw_value(keys, "rule");
                ctx.selector_what = "rule";
                const auto* rk = spec.find("rule");
                if (keys.count("rule") && std::find(rk->choices.begin(), rk->choices.end(),
                                                    ctx.selector) == rk->choices.end()) {
                    const auto& e = keys.at("rule");
                    throw input_error(e.origin + ": [" + it.name + "] rule = '" + e.value +
                                      "': unknown rule; allowed: " + text::join(rk->choices, ", ") +
                                      ".");
                }
            } else if (it.kind == "probe") {
                if (!is_identifier(it.id)) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + " with NAME a name (letters, digits, '_').");
                }
            } else if (it.kind == "poisson") {
                if (!is_identifier(it.id)) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + " with NAME a name (letters, digits, '_').");
                }
                const std::string target = raw_value(keys, "target");
                if (!target.empty())
                    ctx.synaptic = synaptic_dimension(require_pop(target, where, it.name));
            } else if (it.kind == "pool" || it.kind == "uptake") {
                const auto dot = it.id.find('.');
                const std::string region = it.id.substr(0, dot);
                const std::string what = dot == std::string::npos ? "" : it.id.substr(dot + 1);
                const bool ok = is_identifier(region) &&
                                (it.kind == "pool" ? is_transmitter(what) : is_identifier(what));
                if (!ok) {
                    throw input_error(
                        where + ": section [" + it.name + "] must be written as " + spec.pattern +
                        (it.kind == "pool" ? " with TRANSMITTER one of 5HT, DA, NE, GABA." : "."));
                }
            } else if (it.kind == "release") {
                const auto arrow = it.id.find("->");
                const auto colon = it.id.find(':');
                const std::string pop = it.id.substr(0, arrow);
                const std::string region =
                    arrow == std::string::npos
                        ? ""
                        : it.id.substr(arrow + 2, colon == std::string::npos ? std::string::npos
                                                                             : colon - arrow - 2);
                if (arrow == std::string::npos || !is_identifier(pop) || !is_identifier(region)) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + ".");
                }
                require_pop(pop, where, it.name);
            } else if (it.kind == "receptor_type") {
                if (!is_token(it.id)) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + " with NAME of letters, digits and '_'.");
                }
            } else if (it.kind == "effect") {
                const auto dot = it.id.find('.');
                const std::string pop = it.id.substr(0, dot);
                const std::string rec = dot == std::string::npos ? "" : it.id.substr(dot + 1);
                if (!is_identifier(pop) || !is_token(rec)) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + ".");
                }
                const std::string model = require_pop(pop, where, it.name);
                ctx.selector = raw_value(keys, "kind");
                ctx.selector_what = "kind";
                const auto* kk = spec.find("kind");
                if (keys.count("kind") && std::find(kk->choices.begin(), kk->choices.end(),
                                                    ctx.selector) == kk->choices.end()) {
                    const auto& e = keys.at("kind");
                    throw input_error(e.origin + ": [" + it.name + "] kind = '" + e.value +
                                      "': unknown kind; allowed: " + text::join(kk->choices, ", ") +
                                      ".");
                }
                if ((ctx.selector == "girk" || ctx.selector == "tonic_gaba") &&
                    model != "lif_coba" && model != "adex_coba") {
                    throw input_error(
                        where + ": [" + it.name + "] kind = " + ctx.selector +
                        " is a conductance, which needs a conductance-based model (lif_coba, "
                        "adex_coba); population '" +
                        pop + "' is " + model + ". Use kind = current instead.");
                }
            } else if (it.kind == "drug" || it.kind == "mixture" || it.kind == "regimen" ||
                       it.kind == "session" || it.kind == "homeostasis" ||
                       it.kind == "regulation" || it.kind == "bdnf" || it.kind == "neurogenesis" ||
                       it.kind == "uptake_regulation" || it.kind == "synthesis" ||
                       it.kind == "scaling" || it.kind == "inositol") {
                if (!is_identifier(it.id)) {
                    throw input_error(where + ": section [" + it.name + "] must be written as " +
                                      spec.pattern + " with NAME a name (letters, digits, '_').");
                }
                if (it.kind == "regimen") {
                    // The route decides which keys apply (dose, concentration, infusion).
                    ctx.selector = keys.count("route") ? raw_value(keys, "route") : "oral";
                    ctx.selector_what = "route";
                    const auto* rk = spec.find("route");
                    if (std::find(rk->choices.begin(), rk->choices.end(), ctx.selector) ==
                        rk->choices.end()) {
                        const auto& e = keys.at("route");
                        throw input_error(
                            e.origin + ": [" + it.name + "] route = '" + e.value +
                            "': unknown route; allowed: " + text::join(rk->choices, ", ") + ".");
                    }
                }
            }
            out.sections.push_back(resolve_section(raw, it.name, it.kind, it.id, keys, spec, ctx));
        }
    }
    std::sort(out.sections.begin(), out.sections.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });

    out.canonical_text = canonical_text(out.sections, false);
    out.hash = sha256_hex(out.canonical_text);
    out.run_id = sha256_hex(canonical_text(out.sections, true));
    return out;
}

}  // namespace neurochem::config

// Reading a sweep spec with the config reader (Boost.Program_options' INI parser, line numbers
// for messages). A key written under [grid] as "poisson.ext_E.rate" reaches us as section
// "grid.poisson.ext_E", key "rate": the config key is everything after the sweep section.
#include "sweep/spec.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "config/config.hpp"
#include "config/values.hpp"
#include "neurochem/errors.hpp"
#include "sweep/axis_values.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace neurochem::sweep {

const char* seed_mode_name(SeedMode m) {
    switch (m) {
        case SeedMode::per_point:
            return "per_point";
        case SeedMode::common:
            return "common";
        case SeedMode::config:
            return "config";
    }
    return "";
}

const std::vector<std::string>& sweep_keys() {
    static const std::vector<std::string> keys = {"config", "name", "seed", "replicates", "seeds"};
    return keys;
}

std::uint64_t Spec::grid_size() const {
    std::uint64_t n = 1;
    for (const auto& d : grid)
        n *= d.size();
    return n;
}

std::uint64_t Spec::point_count() const {
    return std::max<std::uint64_t>(samples, 1) * grid_size() * replicates;
}

std::vector<const Axis*> Spec::axes() const {
    std::vector<const Axis*> out;
    for (const auto& d : grid) {
        for (const auto& a : d.axes)
            out.push_back(&a);
    }
    for (const auto& a : sampled)
        out.push_back(&a);
    return out;
}

namespace {
const char* sections_help =
    "allowed sections: [sweep], [set], [grid], [zip.NAME], [sample] (docs/sweeps.md)";

[[noreturn]] void unknown_section(const std::string& section, const std::string& where,
                                  const std::string& key) {
    const std::string head = section.substr(0, section.find('.'));
    if (head == "sweep") {
        throw input_error(where + ": unknown key '" + section.substr(6) + "." + key +
                          "' in [sweep]; allowed keys: " + text::join(sweep_keys(), ", ") + ".");
    }
    const auto near = text::closest(head, {"sweep", "set", "grid", "zip", "sample"});
    throw input_error(where + ": unknown section [" + (key.empty() ? section : head) +
                      "] in a sweep spec" +
                      (near.empty() ? "" : "; did you mean [" + near.front() + "]?") + "; " +
                      sections_help + ".");
}

int line_of(const std::string& origin) {
    const auto colon = origin.rfind(':');
    if (colon == std::string::npos) return 0;
    try {
        return std::stoi(origin.substr(colon + 1));
    } catch (const std::exception&) {
        return 0;
    }
}

[[noreturn]] void fail(const config::RawEntry& e, const std::string& where, const std::string& key,
                       const std::string& reason) {
    throw input_error(e.origin + ": [" + where + "] " + key + " = '" +
                      text::escape_for_message(e.value) + "': " + reason + ".");
}

std::uint64_t whole_number(const config::RawEntry& e, const std::string& where,
                           const std::string& key, std::uint64_t min, std::uint64_t max) {
    const std::string& s = e.value;
    const bool digits = !s.empty() && s.size() <= 15 && std::all_of(s.begin(), s.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
    const std::uint64_t v = digits ? std::stoull(s) : 0;
    if (!digits || v < min || v > max) {
        fail(e, where, key,
             "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return v;
}

void read_sweep_section(Spec& spec, const std::map<std::string, config::RawEntry>& keys) {
    for (const auto& [key, e] : keys) {
        if (key == "config") {
            spec.base_config =
                e.value.empty()
                    ? ""
                    : (fs::path(spec.path).parent_path() / e.value).lexically_normal().string();
            if (!spec.base_config.empty() && !fs::is_regular_file(spec.base_config)) {
                fail(e, "sweep", key,
                     "no such file " + spec.base_config + " (paths are relative to the spec file)");
            }
            if (!spec.base_config.empty())
                spec.base_config = fs::absolute(spec.base_config).lexically_normal().string();
        } else if (key == "name") {
            if (!config::is_identifier(e.value))
                fail(e, "sweep", key, "expected a name (letters, digits and '_')");
            spec.name = e.value;
        } else if (key == "seed") {
            spec.seed = whole_number(e, "sweep", key, 0, 999999999999999ULL);
        } else if (key == "replicates") {
            spec.replicates = whole_number(e, "sweep", key, 1, 1000000);
        } else if (key == "seeds") {
            if (e.value == "per_point") {
                spec.seeds = SeedMode::per_point;
            } else if (e.value == "common") {
                spec.seeds = SeedMode::common;
            } else if (e.value == "config") {
                spec.seeds = SeedMode::config;
            } else {
                fail(e, "sweep", key, "allowed values: per_point, common, config");
            }
        } else {
            const auto near = text::closest(key, sweep_keys());
            throw input_error(e.origin + ": unknown key '" + key + "' in [sweep]; " +
                              (near.empty() ? "allowed keys: " + text::join(sweep_keys(), ", ")
                                            : "did you mean '" + near.front() + "'?") +
                              " (docs/sweeps.md lists every key).");
        }
    }
}

/// The manifest is tab-separated: a value may not contain a tab.
void check_no_tab(const std::string& key, const std::string& section, const config::RawEntry& e) {
    if (e.value.find_first_of("\t\r") != std::string::npos)
        fail(e, section, key, "a tab is not allowed in a value");
}

Axis make_axis(const std::string& key, const std::string& section, const config::RawEntry& e) {
    check_no_tab(key, section, e);
    Axis a;
    a.key = key;
    a.section = section;
    a.origin = e.origin;
    a.line = line_of(e.origin);
    a.text = e.value;
    const auto* ks = key_spec(key);
    a.integer = ks && ks->type == config::ValueType::integer;
    try {
        if (section == "sample") {
            a.distribution = parse_sample_distribution(e.value, a.dimension, a.unit);
        } else {
            a.values = expand_value_list(e.value, a.integer);
        }
    } catch (const config::ValueError& err) {
        fail(e, section, key, err.what());
    }
    return a;
}

void check_key_form(const std::string& key, const std::string& section, const config::RawEntry& e) {
    const auto dot = key.rfind('.');
    if (dot == std::string::npos || dot == 0) {
        throw input_error(e.origin + ": [" + section + "] '" + key +
                          "' is not a config key: write section.key as for --set, e.g. "
                          "poisson.ext_E.rate or regimen.treatment.dose.");
    }
}
}  // namespace

Spec parse_spec_text(const std::string& text, const std::string& path) {
    Spec spec;
    spec.path = path;
    spec.name = fs::path(path).stem().string();
    const config::RawConfig raw = config::parse_config_text(text, path);

    std::map<std::string, std::pair<std::string, std::string>>
        seen;  // config key -> (origin, section)
    auto claim = [&](const std::string& key, const std::string& section,
                     const config::RawEntry& e) {
        check_key_form(key, section, e);
        if (seen.count(key)) {
            // Reported at the later of the two lines.
            auto first = seen[key];
            std::pair<std::string, std::string> second{e.origin, section};
            if (line_of(first.first) > line_of(second.first)) std::swap(first, second);
            throw input_error(second.first + ": [" + second.second + "] " + key +
                              " is also given at " + first.first + " ([" + first.second +
                              "]); a key may be set in one place only ([set], [grid], "
                              "[zip.NAME] or [sample]).");
        }
        seen[key] = {e.origin, section};
    };
    std::map<std::string, std::vector<Axis>> zips;
    std::vector<std::pair<int, GridDimension>> dims;
    const config::RawEntry* count = nullptr;
    for (const auto& [section, keys] : raw.sections) {
        auto starts = [&](const std::string& p) { return section.rfind(p, 0) == 0; };
        if (section == "sweep") {
            read_sweep_section(spec, keys);
            continue;
        }
        const bool is_sample = section == "sample" || starts("sample.");
        const bool is_header_only = section == "set" || section == "grid" || section == "sample" ||
                                    (starts("zip.") && section.find('.', 4) == std::string::npos);
        for (const auto& [key, e] : keys) {
            if (is_header_only) {
                if (section == "sample" && key == "count") {
                    count = &e;
                    continue;
                }
                check_key_form(key, section, e);
            }
            if (starts("set.")) {
                const std::string full = section.substr(4) + "." + key;
                claim(full, "set", e);
                check_no_tab(full, "set", e);
                spec.fixed.push_back({full, e.value, e.origin});
            } else if (starts("grid.")) {
                const std::string full = section.substr(5) + "." + key;
                claim(full, "grid", e);
                GridDimension d{full, {make_axis(full, "grid", e)}};
                dims.emplace_back(d.axes.front().line, std::move(d));
            } else if (starts("zip.")) {
                const auto dot = section.find('.', 4);
                const std::string group = section.substr(4, dot - 4);
                if (!config::is_identifier(group)) {
                    throw input_error(e.origin + ": [zip." + group +
                                      "]: the group name must be a name (letters, digits, '_').");
                }
                const std::string full = section.substr(dot + 1) + "." + key;
                claim(full, "zip." + group, e);
                zips["zip." + group].push_back(make_axis(full, "zip." + group, e));
            } else if (is_sample) {
                const std::string full = section.substr(7) + "." + key;
                claim(full, "sample", e);
                spec.sampled.push_back(make_axis(full, "sample", e));
            } else {
                unknown_section(section, e.origin, key);
            }
        }
        if (keys.empty() && !is_header_only) unknown_section(section, path, "");
    }
    for (auto& [name, axes] : zips) {
        std::sort(axes.begin(), axes.end(),
                  [](const Axis& a, const Axis& b) { return a.line < b.line; });
        for (const auto& a : axes) {
            if (a.values.size() != axes.front().values.size()) {
                throw input_error(
                    a.origin + ": [" + name + "] " + a.key + " has " +
                    std::to_string(a.values.size()) + " values but " + axes.front().key + " (" +
                    axes.front().origin + ") has " + std::to_string(axes.front().values.size()) +
                    "; the keys of a zip group vary together and need the same number of values.");
            }
        }
        const int line = axes.front().line;
        dims.emplace_back(line, GridDimension{name, std::move(axes)});
    }
    std::stable_sort(dims.begin(), dims.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& d : dims)
        spec.grid.push_back(std::move(d.second));
    std::sort(spec.sampled.begin(), spec.sampled.end(),
              [](const Axis& a, const Axis& b) { return a.line < b.line; });

    if (count) spec.samples = whole_number(*count, "sample", "count", 1, 10000000);
    if (count && spec.sampled.empty()) {
        throw input_error(count->origin + ": [sample] count = " + count->value +
                          " but [sample] lists no key to sample (e.g. regimen.treatment.dose = "
                          "uniform(5 mg, 20 mg)).");
    }
    if (!spec.sampled.empty() && !count) {
        throw input_error(spec.sampled.front().origin +
                          ": [sample] needs count = N, the number of points to draw.");
    }
    if (seen.count("simulation.seed") && spec.seeds != SeedMode::config) {
        throw input_error(
            seen["simulation.seed"].first + ": simulation.seed is set by the sweep (seeds = " +
            seed_mode_name(spec.seeds) + "); to give seeds yourself, set [sweep] seeds = config.");
    }
    if (spec.seeds == SeedMode::config && spec.replicates > 1) {
        throw input_error(
            path + ": [sweep] replicates = " + std::to_string(spec.replicates) +
            " with seeds = config would run the same config " + std::to_string(spec.replicates) +
            " times; use seeds = per_point or common (or vary simulation.seed as an axis).");
    }
    const long double total = static_cast<long double>(std::max<std::uint64_t>(spec.samples, 1)) *
                              static_cast<long double>(spec.grid_size()) *
                              static_cast<long double>(spec.replicates);
    if (total > 10000000.0L) {
        throw input_error(path + ": the sweep has " +
                          text::format_double(static_cast<double>(total)) +
                          " points; at most 10^7 are allowed (split it into several sweeps).");
    }
    return spec;
}

Spec read_spec(const std::string& path) {
    return parse_spec_text(config::read_input_file(path, "sweep spec", "sweep spec"), path);
}

}  // namespace neurochem::sweep

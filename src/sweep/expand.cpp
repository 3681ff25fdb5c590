#include "sweep/expand.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/rng.hpp"
#include "core/sample.hpp"
#include "neurochem/errors.hpp"
#include "sweep/axis_values.hpp"
#include "util/sha256.hpp"
#include "util/stop_signal.hpp"
#include "util/text.hpp"

namespace neurochem::sweep {

namespace {
struct Coordinates {
    std::uint64_t sample, grid, replicate;
    std::vector<std::size_t> dims;  // value index per grid dimension
};

Coordinates decode(const Spec& spec, std::uint64_t index) {
    const std::uint64_t R = spec.replicates, G = spec.grid_size();
    Coordinates c{index / (G * R), (index / R) % G, index % R, {}};
    c.dims.resize(spec.grid.size());
    std::uint64_t g = c.grid;
    for (std::size_t d = spec.grid.size(); d-- > 0;) {
        c.dims[d] = g % spec.grid[d].size();
        g /= spec.grid[d].size();
    }
    return c;
}

rng::CounterStream stream(std::uint64_t seed, const std::string& name, std::uint64_t a,
                          std::uint64_t b) {
    return rng::CounterStream(rng::derive_key(seed, rng::stream_id(name)),
                              static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32),
                              static_cast<std::uint32_t>(b));
}
}  // namespace

std::uint64_t derived_seed(const Spec& spec, std::uint64_t index, std::uint64_t sample,
                           std::uint64_t replicate) {
    switch (spec.seeds) {
        case SeedMode::per_point:
            return stream(spec.seed, "sweep:seed:point", index, 0).next_u64() >> 16;
        case SeedMode::common:
            return stream(spec.seed, "sweep:seed:common", replicate, sample).next_u64() >> 16;
        case SeedMode::config:
            return 0;
    }
    return 0;
}

std::string sampled_value(const Axis& axis, std::uint64_t sweep_seed, std::uint64_t sample) {
    auto s = stream(sweep_seed, "sweep:sample:" + axis.key, sample, 0);
    const std::string what = axis.origin + ": [sample] " + axis.key + " = " + axis.text;
    return value_text(neurochem::sample(axis.distribution, s, what.c_str()), axis.dimension,
                      axis.unit, axis.integer);
}

std::vector<Override> point_overrides(const Spec& spec, std::uint64_t index) {
    const Coordinates c = decode(spec, index);
    std::vector<Override> out;
    for (const auto& f : spec.fixed)
        out.push_back({f.key, f.value, f.origin + ": [set] " + f.key});
    for (std::size_t d = 0; d < spec.grid.size(); ++d) {
        const auto& dim = spec.grid[d];
        const std::size_t k = c.dims[d];
        for (const auto& a : dim.axes) {
            out.push_back({a.key, a.values[k],
                           a.origin + ": [" + a.section + "] " + a.key + " (value " +
                               std::to_string(k + 1) + " of " + std::to_string(a.values.size()) +
                               ")"});
        }
    }
    for (const auto& a : spec.sampled) {
        const std::string v = sampled_value(a, spec.seed, c.sample);
        out.push_back({a.key, v,
                       a.origin + ": [sample] " + a.key + " = " + a.text + " (sample " +
                           std::to_string(c.sample) + " drew " + v + ")"});
    }
    if (spec.seeds != SeedMode::config) {
        out.push_back({"simulation.seed",
                       std::to_string(derived_seed(spec, index, c.sample, c.replicate)),
                       spec.path + ": [sweep] seeds = " + seed_mode_name(spec.seeds) + ", seed " +
                           std::to_string(spec.seed)});
    }
    return out;
}

config::RawConfig read_base_config(const Spec& spec) {
    if (spec.base_config.empty()) {
        return config::parse_config_text(config::embedded_default_config(),
                                         "<embedded default config>");
    }
    return config::read_config_file(spec.base_config);
}

namespace {
/// A point's coordinates, derived seed and axis values (the overrides after [set], in axis
/// order) from its overrides.
Point described(const Spec& spec, std::uint64_t index, const std::vector<Override>& overrides,
                std::size_t n_axes) {
    const Coordinates c = decode(spec, index);
    Point p;
    p.index = index;
    p.sample = c.sample;
    p.grid = c.grid;
    p.replicate = c.replicate;
    p.seed = derived_seed(spec, index, c.sample, c.replicate);
    for (std::size_t k = 0; k < n_axes; ++k)
        p.values.push_back(overrides[spec.fixed.size() + k].value);
    return p;
}
}  // namespace

Point describe_point(const Spec& spec, std::uint64_t index) {
    return described(spec, index, point_overrides(spec, index), spec.axes().size());
}

Plan expand(const Spec& spec, const config::RawConfig& base, std::uint64_t limit) {
    Plan plan;
    plan.spec = spec;
    const auto axes = spec.axes();
    for (const auto* a : axes)
        plan.axis_keys.push_back(a->key);
    plan.total_points = spec.point_count();
    const std::uint64_t n = std::min(plan.total_points, limit);
    plan.points.reserve(n);

    std::vector<std::string> problems;
    std::set<std::string> distinct;
    std::uint64_t invalid = 0;
    std::map<std::string, std::uint64_t> by_hash;
    std::string listing;
    for (std::uint64_t i = 0; i < n; ++i) {
        if (i % 256 == 0) throw_if_stopped("checking the points of sweep " + spec.path);
        const auto overrides = point_overrides(spec, i);
        Point p = described(spec, i, overrides, axes.size());
        config::RawConfig raw = base;
        for (const auto& o : overrides) {
            const auto [section, key] = split_key(o.key);
            raw.sections[section][key] = {o.value, o.origin};
        }
        try {
            const config::ResolvedConfig cfg = config::resolve(raw);
            config::to_model(cfg);
            p.config_text = cfg.canonical_text;
            p.config_hash = cfg.hash;
            p.seed = cfg.find("simulation")->at("seed").integer;
            for (const auto* a : axes) {
                const auto [section, key] = split_key(a->key);
                p.resolved.push_back(cfg.find(section)->at(key).text);
            }
        } catch (const input_error& e) {
            ++invalid;
            std::string msg = e.what();
            if (msg.rfind(spec.path, 0) != 0) {
                std::vector<std::string> vals;
                for (std::size_t k = 0; k < axes.size(); ++k)
                    vals.push_back(axes[k]->key + " = " + p.values[k]);
                msg = spec.path + ": point " + std::to_string(i) +
                      (vals.empty() ? "" : " (" + text::join(vals, ", ") + ")") + ": " + msg;
            }
            if (problems.size() < 10 && distinct.insert(msg).second) problems.push_back(msg);
            continue;
        }
        const auto [it, fresh] = by_hash.emplace(p.config_hash, i);
        if (!fresh) {
            throw input_error(spec.path + ": points " + std::to_string(it->second) + " and " +
                              std::to_string(i) + " have the same resolved config (hash " +
                              p.config_hash.substr(0, 16) +
                              "): two axis values mean the same (e.g. '10 mg' and '0.01 g'), or "
                              "seeds = common/config "
                              "with repeated values.");
        }
        listing += std::to_string(i) + "\t" + p.config_hash + "\n";
        plan.points.push_back(std::move(p));
    }
    if (invalid > 0) {
        std::string msg = text::join(problems, "\n");
        msg += "\n(" + std::to_string(invalid) + " of " + std::to_string(n) +
               " points have an invalid config; nothing was written)";
        throw input_error(msg);
    }
    if (!plan.partial()) plan.sweep_hash = sha256_hex(listing);
    return plan;
}

}  // namespace neurochem::sweep

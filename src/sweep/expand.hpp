// Expanding a sweep spec into points. Point index = (sample x G + grid) x R + replicate, where
// G is the grid size (row-major over the grid dimensions, the first varying slowest) and R the
// number of replicates. Every random number comes from the project's counter-based RNG keyed
// by the sweep seed:
//   sampled value of key K for sample s:  Philox(derive_key(seed, "sweep:sample:" K), s)
//   seed, per_point:                      Philox(derive_key(seed, "sweep:seed:point"), index)
//   seed, common:                         Philox(derive_key(seed, "sweep:seed:common"), (replicate,
//   sample))
// so sample s has the same values whatever the number of samples, the grid or the other
// sampled keys, and a point's seed depends on nothing but the sweep seed and its index (or,
// for common seeds, its sample and replicate).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "sweep/spec.hpp"

namespace neurochem::sweep {

struct Point {
    std::uint64_t index = 0, sample = 0, grid = 0, replicate = 0;
    std::uint64_t seed = 0;             ///< the point's simulation.seed
    std::vector<std::string> values;    ///< per axis (Spec::axes() order): the value as applied
    std::vector<std::string> resolved;  ///< per axis: the resolved value ("20 Hz")
    std::string config_text;            ///< canonical resolved config
    std::string config_hash;
};

struct Plan {
    Spec spec;
    std::vector<std::string> axis_keys;
    std::vector<Point> points;
    std::string sweep_hash;  ///< SHA-256 of the points' indices and config hashes ("" if partial)
    std::uint64_t total_points = 0;  ///< points of the spec (points.size() unless partial)
    bool partial() const { return points.size() < total_points; }
};

/// Derived seed (48 bits) of a point; SeedMode::config has none (returns 0).
std::uint64_t derived_seed(const Spec& spec, std::uint64_t index, std::uint64_t sample,
                           std::uint64_t replicate);
/// The value of a sampled axis for sample s, as config text.
std::string sampled_value(const Axis& axis, std::uint64_t sweep_seed, std::uint64_t sample);
/// The overrides of point `index` without resolving: (key, value, origin) in application order
/// ([set], axes, seed).
struct Override {
    std::string key, value, origin;
};
std::vector<Override> point_overrides(const Spec& spec, std::uint64_t index);

/// The base config of a spec (its file, or the embedded default model).
config::RawConfig read_base_config(const Spec& spec);

/// Expands every point (or only the first `limit`: a partial plan, for --dry-run of large
/// sweeps) and validates its resolved config (resolve + to_model). Invalid points are an
/// input_error listing the distinct problems, each naming the spec file and line, the section,
/// the key and the value. Stops (stopped_error) on SIGTERM/SIGINT.
Plan expand(const Spec& spec, const config::RawConfig& base, std::uint64_t limit = UINT64_MAX);

/// A point's sample, replicate, seed and axis values as applied, without resolving its config
/// (cheap: for listing points of large plans). The seed is 0 for SeedMode::config.
Point describe_point(const Spec& spec, std::uint64_t index);

}  // namespace neurochem::sweep

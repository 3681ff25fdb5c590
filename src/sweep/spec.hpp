// A sweep spec (docs/sweeps.md): a base config, fixed overrides, axes and replicates.
//
//   [sweep]    config = ../brunel.ini   seed = 2024   replicates = 3   seeds = per_point
//   [set]      simulation.duration = 500 ms                     (every point)
//   [grid]     poisson.ext_E.rate = 15 Hz, 20 Hz, 25 Hz          (cartesian product)
//   [zip.arm]  regimen.t.dose = 0 mg, 10 mg   regimen.t.interval = 24 h, 12 h   (together)
//   [sample]   count = 50   drug.x.half_life = lognormal(30 h, 8 h, 10 h, 80 h)
//
// Keys of [set], [grid], [zip.NAME] and [sample] are config keys written as for --set
// (section.key). Errors are input_error naming the spec file and line, the section, the key
// and the value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/units.hpp"
#include "neurochem/model.hpp"

namespace neurochem::sweep {

/// How each point's simulation.seed is chosen.
enum class SeedMode {
    per_point,  ///< derived from (sweep seed, point index)
    common,     ///< derived from (sweep seed, sample, replicate): the same across grid points
    config,     ///< not set by the sweep: the base config's (or an axis's) simulation.seed
};
const char* seed_mode_name(SeedMode m);

/// One varied config key.
struct Axis {
    std::string key;      ///< "section.key", as for --set
    std::string section;  ///< where it was written: "grid", "zip.NAME" or "sample"
    std::string origin;   ///< "spec.ini:12"
    int line = 0;
    std::string text;     ///< the value as written
    std::vector<std::string> values;  ///< grid and zip: the expanded value list
    // sample only:
    Distribution distribution;
    config::Dimension dimension = config::Dimension::none;
    std::string unit;      ///< the unit of the distribution's first argument: values are written in it
    bool integer = false;  ///< the key is a whole number: sampled values are rounded
};

/// One dimension of the grid: a [grid] key, or a [zip.NAME] group whose keys vary together.
struct GridDimension {
    std::string name;  ///< the key, or "zip.NAME"
    std::vector<Axis> axes;
    std::size_t size() const { return axes.front().values.size(); }
};

struct FixedOverride {
    std::string key, value, origin;
};

struct Spec {
    std::string path;         ///< the spec file
    std::string name;         ///< [sweep] name, default: the file's stem
    std::string base_config;  ///< absolute path; "" is the embedded default model
    std::uint64_t seed = 1;
    std::uint64_t replicates = 1;
    SeedMode seeds = SeedMode::per_point;
    std::vector<FixedOverride> fixed;
    std::vector<GridDimension> grid;  ///< in file order; the first varies slowest
    std::uint64_t samples = 0;        ///< [sample] count; 0: no sampling
    std::vector<Axis> sampled;        ///< in file order

    std::uint64_t grid_size() const;   ///< product of the dimensions' sizes (1 without grid)
    std::uint64_t point_count() const; ///< max(samples, 1) x grid_size x replicates
    /// Every varied key in column order: grid dimensions (zip keys in file order), then sampled.
    std::vector<const Axis*> axes() const;
};

Spec parse_spec_text(const std::string& text, const std::string& path);
Spec read_spec(const std::string& path);

/// The keys a spec's [sweep] section accepts.
const std::vector<std::string>& sweep_keys();

}  // namespace neurochem::sweep

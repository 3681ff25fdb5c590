// Loading a model from a config file, as `neurochem run CONFIG --set ...` does: includes,
// units, defaults and every check of the command-line tool (docs/config-reference.md).
#pragma once

#include <string>
#include <vector>

#include "neurochem/model.hpp"

namespace neurochem {

/// A model read from a config file.
struct LoadedModel {
    ModelSpec spec;
    std::string canonical_text;  ///< the resolved config: every key, sorted, units normalised
    std::string hash;            ///< SHA-256 of canonical_text (the run's identity in outputs)
};

/// Reads `path` (with its includes) and applies `overrides` ("section.key=value", as `--set`).
/// Throws input_error (neurochem/errors.hpp) naming the file, the [section] and key, the value
/// and what is allowed.
LoadedModel load_model(const std::string& path, const std::vector<std::string>& overrides = {});

}  // namespace neurochem

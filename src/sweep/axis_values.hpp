// Values of sweep axes: lists ("0 mg, 10 mg, 20 mg", "linspace(0 mg, 20 mg, 5)",
// "logspace(1 Hz, 100 Hz, 3)", quoted items for values that contain commas) and the
// distributions sampled for virtual cohorts. Errors are config::ValueError with the reason.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/schema.hpp"
#include "config/units.hpp"
#include "neurochem/model.hpp"

namespace neurochem::sweep {

/// Splits at commas outside parentheses and double quotes; trims items and removes the quotes
/// of quoted items. Unbalanced parentheses or quotes are a ValueError.
std::vector<std::string> split_top_level(std::string_view text);

/// Expands a value list: plain items stay as written, linspace(a, b, n) and logspace(a, b, n)
/// become n values in a's unit (rounded to whole numbers when `integer`).
std::vector<std::string> expand_value_list(std::string_view text, bool integer);

/// The dimension of a quantity's unit ("10 mg" -> mass, "3" -> none); ValueError if the text is
/// not a number with a known unit.
config::Dimension dimension_of(std::string_view quantity);

/// The unit of a quantity's text ("10 mg" -> "mg", "3" -> "").
std::string unit_of(std::string_view quantity);

/// Reads a distribution to sample from: uniform(lo, hi), normal(mean, sd[, min[, max]]) or
/// lognormal(mean, sd[, min[, max]]); the dimension and unit are those of the first argument.
Distribution parse_sample_distribution(std::string_view text, config::Dimension& dimension,
                                       std::string& unit);

/// The schema entry of a "section.key" config key, or nullptr for an unknown section kind or key.
const config::KeySpec* key_spec(const std::string& full_key);

/// "regimen.escitalopram.stop" -> {"regimen.escitalopram", "stop"} (at the last '.').
std::pair<std::string, std::string> split_key(const std::string& full_key);

/// The canonical text of `value` as a value of `full_key`, as a resolved config holds it ("15 Hz"
/// and "0.015 kHz" give the same); config::ValueError if it is not a valid value of that key or the
/// key is not a config key.
std::string canonical_value(const std::string& full_key, const std::string& value);

/// A sampled or computed value (in the dimension's internal unit) as config text in `unit`:
/// whole numbers for integer keys, else the shortest round-trip decimal.
std::string value_text(double value, config::Dimension d, const std::string& unit, bool integer);

}  // namespace neurochem::sweep

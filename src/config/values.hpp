// Reading and printing single config values: numbers, quantities, distributions, booleans,
// choices and names. Errors are ValueError with the reason only.
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"
#include "config/schema.hpp"

namespace neurochem::config {

bool is_identifier(std::string_view s);
/// Letters, digits and '_' (receptor type names such as 5HT1A may start with a digit).
bool is_token(std::string_view s);

/// "6 nS", "uniform(-60 mV, -50 mV)", "normal(mean, sd)", "normal(mean, sd, min, max)",
/// "lognormal(mean, sd)" (mean and sd of the value itself; optional bounds as for normal).
Distribution parse_distribution(std::string_view text, Dimension d);
std::string format_distribution(const Distribution& dist, Dimension d);

/// Parses `text` as the value of key `spec` with dimension `d` and checks its range.
Value parse_value(const KeySpec& spec, Dimension d, const std::string& text);

}  // namespace neurochem::config

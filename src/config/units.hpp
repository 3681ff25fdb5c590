// Physical quantities in config values: "0.1 ms", "6 nS", "-70 mV", "0.2 uM", "4 uM/s". Each
// dimension has one internal unit (ms, mV, nS, pF, pA, Hz, uM, uM/s, mg, L, L/kg); values are
// converted on input and printed in it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace neurochem::config {

enum class Dimension {
    none,
    time,
    voltage,
    conductance,
    capacitance,
    current,
    frequency,           ///< also rate constants: Hz = 1/s
    concentration,       ///< uM
    concentration_rate,  ///< uM/s
    mass,                ///< mg
    volume,              ///< L
    volume_per_mass,     ///< L/kg
};

/// The reason a value is not acceptable; the caller adds file, section and key.
class ValueError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

const char* internal_unit(Dimension d);   ///< "ms", "mV", ...
const char* dimension_name(Dimension d);  ///< "a time", "a voltage", ...
std::string allowed_units(Dimension d);   ///< "s, ms, us, min, h, day"

/// Parses a plain number ("1e-3", "-70", "inf" if allow_infinite). Throws ValueError.
double parse_number(std::string_view text, bool allow_infinite = false);

/// Parses "<number> <unit>" into the internal unit of `d`. A missing unit, a unit of another
/// dimension or an unknown unit is a ValueError that says what is allowed. Decimal prefixes
/// are applied to the decimal text, so "0.1 s" gives exactly the double nearest 100 (ms).
double parse_quantity(std::string_view text, Dimension d, bool allow_infinite = false);

/// "<shortest round-trip number> <internal unit>", e.g. "0.1 ms".
std::string format_quantity(double value, Dimension d);

}  // namespace neurochem::config

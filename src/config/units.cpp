#include "config/units.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "util/text.hpp"

namespace neurochem::config {

namespace {
struct Unit {
    const char* symbol;
    Dimension dim;
    int pow10;      // decimal scale to the internal unit
    double factor;  // extra non-decimal factor (minutes, hours, days)
};

// Internal units: ms, mV, nS, pF, pA, Hz.
const Unit units[] = {
    {"s", Dimension::time, 3, 1},
    {"ms", Dimension::time, 0, 1},
    {"us", Dimension::time, -3, 1},
    {"\xC2\xB5s", Dimension::time, -3, 1},
    {"min", Dimension::time, 3, 60},
    {"h", Dimension::time, 3, 3600},
    {"day", Dimension::time, 3, 86400},
    {"days", Dimension::time, 3, 86400},
    {"week", Dimension::time, 3, 604800},
    {"weeks", Dimension::time, 3, 604800},
    {"V", Dimension::voltage, 3, 1},
    {"mV", Dimension::voltage, 0, 1},
    {"uV", Dimension::voltage, -3, 1},
    {"S", Dimension::conductance, 9, 1},
    {"mS", Dimension::conductance, 6, 1},
    {"uS", Dimension::conductance, 3, 1},
    {"nS", Dimension::conductance, 0, 1},
    {"pS", Dimension::conductance, -3, 1},
    {"F", Dimension::capacitance, 12, 1},
    {"uF", Dimension::capacitance, 6, 1},
    {"nF", Dimension::capacitance, 3, 1},
    {"pF", Dimension::capacitance, 0, 1},
    {"fF", Dimension::capacitance, -3, 1},
    {"A", Dimension::current, 12, 1},
    {"mA", Dimension::current, 9, 1},
    {"uA", Dimension::current, 6, 1},
    {"nA", Dimension::current, 3, 1},
    {"pA", Dimension::current, 0, 1},
    {"fA", Dimension::current, -3, 1},
    {"Hz", Dimension::frequency, 0, 1},
    {"kHz", Dimension::frequency, 3, 1},
    {"mHz", Dimension::frequency, -3, 1},
    {"/s", Dimension::frequency, 0, 1},
    {"/ms", Dimension::frequency, 3, 1},
    {"/min", Dimension::frequency, 0, 1.0 / 60},
    {"/h", Dimension::frequency, 0, 1.0 / 3600},
    {"/day", Dimension::frequency, 0, 1.0 / 86400},
    {"M", Dimension::concentration, 6, 1},
    {"mM", Dimension::concentration, 3, 1},
    {"uM", Dimension::concentration, 0, 1},
    {"\xC2\xB5M", Dimension::concentration, 0, 1},
    {"nM", Dimension::concentration, -3, 1},
    {"pM", Dimension::concentration, -6, 1},
    {"mM/s", Dimension::concentration_rate, 3, 1},
    {"uM/s", Dimension::concentration_rate, 0, 1},
    {"nM/s", Dimension::concentration_rate, -3, 1},
    {"uM/min", Dimension::concentration_rate, 0, 1.0 / 60},
    {"uM/h", Dimension::concentration_rate, 0, 1.0 / 3600},
    {"nM/h", Dimension::concentration_rate, -3, 1.0 / 3600},
    {"kg", Dimension::mass, 6, 1},
    {"g", Dimension::mass, 3, 1},
    {"mg", Dimension::mass, 0, 1},
    {"ug", Dimension::mass, -3, 1},
    {"L", Dimension::volume, 0, 1},
    {"mL", Dimension::volume, -3, 1},
    {"L/kg", Dimension::volume_per_mass, 0, 1},
    {"mL/kg", Dimension::volume_per_mass, -3, 1},
};

const Unit* find_unit(std::string_view s) {
    for (const auto& u : units) {
        if (s == u.symbol) return &u;
    }
    return nullptr;
}

/// Splits decimal text into digits-with-point and exponent; false if not a number.
bool split_decimal(std::string_view t, std::string& mantissa, long& exponent) {
    std::size_t i = 0;
    mantissa.clear();
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) mantissa += t[i++];
    bool digits = false, point = false;
    for (; i < t.size(); ++i) {
        const char c = t[i];
        if (c >= '0' && c <= '9') {
            digits = true;
            mantissa += c;
        } else if (c == '.' && !point) {
            point = true;
            mantissa += c;
        } else {
            break;
        }
    }
    if (!digits) return false;
    exponent = 0;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        std::string e;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) e += t[i++];
        const std::size_t start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9')
            e += t[i++];
        if (i == start || e.size() > 6) return false;
        exponent = std::strtol(e.c_str(), nullptr, 10);
    }
    return i == t.size();
}

/// "inf", "-inf", "+inf", "infinity", "nan" in any case.
bool is_non_finite_word(std::string_view s) {
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
    std::string w(s);
    for (auto& c : w)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return w == "inf" || w == "infinity" || w == "nan";
}

double decimal_value(std::string_view t, int extra_pow10, bool allow_infinite) {
    const std::string_view s = text::trim(t);
    if (allow_infinite && (s == "inf" || s == "+inf" || s == "-inf")) {
        return s[0] == '-' ? -INFINITY : INFINITY;
    }
    std::string mantissa;
    long exponent = 0;
    if (!split_decimal(s, mantissa, exponent)) {
        if (is_non_finite_word(s)) {
            throw ValueError("'" + text::escape_for_message(s) +
                             "' is not allowed here: a finite number is needed");
        }
        throw ValueError("'" + text::escape_for_message(s) + "' is not a number");
    }
    const std::string full = mantissa + "e" + std::to_string(exponent + extra_pow10);
    const double v = std::strtod(full.c_str(), nullptr);
    if (!std::isfinite(v))
        throw ValueError("'" + text::escape_for_message(s) + "' is out of range");
    return v;
}
}  // namespace

const char* internal_unit(Dimension d) {
    switch (d) {
        case Dimension::none:
            return "";
        case Dimension::time:
            return "ms";
        case Dimension::voltage:
            return "mV";
        case Dimension::conductance:
            return "nS";
        case Dimension::capacitance:
            return "pF";
        case Dimension::current:
            return "pA";
        case Dimension::frequency:
            return "Hz";
        case Dimension::concentration:
            return "uM";
        case Dimension::concentration_rate:
            return "uM/s";
        case Dimension::mass:
            return "mg";
        case Dimension::volume:
            return "L";
        case Dimension::volume_per_mass:
            return "L/kg";
    }
    return "";
}

const char* dimension_name(Dimension d) {
    switch (d) {
        case Dimension::none:
            return "a number";
        case Dimension::time:
            return "a time";
        case Dimension::voltage:
            return "a voltage";
        case Dimension::conductance:
            return "a conductance";
        case Dimension::capacitance:
            return "a capacitance";
        case Dimension::current:
            return "a current";
        case Dimension::frequency:
            return "a frequency or rate";
        case Dimension::concentration:
            return "a concentration";
        case Dimension::concentration_rate:
            return "a concentration rate";
        case Dimension::mass:
            return "a mass";
        case Dimension::volume:
            return "a volume";
        case Dimension::volume_per_mass:
            return "a volume per body mass";
    }
    return "";
}

std::string allowed_units(Dimension d) {
    std::vector<std::string> out;
    for (const auto& u : units) {
        const std::string_view sym = u.symbol;
        if (u.dim == d && sym != "\xC2\xB5s" && sym != "\xC2\xB5M" && sym != "days" &&
            sym != "weeks") {
            out.emplace_back(u.symbol);
        }
    }
    return text::join(out, ", ");
}

double parse_number(std::string_view t, bool allow_infinite) {
    return decimal_value(t, 0, allow_infinite);
}

double parse_quantity(std::string_view t, Dimension d, bool allow_infinite) {
    const std::string_view s = text::trim(t);
    if (d == Dimension::none) return parse_number(s, allow_infinite);
    if (allow_infinite) {
        for (std::string_view inf : {"-inf", "+inf", "inf"}) {
            if (s.substr(0, inf.size()) != inf) continue;
            const std::string_view rest = text::trim(s.substr(inf.size()));
            const Unit* u = find_unit(rest);
            if (rest.empty() || (u && u->dim == d)) return inf[0] == '-' ? -INFINITY : INFINITY;
        }
    }
    // The number is the longest prefix that reads as a decimal number; the rest is the unit.
    std::size_t cut = 0;
    if (cut < s.size() && (s[cut] == '+' || s[cut] == '-')) ++cut;
    while (cut < s.size() && (std::isdigit(static_cast<unsigned char>(s[cut])) || s[cut] == '.'))
        ++cut;
    if (cut + 1 < s.size() && (s[cut] == 'e' || s[cut] == 'E')) {
        std::size_t e = cut + 1;
        if (e < s.size() && (s[e] == '+' || s[e] == '-')) ++e;
        if (e < s.size() && std::isdigit(static_cast<unsigned char>(s[e]))) {
            while (e < s.size() && std::isdigit(static_cast<unsigned char>(s[e])))
                ++e;
            cut = e;
        }
    }
    const std::string_view number = text::trim(s.substr(0, cut));
    const std::string_view unit = text::trim(s.substr(cut));
    const std::string example = std::string("e.g. '") +
                                (number.empty() ? "1" : std::string(number)) + " " +
                                internal_unit(d) + "'";
    if (number.empty()) {
        const std::string_view word = text::trim(unit.substr(0, unit.find(' ')));
        if (is_non_finite_word(word)) {
            throw ValueError("'" + text::escape_for_message(word) +
                             "' is not allowed here: " + dimension_name(d) +
                             " must be finite, e.g. '1 " + internal_unit(d) + "'");
        }
        throw ValueError("expected " + std::string(dimension_name(d)) + " with a unit, " + example +
                         "; allowed units: " + allowed_units(d));
    }
    if (unit.empty()) {
        throw ValueError(std::string(dimension_name(d)) + " needs a unit, " + example +
                         "; allowed units: " + allowed_units(d));
    }
    const Unit* u = find_unit(unit);
    if (!u) {
        throw ValueError("unknown unit '" + text::escape_for_message(unit) + "' for " +
                         dimension_name(d) + "; allowed units: " + allowed_units(d));
    }
    if (u->dim != d) {
        throw ValueError("'" + text::escape_for_message(unit) + "' is a unit of " +
                         dimension_name(u->dim) + ", but " + dimension_name(d) +
                         " is needed; allowed units: " + allowed_units(d));
    }
    return decimal_value(number, u->pow10, false) * u->factor;
}

std::string format_quantity(double value, Dimension d) {
    if (d == Dimension::none) return text::format_double(value);
    return text::format_double(value) + " " + internal_unit(d);
}

}  // namespace neurochem::config

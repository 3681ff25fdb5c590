#include "sweep/axis_values.hpp"

#include <cctype>
#include <cmath>

#include "config/values.hpp"
#include "util/text.hpp"

namespace neurochem::sweep {

using config::Dimension;
using config::ValueError;

namespace {
const Dimension all_dimensions[] = {
    Dimension::none,        Dimension::time,          Dimension::voltage,
    Dimension::conductance, Dimension::capacitance,   Dimension::current,
    Dimension::frequency,   Dimension::concentration, Dimension::concentration_rate,
    Dimension::mass,        Dimension::volume,        Dimension::volume_per_mass,
};

/// "name(args)" -> name and its top-level arguments; false if the text is not a call.
bool as_call(std::string_view text, std::string& name, std::vector<std::string>& args) {
    const std::string_view s = text::trim(text);
    const auto open = s.find('(');
    if (open == std::string_view::npos || s.back() != ')') return false;
    name = std::string(text::trim(s.substr(0, open)));
    args = split_top_level(s.substr(open + 1, s.size() - open - 2));
    return true;
}

std::vector<std::string> spaced(const std::string& name, const std::vector<std::string>& args,
                                bool integer) {
    const bool log = name == "logspace";
    if (args.size() != 3) throw ValueError(name + "(first, last, n) takes 3 arguments");
    const Dimension d = dimension_of(args[0]);
    if (dimension_of(args[1]) != d) {
        throw ValueError(name + "(): '" + args[0] + "' and '" + args[1] +
                         "' are of different dimensions");
    }
    const double a = config::parse_quantity(args[0], d), b = config::parse_quantity(args[1], d);
    double n_real = 0;
    try {
        n_real = config::parse_number(args[2]);
    } catch (const ValueError&) {
        n_real = -1;
    }
    if (!(n_real >= 1 && n_real <= 100000 && n_real == std::floor(n_real))) {
        throw ValueError(name + "(): the number of values '" + args[2] +
                         "' must be a whole number from 1 to 100000");
    }
    if (log && !(a > 0 && b > 0))
        throw ValueError("logspace(first, last, n) needs first > 0 and last > 0");
    const auto n = static_cast<std::size_t>(n_real);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) {
        const double f = n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
        double v = log ? a * std::pow(b / a, f) : a + (b - a) * f;
        if (i == 0) v = a;
        if (i + 1 == n && n > 1) v = b;
        out.push_back(value_text(v, d, unit_of(args[0]), integer));
        if (integer && i > 0 && out[i] == out[i - 1]) {
            throw ValueError(
                "on a whole-number key its values round to repeats (" + out[i] + " twice): " +
                (log ? std::string("use fewer values")
                     : "use at most " + text::format_double(std::floor(std::abs(b - a)) + 1) +
                           " values") +
                ", or list them");
        }
    }
    return out;
}
}  // namespace

std::vector<std::string> split_top_level(std::string_view text) {
    std::vector<std::string> out;
    std::string item;
    int depth = 0;
    bool quoted = false, was_quoted = false;
    auto finish = [&] {
        std::string s(text::trim(item));
        if (was_quoted) {
            const std::string_view t = text::trim(item);
            s = std::string(t.substr(1, t.size() - 2));
        }
        out.push_back(s);
        item.clear();
        was_quoted = false;
    };
    for (char c : text) {
        if (c == '"') {
            if (!quoted && !text::trim(item).empty())
                throw ValueError("a quote must start an item");
            quoted = !quoted;
            was_quoted = true;
        } else if (!quoted && c == '(') {
            ++depth;
        } else if (!quoted && c == ')') {
            if (--depth < 0) throw ValueError("')' without '('");
        } else if (!quoted && depth == 0 && c == ',') {
            finish();
            continue;
        } else if (!quoted && was_quoted && c != ' ' && c != '\t') {
            throw ValueError("text after a closing quote");
        }
        item += c;
    }
    if (quoted) throw ValueError("a quote is not closed");
    if (depth != 0) throw ValueError("'(' without ')'");
    finish();
    return out;
}

std::vector<std::string> expand_value_list(std::string_view text, bool integer) {
    const auto items = split_top_level(text);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].empty()) {
            throw ValueError("value " + std::to_string(i + 1) + " of " +
                             std::to_string(items.size()) + " is empty (a stray comma?)");
        }
        std::string name;
        std::vector<std::string> args;
        if (as_call(items[i], name, args) && (name == "linspace" || name == "logspace")) {
            try {
                for (auto& v : spaced(name, args, integer))
                    out.push_back(std::move(v));
            } catch (const ValueError& e) {
                throw ValueError("'" + items[i] + "': " + e.what());
            }
        } else {
            out.push_back(items[i]);
        }
    }
    return out;
}

Dimension dimension_of(std::string_view quantity) {
    for (Dimension d : all_dimensions) {
        try {
            config::parse_quantity(quantity, d);
            return d;
        } catch (const ValueError&) {
        }
    }
    throw ValueError("'" + std::string(text::trim(quantity)) +
                     "' is not a number with a known unit");
}

std::string unit_of(std::string_view quantity) {
    const std::string_view s = text::trim(quantity);
    std::size_t cut = 0;
    while (cut < s.size() && (std::isdigit(static_cast<unsigned char>(s[cut])) || s[cut] == '.' ||
                              s[cut] == '+' || s[cut] == '-' ||
                              ((s[cut] == 'e' || s[cut] == 'E') && cut + 1 < s.size() &&
                               (std::isdigit(static_cast<unsigned char>(s[cut + 1])) ||
                                s[cut + 1] == '-' || s[cut + 1] == '+')))) {
        ++cut;
    }
    return std::string(text::trim(s.substr(cut)));
}

Distribution parse_sample_distribution(std::string_view text, Dimension& dimension,
                                       std::string& unit) {
    std::string name;
    std::vector<std::string> args;
    if (!as_call(text, name, args)) {
        throw ValueError(
            "a sampled key needs a distribution: uniform(low, high), normal(mean, sd[, min[, "
            "max]]) or "
            "lognormal(mean, sd[, min[, max]]); for one value for every point use [set]");
    }
    if (args.empty() || args[0].empty()) throw ValueError(name + "() needs arguments");
    dimension = dimension_of(args[0]);
    unit = unit_of(args[0]);
    return config::parse_distribution(text, dimension);
}

const config::KeySpec* key_spec(const std::string& full_key) {
    const auto last = full_key.rfind('.');
    if (last == std::string::npos) return nullptr;
    const std::string kind = full_key.substr(0, full_key.find('.'));
    const auto* section = config::find_section_kind(kind);
    return section ? section->find(full_key.substr(last + 1)) : nullptr;
}

std::pair<std::string, std::string> split_key(const std::string& full_key) {
    const auto dot = full_key.rfind('.');
    if (dot == std::string::npos) return {"", full_key};
    return {full_key.substr(0, dot), full_key.substr(dot + 1)};
}

std::string canonical_value(const std::string& full_key, const std::string& value) {
    const config::KeySpec* ks = key_spec(full_key);
    if (!ks) throw config::ValueError("'" + full_key + "' is not a config key");
    Dimension d = ks->dim;
    if (ks->synaptic) {
        // Its unit depends on the target population: take the value's own, or that of a
        // distribution's first argument ("normal(0.5 mV, 0.05 mV)" is in mV).
        std::string quantity(text::trim(value));
        const auto open = quantity.find('(');
        if (open != std::string::npos && quantity.back() == ')') {
            const auto args = split_top_level(
                std::string_view(quantity).substr(open + 1, quantity.size() - open - 2));
            if (!args.empty()) quantity = args.front();
        }
        try {
            d = dimension_of(quantity);
        } catch (const config::ValueError&) {
        }
    }
    return config::parse_value(*ks, d, value).text;
}

std::string value_text(double value, Dimension d, const std::string& unit, bool integer) {
    if (integer) return text::format_double(std::round(value));
    if (d == Dimension::none || unit.empty()) return config::format_quantity(value, d);
    const double per_unit = config::parse_quantity("1 " + unit, d);
    return text::format_double(value / per_unit) + " " + unit;
}

}  // namespace neurochem::sweep

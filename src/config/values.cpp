#include "config/values.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "util/text.hpp"

namespace neurochem::config {

bool is_identifier(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

/// "PRE->POST" or "PRE->POST:LABEL", each part a token.
bool is_projection_name(std::string_view s) {
    const auto arrow = s.find("->");
    if (arrow == std::string_view::npos) return false;
    std::string_view post = s.substr(arrow + 2), label;
    if (const auto colon = post.find(':'); colon != std::string_view::npos) {
        label = post.substr(colon + 1);
        post = post.substr(0, colon);
        if (!is_token(label)) return false;
    }
    return is_token(s.substr(0, arrow)) && is_token(post);
}

Distribution parse_distribution(std::string_view text, Dimension d) {
    const std::string_view s = text::trim(text);
    const auto open = s.find('(');
    if (open == std::string_view::npos) return Distribution::constant(parse_quantity(s, d));
    if (s.back() != ')') throw ValueError("a distribution must end with ')'");
    const std::string name(text::trim(s.substr(0, open)));
    const auto args = text::split(s.substr(open + 1, s.size() - open - 2), ',');
    auto arg = [&](std::size_t i, bool inf_ok) {
        try {
            return parse_quantity(args[i], d, inf_ok);
        } catch (const ValueError& e) {
            throw ValueError("argument " + std::to_string(i + 1) + " of " + name +
                             "(): " + e.what());
        }
    };
    Distribution out;
    if (name == "uniform") {
        if (args.size() != 2) throw ValueError("uniform(low, high) takes 2 arguments");
        out = Distribution::uniform(arg(0, false), arg(1, false));
        if (!(out.p1 <= out.p2)) throw ValueError("uniform(low, high) needs low <= high");
    } else if (name == "normal" || name == "lognormal") {
        if (args.size() < 2 || args.size() > 4) {
            throw ValueError(name + "(mean, sd[, min[, max]]) takes 2 to 4 arguments");
        }
        out.kind = name == "normal" ? Distribution::Kind::normal : Distribution::Kind::lognormal;
        out.p1 = arg(0, false);
        out.p2 = arg(1, false);
        if (out.p2 < 0) throw ValueError("the standard deviation must be >= 0");
        if (out.kind == Distribution::Kind::lognormal && !(out.p1 > 0)) {
            throw ValueError("lognormal(mean, sd) needs mean > 0");
        }
        if (args.size() >= 3) out.min = arg(2, true);
        if (args.size() == 4) out.max = arg(3, true);
        if (!(out.min <= out.max)) throw ValueError("the bounds need min <= max");
        if (!(out.min <= out.p1 + 10 * out.p2 && out.max >= out.p1 - 10 * out.p2)) {
            throw ValueError(
                "the bounds [min, max] lie more than 10 standard deviations from the mean");
        }
    } else {
        throw ValueError(
            "unknown distribution '" + name +
            "'; allowed: a constant, uniform(low, high), normal(mean, sd[, min[, max]]), "
            "lognormal(mean, sd[, min[, max]])");
    }
    return out;
}

std::string format_distribution(const Distribution& dist, Dimension d) {
    using K = Distribution::Kind;
    auto f = [&](double v) { return format_quantity(v, d); };
    switch (dist.kind) {
        case K::constant:
            return f(dist.p1);
        case K::uniform:
            return "uniform(" + f(dist.p1) + ", " + f(dist.p2) + ")";
        case K::normal:
        case K::lognormal: {
            std::string s = std::string(dist.kind == K::normal ? "normal(" : "lognormal(") +
                            f(dist.p1) + ", " + f(dist.p2);
            if (std::isfinite(dist.min) || std::isfinite(dist.max)) s += ", " + f(dist.min);
            if (std::isfinite(dist.max)) s += ", " + f(dist.max);
            return s + ")";
        }
    }
    return "";
}

namespace {
void check_range(const KeySpec& k, double v, Dimension d) {
    const bool below = k.min_exclusive ? !(v > k.min) : !(v >= k.min);
    if (below || !(v <= k.max)) {
        std::string range = k.range_text();
        if (k.type == ValueType::quantity && d != Dimension::none && k.dim == Dimension::none) {
            range += std::string(" ") + internal_unit(d);
        }
        throw ValueError("out of range; allowed: " + range);
    }
}
}  // namespace

Value parse_value(const KeySpec& k, Dimension d, const std::string& raw) {
    const std::string s(text::trim(raw));
    Value v;
    if (s.empty()) throw ValueError("the value is empty");
    switch (k.type) {
        case ValueType::quantity:
            v.number = parse_quantity(s, d, k.allow_infinite);
            check_range(k, v.number, d);
            v.text = format_quantity(v.number, d);
            v.distribution = Distribution::constant(v.number);
            break;
        case ValueType::distribution:
            v.distribution = parse_distribution(s, d);
            if (v.distribution.is_constant()) check_range(k, v.distribution.p1, d);
            v.number = v.distribution.p1;
            v.text = format_distribution(v.distribution, d);
            break;
        case ValueType::integer: {
            if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
                s.size() > 20) {
                throw ValueError("expected a whole number" + (k.range_text().empty()
                                                                  ? std::string()
                                                                  : " in " + k.range_text()));
            }
            errno = 0;
            const unsigned long long n = std::strtoull(s.c_str(), nullptr, 10);
            if (errno == ERANGE) throw ValueError("the number is too large");
            v.integer = n;
            if (static_cast<double>(n) < k.min || static_cast<double>(n) > k.max) {
                throw ValueError("out of range; allowed: " + k.range_text());
            }
            v.number = static_cast<double>(n);
            v.text = std::to_string(n);
            break;
        }
        case ValueType::real:
            v.number = parse_number(s, k.allow_infinite);
            check_range(k, v.number, d);
            v.text = text::format_double(v.number);
            break;
        case ValueType::boolean:
            if (s == "true" || s == "yes" || s == "on" || s == "1") {
                v.boolean = true;
            } else if (s == "false" || s == "no" || s == "off" || s == "0") {
                v.boolean = false;
            } else {
                throw ValueError("expected a boolean: true or false (also yes/no, on/off, 1/0)");
            }
            v.text = v.boolean ? "true" : "false";
            break;
        case ValueType::choice:
            if (std::find(k.choices.begin(), k.choices.end(), s) == k.choices.end()) {
                throw ValueError("allowed values: " + text::join(k.choices, ", "));
            }
            v.text = s;
            break;
        case ValueType::name:
            if (!is_identifier(s) && !is_token(s)) {
                throw ValueError("expected a name (letters, digits and '_')");
            }
            v.text = s;
            break;
        case ValueType::name_list:
        case ValueType::projection_list: {
            std::vector<std::string> names;
            for (const auto& n : text::split(s, ',')) {
                if (k.type == ValueType::projection_list && n != "none") {
                    if (!is_projection_name(n))
                        throw ValueError(
                            "'" + n + "' is not a projection name (PRE->POST or PRE->POST:LABEL)");
                } else if (!is_token(n)) {
                    throw ValueError("'" + n + "' is not a name (letters, digits and '_')");
                }
                if (std::find(names.begin(), names.end(), n) != names.end()) {
                    throw ValueError("'" + n + "' is listed twice");
                }
                names.push_back(n);
            }
            if (names.size() > 1 && std::find(names.begin(), names.end(), "none") != names.end()) {
                throw ValueError("'none' cannot be combined with names");
            }
            std::sort(names.begin(), names.end());
            v.text = text::join(names, ", ");
            break;
        }
        case ValueType::name_quantity_list: {
            if (s == "none") {
                v.text = "none";
                break;
            }
            std::vector<std::string> parts;
            for (const auto& item : text::split(s, ',')) {
                const auto colon = item.find(':');
                if (colon == std::string::npos) {
                    throw ValueError("'" + item +
                                     "' is not NAME: " + std::string(dimension_name(d)).substr(2) +
                                     " (e.g. DRN: 2 Hz)");
                }
                const std::string name(text::trim(item.substr(0, colon)));
                if (!is_token(name))
                    throw ValueError("'" + name + "' is not a name (letters, digits and '_')");
                for (const auto& [n, x] : v.pairs) {
                    if (n == name) throw ValueError("'" + name + "' is listed twice");
                }
                const double q =
                    parse_quantity(text::trim(item.substr(colon + 1)), d, k.allow_infinite);
                check_range(k, q, d);
                v.pairs.emplace_back(name, q);
            }
            std::sort(v.pairs.begin(), v.pairs.end());
            for (const auto& [n, x] : v.pairs)
                parts.push_back(n + ": " + format_quantity(x, d));
            v.text = text::join(parts, ", ");
            break;
        }
    }
    return v;
}

}  // namespace neurochem::config

#include "core/rng.hpp"

#include <array>

namespace neurochem::rng {

namespace {
std::array<double, 64> make_log_factorial_table() {
    std::array<double, 64> t{};
    double s = 0.0;
    for (std::size_t k = 1; k < t.size(); ++k) {
        s += std::log(static_cast<double>(k));
        t[k] = s;
    }
    return t;
}
const std::array<double, 64> log_factorial_table = make_log_factorial_table();
}  // namespace

double log_factorial(std::uint64_t k) {
    if (k < log_factorial_table.size()) return log_factorial_table[k];
    // Stirling series for log Gamma(n) with n = k + 1.
    const double n = static_cast<double>(k) + 1.0;
    const double inv = 1.0 / n;
    const double inv2 = inv * inv;
    const double series =
        inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680))));
    return (n - 0.5) * std::log(n) - n + 0.5 * std::log(2.0 * M_PI) + series;
}

std::uint64_t poisson(CounterStream& s, double lambda) {
    if (lambda <= 0.0) return 0;
    if (lambda < 10.0) {
        return poisson_inversion(s.uniform_open(), lambda, std::exp(-lambda));
    }
    // W. Hoermann (1993), "The transformed rejection method for generating Poisson random
    // variables", Insurance: Mathematics and Economics 12:39-45 (algorithm PTRS).
    const double slam = std::sqrt(lambda);
    const double loglam = std::log(lambda);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        const double U = s.uniform() - 0.5;
        const double V = s.uniform_open();
        const double us = 0.5 - std::fabs(U);
        const double kd = std::floor((2.0 * a / us + b) * U + lambda + 0.43);
        if (us >= 0.07 && V <= vr) return static_cast<std::uint64_t>(kd);
        if (kd < 0.0 || (us < 0.013 && V > us)) continue;
        const auto k = static_cast<std::uint64_t>(kd);
        if (std::log(V) + std::log(invalpha) - std::log(a / (us * us) + b) <=
            -lambda + kd * loglam - log_factorial(k)) {
            return k;
        }
    }
}

}  // namespace neurochem::rng

// Event-driven exponential traces: a trace jumps by an increment at a spike and decays with
// time constant tau in between. Each neuron's trace is kept as its value just after its last
// spike and that spike's step, and is evaluated at step n by one table lookup:
//     x(n) = value * exp(-(n - last) dt / tau).
// The state changes only at the neuron's own spikes, so it does not depend on when or how often
// it was read (which differs between layouts): bitwise the same on any layout.
#pragma once

#include <cstdint>
#include <vector>

#include "util/detmath.hpp"

namespace neurochem {

/// exp(-k dt / tau) for whole steps k as the product of two tabulated factors (k mod 1024 and
/// k / 1024), so that even tau of minutes needs small tables; 0 beyond exp(-50).
class DecayTable {
public:
    DecayTable() = default;
    DecayTable(double tau_ms, double dt_ms) {
        const double a = dt_ms / tau_ms;
        const auto kmax = static_cast<std::uint64_t>(50.0 / a) + 1;
        lo_.resize(1024);
        for (std::uint64_t k = 0; k < 1024; ++k) lo_[k] = exp_det(-a * static_cast<double>(k));
        hi_.resize(kmax / 1024 + 1);
        for (std::uint64_t k = 0; k < hi_.size(); ++k) hi_[k] = exp_det(-a * 1024.0 * static_cast<double>(k));
    }
    double operator()(std::uint64_t k) const {
        const std::uint64_t h = k >> 10;
        return h < hi_.size() ? lo_[k & 1023] * hi_[h] : 0.0;
    }

private:
    std::vector<double> lo_, hi_;
};

inline constexpr std::uint64_t never = ~0ULL;

/// The traces of a set of neurons: value and step side by side, so that evaluating a trace
/// touches one cache line.
struct Traces {
    struct Entry {
        double value = 0.0;               ///< just after the last spike
        std::uint64_t last = never;       ///< step of the last spike, or `never`
    };
    std::vector<Entry> entries;

    void resize(std::size_t n) { entries.assign(n, Entry{}); }
    std::size_t size() const { return entries.size(); }
    bool empty() const { return entries.empty(); }
    /// The trace of neuron i at step n (n >= its last spike).
    double at(std::size_t i, std::uint64_t n, const DecayTable& decay) const {
        const Entry& e = entries[i];
        return e.last == never ? 0.0 : e.value * decay(n - e.last);
    }
    void spike(std::size_t i, std::uint64_t n, const DecayTable& decay, double increment = 1.0) {
        entries[i] = {at(i, n, decay) + increment, n};
    }
};

}  // namespace neurochem

// Background Poisson input onto every neuron of a population. The count of input spikes of
// neuron j in step n is Poisson(lambda), lambda = rate * sources * dt, drawn from the counter-
// based stream (seed, "poisson:NAME"): for lambda < 10 by inversion of one 32-bit word x, the
// word n mod 4 of the Philox block (j, n / 4): count = #{k : x >= T_k} with the integer
// thresholds T_k = floor(F(k) 2^32 - 1/2) + 1 of the Poisson CDF F (the same as inverting
// the uniform (x + 1/2) 2^-32); above, by Hoermann's PTRS from the stream (j, n | 2^63).
// Pure functions of (j, n): independent of threads, ranks and epochs.
#pragma once

#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

class PoissonDrive {
public:
    PoissonDrive(const PoissonSpec& spec, std::size_t port, double dt_ms, std::uint64_t seed);

    std::size_t port() const { return port_; }
    /// Sets the rate of each source from now on (a protocol changes it between windows; the
    /// counts stay pure functions of (j, n) for the rate in force).
    void set_rate(double rate_Hz);
    double rate_Hz() const { return rate_Hz_; }
    /// Adds weight * count for steps [begin, end) to local neurons [lo, hi), whose
    /// population-local indices start at `first`; rows[n - begin] is the input row of step n.
    void add(std::uint64_t first, std::size_t lo, std::size_t hi, std::uint64_t begin,
             std::uint64_t end, double* const* rows) const;
    /// The count for population-local neuron j in step n (tests).
    std::uint64_t count(std::uint64_t j, std::uint64_t n) const;
    /// Whether the drive delivers input in step n (its rate > 0, inside [start, stop) and a pulse).
    bool on(std::uint64_t n) const { return lambda_ > 0 && n >= start_step_ && n < stop_step_ && in_pulse(n); }

private:
    std::uint32_t invert(std::uint32_t x) const {
        std::uint32_t k = guide_[x >> (32 - guide_bits)];
        while (k < thresholds_.size() && x >= thresholds_[k]) ++k;
        return k;
    }
    bool in_pulse(std::uint64_t n) const { return pulse_every_ == 0 || (n - start_step_) % pulse_every_ < pulse_length_; }
    static constexpr int guide_bits = 10;
    void prepare();
    std::size_t port_;
    double weight_;
    double rate_Hz_, sources_, dt_ms_;
    double lambda_;
    std::uint64_t start_step_, stop_step_;
    std::uint64_t pulse_every_ = 0, pulse_length_ = 0;  // steps (0: not pulsed)
    rng::Philox::key_type key_;
    bool inversion_ = false;              // lambda < 10
    std::vector<std::uint32_t> thresholds_;  // T_k, increasing, those below 2^32
    std::vector<std::uint32_t> guide_;       // per top-10-bit bucket: the count at its lower end
};

}  // namespace neurochem

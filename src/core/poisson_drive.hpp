// Background Poisson input onto every neuron of a population. The count of input spikes of
// neuron j in step n is Poisson(lambda), lambda = rate * sources * dt, drawn from the counter-
// based stream (seed, "poisson:NAME"): for lambda < 10 by inversion of one 32-bit uniform, the
// word n mod 4 of the Philox block (j, n / 4); above, by Hoermann's PTRS from the stream
// (j, n | 2^63). Pure functions of (j, n): independent of threads, ranks and epochs.
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
    /// Adds weight * count for steps [begin, end) to local neurons [lo, hi), whose
    /// population-local indices start at `first`; rows[n - begin] is the input row of step n.
    void add(std::uint64_t first, std::size_t lo, std::size_t hi, std::uint64_t begin,
             std::uint64_t end, double* const* rows) const;
    /// The count for population-local neuron j in step n (tests).
    std::uint64_t count(std::uint64_t j, std::uint64_t n) const;

private:
    std::uint64_t invert(double u) const;
    std::size_t port_;
    double weight_;
    double lambda_;
    std::uint64_t start_step_, stop_step_;
    rng::Philox::key_type key_;
    std::vector<double> cdf_;  // P(count <= k), k = 0 ... until 1 - P < 1e-13 (lambda < 10)
};

}  // namespace neurochem

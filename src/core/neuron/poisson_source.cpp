#include "core/neuron/poisson_source.hpp"

#include <algorithm>
#include <cmath>

#include "util/detmath.hpp"

namespace neurochem {

namespace {
constexpr double never_step = 0x1p53;
}

PoissonSourceGroup::PoissonSourceGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed,
                                       IndexRange local, std::uint64_t first_gid)
    : NeuronGroup(spec, dt_ms, seed, local, first_gid),
      key_(rng::derive_key(seed, rng::stream_id("source:" + spec.name))),
      log_q_(log1p_det(-spec.rate_Hz * dt_ms * 1e-3)),
      next_(local.size(), never_step) {}

double PoissonSourceGroup::draw_interval(std::size_t i, std::uint64_t counter) const {
    rng::CounterStream s(key_, static_cast<std::uint32_t>(first_index_ + i), static_cast<std::uint32_t>(counter),
                         static_cast<std::uint32_t>(counter >> 32));
    // Geometric interval k >= 1 steps: P(k) = q^(k-1) p, by inversion of one uniform.
    return 1.0 + std::floor(log_det(s.uniform_open()) / log_q_);
}

double PoissonSourceGroup::draw_next(std::size_t i, std::uint64_t after) const {
    if (!(log_q_ < 0.0)) return never_step;
    const double next = static_cast<double>(after) + draw_interval(i, after);
    return next < never_step ? next : never_step;
}

void PoissonSourceGroup::initialize(std::size_t lo, std::size_t hi) {
    initialize_membrane(lo, hi);
    // The first spike, from its own counter (2^64 - 1, never a step): as if the previous one
    // had been at step -1, so that step 0 can fire.
    for (std::size_t i = lo; i < hi; ++i) {
        next_[i] = log_q_ < 0.0 ? std::min(draw_interval(i, ~0ULL) - 1.0, never_step) : never_step;
    }
}

void PoissonSourceGroup::step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
                              const Modulation&, std::vector<Spike>& spikes) {
    for (std::size_t p = 0; p < spec_.receptors.size(); ++p) {
        for (std::size_t i = lo; i < hi; ++i) input[p][i] = 0.0;
    }
    const double now = static_cast<double>(n);
    for (std::size_t i = lo; i < hi; ++i) {
        if (next_[i] == now) {
            spikes.push_back({n + 1, first_gid_ + i});
            next_[i] = draw_next(i, n);
        }
    }
}

}  // namespace neurochem

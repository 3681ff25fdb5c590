#include "core/poisson_drive.hpp"

#include <cmath>

namespace neurochem {

PoissonDrive::PoissonDrive(const PoissonSpec& s, std::size_t port, double dt_ms, std::uint64_t seed)
    : port_(port),
      weight_(s.weight),
      lambda_(s.rate_Hz * static_cast<double>(s.sources) * dt_ms * 1e-3),
      start_step_(static_cast<std::uint64_t>(std::llround(s.start_ms / dt_ms))),
      stop_step_(std::isfinite(s.stop_ms) ? static_cast<std::uint64_t>(std::llround(s.stop_ms / dt_ms)) : ~0ULL),
      key_(rng::derive_key(seed, rng::stream_id("poisson:" + s.name))) {
    if (lambda_ < 10.0) {
        double p = std::exp(-lambda_), F = p;
        cdf_.push_back(F);
        for (std::uint64_t k = 1; k < 200 && 1.0 - F > 1e-13; ++k) {
            p *= lambda_ / static_cast<double>(k);
            F += p;
            cdf_.push_back(F);
        }
    }
}

std::uint64_t PoissonDrive::invert(double u) const {
    std::uint64_t k = 0;
    while (k < cdf_.size() && u > cdf_[k]) ++k;
    return k;
}

std::uint64_t PoissonDrive::count(std::uint64_t j, std::uint64_t n) const {
    if (n < start_step_ || n >= stop_step_ || lambda_ <= 0) return 0;
    if (!cdf_.empty()) {
        const std::uint64_t b = n / 4;
        const rng::Philox::ctr_type c = {{static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(b),
                                          static_cast<std::uint32_t>(b >> 32), 0}};
        return invert(rng::u01_32(rng::Philox{}(c, key_)[n % 4]));
    }
    rng::CounterStream s(key_, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(n),
                         static_cast<std::uint32_t>(n >> 32) | 0x80000000U);
    return rng::poisson(s, lambda_);
}

void PoissonDrive::add(std::uint64_t first, std::size_t lo, std::size_t hi, std::uint64_t begin,
                       std::uint64_t end, double* const* rows) const {
    const std::uint64_t b0 = std::max(begin, start_step_), b1 = std::min(end, stop_step_);
    if (b0 >= b1 || lambda_ <= 0) return;
    if (cdf_.empty()) {
        for (std::size_t i = lo; i < hi; ++i) {
            for (std::uint64_t n = b0; n < b1; ++n) {
                rows[n - begin][i] += static_cast<double>(count(first + i, n)) * weight_;
            }
        }
        return;
    }
    // One Philox block serves four consecutive steps of a neuron.
    for (std::size_t i = lo; i < hi; ++i) {
        const auto j = static_cast<std::uint32_t>(first + i);
        for (std::uint64_t b = b0 / 4; b * 4 < b1; ++b) {
            const rng::Philox::ctr_type c = {{j, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32), 0}};
            const auto x = rng::Philox{}(c, key_);
            for (std::uint64_t w = 0; w < 4; ++w) {
                const std::uint64_t n = 4 * b + w;
                if (n < b0 || n >= b1) continue;
                const std::uint64_t k = invert(rng::u01_32(x[w]));
                if (k) rows[n - begin][i] += static_cast<double>(k) * weight_;
            }
        }
    }
}

}  // namespace neurochem

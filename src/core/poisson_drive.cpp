#include "core/poisson_drive.hpp"
#include "util/detmath.hpp"

#include <algorithm>
#include <cmath>

#include "core/philox_batch.hpp"

namespace neurochem {

PoissonDrive::PoissonDrive(const PoissonSpec& s, std::size_t port, double dt_ms, std::uint64_t seed)
    : port_(port),
      weight_(s.weight),
      rate_Hz_(s.rate_Hz),
      sources_(static_cast<double>(s.sources)),
      dt_ms_(dt_ms),
      lambda_(s.rate_Hz * sources_ * dt_ms_ * 1e-3),
      start_step_(static_cast<std::uint64_t>(std::llround(s.start_ms / dt_ms))),
      stop_step_(std::isfinite(s.stop_ms) ? static_cast<std::uint64_t>(std::llround(s.stop_ms / dt_ms)) : ~0ULL),
      key_(rng::derive_key(seed, rng::stream_id("poisson:" + s.name))) {
    if (s.pulse_every_ms > 0) {
        pulse_every_ = static_cast<std::uint64_t>(std::llround(s.pulse_every_ms / dt_ms));
        pulse_length_ = static_cast<std::uint64_t>(std::llround(s.pulse_length_ms / dt_ms));
    }
    prepare();
}

void PoissonDrive::set_rate(double rate_Hz) {
    if (rate_Hz == rate_Hz_) return;
    rate_Hz_ = rate_Hz;
    lambda_ = rate_Hz * sources_ * dt_ms_ * 1e-3;  // as in the constructor: the same bits
    prepare();
}

void PoissonDrive::prepare() {
    thresholds_.clear();
    guide_.clear();
    inversion_ = lambda_ < 10.0;
    if (inversion_) {
        // F(k) by the recursion p_k = p_{k-1} lambda / k; a threshold >= 2^32 is never reached.
        double p = exp_det(-lambda_), F = p;
        for (std::uint64_t k = 0; k < 200; ++k) {
            const double T = std::floor(F * 0x1p32 - 0.5) + 1.0;
            if (T >= 0x1p32) break;
            thresholds_.push_back(static_cast<std::uint32_t>(T));
            p *= lambda_ / static_cast<double>(k + 1);
            F += p;
        }
        guide_.resize(std::size_t{1} << guide_bits);
        std::uint32_t k = 0;
        for (std::size_t g = 0; g < guide_.size(); ++g) {
            const std::uint64_t lower = static_cast<std::uint64_t>(g) << (32 - guide_bits);
            while (k < thresholds_.size() && lower >= thresholds_[k]) ++k;
            guide_[g] = k;
        }
    }
}

std::uint64_t PoissonDrive::count(std::uint64_t j, std::uint64_t n) const {
    if (n < start_step_ || n >= stop_step_ || lambda_ <= 0 || !in_pulse(n)) return 0;
    if (inversion_) {
        const std::uint64_t b = n / 4;
        const rng::Philox::ctr_type c = {{static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(b),
                                          static_cast<std::uint32_t>(b >> 32), 0}};
        return invert(rng::Philox{}(c, key_)[n % 4]);
    }
    rng::CounterStream s(key_, static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(n),
                         static_cast<std::uint32_t>(n >> 32) | 0x80000000U);
    return rng::poisson(s, lambda_);
}

void PoissonDrive::add(std::uint64_t first, std::size_t lo, std::size_t hi, std::uint64_t begin,
                       std::uint64_t end, double* const* rows) const {
    const std::uint64_t b0 = std::max(begin, start_step_), b1 = std::min(end, stop_step_);
    if (b0 >= b1 || lambda_ <= 0) return;
    if (!inversion_) {
        for (std::size_t i = lo; i < hi; ++i) {
            for (std::uint64_t n = b0; n < b1; ++n) {
                rows[n - begin][i] += static_cast<double>(count(first + i, n)) * weight_;  // 0 between pulses
            }
        }
        return;
    }
    // One Philox block serves four consecutive steps of a neuron; blocks are generated for
    // a chunk of neurons at a time (vectorised).
    constexpr std::size_t chunk = 256;
    alignas(64) std::uint32_t x[4][chunk];
    for (std::size_t c = lo; c < hi; c += chunk) {
        const std::size_t len = std::min(chunk, hi - c);
        for (std::uint64_t b = b0 / 4; b * 4 < b1; ++b) {
            rng::philox_batch(key_, static_cast<std::uint32_t>(first + c), static_cast<std::uint32_t>(b),
                              static_cast<std::uint32_t>(b >> 32), 0, len, x[0], x[1], x[2], x[3]);
            for (std::uint64_t w = 0; w < 4; ++w) {
                const std::uint64_t n = 4 * b + w;
                if (n < b0 || n >= b1 || !in_pulse(n)) continue;
                double* row = rows[n - begin] + c;
                const std::uint32_t* xw = x[w];
                for (std::size_t i = 0; i < len; ++i) {
                    const std::uint32_t k = invert(xw[i]);
                    if (k) row[i] += static_cast<double>(k) * weight_;
                }
            }
        }
    }
}

}  // namespace neurochem

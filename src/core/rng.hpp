// Counter-based random numbers (Random123 Philox4x32-10). Nothing here has hidden state that
// depends on a thread, a rank or on what was drawn before: a draw is a pure function of
// (seed, stream, counter). That is what makes results independent of the parallel layout.
//
//   key     = PRF(seed, stream)            -- one per purpose, e.g. stream_id("connect:E->I")
//   counter = (index, a, b, block)         -- e.g. (target neuron, step low, step high, block)
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <string_view>

#include "util/detmath.hpp"

namespace neurochem::rng {

using Philox = r123::Philox4x32;  // 10 rounds
__extension__ using uint128 = unsigned __int128;

/// 64-bit FNV-1a hash of a name: a stable stream id (never depends on the order of sections).
constexpr std::uint64_t stream_id(std::string_view name) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

/// The Philox key of (seed, stream): Philox itself used as a keyed hash.
inline Philox::key_type derive_key(std::uint64_t seed, std::uint64_t stream) {
    Philox::key_type k = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    Philox::ctr_type c = {{static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32),
                           0x6e63686dU, 0x6b657973U}};
    const auto r = Philox{}(c, k);
    return {{r[0], r[1]}};
}

/// 32 random bits -> uniform double in (0, 1), never 0 or 1 (resolution 2^-32).
inline double u01_32(std::uint32_t x) { return (static_cast<double>(x) + 0.5) * 0x1p-32; }

/// 64 random bits -> uniform double in [0, 1) with 53 bits.
inline double u01_53(std::uint64_t x) { return static_cast<double>(x >> 11) * 0x1p-53; }

/// A sequence of 32-bit words defined by (key, index, a, b): block j is Philox(key,
/// (index, a, b, j)). Used where a variable number of draws is needed (connectivity,
/// initial values, rejection sampling).
class CounterStream {
public:
    CounterStream(const Philox::key_type& key, std::uint32_t index, std::uint32_t a = 0,
                  std::uint32_t b = 0)
        : key_(key), ctr_{{index, a, b, 0}} {}

    std::uint32_t next_u32() {
        if (pos_ == 4) refill();
        return buf_[pos_++];
    }
    std::uint64_t next_u64() {
        const std::uint64_t lo = next_u32();
        return lo | (static_cast<std::uint64_t>(next_u32()) << 32);
    }
    /// Uniform in [0, 1) with 53 random bits.
    double uniform() { return u01_53(next_u64()); }
    /// Uniform in (0, 1): safe for log().
    double uniform_open() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1p-53; }
    /// Uniform integer in [0, n) by 64-bit multiply-high (bias below n / 2^64).
    std::uint64_t below(std::uint64_t n) {
        return static_cast<std::uint64_t>((static_cast<uint128>(next_u64()) * n) >> 64);
    }
    /// Standard normal by the Box-Muller transform (both values of a pair are used).
    double normal() {
        if (have_spare_) {
            have_spare_ = false;
            return spare_;
        }
        const double r = std::sqrt(-2.0 * log_det(uniform_open()));  // sqrt is exact IEEE
        double s, c;
        sincos_2pi_det(uniform(), s, c);
        spare_ = r * s;
        have_spare_ = true;
        return r * c;
    }

private:
    void refill() {
        buf_ = Philox{}(ctr_, key_);
        ++ctr_[3];
        pos_ = 0;
    }
    Philox::key_type key_;
    Philox::ctr_type ctr_;
    Philox::ctr_type buf_{};
    int pos_ = 4;
    bool have_spare_ = false;
    double spare_ = 0.0;
};

/// log(k!) for k >= 0: exact sum of logs below 64, Stirling series above (error < 1e-15).
double log_factorial(std::uint64_t k);

/// Poisson variate with mean lambda from the stream (inversion below 10, Hoermann's PTRS
/// transformed rejection at and above 10).
std::uint64_t poisson(CounterStream& s, double lambda);

/// Binomial variate B(n, p) from the stream: inversion when min(p, 1-p) (n + 1) < 11, else
/// Hoermann's BTRD transformed rejection. Hand-written (not Boost's) so that results never
/// change with a library version.
std::uint64_t binomial(CounterStream& s, std::uint64_t n, double p);

/// Poisson variate by inversion of a single uniform u in (0, 1); for lambda < 10.
inline std::uint64_t poisson_inversion(double u, double lambda, double exp_minus_lambda) {
    std::uint64_t k = 0;
    double p = exp_minus_lambda;
    double F = p;
    while (u > F && k < 1000) {
        ++k;
        p *= lambda / static_cast<double>(k);
        F += p;
    }
    return k;
}

}  // namespace neurochem::rng

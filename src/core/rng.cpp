#include "core/rng.hpp"

#include "core/philox_batch.hpp"
#include "core/simd.hpp"

#include <array>

namespace neurochem::rng {

namespace {
std::array<double, 64> make_log_factorial_table() {
    std::array<double, 64> t{};
    double s = 0.0;
    for (std::size_t k = 1; k < t.size(); ++k) {
        s += log_det(static_cast<double>(k));
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
    return (n - 0.5) * log_det(n) - n + 0.5 * log_det(2.0 * M_PI) + series;
}

std::uint64_t poisson(CounterStream& s, double lambda) {
    if (lambda <= 0.0) return 0;
    if (lambda < 10.0) {
        return poisson_inversion(s.uniform_open(), lambda, exp_det(-lambda));
    }
    // W. Hoermann (1993), "The transformed rejection method for generating Poisson random
    // variables", Insurance: Mathematics and Economics 12:39-45 (algorithm PTRS).
    const double slam = std::sqrt(lambda);
    const double loglam = log_det(lambda);
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
        if (log_det(V) + log_det(invalpha) - log_det(a / (us * us) + b) <=
            -lambda + kd * loglam - log_factorial(k)) {
            return k;
        }
    }
}

namespace {
// fc(k) = log k! - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi)/2], the Stirling correction.
double stirling_correction(std::uint64_t k) {
    static const double table[10] = {0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
                                     0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
                                     0.01189670994589177, 0.01041126526197209, 0.009255462182712733,
                                     0.008330563433362871};
    if (k < 10) return table[k];
    const double i = 1.0 / (static_cast<double>(k) + 1.0), i2 = i * i;
    return (1.0 / 12 - (1.0 / 360 - i2 / 1260) * i2) * i;
}

std::uint64_t binomial_inversion(CounterStream& s, std::uint64_t n, double p) {
    const double q = 1.0 - p, r = p / q, a = (static_cast<double>(n) + 1.0) * r;
    double f = pow_det(q, static_cast<double>(n));  // P(0)
    double u = s.uniform_open();
    std::uint64_t k = 0;
    while (u > f && k < n) {
        u -= f;
        ++k;
        f *= a / static_cast<double>(k) - r;
        if (f < 1e-300) break;  // the tail beyond is below double resolution
    }
    return k;
}

// W. Hoermann (1993), "The generation of binomial random variates", J Stat Comput Simul
// 46:101-110, algorithm BTRD (for p <= 1/2 and (n + 1) p >= 11).
std::uint64_t binomial_btrd(CounterStream& s, std::uint64_t n, double p) {
    const double nd = static_cast<double>(n);
    const auto m = static_cast<std::uint64_t>((nd + 1.0) * p);
    const double md = static_cast<double>(m);
    const double r = p / (1.0 - p), nr = (nd + 1.0) * r, npq = nd * p * (1.0 - p);
    const double sq = std::sqrt(npq);
    const double b = 1.15 + 2.53 * sq, a = -0.0873 + 0.0248 * b + 0.01 * p, c = nd * p + 0.5;
    const double alpha = (2.83 + 5.1 / b) * sq, vr = 0.92 - 4.2 / b, urvr = 0.86 * vr;
    for (;;) {
        double v = s.uniform();
        double u;
        if (v <= urvr) {
            u = v / vr - 0.43;
            return static_cast<std::uint64_t>(std::floor((2.0 * a / (0.5 - std::fabs(u)) + b) * u + c));
        }
        if (v >= vr) {
            u = s.uniform() - 0.5;
        } else {
            u = v / vr - 0.93;
            u = (u < 0 ? -0.5 : 0.5) - u;
            v = s.uniform() * vr;
        }
        const double us = 0.5 - std::fabs(u);
        const double kd = std::floor((2.0 * a / us + b) * u + c);
        if (kd < 0.0 || kd > nd) continue;
        const auto k = static_cast<std::uint64_t>(kd);
        v = v * alpha / (a / (us * us) + b);
        const double km = std::fabs(kd - md);
        if (km <= 15) {
            // f(k) / f(m) by the recursion f(i) / f(i - 1) = nr / i - r.
            double f = 1.0;
            if (m < k) {
                for (std::uint64_t i = m + 1; i <= k; ++i) f *= nr / static_cast<double>(i) - r;
            } else {
                for (std::uint64_t i = k + 1; i <= m; ++i) v *= nr / static_cast<double>(i) - r;
            }
            if (v <= f) return k;
            continue;
        }
        v = log_det(v);
        const double rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6) / npq + 0.5);
        const double t = -km * km / (2.0 * npq);
        if (v < t - rho) return k;
        if (v > t + rho) continue;
        const double nm = nd - md + 1.0, nk = nd - kd + 1.0;
        const double h = (md + 0.5) * log_det((md + 1.0) / (r * nm)) + stirling_correction(m) +
                         stirling_correction(n - m);
        if (v <= h + (nd + 1.0) * log_det(nm / nk) + (kd + 0.5) * log_det(nk * r / (kd + 1.0)) -
                     stirling_correction(k) - stirling_correction(n - k)) {
            return k;
        }
    }
}
}  // namespace

std::uint64_t binomial(CounterStream& s, std::uint64_t n, double p) {
    if (n == 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    if (p > 0.5) return n - binomial(s, n, 1.0 - p);
    if ((static_cast<double>(n) + 1.0) * p < 11.0) return binomial_inversion(s, n, p);
    return binomial_btrd(s, n, p);
}

namespace {
// Ten Philox4x32 rounds on `count` lanes held in four word arrays (Random123's round and key
// schedule). Always inlined, so that it is compiled for the vector unit of each clone.
[[gnu::always_inline]] inline void philox_rounds(const Philox::key_type& key, std::size_t count,
                                                 std::uint32_t* __restrict x0, std::uint32_t* __restrict x1,
                                                 std::uint32_t* __restrict x2, std::uint32_t* __restrict x3) {
    constexpr std::uint64_t M0 = 0xD2511F53U, M1 = 0xCD9E8D57U;
    std::uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; ++round) {
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint64_t p0 = M0 * x0[i];
            const std::uint64_t p1 = M1 * x2[i];
            const auto n0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1[i] ^ k0;
            const auto n2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3[i] ^ k1;
            x1[i] = static_cast<std::uint32_t>(p1);
            x3[i] = static_cast<std::uint32_t>(p0);
            x0[i] = n0;
            x2[i] = n2;
        }
        k0 += 0x9E3779B9U;
        k1 += 0xBB67AE85U;
    }
}
}  // namespace

NEUROCHEM_KERNEL
void philox_batch(const Philox::key_type& key, std::uint32_t first, std::uint32_t c1, std::uint32_t c2,
                  std::uint32_t c3, std::size_t count, std::uint32_t* __restrict x0, std::uint32_t* __restrict x1,
                  std::uint32_t* __restrict x2, std::uint32_t* __restrict x3) {
    for (std::size_t i = 0; i < count; ++i) {
        x0[i] = first + static_cast<std::uint32_t>(i);
        x1[i] = c1;
        x2[i] = c2;
        x3[i] = c3;
    }
    philox_rounds(key, count, x0, x1, x2, x3);
}

NEUROCHEM_KERNEL
void philox_blocks(const Philox::key_type& key, std::uint32_t c0, std::uint32_t c1, std::uint32_t c2,
                   std::uint32_t first_block, std::size_t count, std::uint32_t* __restrict x0,
                   std::uint32_t* __restrict x1, std::uint32_t* __restrict x2, std::uint32_t* __restrict x3) {
    for (std::size_t i = 0; i < count; ++i) {
        x0[i] = c0;
        x1[i] = c1;
        x2[i] = c2;
        x3[i] = first_block + static_cast<std::uint32_t>(i);
    }
    philox_rounds(key, count, x0, x1, x2, x3);
}

}  // namespace neurochem::rng

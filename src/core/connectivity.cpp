#include "core/connectivity.hpp"

#include <algorithm>
#include <cmath>

#include "core/sample.hpp"

namespace neurochem {

ConnectionSampler::ConnectionSampler(const ProjectionSpec& proj, const PopulationSpec& pre,
                                     const PopulationSpec& post, std::uint64_t seed,
                                     double dt_ms)
    : proj_(proj),
      n_pre_(pre.size),
      exclude_self_(pre.name == post.name && !proj.autapses),
      dt_ms_(dt_ms),
      key_(rng::derive_key(seed, rng::stream_id("connect:" + proj.name))) {}

std::uint32_t ConnectionSampler::delay_steps(double delay_ms) const {
    const long long d = std::llround(delay_ms / dt_ms_);
    return static_cast<std::uint32_t>(std::clamp<long long>(d, 1, 0xffffffffLL));
}

std::uint32_t ConnectionSampler::min_delay_steps() const {
    const auto& d = proj_.delay_ms;
    switch (d.kind) {
        case Distribution::Kind::constant:
        case Distribution::Kind::uniform: return delay_steps(d.p1);
        case Distribution::Kind::normal:
        case Distribution::Kind::lognormal:
            return std::isfinite(d.min) ? delay_steps(d.min) : 1;
    }
    return 1;
}

void ConnectionSampler::sources(std::uint64_t j, std::vector<std::uint32_t>& out,
                                Scratch& scratch) const {
    out.clear();
    rng::CounterStream s(key_, static_cast<std::uint32_t>(j), sub_sources);
    // Candidates are [0, n) with the target itself skipped when autapses are excluded.
    const std::uint64_t n = n_pre_ - (exclude_self_ ? 1 : 0);
    auto candidate = [&](std::uint64_t c) {
        return static_cast<std::uint32_t>((exclude_self_ && c >= j) ? c + 1 : c);
    };
    switch (proj_.rule) {
        case ConnectionRule::fixed_indegree: {
            const std::uint64_t K = proj_.indegree;
            if (K == 0 || n == 0) break;
            if (proj_.multapses) {
                for (std::uint64_t k = 0; k < K; ++k) out.push_back(candidate(s.below(n)));
            } else {
                // Floyd's algorithm: exactly K draws give K distinct values of [0, n).
                auto& seen = scratch.seen;
                if (seen.size() < (n + 63) / 64) seen.assign((n + 63) / 64, 0);
                for (std::uint64_t m = n - K; m < n; ++m) {
                    std::uint64_t t = s.below(m + 1);
                    if (seen[t >> 6] >> (t & 63) & 1ULL) t = m;
                    seen[t >> 6] |= 1ULL << (t & 63);
                    out.push_back(static_cast<std::uint32_t>(t));
                }
                for (auto t : out) seen[t >> 6] &= ~(1ULL << (t & 63));
                for (auto& t : out) t = candidate(t);
            }
            std::sort(out.begin(), out.end());
            break;
        }
        case ConnectionRule::pairwise_bernoulli: {
            const double p = proj_.probability;
            if (p <= 0.0 || n == 0) break;
            if (p >= 1.0) {
                for (std::uint64_t c = 0; c < n; ++c) out.push_back(candidate(c));
                break;
            }
            // Geometric skipping: the gap to the next chosen candidate is Geometric(p),
            // so the cost is O(sources chosen), not O(n).
            const double inv_log_q = 1.0 / std::log1p(-p);
            std::uint64_t c = 0;
            for (;;) {
                const double gap = std::floor(std::log(s.uniform_open()) * inv_log_q);
                if (gap >= static_cast<double>(n - c)) break;
                c += static_cast<std::uint64_t>(gap);
                out.push_back(candidate(c));
                if (++c >= n) break;
            }
            break;
        }
        case ConnectionRule::one_to_one:
            out.push_back(static_cast<std::uint32_t>(j));
            break;
        case ConnectionRule::all_to_all:
            for (std::uint64_t c = 0; c < n; ++c) out.push_back(candidate(c));
            break;
    }
}

void ConnectionSampler::weights(std::uint64_t j, std::size_t count,
                                std::vector<double>& out) const {
    out.resize(count);
    if (proj_.weight.is_constant()) {
        std::fill(out.begin(), out.end(), proj_.weight.p1);
        return;
    }
    rng::CounterStream s(key_, static_cast<std::uint32_t>(j), sub_weights);
    for (auto& w : out) w = sample(proj_.weight, s, "weight");
}

void ConnectionSampler::delays(std::uint64_t j, std::size_t count,
                               std::vector<std::uint32_t>& out) const {
    out.resize(count);
    if (proj_.delay_ms.is_constant()) {
        std::fill(out.begin(), out.end(), delay_steps(proj_.delay_ms.p1));
        return;
    }
    rng::CounterStream s(key_, static_cast<std::uint32_t>(j), sub_delays);
    for (auto& d : out) d = delay_steps(sample(proj_.delay_ms, s, "delay"));
}

}  // namespace neurochem

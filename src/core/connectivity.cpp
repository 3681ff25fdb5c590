#include "core/connectivity.hpp"
#include "util/detmath.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "core/philox_batch.hpp"
#include "core/sample.hpp"

namespace neurochem {

namespace {
// Sorts values below `bound` ascending: LSD radix sort with 8-bit digits (as many passes as
// the bound needs) for long lists, std::sort for short ones. The same result either way.
void sort_indices(std::vector<std::uint32_t>& v, std::vector<std::uint32_t>& buffer, std::uint64_t bound) {
    if (v.size() < 128) {
        std::sort(v.begin(), v.end());
        return;
    }
    const int bits = std::bit_width(bound > 0 ? bound - 1 : 0);
    buffer.resize(v.size());
    for (int shift = 0; shift < bits; shift += 8) {
        std::size_t start[257] = {};
        for (const auto x : v) ++start[((x >> shift) & 255U) + 1];
        for (int d = 0; d < 256; ++d) start[d + 1] += start[d];
        for (const auto x : v) buffer[start[(x >> shift) & 255U]++] = x;
        v.swap(buffer);
    }
}
}  // namespace

ConnectionSampler::ConnectionSampler(const ProjectionSpec& proj, const PopulationSpec& pre,
                                     const PopulationSpec& post, std::uint64_t seed,
                                     double dt_ms)
    : proj_(proj),
      n_pre_(pre.size),
      n_post_(post.size),
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
        case ConnectionRule::fixed_indegree:
        case ConnectionRule::fixed_total_number: {
            const std::uint64_t K = proj_.rule == ConnectionRule::fixed_indegree ? proj_.indegree : indegree(j);
            if (K == 0 || n == 0) break;
            if (proj_.multapses || proj_.rule == ConnectionRule::fixed_total_number) {
                // K draws s.below(n), generated as whole Philox blocks at once (two 64-bit
                // draws per block, in the order the stream would give them).
                const std::size_t blocks = (K + 1) / 2;
                auto& w = scratch.words;
                w.resize(4 * blocks);
                rng::philox_blocks(key_, static_cast<std::uint32_t>(j), sub_sources, 0, 0, blocks, w.data(),
                                   w.data() + blocks, w.data() + 2 * blocks, w.data() + 3 * blocks);
                out.resize(K);
                for (std::uint64_t k = 0; k < K; ++k) {
                    const std::size_t b = k / 2, lo = (k % 2) * 2 * blocks;
                    const std::uint64_t x = w[lo + b] | static_cast<std::uint64_t>(w[lo + blocks + b]) << 32;
                    out[k] = candidate(static_cast<std::uint64_t>((static_cast<rng::uint128>(x) * n) >> 64));
                }
                sort_indices(out, scratch.sort_buffer, n_pre_);
                break;
            }
            // Floyd's algorithm: exactly K draws give K distinct values of [0, n), marked in
            // a bitmap; they are read back in ascending order by scanning the bitmap when
            // that is cheaper than sorting them (the result is the same either way).
            auto& seen = scratch.seen;
            const std::uint64_t words = (n + 63) / 64;
            if (seen.size() < words) seen.assign(words, 0);
            for (std::uint64_t m = n - K; m < n; ++m) {
                std::uint64_t t = s.below(m + 1);
                if (seen[t >> 6] >> (t & 63) & 1ULL) t = m;
                seen[t >> 6] |= 1ULL << (t & 63);
                out.push_back(static_cast<std::uint32_t>(t));
            }
            if (words <= 4 * K) {
                std::size_t i = 0;
                for (std::uint64_t w = 0; w < words; ++w) {
                    for (std::uint64_t bits = seen[w]; bits; bits &= bits - 1) {
                        out[i++] = static_cast<std::uint32_t>(64 * w + static_cast<std::uint64_t>(std::countr_zero(bits)));
                    }
                    seen[w] = 0;
                }
            } else {
                for (auto t : out) seen[t >> 6] &= ~(1ULL << (t & 63));
                sort_indices(out, scratch.sort_buffer, n);
            }
            for (auto& t : out) t = candidate(t);
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
            const double inv_log_q = 1.0 / log1p_det(-p);
            std::uint64_t c = 0;
            for (;;) {
                const double gap = std::floor(log_det(s.uniform_open()) * inv_log_q);
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

std::uint64_t ConnectionSampler::indegree(std::uint64_t j) const {
    if (proj_.rule == ConnectionRule::fixed_indegree) return proj_.indegree;
    // fixed_total_number: the in-degrees are Multinomial(total; 1/N_post each), drawn as a
    // binary tree of conditional binomials: node [lo, hi) holding n synapses gives its left
    // half [lo, mid) Binomial(n, (mid - lo)/(hi - lo)) of them, from the stream of the node.
    // A target's in-degree is the leaf reached from the root: O(log N_post) draws, the same
    // on every process.
    std::uint64_t lo = 0, hi = n_post_, n = proj_.total_synapses;
    while (hi - lo > 1 && n > 0) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        rng::CounterStream s(key_, static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi), sub_total);
        const std::uint64_t left =
            rng::binomial(s, n, static_cast<double>(mid - lo) / static_cast<double>(hi - lo));
        if (j < mid) {
            hi = mid;
            n = left;
        } else {
            lo = mid;
            n -= left;
        }
    }
    return n;
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

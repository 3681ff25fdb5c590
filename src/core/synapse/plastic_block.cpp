#include "core/synapse/plastic_block.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>

#include "core/input_ring.hpp"
#include "neurochem/errors.hpp"
#include "util/detmath.hpp"

namespace neurochem {

PlasticBlock::PlasticBlock(const ConnectionSampler& sampler, std::uint64_t n_pre,
                           IndexRange targets, const PlasticitySpec& rule, double dt_ms,
                           ConnectionSampler::Scratch& scratch)
    : rule_(rule), dt_ms_(dt_ms), a_plus_(rule.A_plus), a3_plus_(rule.A3_plus) {
    std::vector<std::uint32_t> src, delays;
    std::vector<double> weights;

    // Pass 1: synapses per source; the delay range.
    std::vector<std::uint64_t> count(n_pre + 1, 0);
    std::uint32_t dmin = std::numeric_limits<std::uint32_t>::max(), dmax = 0;
    std::uint64_t total = 0;
    for (std::uint64_t j = targets.begin; j < targets.end; ++j) {
        sampler.sources(j, src, scratch);
        for (auto s : src)
            ++count[s];
        total += src.size();
        sampler.delays(j, src.size(), delays);
        for (auto d : delays) {
            dmin = std::min(dmin, d);
            dmax = std::max(dmax, d);
        }
    }
    if (total == 0) dmin = dmax = sampler.min_delay_steps();
    if (total >= (1ULL << 32)) {
        throw input_error(
            "a plastic projection has " + std::to_string(total) +
            " synapses onto one thread's neurons; at most 2^32 - 1: use more threads or ranks.");
    }
    delay_base_ = dmin;
    max_delay_ = dmax;
    delay_bits_ = static_cast<std::uint32_t>(std::bit_width(dmax - dmin));
    if (delay_bits_ > 31 ||
        (targets.size() > 0 && std::bit_width(targets.size() - 1) + delay_bits_ > 32)) {
        throw input_error("too many target neurons per thread (" + std::to_string(targets.size()) +
                          ") for the delay range of " + std::to_string(dmax - dmin + 1) +
                          " steps to fit a 32-bit synapse; use more threads or MPI ranks.");
    }
    std::uint64_t present = 0;
    for (std::uint64_t s = 0; s < n_pre; ++s)
        present += count[s] > 0;
    dense_ = 2 * present >= n_pre;
    if (dense_) {
        row_ptr_.assign(n_pre + 1, 0);
        for (std::uint64_t s = 0; s < n_pre; ++s)
            row_ptr_[s + 1] = row_ptr_[s] + count[s];
    } else {
        row_ptr_.push_back(0);
        for (std::uint64_t s = 0; s < n_pre; ++s) {
            if (count[s] == 0) continue;
            sources_.push_back(static_cast<std::uint32_t>(s));
            row_ptr_.push_back(row_ptr_.back() + count[s]);
        }
    }
    {
        std::uint64_t acc = 0;
        for (std::uint64_t s = 0; s < n_pre; ++s) {
            const std::uint64_t c = count[s];
            count[s] = acc;
            acc += c;
        }
    }

    // Pass 2: place each synapse; rows are ordered by target, then by the order of the draw.
    packed_.resize(total);
    if (rule.double_weights) {
        w64_.resize(total);
    } else {
        w32_.resize(total);
    }
    if (rule.rule == PlasticityRule::three_factor) elig_.assign(total, 0.0f);
    const std::uint64_t T = targets.size();
    std::vector<std::uint64_t> incoming(T + 1, 0);
    for (std::uint64_t j = targets.begin; j < targets.end; ++j) {
        sampler.sources(j, src, scratch);
        if (src.empty()) continue;
        sampler.weights(j, src.size(), weights);
        sampler.delays(j, src.size(), delays);
        const auto t = static_cast<std::uint32_t>(j - targets.begin);
        incoming[t + 1] = src.size();
        for (std::size_t k = 0; k < src.size(); ++k) {
            const std::uint64_t pos = count[src[k]]++;
            packed_[pos] = (t << delay_bits_) | (delays[k] - delay_base_);
            set_weight(pos, clip(weights[k]));
        }
    }
    // Forgetting relaxes toward the initial weights (as stored: float or double); with
    // consolidation they follow the weights (then they are state: see Plasticity).
    if (rule.forgets()) {
        w0_.resize(total);
        for (std::uint64_t k = 0; k < total; ++k)
            w0_[k] = weight(k);
    }
    if (rule.has_early_stage()) {
        early_.assign(total, 0.0);
        w_prev_.resize(total);
        for (std::uint64_t k = 0; k < total; ++k)
            w_prev_[k] = weight(k);
    }

    // The transposed index: walking the rows in source order lists each target's synapses in
    // (source, draw) order, the canonical order of the weights.
    post_ptr_.assign(T + 1, 0);
    for (std::uint64_t t = 0; t < T; ++t)
        post_ptr_[t + 1] = post_ptr_[t] + incoming[t + 1];
    post_pos_.resize(total);
    std::vector<std::uint64_t> fill(post_ptr_.begin(), post_ptr_.end() - 1);
    for (std::uint64_t k = 0; k < total; ++k) {
        const std::uint32_t t = packed_[k] >> delay_bits_;
        post_pos_[fill[t]++] = static_cast<std::uint32_t>(k);
    }
    // Row of the first position of every 2^bucket_shift positions, the bucket about half an
    // average row long: the lookup then stays in cache and scans at most a row or two.
    const std::uint64_t rows = row_ptr_.size() - 1;
    const std::uint64_t avg = rows ? total / rows : 1;
    bucket_shift_ =
        static_cast<std::uint32_t>(std::bit_width(std::max<std::uint64_t>(16, avg / 2)) - 1);
    bucket_.resize((total >> bucket_shift_) + 1);
    std::uint64_t row = 0;
    for (std::uint64_t b = 0; b < bucket_.size(); ++b) {
        const std::uint64_t pos = b << bucket_shift_;
        while (row + 1 < rows && row_ptr_[row + 1] <= pos)
            ++row;
        bucket_[b] = static_cast<std::uint32_t>(row);
    }

    // Traces.
    if (rule.rule != PlasticityRule::none) {
        decay_plus_ = DecayTable(rule.tau_plus_ms, dt_ms);
        decay_minus_ = DecayTable(rule.tau_minus_ms, dt_ms);
        x_.resize(n_pre);
        y_.resize(T);
    }
    if (rule.rule == PlasticityRule::stdp_triplet) {
        decay_y_ = DecayTable(rule.tau_y_ms, dt_ms);
        y2_.resize(T);
        if (rule.sliding_threshold) {
            decay_hom_ = DecayTable(rule.tau_hom_ms, dt_ms);
            hom_.resize(T);
            // The rate estimate starts at the target rate (as Auryn's set_hom_trace).
            std::fill(hom_.entries.begin(), hom_.entries.end(),
                      Traces::Entry{rule.kappa_Hz * rule.tau_hom_ms * 1e-3, 0});
            const double tp = rule.tau_plus_ms * 1e-3, tm = rule.tau_minus_ms * 1e-3,
                         ty = rule.tau_y_ms * 1e-3, th = rule.tau_hom_ms * 1e-3;
            hom_factor_ = rule.A3_plus * tp * ty / (tm * rule.kappa_Hz * th * th);
        }
    }
    if (rule.rule == PlasticityRule::three_factor)
        decay_e_ = DecayTable(rule.tau_eligibility_ms, dt_ms);
    if (rule.scaling) {
        decay_rate_ = DecayTable(rule.scaling_rate_tau_ms, dt_ms);
        rate_.resize(T);
    }
}

std::size_t PlasticBlock::memory_bytes() const {
    auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    std::size_t n = bytes(sources_) + bytes(row_ptr_) + bytes(packed_) + bytes(w32_) + bytes(w64_) +
                    bytes(elig_) + bytes(w0_) + bytes(early_) + bytes(w_prev_) + bytes(post_ptr_) +
                    bytes(post_pos_) + bytes(bucket_);
    for (const Traces* t : {&x_, &y_, &y2_, &hom_, &rate_})
        n += bytes(t->entries);
    return n;
}

std::uint32_t PlasticBlock::source_of(std::uint64_t pos) const {
    std::uint64_t row = bucket_[pos >> bucket_shift_];
    while (row_ptr_[row + 1] <= pos)
        ++row;
    return dense_ ? static_cast<std::uint32_t>(row) : sources_[row];
}

double PlasticBlock::depression_factor(double w) const {
    if (rule_.mu == 0.0) return 1.0;
    const double r = w / rule_.w_max;
    if (rule_.mu == 1.0) return r;
    return r > 0 ? pow_det(r, rule_.mu) : 0.0;
}

double PlasticBlock::potentiation_factor(double w) const {
    if (rule_.mu == 0.0) return 1.0;
    const double r = 1.0 - w / rule_.w_max;
    if (rule_.mu == 1.0) return r;
    return r > 0 ? pow_det(r, rule_.mu) : 0.0;
}

std::uint64_t PlasticBlock::pre_event(std::uint32_t src, std::uint64_t n, InputRing& ring,
                                      std::size_t port, std::size_t offset) {
    std::uint64_t b = 0, e = 0;
    if (dense_) {
        if (src + 1 < row_ptr_.size()) {
            b = row_ptr_[src];
            e = row_ptr_[src + 1];
        }
    } else {
        const auto it = std::lower_bound(sources_.begin(), sources_.end(), src);
        if (it == sources_.end() || *it != src) return 0;
        const auto r = static_cast<std::size_t>(it - sources_.begin());
        b = row_ptr_[r];
        e = row_ptr_[r + 1];
    }
    if (b == e) return 0;
    const auto mask = static_cast<std::uint32_t>((1ULL << delay_bits_) - 1);
    const PlasticityRule r = rule_.rule;
    for (std::uint64_t k = b; k < e; ++k) {
        const std::uint32_t p = packed_[k];
        const std::uint32_t t = p >> delay_bits_;
        const double w = weight(k);
        ring.row(n + delay_base_ + (p & mask), port)[offset + t] += w;
        switch (r) {
            case PlasticityRule::stdp_pair: {
                const double y = y_.at(t, n, decay_minus_);
                if (y != 0.0) set_weight(k, clip(w - rule_.A_minus * depression_factor(w) * y));
                break;
            }
            case PlasticityRule::stdp_triplet: {
                const double y = y_.at(t, n, decay_minus_);
                if (y == 0.0) break;
                double a2 = rule_.A_minus;
                if (rule_.sliding_threshold) {
                    const double h = hom_.at(t, n, decay_hom_);
                    a2 = hom_factor_ * h * h;
                }
                set_weight(k, clip(w - a2 * y));
                break;
            }
            case PlasticityRule::three_factor:
                elig_[k] -= static_cast<float>(rule_.A_minus * y_.at(t, n, decay_minus_));
                break;
            case PlasticityRule::none:
                break;
        }
    }
    return e - b;
}

void PlasticBlock::post_event(std::uint32_t t, std::uint64_t n) {
    const PlasticityRule r = rule_.rule;
    if (r == PlasticityRule::none) return;
    const double y2 =
        r == PlasticityRule::stdp_triplet ? y2_.at(t, n, decay_y_) : 0.0;  // before this spike
    const std::uint64_t end = post_ptr_[t + 1];
    constexpr std::uint64_t ahead = 16;  // the weights and row buckets are far apart in memory
    for (std::uint64_t i = post_ptr_[t]; i < end; ++i) {
        if (i + ahead < end) {
            const std::uint32_t kf = post_pos_[i + ahead];
            __builtin_prefetch(w32_.empty() ? static_cast<const void*>(&w64_[kf])
                                            : static_cast<const void*>(&w32_[kf]),
                               1);
            __builtin_prefetch(&bucket_[kf >> bucket_shift_]);
        }
        const std::uint32_t k = post_pos_[i];
        const double x = x_.at(source_of(k), n, decay_plus_);
        if (x == 0.0) continue;
        switch (r) {
            case PlasticityRule::stdp_pair: {
                const double w = weight(k);
                set_weight(k, clip(w + rule_.A_plus * potentiation_factor(w) * x));
                break;
            }
            case PlasticityRule::stdp_triplet:
                set_weight(k, clip(weight(k) + x * (rule_.A_plus + rule_.A3_plus * y2)));
                break;
            case PlasticityRule::three_factor:
                elig_[k] += static_cast<float>(rule_.A_plus * x);
                break;
            case PlasticityRule::none:
                break;
        }
    }
}

void PlasticBlock::post_spike(std::uint32_t t, std::uint64_t n) {
    if (!y_.empty()) y_.spike(t, n, decay_minus_);
    if (!y2_.empty()) y2_.spike(t, n, decay_y_);
    if (!hom_.empty()) hom_.spike(t, n, decay_hom_);
    if (!rate_.empty()) rate_.spike(t, n, decay_rate_);
}

void PlasticBlock::consolidate(double modulation, std::uint64_t steps) {
    if (elig_.empty()) return;
    const double tau_s = rule_.tau_eligibility_ms * 1e-3;
    const double q = decay_e_(steps);
    const double gain = rule_.learning_rate_per_uM_s * modulation * tau_s * (1.0 - q);
    for (std::uint64_t k = 0; k < elig_.size(); ++k) {
        const double e = elig_[k];
        if (gain != 0.0 && e != 0.0) set_weight(k, clip(weight(k) + gain * e));
        elig_[k] = static_cast<float>(e * q);
    }
}

void PlasticBlock::scale(std::uint64_t n, std::uint64_t interval_steps) {
    if (rate_.empty()) return;
    const double interval_s = static_cast<double>(interval_steps) * dt_ms_ * 1e-3;
    const double k = interval_s / (rule_.scaling_target_Hz * rule_.tau_scaling_ms * 1e-3);
    for (std::uint64_t t = 0; t + 1 < post_ptr_.size(); ++t) {
        const double r = rate_.at(t, n, decay_rate_) / (rule_.scaling_rate_tau_ms * 1e-3);
        const double f = exp_det(k * (rule_.scaling_target_Hz - r));
        for (std::uint64_t i = post_ptr_[t]; i < post_ptr_[t + 1]; ++i) {
            const std::uint32_t pos = post_pos_[i];
            set_weight(pos, clip(weight(pos) * f));
        }
    }
}

void PlasticBlock::relax(double q, double c, double capture, double q_early) {
    // Forgetting and consolidation of synapse k's weight w: the labile change u = w - w0 keeps
    // q of itself, c of what it loses moves into w0 (a convex mix, within the bounds).
    auto forget = [this, q, c](std::uint64_t k, double w) {
        const double u = w - w0_[k];
        const double kept = u * q;
        if (c > 0) w0_[k] += c * (u - kept);
        return w0_[k] + kept;
    };
    if (early_.empty()) {
        for (std::uint64_t k = 0; k < w0_.size(); ++k)
            set_weight(k, clip(forget(k, weight(k))));
        return;
    }
    const bool forgets = !w0_.empty();
    for (std::uint64_t k = 0; k < early_.size(); ++k) {
        const double w = weight(k);
        // The uncaptured part of the change since the last slow step joins the early change.
        const double e =
            capture == 1.0 ? early_[k] : early_[k] + (1.0 - capture) * (w - w_prev_[k]);
        // The early change never exceeds what lies between the weight and its bounds, so the rest
        // of the weight stays in [w_min, w_max] (and w0 with it; nothing is created by a clip).
        const double e_in = std::clamp(e, w - rule_.w_max, w - rule_.w_min);
        // What forgetting and consolidation act on: the weight without its early change.
        const double late = clip(forgets ? forget(k, w - e_in) : w - e_in);
        double e_new = e_in * q_early;
        const double w_new = clip(late + e_new);
        if (w_new != late + e_new) e_new = w_new - late;  // what the bounds leave of it
        set_weight(k, w_new);
        early_[k] = e_new;
        w_prev_[k] = weight(k);  // as stored (float or double): the next window's change is exact
    }
}

namespace {

// Per-synapse state (stored by CSR position) to and from canonical order (post_pos lists the
// positions in canonical order). An empty store (the option is off) gives and takes nothing.
template <class T>
void gather(const std::vector<T>& store, const std::vector<std::uint32_t>& post_pos,
            std::vector<double>& out) {
    out.resize(store.empty() ? 0 : post_pos.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<double>(store[post_pos[i]]);
}

template <class T>
void scatter(std::span<const double> in, const std::vector<std::uint32_t>& post_pos,
             std::vector<T>& store) {
    for (std::size_t i = 0; i < in.size() && !store.empty(); ++i)
        store[post_pos[i]] = static_cast<T>(in[i]);
}

}  // namespace

void PlasticBlock::canonical_early(std::vector<double>& out) const {
    gather(early_, post_pos_, out);
}

void PlasticBlock::set_canonical_early(std::span<const double> e) {
    scatter(e, post_pos_, early_);
}

void PlasticBlock::canonical_previous_weights(std::vector<double>& out) const {
    gather(w_prev_, post_pos_, out);
}

void PlasticBlock::set_canonical_previous_weights(std::span<const double> w) {
    scatter(w, post_pos_, w_prev_);
}

void PlasticBlock::canonical_weights(std::vector<double>& out) const {
    out.resize(post_pos_.size());
    for (std::size_t i = 0; i < post_pos_.size(); ++i)
        out[i] = weight(post_pos_[i]);
}

void PlasticBlock::set_canonical_weights(std::span<const double> w) {
    for (std::size_t i = 0; i < post_pos_.size(); ++i)
        set_weight(post_pos_[i], w[i]);
}

void PlasticBlock::canonical_stable_weights(std::vector<double>& out) const {
    gather(w0_, post_pos_, out);
}

void PlasticBlock::set_canonical_stable_weights(std::span<const double> w) {
    scatter(w, post_pos_, w0_);
}

void PlasticBlock::canonical_eligibility(std::vector<double>& out) const {
    gather(elig_, post_pos_, out);
}

void PlasticBlock::set_canonical_eligibility(std::span<const double> e) {
    scatter(e, post_pos_, elig_);
}

void PlasticBlock::canonical_edges(std::vector<std::uint64_t>& sources,
                                   std::vector<std::uint64_t>& targets) const {
    sources.resize(post_pos_.size());
    targets.resize(post_pos_.size());
    for (std::uint64_t t = 0; t + 1 < post_ptr_.size(); ++t) {
        for (std::uint64_t i = post_ptr_[t]; i < post_ptr_[t + 1]; ++i) {
            sources[i] = source_of(post_pos_[i]);
            targets[i] = t;
        }
    }
}

std::vector<Traces*> PlasticBlock::post_traces() {
    std::vector<Traces*> v;
    for (Traces* t : {&y_, &y2_, &hom_, &rate_}) {
        if (!t->empty()) v.push_back(t);
    }
    return v;
}

std::vector<const char*> PlasticBlock::post_trace_names() const {
    std::vector<const char*> v;
    const char* names[] = {"post_trace", "post_trace_y", "post_rate_hom", "post_rate_scaling"};
    int i = 0;
    for (const Traces* t : {&y_, &y2_, &hom_, &rate_}) {
        if (!t->empty()) v.push_back(names[i]);
        ++i;
    }
    return v;
}

}  // namespace neurochem

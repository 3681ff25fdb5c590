#include "core/synapse/synapse_block.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <string>
#include <tuple>

#include "core/input_ring.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

SynapseBlock::SynapseBlock(const ConnectionSampler& sampler, std::uint64_t n_pre,
                           IndexRange targets, WeightPrecision precision,
                           ConnectionSampler::Scratch& scratch) {
    std::vector<std::uint32_t> src;
    std::vector<std::uint32_t> delays;
    std::vector<double> weights;

    // Pass 1: count synapses per source; find the delay range.
    std::vector<std::uint64_t> count(n_pre + 1, 0);
    std::uint32_t dmin = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t dmax = 0;
    std::uint64_t total = 0;
    for (std::uint64_t j = targets.begin; j < targets.end; ++j) {
        sampler.sources(j, src, scratch);
        for (auto s : src) ++count[s];
        total += src.size();
        if (!sampler.constant_delay()) {
            sampler.delays(j, src.size(), delays);
            for (auto d : delays) {
                dmin = std::min(dmin, d);
                dmax = std::max(dmax, d);
            }
        }
    }
    if (sampler.constant_delay() || total == 0) dmin = dmax = sampler.min_delay_steps();
    delay_base_ = dmin;
    max_delay_ = dmax;
    delay_bits_ = static_cast<std::uint32_t>(std::bit_width(dmax - dmin));
    if (delay_bits_ > 31 ||
        (targets.size() > 0 && std::bit_width(targets.size() - 1) + delay_bits_ > 32)) {
        throw input_error("too many target neurons per thread (" + std::to_string(targets.size()) +
                          ") for the delay range of " + std::to_string(dmax - dmin + 1) +
                          " steps to fit a 32-bit synapse; use more threads or MPI ranks.");
    }

    // Row index: dense over all sources, or sparse over the sources present.
    std::uint64_t present = 0;
    for (std::uint64_t s = 0; s < n_pre; ++s) present += count[s] > 0;
    dense_ = 2 * present >= n_pre;
    if (dense_) {
        row_ptr_.assign(n_pre + 1, 0);
        for (std::uint64_t s = 0; s < n_pre; ++s) row_ptr_[s + 1] = row_ptr_[s] + count[s];
    } else {
        sources_.reserve(present);
        row_ptr_.reserve(present + 1);
        row_ptr_.push_back(0);
        for (std::uint64_t s = 0; s < n_pre; ++s) {
            if (count[s] == 0) continue;
            sources_.push_back(static_cast<std::uint32_t>(s));
            row_ptr_.push_back(row_ptr_.back() + count[s]);
        }
    }
    // count[] becomes the fill cursor of each source's row.
    {
        std::uint64_t acc = 0;
        for (std::uint64_t s = 0; s < n_pre; ++s) {
            const std::uint64_t c = count[s];
            count[s] = acc;
            acc += c;
        }
    }

    // Pass 2: draw again and place each synapse; rows end up ordered by target, then by the
    // order of the draw, whatever the thread layout.
    const_weight_ = sampler.constant_weight();
    packed_.resize(total);
    if (!const_weight_) {
        if (precision == WeightPrecision::single_precision) {
            w32_.resize(total);
        } else {
            w64_.resize(total);
        }
    }
    for (std::uint64_t j = targets.begin; j < targets.end; ++j) {
        sampler.sources(j, src, scratch);
        if (src.empty()) continue;
        sampler.weights(j, src.size(), weights);
        sampler.delays(j, src.size(), delays);
        const auto t = static_cast<std::uint32_t>(j - targets.begin);
        for (std::size_t k = 0; k < src.size(); ++k) {
            const std::uint64_t pos = count[src[k]]++;
            packed_[pos] = (t << delay_bits_) | (delays[k] - delay_base_);
            if (!w64_.empty()) w64_[pos] = weights[k];
            if (!w32_.empty()) w32_[pos] = static_cast<float>(weights[k]);
        }
        weight_ = weights[0];
    }
}

std::size_t SynapseBlock::memory_bytes() const {
    return sources_.capacity() * sizeof(std::uint32_t) + row_ptr_.capacity() * sizeof(std::uint64_t) +
           packed_.capacity() * sizeof(std::uint32_t) + w64_.capacity() * sizeof(double) +
           w32_.capacity() * sizeof(float);
}

std::pair<std::uint64_t, std::uint64_t> SynapseBlock::row_bounds(std::uint32_t src) const {
    if (dense_) {
        if (src + 1 >= row_ptr_.size()) return {0, 0};
        return {row_ptr_[src], row_ptr_[src + 1]};
    }
    const auto it = std::lower_bound(sources_.begin(), sources_.end(), src);
    if (it == sources_.end() || *it != src) return {0, 0};
    const auto r = static_cast<std::size_t>(it - sources_.begin());
    return {row_ptr_[r], row_ptr_[r + 1]};
}

template <class WeightAt, bool ConstDelay>
void SynapseBlock::deliver_row(std::uint64_t b, std::uint64_t e, std::uint64_t spike_step,
                               InputRing& ring, std::size_t port, std::size_t offset,
                               WeightAt weight_at) const {
    if constexpr (ConstDelay) {
        double* row = ring.row(spike_step + delay_base_, port) + offset;
        for (std::uint64_t k = b; k < e; ++k) row[packed_[k]] += weight_at(k);
    } else {
        const auto mask = static_cast<std::uint32_t>((1ULL << delay_bits_) - 1);
        const std::uint32_t span = max_delay_ - delay_base_ + 1;
        if (span <= max_table_delays && e - b >= 4 * span) {
            // A table of the ring rows by delay, made once per spike, spares every synapse
            // the slot arithmetic.
            double* rows[max_table_delays];
            for (std::uint32_t d = 0; d < span; ++d) rows[d] = ring.row(spike_step + delay_base_ + d, port) + offset;
            for (std::uint64_t k = b; k < e; ++k) {
                const std::uint32_t p = packed_[k];
                rows[p & mask][p >> delay_bits_] += weight_at(k);
            }
            return;
        }
        for (std::uint64_t k = b; k < e; ++k) {
            const std::uint32_t p = packed_[k];
            ring.row(spike_step + delay_base_ + (p & mask), port)[offset + (p >> delay_bits_)] +=
                weight_at(k);
        }
    }
}

std::uint64_t SynapseBlock::deliver(std::uint32_t src, std::uint64_t spike_step, InputRing& ring,
                                    std::size_t port, std::size_t target_offset) const {
    std::uint64_t b = 0, e = 0;
    if (dense_) {  // the common case without a call
        if (src + 1 < row_ptr_.size()) {
            b = row_ptr_[src];
            e = row_ptr_[src + 1];
        }
    } else {
        std::tie(b, e) = row_bounds(src);
    }
    if (b == e) return 0;
    const bool const_delay = delay_bits_ == 0;
    auto dispatch = [&](auto weight_at) {
        if (const_delay) {
            deliver_row<decltype(weight_at), true>(b, e, spike_step, ring, port, target_offset,
                                                   weight_at);
        } else {
            deliver_row<decltype(weight_at), false>(b, e, spike_step, ring, port, target_offset,
                                                    weight_at);
        }
    };
    if (const_weight_) {
        const double w = weight_;
        dispatch([w](std::uint64_t) { return w; });
    } else if (!w64_.empty()) {
        const double* w = w64_.data();
        dispatch([w](std::uint64_t k) { return w[k]; });
    } else {
        const float* w = w32_.data();
        dispatch([w](std::uint64_t k) { return static_cast<double>(w[k]); });
    }
    return e - b;
}

void SynapseBlock::deliver_arriving_from(std::uint32_t src, std::uint64_t spike_step,
                                         std::uint64_t first_arrival, InputRing& ring,
                                         std::size_t port, std::size_t target_offset) const {
    const auto [b, e] = row_bounds(src);
    const auto mask = static_cast<std::uint32_t>((1ULL << delay_bits_) - 1);
    for (std::uint64_t k = b; k < e; ++k) {
        const std::uint32_t p = packed_[k];
        const std::uint64_t arrival = spike_step + delay_base_ + (p & mask);
        if (arrival < first_arrival) continue;
        const double w = const_weight_ ? weight_ : !w64_.empty() ? w64_[k] : static_cast<double>(w32_[k]);
        ring.row(arrival, port)[target_offset + (p >> delay_bits_)] += w;
    }
}

std::vector<SynapseBlock::Synapse> SynapseBlock::row(std::uint32_t src) const {
    const auto [b, e] = row_bounds(src);
    std::vector<Synapse> out;
    const auto mask = static_cast<std::uint32_t>((1ULL << delay_bits_) - 1);
    for (std::uint64_t k = b; k < e; ++k) {
        const double w = const_weight_ ? weight_ : !w64_.empty() ? w64_[k] : w32_[k];
        out.push_back({packed_[k] >> delay_bits_, delay_base_ + (packed_[k] & mask), w});
    }
    return out;
}

}  // namespace neurochem

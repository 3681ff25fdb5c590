// The plastic synapses of one projection onto one thread's targets, with the rule's traces
// (docs/model/plasticity.md). Storage per synapse:
//   4 B  (target << delay_bits) | (delay - delay_base), grouped by source (CSR), as in SynapseBlock
//   4 B  weight (float; 8 B with weight_storage = double)
//   4 B  its position in the CSR, listed per target (the transposed index for post spikes)
//   4 B  eligibility trace (three_factor only)
//   8 B  stable weight: the initial weight, or the consolidated one (tau_forget only)
//  16 B  early change and the weight at the end of the last slow step (tau_early only)
// plus, per bucket of about half an average row, the first source row it falls in (finding a
// synapse's source from its position), and per source and per target one row offset. Traces are per
// neuron, not per synapse: the presynaptic traces of every source (each thread keeps its own,
// identical copy: every thread sees every spike), the postsynaptic traces of the thread's own
// targets.
//
// Events of one time step n, in this order (the simulation calls them so):
//   pre_event   for each spike of a source at n: deliver the current weights into the ring
//               buffer at n + delay, then depress with the post traces at n (excluding post
//               spikes at n)
//   post_event  for each spike of an own target at n: potentiate with the pre traces at n
//               (excluding pre spikes at n)
//   pre_spike / post_spike: the traces take the spikes of step n
// so pairings use spike times (the delay counts as dendritic, as in NEST) and a pre and a post
// spike in the same step do not pair. Every weight is written by the one thread that owns its
// target, in this order, which no layout changes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/connectivity.hpp"
#include "core/partition.hpp"
#include "core/synapse/traces.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

class InputRing;

class PlasticBlock {
  public:
    PlasticBlock(const ConnectionSampler& sampler, std::uint64_t n_pre, IndexRange targets,
                 const PlasticitySpec& rule, double dt_ms, ConnectionSampler::Scratch& scratch);

    std::uint64_t size() const { return packed_.size(); }
    std::uint64_t targets() const { return post_ptr_.size() - 1; }
    std::uint32_t max_delay_steps() const { return max_delay_; }
    std::uint32_t min_delay_steps() const { return delay_base_; }
    std::size_t memory_bytes() const;  ///< synapses, indices and traces

    /// Delivers source `src`'s spike of step n and depresses its synapses. Returns the events.
    std::uint64_t pre_event(std::uint32_t src, std::uint64_t n, InputRing& ring, std::size_t port,
                            std::size_t target_offset);
    /// Potentiates the synapses onto own target t (block-local index) for its spike at step n.
    void post_event(std::uint32_t t, std::uint64_t n);
    /// The traces take the spikes of step n.
    void pre_spike(std::uint32_t src, std::uint64_t n) {
        if (!x_.empty()) x_.spike(src, n, decay_plus_);
    }
    void post_spike(std::uint32_t t, std::uint64_t n);

    /// Three-factor: eligibility into weight over an interval of `steps` steps whose mean
    /// modulation (DA - baseline, uM) was `modulation`: w += lr M e tau (1 - q), e *= q.
    void consolidate(double modulation, std::uint64_t steps);
    /// Homeostatic scaling at step n: the incoming weights of every target scaled by
    /// exp(interval (target - r) / (target tau)), r its rate estimate.
    void scale(std::uint64_t n, std::uint64_t interval_steps);

    /// Forgetting with consolidation over one slow step: the labile change u = w - w0 keeps q
    /// of itself (q = exp(-dt (1/tau_forget + 1/tau_consolidate))), and the fraction c =
    /// (1/tau_consolidate) / (1/tau_forget + 1/tau_consolidate) of what it loses moves into the
    /// stable weight w0: w0 <- w0 + c u (1 - q), w <- w0 + u q. c = 0: w0 stays the initial
    /// weight. A no-op without tau_forget.
    ///
    /// With an early stage (tau_early), first the part (1 - capture) of the change since the
    /// last slow step joins the early change e, which is left out of the above (the rest of the
    /// weight, w - e, forgets and consolidates) and keeps q_early of itself: e <- e q_early.
    /// capture = 1 and e = 0 give the plain step bit for bit.
    void relax(double q, double c = 0.0, double capture = 1.0, double q_early = 0.0);
    bool has_early_stage() const { return !early_.empty(); }
    /// STDP rules: potentiation amplitudes (A_plus, and A3_plus of the triplet rule) become the
    /// rule's times `gain` from the next spike on (BDNF/TrkB enables LTP; depression and the
    /// sliding threshold keep the rule's values). Not for three_factor (its gain is the
    /// projection's learning gain).
    void set_potentiation_gain(double gain) {
        rule_.A_plus = a_plus_ * gain;
        rule_.A3_plus = a3_plus_ * gain;
    }

    /// Weights in canonical order: by target, then source, then order of the draw. The same
    /// order for sources (population-local) and targets (block-local) of each synapse.
    void canonical_weights(std::vector<double>& out) const;
    void set_canonical_weights(std::span<const double> w);
    void canonical_eligibility(std::vector<double>& out) const;
    /// The weights forgetting relaxes toward (empty without tau_forget).
    void canonical_stable_weights(std::vector<double>& out) const;
    void set_canonical_stable_weights(std::span<const double> w);
    void set_canonical_eligibility(std::span<const double> e);
    /// The early change and the weight at the end of the last slow step (empty without
    /// tau_early), for checkpoints.
    void canonical_early(std::vector<double>& out) const;
    void set_canonical_early(std::span<const double> e);
    void canonical_previous_weights(std::vector<double>& out) const;
    void set_canonical_previous_weights(std::span<const double> w);
    void canonical_edges(std::vector<std::uint64_t>& sources,
                         std::vector<std::uint64_t>& targets) const;
    bool eligibility() const { return !elig_.empty(); }

    // Traces, for checkpoints: pre traces of all sources; post traces of own targets.
    Traces& pre_traces() { return x_; }
    std::vector<Traces*> post_traces();
    std::vector<const char*> post_trace_names() const;

  private:
    std::uint32_t source_of(std::uint64_t pos) const;
    double weight(std::uint64_t k) const {
        return w32_.empty() ? w64_[k] : static_cast<double>(w32_[k]);
    }
    void set_weight(std::uint64_t k, double w) {
        if (w32_.empty()) {
            w64_[k] = w;
        } else {
            w32_[k] = static_cast<float>(w);
        }
    }
    double clip(double w) const {
        return w < rule_.w_min ? rule_.w_min : (w > rule_.w_max ? rule_.w_max : w);
    }
    double depression_factor(double w) const;    // (w / w_max)^mu
    double potentiation_factor(double w) const;  // (1 - w / w_max)^mu

    PlasticitySpec rule_;
    double dt_ms_;
    bool dense_ = true;
    std::vector<std::uint32_t> sources_;  // sparse: sources present, ascending
    std::vector<std::uint64_t> row_ptr_;  // rows + 1 offsets into packed_
    std::vector<std::uint32_t> packed_;
    std::vector<float> w32_;
    std::vector<double> w64_;
    std::vector<float> elig_;
    std::vector<double> w0_;               // stable weights (forgetting only)
    std::vector<double> early_;            // early change (tau_early only)
    std::vector<double> w_prev_;           // weight at the end of the last slow step (tau_early)
    std::vector<std::uint64_t> post_ptr_;  // targets + 1 offsets into post_pos_
    std::vector<std::uint32_t> post_pos_;  // CSR positions, per target in (source, draw) order
    std::vector<std::uint32_t> bucket_;    // per 2^bucket_shift_ positions: the row of the first
    std::uint32_t bucket_shift_ = 6;
    std::uint32_t delay_bits_ = 0, delay_base_ = 1, max_delay_ = 1;
    // Traces.
    DecayTable decay_plus_, decay_minus_, decay_y_, decay_hom_, decay_rate_, decay_e_;
    Traces x_;  // pre (tau_plus), every source
    Traces y_, y2_, hom_,
        rate_;               // post: tau_minus, tau_y (triplet), tau_hom (sliding), scaling rate
    double hom_factor_ = 0;  // sliding threshold: A2- = hom_factor * h^2
    double a_plus_ = 0, a3_plus_ = 0;  // the rule's potentiation amplitudes (ungated)
};

}  // namespace neurochem

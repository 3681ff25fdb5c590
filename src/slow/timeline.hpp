// The protocol expanded into slow steps. Calendar time is counted in ticks of the fast step dt
// (12 weeks at 0.1 ms are 7.3e10 ticks), so step edges are exact integers. Steps follow the
// regular grid of protocol.slow_step and are also cut at every session's start and end, so a
// step lies wholly inside or outside each session; what is active in a step is decided at its
// start. Without a protocol the run is one step (brute force: the fast model runs it whole).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "neurochem/model.hpp"

namespace neurochem {

class Timeline {
  public:
    /// Expands the protocol; input_error for sessions that set the same input at the same time
    /// (both named with their origins) or more than max_steps slow steps.
    explicit Timeline(const ModelSpec& model);
    static constexpr std::uint64_t max_steps = 10'000'000;

    std::size_t size() const { return edges_.size() - 1; }
    std::uint64_t begin_tick(std::size_t k) const { return edges_[k]; }
    std::uint64_t end_tick(std::size_t k) const { return edges_[k + 1]; }
    std::uint64_t total_ticks() const { return edges_.back(); }
    double tick_h() const { return dt_ms_ / 3.6e6; }
    double hours(std::uint64_t tick) const { return static_cast<double>(tick) * dt_ms_ / 3.6e6; }

    /// Sessions (indices into protocol.sessions) active during step k.
    std::vector<std::size_t> active(std::size_t k) const;
    bool asleep(std::size_t k) const;
    /// Step k lies in an exercise session.
    bool exercise(std::size_t k) const;
    /// Step k lies in a slice session: whether drugs are washed out; whether population `name`
    /// is isolated (its synaptic input cut).
    bool washout(std::size_t k) const;
    bool isolated(std::size_t k, const std::string& name) const;
    /// The Poisson drive rates (Hz, per ModelSpec::poisson) in force during step k.
    std::vector<double> drive_rates(std::size_t k) const;
    /// Fast steps simulated for step k: settle and the measured window. A step not longer
    /// than both together is simulated whole and measured whole (settle 0).
    std::uint64_t settle_steps(std::size_t k) const;
    std::uint64_t window_steps(std::size_t k) const;
    bool brute_force(std::size_t k) const;
    /// Whether the fast output of step k's window is written.
    bool recorded(std::size_t k) const;
    /// Fast steps of the whole run (the sum over steps of settle + window).
    std::uint64_t total_fast_steps() const { return total_fast_; }

    /// The first days of the timeline and every distinct event, for `neurochem check`.
    std::string describe(std::size_t max_lines = 60) const;

  private:
    bool inside(std::size_t session, std::uint64_t tick) const;
    std::uint64_t ticks(double hours) const;
    const ModelSpec& model_;
    double dt_ms_;
    std::uint64_t settle_ = 0, window_ = 0;
    std::vector<std::uint64_t> edges_;
    std::vector<char> recorded_;
    std::uint64_t total_fast_ = 0;
};

}  // namespace neurochem

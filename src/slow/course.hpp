// A course: the multiscale loop that carries a simulation through days and weeks (the
// heterogeneous multiscale method, docs/slow-engine.md). For each slow step k of the timeline:
//
//   1. set the fast model from the protocol and the slow state: Poisson drive rates (sessions,
//      then slow processes), the calendar map (the window stands for the step's calendar time,
//      so drug levels move through the step while the window runs);
//   2. run the fast window: `settle` steps, then `window` steps whose averages are measured
//      (a step not longer than both is simulated whole: brute force);
//   3. advance the slow equations over the step's calendar length, driven by those averages;
//   4. hand the step's averages and slow state to the observers (the /slow output).
//
// Network state carries from window to window; the fast step counter never stops, so no
// random number is reused. Without a protocol the run is one brute-force step and the course
// adds nothing to the simulation. Checkpoints may fall anywhere: between steps, or inside a
// window (the scheduler's position and the window sums are registered state).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "neurochem/simulation.hpp"
#include "slow/outcomes.hpp"
#include "slow/slow_model.hpp"
#include "slow/timeline.hpp"
#include "slow/window_averages.hpp"

namespace neurochem {

/// A window of the course as observers see it.
struct WindowInfo {
    std::uint64_t step = 0;        ///< slow step index
    std::uint64_t fast_begin = 0;  ///< fast step at which the window (its settling) begins
    std::uint64_t fast_end = 0;    ///< fast step at which it ends
    double calendar_begin_h = 0, calendar_end_h = 0;
    bool recorded = true;  ///< fast output (spikes, rates, traces) is written
};

class CourseObserver {
  public:
    virtual ~CourseObserver() = default;
    virtual void window_begins(const WindowInfo& w) = 0;
    virtual void window_ends(const WindowInfo& w) = 0;
    /// Values of the slow step just finished (names: Course::slow_columns()).
    virtual void slow_row(std::span<const double> values) = 0;
};

class Course {
  public:
    /// Adds the window averager to `sim` and registers the course's state: build it right after
    /// the simulation, before restoring a checkpoint.
    explicit Course(Simulation& sim);
    ~Course();

    bool has_protocol() const { return protocol_; }
    const Timeline& timeline() const { return timeline_; }
    bool done() const;
    /// Calendar ticks (steps of dt) reached: the end of the last finished slow step, or the
    /// fast step itself without a protocol.
    std::uint64_t position_tick() const;
    std::uint64_t total_ticks() const { return timeline_.total_ticks(); }
    std::size_t current_step() const { return k_; }

    /// Runs until the calendar reaches `until_tick` (a compressed window is not split for it;
    /// without a protocol the run stops there exactly) or the end, or until an observer asks
    /// the simulation to stop (then possibly inside a window).
    void run(std::uint64_t until_tick, SimulationObserver* observer,
             CourseObserver* course_observer);

    struct Column {
        std::string path, unit;
    };
    /// The columns of a slow row (empty without a protocol).
    const std::vector<Column>& slow_columns() const { return columns_; }

  private:
    WindowInfo info() const;
    void begin_step(CourseObserver* o);
    void apply_inputs();
    void end_step(CourseObserver* o);
    Simulation& sim_;
    bool protocol_;
    Timeline timeline_;
    std::unique_ptr<WindowAverager> averager_;
    std::unique_ptr<SlowModel> slow_;
    std::unique_ptr<ClinicalOutcomes> outcomes_;  // null without [outcomes]
    std::vector<Column> columns_;
    // Scheduler position (registered state).
    std::uint64_t k_ = 0;
    std::uint64_t in_step_ = 0;
    std::uint64_t window_begin_ = 0;
};

}  // namespace neurochem

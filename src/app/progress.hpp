// Progress of a long run on stderr: rewritten in place on a terminal, one line every 10 % (or
// at most every minute) in a batch log. Printed by rank 0 only.
#pragma once

#include <chrono>
#include <cstdint>

#include "neurochem/simulation.hpp"

namespace neurochem::app {

class ProgressReporter final : public SimulationObserver {
public:
    /// `calendar` (with a protocol): shows calendar days of `total_h` beside the fast steps.
    ProgressReporter(std::uint64_t total_steps, double dt_ms, bool enabled, const Simulation* calendar = nullptr,
                     double total_h = 0);
    void epoch(const EpochView& view) override;
    /// The run ended (`complete`) or was stopped by a signal.
    void done(bool complete);

private:
    void print(std::uint64_t step, bool final);
    std::uint64_t total_;
    double dt_ms_;
    const Simulation* calendar_;
    double total_h_;
    bool enabled_;
    bool tty_;
    std::chrono::steady_clock::time_point start_, last_;
    int last_decile_ = 0;
};

/// Forwards each epoch to several observers, in order.
class ObserverList final : public SimulationObserver {
public:
    void add(SimulationObserver* o) { list_[n_++] = o; }
    void epoch(const EpochView& view) override {
        for (int i = 0; i < n_; ++i) list_[i]->epoch(view);
    }

private:
    SimulationObserver* list_[8] = {};
    int n_ = 0;
};

}  // namespace neurochem::app

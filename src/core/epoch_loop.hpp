// The phases of many epochs inside one parallel region: a parallel phase runs on every thread,
// a serial phase on thread 0 alone, and a barrier ends each. Keeping the team alive across
// epochs costs a barrier per phase instead of a fork and a join per epoch, which is what small
// networks with 0.1 ms epochs pay most for.
//
// Exceptions: a phase that throws on any thread marks the loop failed; every thread still
// reaches every barrier of that phase, then the phase returns false on all threads, so the
// body leaves its loop at the same point everywhere and no thread waits forever. The first
// exception (by thread index) is rethrown on the calling thread after the region.
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <vector>

#include "core/threading.hpp"

namespace neurochem {

class EpochPhases {
public:
    /// f() on every thread, then a barrier. False when any thread failed so far.
    template <class F>
    bool parallel(int d, F&& f) {
        if (!failed_.load(std::memory_order_relaxed)) guard(d, f);
        team_.barrier();
        return !failed_.load(std::memory_order_relaxed);
    }
    /// f() on thread 0, then a barrier. False when any thread failed so far.
    template <class F>
    bool serial(int d, F&& f) {
        if (d == 0 && !failed_.load(std::memory_order_relaxed)) guard(d, f);
        team_.barrier();
        return !failed_.load(std::memory_order_relaxed);
    }
    /// f() on thread 0 without a barrier after it (the next phase's barrier orders it).
    template <class F>
    void on_thread0(int d, F&& f) {
        if (d == 0 && !failed_.load(std::memory_order_relaxed)) guard(d, f);
    }

private:
    friend class EpochLoop;
    explicit EpochPhases(ThreadTeam& team) : team_(team), errors_(static_cast<std::size_t>(team.size())) {}
    template <class F>
    void guard(int d, F& f) {
        try {
            f();
        } catch (...) {
            errors_[static_cast<std::size_t>(d)] = std::current_exception();
            failed_ = true;
        }
    }
    ThreadTeam& team_;
    std::atomic<bool> failed_{false};
    std::vector<std::exception_ptr> errors_;
};

class EpochLoop {
public:
    explicit EpochLoop(ThreadTeam& team) : team_(team) {}
    /// Runs body(d, phases) on every thread d of the team; rethrows the first failure.
    void run(const std::function<void(int, EpochPhases&)>& body) {
        EpochPhases phases(team_);
        team_.run([&](int d) { body(d, phases); });
        for (auto& e : phases.errors_) {
            if (e) std::rethrow_exception(e);
        }
    }

private:
    ThreadTeam& team_;
};

}  // namespace neurochem

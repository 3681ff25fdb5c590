#include "app/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace neurochem::app {

ProgressReporter::ProgressReporter(std::uint64_t total_steps, double dt_ms, bool enabled, const Simulation* calendar,
                                   double total_h)
    : total_(total_steps),
      dt_ms_(dt_ms),
      calendar_(calendar),
      total_h_(total_h),
      enabled_(enabled && total_steps > 0),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void ProgressReporter::epoch(const EpochView& view) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const double since_last = std::chrono::duration<double>(now - last_).count();
    const int decile = static_cast<int>(10 * view.end_step / total_);
    if (tty_ ? since_last >= 0.2 : (decile > last_decile_ || since_last >= 60.0)) {
        last_ = now;
        last_decile_ = decile;
        print(view.end_step, false);
    }
}

void ProgressReporter::done(bool complete) {
    if (!enabled_) return;
    if (tty_) {
        std::fprintf(stderr, "\r%100s\r", "");
    } else if (last_decile_ < 10 && complete) {
        print(total_, true);
    }
    std::fflush(stderr);
}

void ProgressReporter::print(std::uint64_t step, bool /*final*/) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double frac = static_cast<double>(step) / static_cast<double>(total_);
    const double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0.0;
    const double t_s = static_cast<double>(step) * dt_ms_ * 1e-3;
    const double T_s = static_cast<double>(total_) * dt_ms_ * 1e-3;
    if (calendar_) {
        const double day = (step >= total_ ? total_h_ : calendar_->calendar_h()) / 24;
        std::fprintf(stderr, tty_ ? "\r  %5.1f %%  day %.2f of %.4g  (%.1f s of %.1f s fast time)  elapsed %.1f s  ETA %.1f s   "
                                  : "progress: %5.1f %%  day %.2f of %.4g  (%.1f s of %.1f s fast time)  elapsed %.1f s  ETA %.1f s\n",
                     100 * frac, day, total_h_ / 24, t_s, T_s, elapsed, eta);
        std::fflush(stderr);
        return;
    }
    if (tty_) {
        std::fprintf(stderr, "\r  %5.1f %%  %.3f s of %.3f s simulated  elapsed %.1f s  ETA %.1f s   ",
                     100 * frac, t_s, T_s, elapsed, eta);
    } else {
        std::fprintf(stderr, "progress: %5.1f %%  %.3f s of %.3f s simulated  elapsed %.1f s  ETA %.1f s\n",
                     100 * frac, t_s, T_s, elapsed, eta);
    }
    std::fflush(stderr);
}

}  // namespace neurochem::app

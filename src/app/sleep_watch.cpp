#include "app/sleep_watch.hpp"

#include <cmath>
#include <cstdio>

namespace neurochem::app {

SleepLockWatch::SleepLockWatch(CourseObserver& next, const std::vector<Course::Column>& columns,
                               bool speak)
    : next_(next), speak_(speak) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].path == "state/sleep/asleep") asleep_ = i;
        if (columns[i].path == "time_h") time_ = i;
        if (columns[i].path == "step_h") step_ = i;
    }
    if (!time_ || !step_) asleep_.reset();
}

void SleepLockWatch::slow_row(std::span<const double> v) {
    next_.slow_row(v);
    if (!asleep_) return;
    if (v[*asleep_] < 0.5) {
        asleep_h_ = 0;
        warned_ = false;
        return;
    }
    asleep_h_ += v[*step_];
    if (warned_ || !sleep_locked(asleep_h_)) return;
    warned_ = true;
    ++warnings_;
    if (!speak_) return;
    const double since_h = v[*time_] - asleep_h_;
    const auto minutes = static_cast<long long>(std::llround(since_h * 60.0));
    std::fprintf(stderr,
                 "neurochem: warning: the network has been asleep for %.0f h in a row, since day "
                 "%lld %02lld:%02lld: its sleep-wake flip-flop is probably locked, not sleeping. "
                 "Its wake side is LC and DRN only, so whatever silences both in sleep (a strong "
                 "5-HT1A agonist at the raphe, for one) ends waking; see docs/model/circuit.md, "
                 "\"Sleep and wake: the flip-flop\".\n",
                 asleep_h_, minutes / 1440, minutes % 1440 / 60, minutes % 60);
}

}  // namespace neurochem::app

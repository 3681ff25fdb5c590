// Warns when the network of a course has been asleep for a day and a half in a row: its
// sleep-wake flip-flop is then most likely locked, not sleeping. The circuit's wake side is LC
// and DRN only (no orexin, histamine or acetylcholine; docs/model/circuit.md, "Sleep and wake:
// the flip-flop"), so whatever silences both in sleep (a strong 5-HT1A agonist at the raphe,
// for one) ends waking for the rest of the run. A diagnostic on stderr, printed by rank 0 even
// with --quiet; the results are written as they are. Its count is not checkpointed: a resumed
// run counts from the resume (an episode across a resume may be warned about late, twice or
// not at all); collect's sleep.locked column reads the whole output and is the record.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "slow/course.hpp"
#include "slow/sleep_lock.hpp"

namespace neurochem::app {

class SleepLockWatch final : public CourseObserver {
  public:
    /// Forwards every call to `next`; watches the column state/sleep/asleep of `columns`
    /// (inert without one). `speak`: print (rank 0).
    SleepLockWatch(CourseObserver& next, const std::vector<Course::Column>& columns, bool speak);
    void window_begins(const WindowInfo& w) override { next_.window_begins(w); }
    void window_ends(const WindowInfo& w) override { next_.window_ends(w); }
    void slow_row(std::span<const double> values) override;
    /// Warnings printed so far (one per locked episode).
    int warnings() const { return warnings_; }

  private:
    CourseObserver& next_;
    std::optional<std::size_t> asleep_, time_, step_;
    bool speak_;
    double asleep_h_ = 0;
    bool warned_ = false;
    int warnings_ = 0;
};

}  // namespace neurochem::app

// The sleep-lock warning (src/app/sleep_watch.hpp): rows of a course's /slow table are passed on
// unchanged, and a warning naming the lock's start is printed once per episode in which the
// network stays asleep for 36 h, never for a long but ordinary sleep.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/sleep_watch.hpp"

namespace neurochem::app {
namespace {

class Rows final : public CourseObserver {
  public:
    void window_begins(const WindowInfo&) override { ++begun; }
    void window_ends(const WindowInfo&) override { ++ended; }
    void slow_row(std::span<const double> v) override { rows.emplace_back(v.begin(), v.end()); }
    int begun = 0, ended = 0;
    std::vector<std::vector<double>> rows;
};

const std::vector<Course::Column> columns = {
    {"time_h", "h"}, {"step_h", "h"}, {"rate/DRN", "Hz"}, {"state/sleep/asleep", ""}};

/// Feeds 2-hour steps from t = 0, asleep where `asleep(k)`; returns what was printed.
template <class F>
std::string feed(SleepLockWatch& w, int steps, F asleep) {
    testing::internal::CaptureStderr();
    for (int k = 0; k < steps; ++k) {
        const std::vector<double> row = {2.0 * (k + 1), 2.0, 1.5, asleep(k) ? 1.0 : 0.0};
        w.window_begins({});
        w.window_ends({});
        w.slow_row(row);
    }
    return testing::internal::GetCapturedStderr();
}

TEST(SleepLockWatch, ForwardsEveryRowAndStaysQuietOnOrdinaryNights) {
    Rows next;
    SleepLockWatch w(next, columns, true);
    // 10 days of 16 h awake, 8 h asleep, 2 h awake, then a 34-hour sleep.
    const std::string out =
        feed(w, 121 + 17, [](int k) { return k < 120 ? k % 12 >= 8 : k >= 121; });
    EXPECT_EQ(out, "");
    EXPECT_EQ(w.warnings(), 0);
    ASSERT_EQ(next.rows.size(), 138u);
    EXPECT_EQ(next.begun, 138);
    EXPECT_EQ(next.ended, 138);
    EXPECT_EQ(next.rows[5], (std::vector<double>{12.0, 2.0, 1.5, 0.0}));
}

TEST(SleepLockWatch, WarnsOncePerLockedEpisodeNamingItsStart) {
    Rows next;
    SleepLockWatch w(next, columns, true);
    // Asleep from step 4 (t = 8 h) for 5 days, awake 22 h, then asleep from day 6 06:00 to the
    // end (day 10 00:00).
    const std::string out = feed(w, 12 * 10, [](int k) { return (k >= 4 && k < 64) || k >= 75; });
    EXPECT_EQ(w.warnings(), 2);
    EXPECT_NE(out.find("asleep for 36 h in a row, since day 0 08:00"), std::string::npos) << out;
    EXPECT_NE(out.find("since day 6 06:00"), std::string::npos) << out;
    EXPECT_NE(out.find("flip-flop is probably locked"), std::string::npos) << out;
    EXPECT_EQ(next.rows.size(), 120u);
}

// Steps whose lengths are not exact in binary (0.4 h: 90 of them sum to a rounding below 36):
// the warning comes with the step that completes 36 h, not one later.
TEST(SleepLockWatch, InexactStepsReachTheLimitOnTime) {
    Rows next;
    SleepLockWatch w(next, columns, false);
    double t = 0, sum = 0;
    for (int k = 0; k < 90; ++k) {
        sum += 0.4;
        const std::vector<double> row = {t += 0.4, 0.4, 1.5, 1.0};
        w.slow_row(row);
        EXPECT_EQ(w.warnings(), k == 89 ? 1 : 0) << k;
    }
    EXPECT_LT(sum, 36.0);  // the case this test is about
}

TEST(SleepLockWatch, OtherRanksCountButDoNotPrintAndNoSleepColumnMeansNoWatch) {
    Rows next;
    SleepLockWatch quiet(next, columns, false);
    EXPECT_EQ(feed(quiet, 30, [](int) { return true; }), "");
    EXPECT_EQ(quiet.warnings(), 1);
    SleepLockWatch none(next, {{"time_h", "h"}, {"step_h", "h"}, {"rate/DRN", "Hz"}}, true);
    testing::internal::CaptureStderr();
    for (int k = 0; k < 30; ++k) {
        const std::vector<double> row = {2.0 * (k + 1), 2.0, 0.0};
        none.slow_row(row);
    }
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
    EXPECT_EQ(none.warnings(), 0);
}

}  // namespace
}  // namespace neurochem::app

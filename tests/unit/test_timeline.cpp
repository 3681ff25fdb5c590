// The protocol in config files and its expansion into slow steps (src/slow/timeline.hpp).
#include <gtest/gtest.h>

#include <cmath>

#include "neurochem/errors.hpp"
#include "slow/timeline.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
const std::string base = R"(
[simulation]
duration = 3 days
[population.A]
model = lif_coba
size = 10
[poisson.drive]
target = A
receptor = exc
rate = 10 Hz
weight = 1 nS
[poisson.cue]
target = A
receptor = exc
rate = 0 Hz
weight = 1 nS
)";

ModelSpec with(const std::string& extra) {
    return test::model_from_text(base + extra);
}
// ModelSpec::poisson is in section-name order: cue, drive.
constexpr std::size_t cue = 0, drive = 1;

std::string error_of(const std::string& extra) {
    try {
        with(extra);
    } catch (const input_error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(Timeline, GridOfSlowStepsCutAtSessionEdges) {
    const auto m = with(R"(
[protocol]
slow_step = 6 h
window = 1 s
settle = 0.5 s
[session.sleep]
start = 23 h
length = 8 h
every = 1 day
asleep = true
rates = drive: 4 Hz
)");
    const Timeline t(m);
    const auto tick = [&](double h) {
        return static_cast<std::uint64_t>(h * 3.6e7 + 0.5);
    };  // dt 0.1 ms
    std::vector<std::uint64_t> want;
    // Grid 0, 6, ..., 72 h plus the session edges 23, 31, 47, 55, (71, 79 -> clipped at 72).
    for (double h :
         {0., 6., 12., 18., 23., 24., 30., 31., 36., 42., 47., 48., 54., 55., 60., 66., 71., 72.}) {
        want.push_back(tick(h));
    }
    ASSERT_EQ(t.size() + 1, want.size());
    for (std::size_t k = 0; k < t.size(); ++k) {
        EXPECT_EQ(t.begin_tick(k), want[k]) << k;
        EXPECT_EQ(t.end_tick(k), want[k + 1]) << k;
    }
    EXPECT_EQ(t.total_ticks(), tick(72));
    // Active sessions, sleep and the drive rate are decided at each step's start.
    for (std::size_t k = 0; k < t.size(); ++k) {
        const double h = t.hours(t.begin_tick(k));
        const double in_day = h - 24.0 * std::floor(h / 24.0);
        const bool asleep = in_day >= 23.0 || (h >= 24.0 && in_day < 7.0);
        EXPECT_EQ(t.asleep(k), asleep) << "step " << k << " at " << h << " h";
        EXPECT_EQ(t.drive_rates(k)[drive], asleep ? 4.0 : 10.0) << k;
        EXPECT_EQ(t.drive_rates(k)[cue], 0.0);
    }
}

TEST(Timeline, WindowsBruteForceAndFastTime) {
    const auto m = with(R"(
[protocol]
slow_step = 1 h
window = 2 s
settle = 0.5 s
[session.probe]
start = 12 h
length = 2 s
every = 1 day
rates = cue: 50 Hz
[session.therapy]
start = 30 h
length = 1 h
whole = true
)");
    const Timeline t(m);
    std::uint64_t fast = 0;
    std::size_t probes = 0, whole = 0;
    for (std::size_t k = 0; k < t.size(); ++k) {
        const std::uint64_t len = t.end_tick(k) - t.begin_tick(k);
        const bool probe = t.drive_rates(k)[cue] == 50.0;
        const bool therapy = !t.active(k).empty() && !probe;
        probes += probe;
        whole += t.brute_force(k);
        if (probe) {
            EXPECT_EQ(len, 20000u);  // 2 s: no longer than settle + window, simulated whole
            EXPECT_TRUE(t.brute_force(k));
        }
        if (therapy) {
            EXPECT_TRUE(t.brute_force(k));  // `whole = true`
        }
        if (t.brute_force(k)) {
            EXPECT_EQ(t.settle_steps(k), 0u);
            EXPECT_EQ(t.window_steps(k), len);
        } else {
            EXPECT_EQ(t.settle_steps(k), 5000u);
            EXPECT_EQ(t.window_steps(k), 20000u);
        }
        fast += t.settle_steps(k) + t.window_steps(k);
    }
    EXPECT_EQ(probes, 3u);
    EXPECT_EQ(whole, 4u);
    EXPECT_EQ(t.total_fast_steps(), fast);
}

TEST(Timeline, RecordedWindowsOnePerPeriod) {
    const auto m = with(R"(
[protocol]
slow_step = 1 h
record_every = 1 day
record_at = 12 h
)");
    const Timeline t(m);
    std::vector<double> at;
    for (std::size_t k = 0; k < t.size(); ++k) {
        if (t.recorded(k)) at.push_back(t.hours(t.begin_tick(k)));
    }
    EXPECT_EQ(at, (std::vector<double>{12, 36, 60}));
    const Timeline all(with("[protocol]\nslow_step = 12 h\nrecord_every = 0 h\n"));
    for (std::size_t k = 0; k < all.size(); ++k)
        EXPECT_TRUE(all.recorded(k));
    const Timeline none(with("[protocol]\nslow_step = 12 h\nrecord_every = inf h\n"));
    for (std::size_t k = 0; k < none.size(); ++k)
        EXPECT_FALSE(none.recorded(k));
}

TEST(Timeline, WithoutAProtocolTheRunIsOneStep) {
    auto m = with("");
    m.simulation.duration_ms = 500;
    const Timeline t(m);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t.total_ticks(), 5000u);
    EXPECT_TRUE(t.brute_force(0));
    EXPECT_TRUE(t.recorded(0));
    EXPECT_EQ(t.total_fast_steps(), 5000u);
}

// Every protocol error names the file and line of the offending key and says what is allowed.
TEST(Timeline, ProtocolErrorsNameFileLineAndReason) {
    const std::string p = "[protocol]\nslow_step = 1 h\n";
    // The appended text starts at line 17 of test.ini (base has 16 lines).
    EXPECT_NE(error_of(p + "[session.s]\nstart = 4 days\nlength = 1 h\n")
                  .find("test.ini:20: [session.s] start = '345600000 ms': lies at 96 h, at or "
                        "after the end of the run "
                        "(simulation.duration = 72 h)"),
              std::string::npos)
        << error_of(p + "[session.s]\nstart = 4 days\nlength = 1 h\n");
    EXPECT_NE(error_of(p + "[session.s]\nstart = 1 h\nlength = 1 h\nrates = nosuch: 3 Hz\n")
                  .find("test.ini:22: [session.s] rates = 'nosuch: 3 Hz': there is no Poisson "
                        "drive 'nosuch'; drives: cue, drive"),
              std::string::npos);
    EXPECT_NE(error_of(p + "[session.s]\nstart = 1 h\nlength = 2 h\nevery = 1 h\n")
                  .find("is longer than the repeat period"),
              std::string::npos);
    EXPECT_NE(error_of("[session.s]\nstart = 1 h\nlength = 1 h\n")
                  .find("test.ini:18: [session.s] needs a [protocol] section"),
              std::string::npos);
    EXPECT_NE(error_of(p + "[session.s]\nstart = 1 h\nlength = 1 h\nrates = drive 3 Hz\n")
                  .find("is not NAME: frequency"),
              std::string::npos);
    EXPECT_NE(
        error_of(p +
                 "[homeostasis.h]\ndrive = nosuch\npopulation = A\ntarget = 2 Hz\ntau = 1 day\n")
            .find("[homeostasis.h] drive = 'nosuch': there is no Poisson drive of that name"),
        std::string::npos);
    EXPECT_NE(
        error_of("[protocol]\nwindow = 0.25 ms\n")
            .find("test.ini:18: [protocol] window = '0.25 ms': is not a whole number of steps"),
        std::string::npos);
}

TEST(Timeline, OverlappingSessionsMayNotSetTheSameInput) {
    const std::string p = "[protocol]\nslow_step = 1 h\n";
    try {
        Timeline(with(p +
                      "[session.a]\nstart = 10 h\nlength = 3 h\nrates = drive: 1 Hz\n"
                      "[session.b]\nstart = 12 h\nlength = 1 h\nrates = drive: 2 Hz, cue: 5 Hz\n"));
        FAIL() << "no error";
    } catch (const input_error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("[session.b]"), std::string::npos) << m;
        EXPECT_NE(m.find("[session.a]"), std::string::npos) << m;
        EXPECT_NE(m.find("test.ini:"), std::string::npos) << m;
        EXPECT_NE(m.find("both set the rate of drive 'drive' at day 0 12:00"), std::string::npos)
            << m;
    }
    // Different inputs may overlap.
    EXPECT_NO_THROW(
        Timeline(with(p + "[session.a]\nstart = 10 h\nlength = 3 h\nrates = drive: 1 Hz\n"
                          "[session.b]\nstart = 12 h\nlength = 1 h\nrates = cue: 5 Hz\n")));
}

// enabled = false: the session is still checked (a trial arm must not hide a typo) but never
// held, so the run is the run without it, step for step.
TEST(Timeline, ADisabledSessionIsCheckedButNeverHeld) {
    const std::string p = "[protocol]\nslow_step = 6 h\n";
    const std::string cbt =
        "[session.cbt]\nstart = 10 h\nlength = 1 h\nevery = 1 day\nrates = cue: 5 Hz\n";
    const auto on = with(p + cbt);
    const auto off = with(p + cbt + "enabled = false\n");
    const auto without = with(p);
    ASSERT_EQ(on.protocol.sessions.size(), 1u);
    EXPECT_TRUE(off.protocol.sessions.empty());
    EXPECT_EQ(off.protocol.disabled_sessions, std::vector<std::string>{"cbt"});
    const Timeline t_on(on), t_off(off), t_without(without);
    EXPECT_GT(t_on.size(), t_without.size());  // cut at the session's edges
    ASSERT_EQ(t_off.size(), t_without.size());
    EXPECT_NE(
        t_off.describe().find("session cbt            disabled (enabled = false): never held"),
        std::string::npos)
        << t_off.describe();
    for (std::size_t k = 0; k < t_off.size(); ++k) {
        EXPECT_EQ(t_off.end_tick(k), t_without.end_tick(k));
        EXPECT_EQ(t_off.drive_rates(k), t_without.drive_rates(k));
    }
    EXPECT_NE(
        error_of(
            p +
            "[session.cbt]\nstart = 10 h\nlength = 1 h\nrates = nosuch: 5 Hz\nenabled = false\n")
            .find("there is no Poisson drive 'nosuch'"),
        std::string::npos);
    EXPECT_NE(error_of(p + cbt + "enabled = maybe\n").find("[session.cbt] enabled"),
              std::string::npos)
        << error_of(p + cbt + "enabled = maybe\n");
}

TEST(Timeline, TooManySlowStepsAreRefused) {
    auto m = with("[protocol]\nslow_step = 1 ms\n");
    m.simulation.duration_ms = 1e12;
    EXPECT_THROW(Timeline{m}, input_error);
}

TEST(Timeline, DescribeListsSessionsRegimensAndTheFirstDays) {
    const auto m = with(R"(
[protocol]
slow_step = 1 h
[session.sleep]
start = 23 h
length = 8 h
every = 1 day
asleep = true
)");
    const std::string d = Timeline(m).describe();
    EXPECT_NE(d.find("# timeline: 3 days in 72 slow steps"), std::string::npos) << d;
    EXPECT_NE(d.find("session sleep          day 0 23:00 for 8 h, every 24 h: asleep"),
              std::string::npos)
        << d;
    EXPECT_NE(d.find("day 1 07:00"), std::string::npos) << d;
}

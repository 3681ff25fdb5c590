// Multi-day courses (src/slow/course.hpp): the scheduler's bookkeeping, drug levels on the
// calendar clock, bitwise continuation from a checkpoint inside a window, layout independence,
// and the convergence of the compressed scheme to brute force as the window grows.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "chem/pharmacokinetics.hpp"
#include "course_util.hpp"
#include "memory_state.hpp"
#include "slow/course.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
/// Stops the simulation once it has passed `step` (a batch-job signal, in effect).
class StopAt final : public SimulationObserver {
  public:
    StopAt(Simulation& sim, std::uint64_t step) : sim_(sim), step_(step) {}
    void epoch(const EpochView& v) override {
        if (!fired_ && v.end_step >= step_) {
            fired_ = true;
            sim_.request_stop();
        }
    }

  private:
    Simulation& sim_;
    std::uint64_t step_;
    bool fired_ = false;
};

struct Result {
    std::vector<std::vector<double>> rows;
    std::vector<Spike> spikes;
};

Result run_course(const ModelSpec& m, int threads) {
    Simulation sim(m, make_serial_context(threads));
    Course course(sim);
    test::SlowRows rows;
    test::SpikeCollector spikes;
    course.run(course.total_ticks(), &spikes, &rows);
    EXPECT_TRUE(course.done());
    return {rows.rows, spikes.spikes};
}
}  // namespace

TEST(Course, OneRowPerSlowStepWithItsWindowAverages) {
    const auto m = test::load_model("tests/data/course_small.ini");
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    test::SlowRows rows;
    test::SpikeCollector spikes;
    course.run(course.total_ticks(), &spikes, &rows);
    const auto& tl = course.timeline();
    ASSERT_EQ(rows.rows.size(), tl.size());
    ASSERT_EQ(rows.ended.size(), tl.size());
    EXPECT_EQ(sim.current_step(), tl.total_fast_steps());
    const std::size_t t_col = test::slow_column(course, "time_h"),
                      r_col = test::slow_column(course, "rate/PFC_E");
    const auto pfc = static_cast<std::size_t>(m.population_index("PFC_E"));
    const std::uint64_t n0 = sim.first_gid(pfc), n = m.populations[pfc].size;
    for (std::size_t k = 0; k < tl.size(); ++k) {
        EXPECT_EQ(rows.rows[k][t_col], tl.hours(tl.end_tick(k)));
        // The rate is the spikes of the measured part (after settling) over N x window.
        const auto& w = rows.ended[k];
        const std::uint64_t from = w.fast_begin + tl.settle_steps(k);
        const auto count =
            std::count_if(spikes.spikes.begin(), spikes.spikes.end(), [&](const Spike& s) {
                return s.step > from && s.step <= w.fast_end && s.gid >= n0 && s.gid < n0 + n;
            });
        const double want =
            static_cast<double>(count) / (static_cast<double>(n) * tl.window_steps(k) * 1e-4);
        EXPECT_DOUBLE_EQ(rows.rows[k][r_col], want) << "step " << k;
        EXPECT_EQ(w.fast_end - w.fast_begin, tl.settle_steps(k) + tl.window_steps(k));
    }
    // The sleep session silences the raphe drive: DRN fires less in every sleep step.
    const std::size_t s_col = test::slow_column(course, "protocol/asleep"),
                      d_col = test::slow_column(course, "rate/DRN");
    double awake = 0, asleep = 0;
    int na = 0, ns = 0;
    for (const auto& r : rows.rows) {
        (r[s_col] > 0 ? asleep : awake) += r[d_col];
        (r[s_col] > 0 ? ns : na) += 1;
    }
    ASSERT_GT(ns, 0);
    EXPECT_LT(asleep / ns, 0.7 * awake / na);
}

// Drug levels move through each slow step on the calendar clock while its window runs: the
// window average of the plasma level is the average of the PK model over the step's calendar
// time (sampled where the chemistry steps fall), not the level at the window's start.
TEST(Course, DrugLevelsFollowTheCalendarClock) {
    const auto m = test::load_model("tests/data/course_small.ini");
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    test::SlowRows rows;
    course.run(course.total_ticks(), nullptr, &rows);
    const auto& tl = course.timeline();
    const std::size_t c = test::slow_column(course, "drug/escitalopram/plasma");
    Pharmacokinetics pk(m.chemistry);
    double worst = 0;
    for (std::size_t k = 0; k < tl.size(); ++k) {
        const auto& w = rows.ended[k];
        const double rate = static_cast<double>(tl.end_tick(k) - tl.begin_tick(k)) /
                            static_cast<double>(w.fast_end - w.fast_begin);
        const std::uint64_t from = w.fast_begin + tl.settle_steps(k);
        double sum = 0;
        int n = 0;
        for (std::uint64_t s = from + 10; s <= w.fast_end; s += 10) {  // chemistry steps of 1 ms
            pk.advance_to(tl.hours(tl.begin_tick(k)) +
                          static_cast<double>(s - w.fast_begin) * 0.1 * rate / 3.6e6);
            sum += pk.plasma_uM(0);
            ++n;
        }
        const double want = sum / n;
        if (want > 1e-4) worst = std::max(worst, std::abs(rows.rows[k][c] - want) / want);
    }
    EXPECT_LT(worst, 1e-9);
    // Dosed at 08:00 each day: the level before the first dose is 0, and it rises after it.
    EXPECT_EQ(rows.rows[0][c], 0.0);
    EXPECT_GT(rows.rows[5][c], 0.0);
}

// A checkpoint inside a window (a signal mid-window, on 2 threads) restores into a fresh
// simulation on 1 thread and continues bitwise: every slow row and every spike.
TEST(Course, ContinuesBitwiseFromACheckpointInsideAWindow) {
    const auto m = test::load_model("tests/data/course_small.ini");
    const Result whole = run_course(m, 1);
    for (const std::uint64_t stop :
         {std::uint64_t{2513}, std::uint64_t{20000}, std::uint64_t{47777}}) {
        test::MemoryState state;
        test::SlowRows first;
        test::SpikeCollector spikes;
        std::size_t steps_done = 0;
        {
            Simulation sim(m, make_serial_context(2));
            Course course(sim);
            StopAt stopper(sim, stop);
            course.run(course.total_ticks(), &stopper, &first);
            ASSERT_FALSE(course.done());
            steps_done = course.current_step();
            sim.save_state(state);
        }
        // Spikes before the stop come from the uninterrupted run (the split is only of state).
        Simulation sim(m, make_serial_context(1));
        Course course(sim);
        sim.load_state(state);
        EXPECT_EQ(course.current_step(), steps_done);
        test::SlowRows second;
        course.run(course.total_ticks(), &spikes, &second);
        std::vector<std::vector<double>> rows = first.rows;
        rows.insert(rows.end(), second.rows.begin(), second.rows.end());
        ASSERT_EQ(rows.size(), whole.rows.size()) << "stop at " << stop;
        for (std::size_t k = 0; k < rows.size(); ++k)
            EXPECT_EQ(rows[k], whole.rows[k]) << "row " << k << ", stop at " << stop;
        std::vector<Spike> after(
            whole.spikes.end() - static_cast<std::ptrdiff_t>(spikes.spikes.size()),
            whole.spikes.end());
        EXPECT_EQ(spikes.spikes, after) << "stop at " << stop;
    }
}

TEST(Course, ResultsDoNotDependOnThreads) {
    const auto m = test::load_model("tests/data/course_small.ini", {"simulation.duration=1 day"});
    const Result a = run_course(m, 1), b = run_course(m, 3);
    EXPECT_EQ(a.rows, b.rows);
    EXPECT_EQ(a.spikes, b.spikes);
}

// The heterogeneous multiscale scheme converges to brute force as the window grows: a drive
// regulated homeostatically with accelerated constants (tau 10 s, slow step 1 s) is run brute
// force (window = slow step) and compressed with windows of 2 %, 10 % and 50 % of the step.
// The RMS distance of the gain trajectory from brute force must fall with the window
// (docs/slow-engine.md reports the whole curve).
TEST(Course, CompressedRunsConvergeToBruteForceAsTheWindowGrows) {
    auto gain_of = [](double window_s) {
        const auto m = test::load_model("tests/data/convergence.ini",
                                        {"protocol.window=" + std::to_string(window_s) + " s"});
        Simulation sim(m, make_serial_context(0));
        Course course(sim);
        test::SlowRows rows;
        course.run(course.total_ticks(), nullptr, &rows);
        const std::size_t c = test::slow_column(course, "state/homeostasis/E/gain");
        std::vector<double> g;
        for (const auto& r : rows.rows)
            g.push_back(r[c]);
        return g;
    };
    const auto ref = gain_of(1.0);
    ASSERT_EQ(ref.size(), 60u);
    EXPECT_LT(ref.back(), 0.8);  // the regulation acted: the drive was too strong at first
    std::vector<double> err;
    for (const double w : {0.02, 0.1, 0.5}) {
        const auto g = gain_of(w);
        double s = 0;
        for (std::size_t k = 0; k < g.size(); ++k)
            s += (g[k] - ref[k]) * (g[k] - ref[k]);
        err.push_back(std::sqrt(s / static_cast<double>(g.size())));
    }
    std::printf("RMS error of the gain vs brute force, W/D = 0.02, 0.1, 0.5: %.4g %.4g %.4g\n",
                err[0], err[1], err[2]);
    EXPECT_GT(err[0], 1.5 * err[1]);
    EXPECT_GT(err[1], 1.5 * err[2]);
}

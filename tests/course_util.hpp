// Helpers shared by the course tests: collect the /slow rows of a course, find a column, run a
// whole course.
#pragma once

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "neurochem/context.hpp"
#include "slow/course.hpp"

namespace neurochem::test {

class SlowRows : public CourseObserver {
  public:
    void window_begins(const WindowInfo& w) override { begun.push_back(w); }
    void window_ends(const WindowInfo& w) override { ended.push_back(w); }
    void slow_row(std::span<const double> v) override { rows.emplace_back(v.begin(), v.end()); }
    std::vector<WindowInfo> begun, ended;
    std::vector<std::vector<double>> rows;
};

/// Index of the /slow column `path` (a test failure if there is none).
inline std::size_t slow_column(const Course& c, const std::string& path) {
    const auto& cols = c.slow_columns();
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (cols[i].path == path) return i;
    }
    ADD_FAILURE() << "no column " << path;
    return 0;
}

/// A whole course of `m` on one process and `threads` threads, run on construction and kept with
/// its simulation (for tests that look at the fast model's state after it) and its /slow rows.
struct CourseRun {
    explicit CourseRun(const ModelSpec& m, int threads = 1)
        : sim(m, make_serial_context(threads)), course(sim) {
        course.run(course.total_ticks(), nullptr, &slow);
    }
    /// Index of the /slow column `path` in slow.rows.
    std::size_t col(const std::string& path) const { return slow_column(course, path); }
    Simulation sim;
    Course course;
    SlowRows slow;
};

/// The /slow rows of a whole course of `m` on one process, one thread, with the indices of the
/// columns `paths` in that order.
struct CourseRows {
    std::vector<std::vector<double>> rows;
    std::vector<std::size_t> col;
};
inline CourseRows run_course(const ModelSpec& m, const std::vector<std::string>& paths) {
    CourseRun r(m);
    CourseRows out{std::move(r.slow.rows), {}};
    for (const auto& p : paths)
        out.col.push_back(r.col(p));
    return out;
}

}  // namespace neurochem::test

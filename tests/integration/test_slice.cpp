// Slice sessions ([session.NAME] isolate, docs/slow-engine.md) on tests/data/slice.ini.
#include <gtest/gtest.h>

#include "course_util.hpp"
#include "test_util.hpp"

using namespace neurochem;

// A slice session ([session] isolate, tests/data/slice.ini) cuts the isolated population's
// synaptic input while it lasts (the windows of its steps are silent) and restores it after.
TEST(SliceSession, AnIsolatedPopulationGetsNoInputAndGetsItBackAfter) {
    const auto r = test::run_course(test::load_model("tests/data/slice.ini"),
                                    {"time_h", "step_h", "rate/CTX"});
    ASSERT_EQ(r.rows.size(), 15u);
    std::size_t inside = 0;
    for (const auto& row : r.rows) {
        const double begin = row[r.col[0]] - row[r.col[1]];
        if (begin >= 10.0 && begin < 20.0) {
            ++inside;
            EXPECT_EQ(row[r.col[2]], 0.0) << "step at " << begin << " h";
        } else {
            EXPECT_GT(row[r.col[2]], 10.0) << "step at " << begin << " h";
        }
    }
    EXPECT_EQ(inside, 5u);
}

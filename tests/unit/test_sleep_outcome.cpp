// collect's "sleep" outcome source (src/sweep/outcomes.cpp): the longest time asleep in a row
// from /slow/state/sleep/asleep and the slow steps' lengths, and sleep.locked once it reaches
// the hours after which the flip-flop is taken as locked (src/slow/sleep_lock.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "slow/sleep_lock.hpp"
#include "sweep/outcomes.hpp"

namespace neurochem::sweep {
namespace {

std::string write_course(const std::string& name, const std::vector<double>& step_h,
                         const std::vector<double>& asleep) {
    const std::string path = std::string(NEUROCHEM_TEST_SCRATCH_DIR) + "/" + name;
    h5::quiet_errors();
    h5::Handle f(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    h5::Handle slow = h5::create_group(f, "slow");
    std::vector<double> t;
    double now = 0;
    for (double d : step_h)
        t.push_back(now += d);
    h5::write_dataset(slow, "time_h", H5T_NATIVE_DOUBLE, t.data(), t.size());
    h5::write_dataset(slow, "step_h", H5T_NATIVE_DOUBLE, step_h.data(), step_h.size());
    h5::Handle state = h5::create_group(slow, "state");
    h5::Handle sleep = h5::create_group(state, "sleep");
    h5::write_dataset(sleep, "asleep", H5T_NATIVE_DOUBLE, asleep.data(), asleep.size());
    return path;
}

double value(const std::vector<OutcomeValue>& v, const std::string& column) {
    for (const auto& x : v)
        if (x.column == column) return x.value;
    ADD_FAILURE() << "no column " << column;
    return -1;
}

TEST(SleepOutcome, LongestRunOfSleepAndTheLock) {
    // Nights of 8 h in 2-hour steps, then one 34-hour sleep between awake steps: not locked.
    std::vector<double> step(60, 2.0), asleep(60, 0.0);
    for (int k = 0; k < 60; ++k)
        asleep[k] = (k < 36 && k % 12 >= 8) || (k >= 40 && k < 57) ? 1.0 : 0.0;
    auto v = read_outcomes(write_course("sleep_ordinary.h5", step, asleep), false);
    EXPECT_DOUBLE_EQ(value(v, "sleep.longest_asleep [h]"), 34.0);
    EXPECT_DOUBLE_EQ(value(v, "sleep.locked"), 0.0);
    // Steps of unequal length count by their hours: 30 h + 6 h asleep reach the lock.
    v = read_outcomes(write_course("sleep_locked.h5", {2.0, 30.0, 6.0, 2.0}, {0, 1, 1, 0}), false);
    EXPECT_DOUBLE_EQ(value(v, "sleep.longest_asleep [h]"), sleep_lock_after_h);
    EXPECT_DOUBLE_EQ(value(v, "sleep.locked"), 1.0);
}

TEST(SleepOutcome, NoSleepStateNoColumns) {
    const std::string path = std::string(NEUROCHEM_TEST_SCRATCH_DIR) + "/sleep_none.h5";
    {
        h5::Handle f(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
        h5::create_group(f, "slow");
    }
    for (const auto& x : read_outcomes(path, false))
        EXPECT_NE(x.column.rfind("sleep.", 0), 0u) << x.column;
}

}  // namespace
}  // namespace neurochem::sweep

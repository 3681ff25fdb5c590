// The main job: `neurochem run` without a config. An eight-week course of a vulnerable virtual
// patient on escitalopram after a one-week baseline, beside the same patient untreated (same
// seed), from the embedded configs/main/*.ini; then a weekly table of both arms on the terminal
// and in OUT_weekly.csv, and a PNG of the trajectories (tools/plot_main.py) when Python with
// matplotlib is there (docs/user-guide.md, "The main job").
#pragma once

#include <string>
#include <vector>

#include "app/execute.hpp"
#include "comm/environment.hpp"

namespace neurochem::app {

struct MainJobOptions {
    std::string output;  ///< the treated arm's file; the untreated arm's is OUT_untreated.h5
    std::vector<std::string> sets;
    std::string seed;
    ExecuteOptions execute;  ///< checkpoints, quiet, command line (output is set per arm)
    int threads = 0;
    std::string checkpoint_every;  ///< --checkpoint-every as given ("" for none)
    /// Run the arms one after the other in this process (else, in a single process with at
    /// least two cores and one thread per arm, the untreated arm runs in a second process).
    bool arms_in_turn = false;
    /// Internal (the second process): run only this arm, as the main job would, no table.
    int only_arm = -1;
};

int run_main_job(const MainJobOptions& options, const MpiSession& mpi);

/// Weekly rows of a course output (rank-independent; reads /slow): row 0 the week before
/// origin_h (the baseline), row k the k-th week after it: awake means of raphe firing and PFC
/// 5-HT, SERT occupancy, autoreceptor efficacy and BDNF at the week's end, the daily readouts
/// of amygdala output and sleep averaged over the week's days, the rating and the flags at its
/// end. Column names as printed.
struct WeeklyTable {
    std::vector<std::string> columns;
    std::vector<std::vector<double>> rows;  ///< NaN where the file has no such quantity
};
WeeklyTable weekly_table(const std::string& path, double origin_h);

}  // namespace neurochem::app

// `neurochem sweep ... --local -j N`: each point runs as a child process of this binary
// (`neurochem sweep DIR --task I`, the code SLURM array tasks run), at most N at a time, with
// its output appended to the point's log. A crash of one point is recorded as failed with its
// log path; the others go on. A progress line on stderr shows done/running/failed and the ETA.
// Ctrl-C, SIGTERM or SIGUSR1: the running points write a checkpoint and stop (exit code 3; a
// re-run resumes them), no new point starts; a second Ctrl-C kills them.
#pragma once

#include <string>
#include <vector>

#include "sweep/manifest.hpp"

namespace neurochem::sweep {

struct LocalOptions {
    std::size_t jobs = 1;
    std::string exe;                     ///< the neurochem binary (this one)
    std::vector<std::string> task_args;  ///< forwarded to every child (--threads, ...)
    std::size_t already_done = 0;        ///< points done before this run (for the progress line)
    bool quiet = false;
};

/// Runs `points` and returns 0 if all are done, 1 if any failed, 3 if stopped by a signal.
int run_local(const Manifest& m, const std::vector<std::size_t>& points, const LocalOptions& o);

}  // namespace neurochem::sweep

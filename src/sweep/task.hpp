// Running sweep points in this process: the code behind `neurochem sweep DIR --task T`, which
// both the local runner's child processes and SLURM array tasks execute, so a point runs the
// same way everywhere. For each point of the task, in order:
//   done        -> skipped;
//   checkpoint  -> `neurochem resume` of its checkpoint directory;
//   otherwise   -> `neurochem run points/NNNN/config.ini -o points/NNNN/out.h5` (a stale
//                  output is first renamed to out.stale-TIME.h5, never deleted);
// with stdout and stderr appended to the point's log, and its status file updated (running,
// then done, failed or interrupted). A failed point is recorded and the next one starts; a stop
// signal (exit code 3, checkpoint written) ends the task. Collective under MPI: rank 0 decides
// and writes the status, every rank runs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "sweep/manifest.hpp"

namespace neurochem::sweep {

struct TaskOptions {
    int threads = 0;                 ///< per rank; 0: chosen from the work per epoch (at most OMP_NUM_THREADS or the cores)
    std::string checkpoint_every;    ///< "" for none (a signal still writes one)
    bool keep_checkpoints = false;   ///< keep a point's checkpoints after it completes
    std::string command_line;        ///< recorded in each point's provenance
    long fault_point = -1;           ///< testing: this point...
    std::string fault;               ///< ...aborts the process ("abort") or fails at step N ("N")
};

/// Runs `neurochem COMMAND ARGS` ("run" or "resume") in this process and returns its exit code.
using Subcommand = std::function<int(const std::string& command, const std::vector<std::string>& args,
                                     const std::string& command_line)>;

/// Returns 0 if every point is done, 1 if any failed, 3 if a signal stopped the task (the
/// running point wrote a checkpoint; later points were not started).
int run_points(const Manifest& m, const std::vector<std::size_t>& points, const TaskOptions& o, Communicator& comm,
               const Subcommand& subcommand);

/// The points of array task `task` with `per_task` points per task.
std::vector<std::size_t> task_points(std::size_t task, std::size_t per_task, std::size_t n_points);

}  // namespace neurochem::sweep

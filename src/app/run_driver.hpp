// Runs a simulation (through its course: the slow steps of a protocol, or one plain run) to its
// end with output, progress, periodic checkpoints and batch-job signals: SIGTERM or SIGUSR1 make
// every rank finish the current epoch, write a checkpoint and return exit_checkpointed, so a job
// script can requeue and `neurochem resume`.
#pragma once

#include <cstdint>
#include <string>

#include "app/progress.hpp"
#include "io/checkpoint.hpp"
#include "io/output_writer.hpp"
#include "neurochem/simulation.hpp"
#include "slow/course.hpp"

namespace neurochem::app {

/// Exit code of a run that stopped on a signal after writing a checkpoint.
inline constexpr int exit_checkpointed = 3;

struct CheckpointOptions {
    double every_ms = 0;  ///< 0: only on a signal; with a protocol, calendar time (at the
                          ///< end of the slow step that reaches it)
    std::string dir;
    std::uint64_t keep = 2;
    int stall_at_checkpoint = 0;  ///< testing: the N-th checkpoint stalls mid-write
};

class RunDriver {
  public:
    RunDriver(Simulation& sim, Course& course, OutputWriter& writer, CheckpointOptions options,
              CheckpointHeader header_template, bool talk);
    /// Adds an observer (progress, fault injection) called after the writer.
    void add_observer(SimulationObserver* o) { observers_.add(o); }
    /// Runs to the end of the simulation or to a signal. Returns 0 or exit_checkpointed.
    int run();
    /// Collective: writes a checkpoint of the current state now; returns its path.
    std::string checkpoint();

  private:
    class StopWatcher;
    Simulation& sim_;
    Course& course_;
    OutputWriter& writer_;
    CheckpointOptions options_;
    CheckpointHeader header_;
    bool talk_;
    ObserverList observers_;
    int checkpoints_written_ = 0;
};

}  // namespace neurochem::app

// The part of `run` and `resume` after the config is known: build (and restore), run with
// output, progress, checkpoints and signals, finish the output, print the summary. Handles a
// failure on one rank by ending the whole job.
#pragma once

#include <cstdint>
#include <string>

#include "app/run_driver.hpp"
#include "config/config.hpp"
#include "neurochem/context.hpp"

namespace neurochem::app {

struct ExecuteOptions {
    std::string output;  ///< final output path
    std::string command_line;
    bool quiet = false;
    CheckpointOptions checkpoints;
    int fault_rank = -1;  ///< testing: --inject-fault RANK:STEP
    std::uint64_t fault_step = 0;
    std::string resume_checkpoint;  ///< restore this checkpoint first ("" for a fresh run)
    std::string resume_output;      ///< the checkpointed run's output file to continue
};

int execute(const config::ResolvedConfig& cfg, const ModelSpec& model, const Context& ctx,
            const ExecuteOptions& options);

/// "" if OUT can be written, else the reason (checked on rank 0, shared with all).
std::string output_problem(const std::string& out, Communicator& comm);

/// "" or why a new run may not write its checkpoints to `dir`: it holds checkpoints of an
/// earlier run (the new run's would be mixed with them, and pruning by age would delete the
/// new ones). Decided on rank 0, the same text on every rank.
std::string checkpoint_dir_problem(const std::string& dir, Communicator& comm);
/// The default checkpoint directory of an output file: OUT without .h5, plus ".checkpoints".
std::string default_checkpoint_dir(const std::string& out);
/// Parses --inject-fault: "RANK:STEP" or "checkpoint-stall:N".
void parse_fault(const std::string& text, ExecuteOptions& options);

}  // namespace neurochem::app

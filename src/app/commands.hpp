// Subcommands of the neurochem executable. Each returns the process exit code:
//   0 success, 1 failure of the run or a bug, 2 bad input (command line, config, input file).
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace neurochem {
class MpiSession;
}

namespace neurochem::app {

using Args = std::vector<std::string>;  // arguments after the subcommand

int cmd_run(const Args& args, const std::string& command_line, const MpiSession& mpi);
int cmd_compare(const Args& args);
int cmd_pk(const Args& args);
int cmd_resume(const Args& args, const std::string& command_line, const MpiSession& mpi);
int cmd_check(const Args& args);
int cmd_config_reference(const Args& args);
int cmd_sweep(const Args& args, const MpiSession& mpi);
int cmd_collect(const Args& args);
int cmd_rerun(const Args& args, const std::string& command_line, const MpiSession& mpi);

/// Loads CONFIG (or the embedded default when empty), applies --set overrides in order and
/// --seed, and resolves it.
config::ResolvedConfig load_config(const std::string& path, const std::vector<std::string>& sets,
                                   const std::string& seed);

}  // namespace neurochem::app

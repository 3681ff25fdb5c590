// Command-line pieces shared by the subcommands (Boost.Program_options).
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace neurochem {
class MpiSession;
}

namespace neurochem::app {

namespace po = boost::program_options;

/// Parses a subcommand's arguments: the visible options (shown by --help), hidden ones (the
/// positional argument, testing switches) and up to `max_positional` positional arguments
/// stored under the hidden option `positional`. Throws po::error on bad input.
po::variables_map parse_command_line(const std::vector<std::string>& args,
                                     const po::options_description& visible,
                                     const po::options_description& hidden, const char* positional,
                                     int max_positional = 1);

/// --checkpoint-every, --checkpoint-dir and --keep (run and resume).
void add_checkpoint_options(po::options_description& opts, std::string& every, std::string& dir,
                            std::uint64_t& keep);

/// --checkpoint-every's value in ms (0 when empty); at least one time step.
double parse_checkpoint_every(const std::string& every, double dt_ms);

/// An input error unless --threads, when given, is at least 1.
/// --threads must be >= 1 and fit the smallest node of the job (OMP_THREAD_LIMIT, 8 per core):
/// decided alike on every MPI rank (the limits are reduced over the ranks), so no rank goes on
/// alone into a collective while another refused.
void require_valid_threads(const po::variables_map& vm, int threads, const MpiSession& mpi);
/// The same for one process (sweep: its points' threads, checked against this machine).
void require_valid_threads(const po::variables_map& vm, int threads);

}  // namespace neurochem::app

#include "app/cli.hpp"

#include <omp.h>

#include "comm/communicator.hpp"
#include "comm/environment.hpp"
#include "config/units.hpp"
#include "core/threading.hpp"
#include "neurochem/errors.hpp"

namespace neurochem::app {

po::variables_map parse_command_line(const std::vector<std::string>& args,
                                     const po::options_description& visible,
                                     const po::options_description& hidden, const char* positional,
                                     int max_positional) {
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description pos;
    pos.add(positional, max_positional);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
    return vm;
}

namespace {
void check_keep(const std::uint64_t& k) {
    // (Boost reads "-1" as 2^64 - 1 for an unsigned value.)
    if (k < 1 || k > 1000) {
        throw input_error("--keep " + std::to_string(k) +
                          ": keep 1 to 1000 checkpoints (resume needs the newest; an older one "
                          "is the fallback if the newest is damaged).");
    }
}
}  // namespace

void add_checkpoint_options(po::options_description& opts, std::string& every, std::string& dir,
                            std::uint64_t& keep) {
    opts.add_options()(
        "checkpoint-every", po::value(&every),
        "write a checkpoint every T of simulated time (with a unit: '10 s', '1 day')")(
        "checkpoint-dir", po::value(&dir),
        "checkpoint directory (default: OUT without .h5, + .checkpoints)")(
        "keep", po::value(&keep)->notifier(&check_keep),
        "checkpoints to keep, 1 to 1000 (default 2)");
}

double parse_checkpoint_every(const std::string& every, double dt_ms) {
    if (every.empty()) return 0.0;
    double ms = 0;
    try {
        ms = config::parse_quantity(every, config::Dimension::time);
    } catch (const config::ValueError& e) {
        throw input_error("--checkpoint-every " + every + ": " + e.what() + ".");
    }
    if (!(ms >= dt_ms))
        throw input_error("--checkpoint-every " + every + ": must be at least one time step.");
    return ms;
}

void require_valid_threads(const po::variables_map& vm, int threads) {
    if (vm.count("threads") && threads < 1) {
        throw input_error("--threads " + std::to_string(threads) + ": must be at least 1.");
    }
    if (vm.count("threads")) ThreadTeam::check_size(threads);
}

void require_valid_threads(const po::variables_map& vm, int threads, const MpiSession& mpi) {
    if (!vm.count("threads")) return;
    if (threads < 1) {
        throw input_error("--threads " + std::to_string(threads) + ": must be at least 1.");
    }
    // Before anything is built, with the smallest node's limits (one decision for all ranks).
    Communicator& comm = *mpi.context(1).comm;
    const int cores = -static_cast<int>(comm.max(-static_cast<double>(omp_get_num_procs())));
    const int limit = -static_cast<int>(comm.max(-static_cast<double>(omp_get_thread_limit())));
    ThreadTeam::check_size(
        threads, cores, limit,
        comm.size() > 1 ? "on the smallest node of this job" : "on this machine");
}

}  // namespace neurochem::app

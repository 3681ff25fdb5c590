// neurochem: command-line entry point. Dispatches to a subcommand and maps exceptions to exit
// codes: 2 for bad input (nothing has been written), 1 for a failed run or a bug.
#include <hdf5.h>
#include <boost/program_options/errors.hpp>

#include <cstdio>
#include <iostream>
#include <string>

#include "app/commands.hpp"
#include "app/install_layout.hpp"
#include "app/run_driver.hpp"
#include "comm/environment.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/version.hpp"
#include "util/stop_signal.hpp"

namespace {

const char* usage =
    "usage: neurochem <command> [options]\n"
    "\n"
    "commands:\n"
    "  run [CONFIG]        run a simulation (no CONFIG: the embedded default model)\n"
    "  resume CKPT|DIR     continue a run from a checkpoint (any ranks and threads)\n"
    "  check CONFIG        validate CONFIG and print the resolved config and its hash\n"
    "  config-reference    list every config key: type, unit, default, meaning\n"
    "  compare A.h5 B.h5   compare two outputs (exact, or --rtol); exit 0 same, 1 different\n"
    "  pk CONFIG           drug concentrations and target occupancies of CONFIG's regimens\n"
    "  sweep SPEC|DIR      parameter sweep / virtual cohort: --dry-run, --local -j N, --slurm\n"
    "  collect DIR         one table (.csv, .h5) of a sweep's parameters, states and outcomes\n"
    "  rerun OUT.h5        re-execute a run from its provenance and check it bitwise\n"
    "\n"
    "  neurochem <command> --help   options of a command\n"
    "  neurochem --version          version, git revision, build type\n"
    "\n"
    "exit codes: 0 success, 1 run failed (or a bug), 2 bad input (nothing written),\n"
    "            3 stopped by SIGTERM/SIGUSR1/SIGINT (Ctrl-C): a run writes a checkpoint first\n"
    "            (resume to continue); other commands stop before writing more\n"
    "\n"
    "Under mpirun (or srun) the populations are distributed over the ranks; results are\n"
    "identical for any number of ranks and threads.\n";

int dispatch(int argc, char** argv, const neurochem::MpiSession& mpi) {
    std::string command_line;
    for (int i = 0; i < argc; ++i)
        command_line += (i ? " " : "") + std::string(argv[i]);
    if (argc < 2) {
        std::fputs(usage, stderr);
        return 2;
    }
    const std::string cmd = argv[1];
    const neurochem::app::Args args(argv + 2, argv + argc);
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::fputs(usage, stdout);
        return 0;
    }
    if (cmd == "--version" || cmd == "-V") {
        std::printf("neurochem %s\ngit revision %s\nbuild type %s\ncompiler %s\nflags %s\n",
                    neurochem::version(), neurochem::git_revision(), neurochem::build_type(),
                    neurochem::compiler(), neurochem::compile_flags());
        const auto where = neurochem::app::install_layout();
        if (where.installed)
            std::printf("installed in %s (binary %s, data %s)\n", where.prefix.c_str(),
                        where.executable.c_str(), where.data_dir.c_str());
        else
            std::printf("build tree: binary %s, data %s\n", where.executable.c_str(),
                        where.data_dir.empty() ? "(not found)" : where.data_dir.c_str());
        return 0;
    }
    if (cmd == "run") return neurochem::app::cmd_run(args, command_line, mpi);
    if (cmd == "compare") return neurochem::app::cmd_compare(args);
    if (cmd == "pk") return neurochem::app::cmd_pk(args);
    if (cmd == "resume") return neurochem::app::cmd_resume(args, command_line, mpi);
    if (cmd == "check") return neurochem::app::cmd_check(args);
    if (cmd == "config-reference") return neurochem::app::cmd_config_reference(args);
    if (cmd == "sweep") return neurochem::app::cmd_sweep(args, mpi);
    if (cmd == "collect") return neurochem::app::cmd_collect(args);
    if (cmd == "rerun") return neurochem::app::cmd_rerun(args, command_line, mpi);
    std::fprintf(stderr, "neurochem: error: unknown command '%s'\n\n%s", cmd.c_str(), usage);
    return 2;
}

}  // namespace

// Errors before the simulation starts (command line, config) are the same on every rank: each
// rank exits with the code and rank 0 prints the message. A failure during a distributed run
// is handled in cmd_run, which ends the whole job (MPI_Abort).
int main(int argc, char** argv) {
    // HDF5's own clean-up at exit walks objects left behind by a failed file close (a full
    // disk) and crashed there (a serial run; under MPI, parallel HDF5 also cleans up at
    // MPI_Finalize, which this does not change); every file is closed explicitly.
    H5dont_atexit();
    int rank = 0;
    try {
        const neurochem::MpiSession mpi(&argc, &argv);
        rank = mpi.context(1).rank();
        // From here on SIGTERM/SIGUSR1/SIGINT only set a flag: a run checkpoints at the next
        // epoch (even one signalled while it is still building its network) and exits with
        // code 3; other long loops stop with code 3 (util/stop_signal.hpp).
        neurochem::install_stop_signal_handlers();
        return dispatch(argc, argv, mpi);
    } catch (const neurochem::input_error& e) {
        if (rank == 0) std::fprintf(stderr, "neurochem: error: %s\n", e.what());
        return 2;
    } catch (const boost::program_options::error& e) {
        if (rank == 0)
            std::fprintf(stderr, "neurochem: error: %s (see neurochem --help)\n", e.what());
        return 2;
    } catch (const neurochem::stopped_error& e) {
        if (rank == 0) std::fprintf(stderr, "neurochem: %s\n", e.what());
        return 3;
    } catch (const neurochem::internal_error& e) {
        std::fprintf(stderr, "neurochem: internal error (a bug, please report it): %s\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "neurochem: error: %s\n", e.what());
        return 1;
    }
}

#include <boost/program_options.hpp>

#include <filesystem>
#include <iostream>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/execute.hpp"
#include "app/main_job.hpp"
#include "comm/communicator.hpp"
#include "comm/environment.hpp"
#include "neurochem/errors.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace neurochem::app {

int cmd_run(const Args& args, const std::string& command_line, const MpiSession& mpi) {
    po::options_description opts("neurochem run [CONFIG] [options]");
    std::string path, out, seed, fault, every, dir;
    std::vector<std::string> sets;
    std::uint64_t keep = 2;
    int threads = 0;
    bool quiet = false, help = false, in_turn = false;
    int main_job_arm = -1;
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "output,o", po::value(&out), "output HDF5 file (default: CONFIG's stem + .h5)")(
        "set", po::value(&sets)->composing(), "override a key: section.key=value (repeatable)")(
        "seed", po::value(&seed), "override simulation.seed")(
        "threads", po::value(&threads),
        "OpenMP threads per rank (default: chosen from the work per epoch, at most OMP_NUM_THREADS "
        "or the cores)")("quiet,q", po::bool_switch(&quiet), "print errors only")(
        "arms-in-turn", po::bool_switch(&in_turn),
        "main job: run its two arms one after the other in this process (default: side by side "
        "in two processes when there are two cores, one process and one thread per arm)");
    add_checkpoint_options(opts, every, dir, keep);
    po::options_description hidden;
    hidden.add_options()("config", po::value(&path))("inject-fault", po::value(&fault),
                                                     "testing: RANK:STEP or checkpoint-stall:N")(
        "main-job-arm", po::value(&main_job_arm), "internal: one arm of the main job");
    const auto vm = parse_command_line(args, opts, hidden, "config");
    if (help) {
        std::cout
            << "Runs a simulation of CONFIG and writes spikes, rates, a summary and provenance "
               "to an HDF5\nfile. Under mpirun the populations are distributed over the "
               "ranks. SIGTERM, SIGUSR1\nor Ctrl-C make it write a checkpoint and exit with code 3 "
               "(continue with `neurochem resume`).\n\nWithout CONFIG: the main job, an "
               "eight-week course of a vulnerable virtual patient on\nescitalopram beside "
               "the same patient untreated (embedded configs/main/*.ini): OUT\n(default "
               "default.h5) and OUT_untreated.h5, a weekly table (printed and "
               "OUT_weekly.csv)\nand OUT.png. --set applies to both arms.\n\n"
            << opts;
        return 0;
    }
    require_valid_threads(vm, threads, mpi);
    if (vm.count("output") && out.empty())
        throw input_error(
            "-o '': an empty file name; name the output file (OUT.h5), or leave -o out for the "
            "default.");
    ExecuteOptions o;
    if (!fault.empty()) parse_fault(fault, o);

    if (path.empty()) {
        MainJobOptions m;
        m.output = out.empty() ? "default.h5" : out;
        m.sets = sets;
        m.seed = seed;
        m.threads = threads;
        m.checkpoint_every = every;
        m.arms_in_turn = in_turn;
        m.only_arm = main_job_arm;
        m.execute.command_line = command_line;
        m.execute.quiet = quiet;
        m.execute.checkpoints.dir = dir;
        m.execute.checkpoints.keep = keep;
        if (!fault.empty()) parse_fault(fault, m.execute);
        return run_main_job(m, mpi);
    }
    if (in_turn || main_job_arm >= 0)
        throw input_error(std::string(in_turn ? "--arms-in-turn" : "--main-job-arm") +
                          " is for the main job (neurochem run without a CONFIG); " + path +
                          " is one run.");
    // Everything up to here is identical on every rank, and so are its errors.
    const auto cfg = load_config(path, sets, seed);
    const ModelSpec model = config::to_model(cfg);
    o.output =
        out.empty() ? (path.empty() ? "default.h5" : fs::path(path).stem().string() + ".h5") : out;
    o.command_line = command_line;
    o.quiet = quiet;
    o.checkpoints.every_ms = parse_checkpoint_every(every, model.simulation.dt_ms);
    o.checkpoints.dir = dir.empty() ? default_checkpoint_dir(o.output) : dir;
    o.checkpoints.keep = keep;
    const Context ctx = mpi.context(threads);
    if (const auto problem = output_problem(o.output, *ctx.comm); !problem.empty())
        throw input_error(problem);
    if (const auto problem = checkpoint_dir_problem(o.checkpoints.dir, *ctx.comm); !problem.empty())
        throw input_error(problem);
    return execute(cfg, model, ctx, o);
}

}  // namespace neurochem::app

// neurochem sweep SPEC|DIR: parameter sweeps and virtual cohorts (docs/sweeps.md). Plans a
// sweep spec into a sweep directory (manifest + one frozen config per point) and lists it
// (--dry-run), runs it here (--local) or writes a SLURM job array (--slurm); --task runs the
// points of one array task (what --local's child processes and the job script execute).
#include <boost/program_options.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "comm/communicator.hpp"
#include "comm/environment.hpp"
#include "neurochem/errors.hpp"
#include "sweep/cost.hpp"
#include "sweep/listing.hpp"
#include "sweep/local_runner.hpp"
#include "sweep/slurm_script.hpp"
#include "sweep/task.hpp"
#include "util/child_process.hpp"
#include "util/stop_signal.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace neurochem::app {

namespace {
using namespace neurochem::sweep;

struct Options {
    std::string target, dir, points, every, fault;
    bool dry_run = false, local = false, status = false, keep_checkpoints = false, submit = false,
         quiet = false;
    std::string slurm;  // "" unless --slurm (then "-" or a directory)
    long task = -1;
    int threads = 0, ranks = 1, signal_seconds = 120;
    std::size_t jobs = 0, max_parallel = 0;
    std::string per_task = "auto", time, mem, partition, account, job_name;
    std::vector<std::string> modules, sbatch_options;
};

const char* help_text =
    "Runs a parameter sweep or virtual cohort: the points of a sweep spec (a base config, values\n"
    "to vary, replicate seeds, random samples), each an independent run with its own output.\n"
    "The sweep directory (default: SPEC's stem + .sweep) holds manifest.tsv and points/NNNN/\n"
    "with config.ini, out.h5, log.txt and status. Re-running skips points that are done,\n"
    "resumes points that left a checkpoint and re-runs failed ones. docs/sweeps.md has the\n"
    "spec format:\n"
    "  [sweep]     config = ../brunel.ini  seed = 1  replicates = 2  seeds = "
    "per_point|common|config\n"
    "  [set]       simulation.duration = 500 ms            (every point)\n"
    "  [grid]      poisson.ext_E.rate = 15 Hz, 20 Hz       (cartesian product; linspace(a, b, n))\n"
    "  [zip.NAME]  keys with equally long lists, varied together\n"
    "  [sample]    count = 50   drug.x.half_life = lognormal(30 h, 8 h, 10 h, 80 h)\n"
    "\n"
    "  neurochem sweep SPEC --dry-run                  list the points and their cost; write "
    "nothing\n"
    "  neurochem sweep SPEC --local -j 4 --threads 2   run here, 4 points at a time\n"
    "  neurochem sweep SPEC --slurm --time 2h --threads 8   write DIR/sweep_array.sbatch\n"
    "  neurochem sweep DIR [--status]                  the state of every point\n"
    "  neurochem collect DIR -o table.csv              one table of parameters and outcomes\n"
    "\n"
    "Exit codes: 0 every point done (or listed), 1 some point failed (the others ran), 2 bad\n"
    "input (nothing written), 3 stopped by a signal (running points wrote a checkpoint).\n";

std::vector<PointStatus> inspect_all(const Manifest& m) {
    std::vector<PointStatus> s;
    for (const auto& row : m.rows)
        s.push_back(inspect_point(m, row));
    return s;
}

std::vector<std::size_t> selection(const Options& o, const Manifest& m) {
    if (!o.points.empty()) return parse_point_list(o.points, m.rows.size());
    std::vector<std::size_t> all(m.rows.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    return all;
}

/// The points to run now: selected, not done, not running in a live process on this host or in
/// a SLURM job that squeue still lists.
std::vector<std::size_t> to_run(const Options& o, const Manifest& m,
                                const std::vector<PointStatus>& states) {
    std::vector<std::size_t> out;
    for (const std::size_t i : selection(o, m)) {
        const auto& s = states[i];
        if (s.state == PointState::done) continue;
        const std::string busy = running_elsewhere(m, s);
        if (!busy.empty()) {
            std::fprintf(stderr, "sweep: point %zu is being run by %s; not starting it again\n", i,
                         busy.c_str());
            continue;
        }
        out.push_back(i);
    }
    return out;
}

int status_mode(const Options& o, const Manifest& m) {
    const auto states = inspect_all(m);
    std::cout << plan_summary(m) << "\n"
              << points_listing(m, states, selection(o, m)) << "\n"
              << state_counts(states) << "\n";
    return 0;
}

int local_mode(const Options& o, const Manifest& m) {
    const auto states = inspect_all(m);
    const auto todo = to_run(o, m, states);
    std::size_t done = 0;
    for (const auto& s : states)
        done += s.state == PointState::done;
    LocalOptions lo;
    const int threads = o.threads > 0 ? o.threads : 1;
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    lo.jobs =
        o.jobs > 0 ? o.jobs : std::max<std::size_t>(1, cores / static_cast<std::size_t>(threads));
    lo.exe = self_executable();
    lo.already_done = done;
    lo.quiet = o.quiet;
    lo.task_args = {"--threads", std::to_string(threads)};
    if (!o.every.empty()) lo.task_args.insert(lo.task_args.end(), {"--checkpoint-every", o.every});
    if (o.keep_checkpoints) lo.task_args.push_back("--keep-checkpoints");
    if (!o.fault.empty()) lo.task_args.insert(lo.task_args.end(), {"--inject-fault", o.fault});
    if (!o.quiet) {
        std::printf("%s%zu points to run (%zu already done), %zu at a time x %d thread%s each\n",
                    plan_summary(m).c_str(), todo.size(), done, lo.jobs, threads,
                    threads == 1 ? "" : "s");
        std::fflush(stdout);
    }
    const int code = todo.empty() ? 0 : run_local(m, todo, lo);
    const auto after = inspect_all(m);
    if (!o.quiet || code != 0) {
        std::printf("sweep %s: %s\n", m.dir.c_str(), state_counts(after).c_str());
        for (std::size_t i = 0; i < after.size(); ++i) {
            if (after[i].state == PointState::failed) {
                std::printf("  point %zu failed: %s\n    log: %s\n", i,
                            after[i].record.message.c_str(),
                            fs::absolute(m.path(m.rows[i].log)).c_str());
            }
        }
        if (code == 3) std::printf("stopped; run the same command again to resume\n");
        std::printf("results table: neurochem collect %s -o %s/table.csv\n", m.dir.c_str(),
                    m.dir.c_str());
    }
    return code;
}

int slurm_mode(const Options& o, const Manifest& m) {
    const auto states = inspect_all(m);
    const auto todo = to_run(o, m, states);
    const MeasuredCost cost = measure_cost(m, states);
    SlurmOptions so;
    so.ranks = o.ranks;
    so.threads = o.threads > 0 ? o.threads : 1;
    so.signal_seconds = o.signal_seconds;
    // Points per task: "auto" packs short points so that a task takes about 10 minutes, but
    // keeps at least 10 tasks (or one per point) so that the points still run side by side.
    std::size_t per_task = 1;
    std::string per_task_why = "one point per task";
    const double cores = static_cast<double>(so.ranks * so.threads);
    const double point_wall =
        cost.points ? cost.core_seconds / cores : 0.0;  // assumes linear scaling
    if (o.per_task == "auto") {
        if (cost.points && point_wall < 300 && !todo.empty()) {
            const std::size_t by_time = static_cast<std::size_t>(600 / std::max(point_wall, 1e-3));
            const std::size_t min_tasks = std::min<std::size_t>(todo.size(), 10);
            const std::size_t by_count = (todo.size() + min_tasks - 1) / min_tasks;
            per_task = std::max<std::size_t>(1, std::min(by_time, by_count));
            per_task_why = "auto: " + std::to_string(per_task) + " per task at the measured " +
                           core_time(cost.core_seconds) +
                           " per point (tasks of up to ~10 min, at least " +
                           std::to_string(min_tasks) + " tasks)";
        }
    } else {
        try {
            per_task = std::stoul(o.per_task);
        } catch (const std::exception&) {
            per_task = 0;
        }
        if (per_task < 1 || o.per_task.find_first_not_of("0123456789") != std::string::npos) {
            throw input_error("--points-per-task " + o.per_task +
                              ": expected a whole number >= 1 or 'auto'.");
        }
        per_task_why =
            std::to_string(per_task) + " point" + (per_task == 1 ? "" : "s") + " per task";
    }
    std::vector<std::size_t> tasks;
    for (const std::size_t i : todo) {
        if (tasks.empty() || tasks.back() != i / per_task) tasks.push_back(i / per_task);
    }
    if (tasks.empty()) {
        std::printf("sweep %s: every selected point is done (%s); no job needed.\n", m.dir.c_str(),
                    state_counts(states).c_str());
        return 0;
    }
    std::string time_why = "(--time)";
    if (!o.time.empty()) {
        so.time = slurm_time(o.time, "--time");
    } else if (cost.points) {
        so.time = slurm_time_from_seconds(static_cast<double>(per_task) * point_wall * 2 + 600);
        time_why = "(twice the measured time plus 10 min)";
    } else {
        time_why = "(the template's default; give --time, or run a pilot point first)";
    }
    if (!o.mem.empty()) {
        so.mem = slurm_mem(o.mem, "--mem");
    } else if (cost.points) {
        // 1.5 x the measured peak of all ranks, plus 200 MB for the shell, srun and MPI.
        so.mem = std::to_string(static_cast<long>(
                     std::ceil((cost.peak_MB * so.ranks * 1.5 + 200) / 100.0) * 100)) +
                 "M";
    }
    so.partition = o.partition;
    so.account = o.account;
    so.job_name = o.job_name.empty() ? "sweep-" + m.meta.at("name") : o.job_name;
    so.array = array_ranges(tasks, o.max_parallel);
    const std::string dir = fs::absolute(m.dir).lexically_normal().string();
    fs::create_directories(dir + "/slurm");
    so.output = dir + "/slurm/%x-%A_%a.log";
    so.modules = o.modules;
    for (const auto& s : o.sbatch_options) {
        if (s.rfind("--", 0) != 0)
            throw input_error("--sbatch-option " + s +
                              ": expected an sbatch option such as --qos=short.");
        so.extra.push_back(s);
    }
    so.settings = {{"SWEEP_DIR", dir},
                   {"POINTS_PER_TASK", std::to_string(per_task)},
                   {"CHECKPOINT_EVERY", o.every},
                   {"NEUROCHEM", self_executable()}};
    const std::string header = "# Generated by `neurochem sweep --slurm` on " + utc_time() +
                               " from jobs/sweep_array.sbatch\n"
                               "# for the sweep " +
                               m.meta.at("name") + " in " + dir + ": " +
                               std::to_string(todo.size()) + " point(s) to run in " +
                               std::to_string(tasks.size()) + " array task(s).\n";
    const std::string script = dir + "/sweep_array.sbatch";
    write_file_atomically(script, sbatch_script(sweep_array_template(), so, header));
    fs::permissions(script, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
    std::printf(
        "%swrote %s\n  %zu point(s) to run (%s) in %zu array task(s): --array=%s (%s)\n"
        "  %d rank%s x %d thread%s per point, time %s %s, memory %s\n",
        plan_summary(m).c_str(), script.c_str(), todo.size(), state_counts(states).c_str(),
        tasks.size(), so.array.c_str(), per_task_why.c_str(), so.ranks, so.ranks == 1 ? "" : "s",
        so.threads, so.threads == 1 ? "" : "s", so.time.c_str(), time_why.c_str(),
        so.mem.empty() ? "the cluster's default" : so.mem.c_str());
    if (tasks.back() > 1000) {
        std::printf(
            "  note: array indices go up to %zu; SLURM's default MaxArraySize (1001) refuses "
            "indices above "
            "1000 -- use --points-per-task to have fewer tasks if your cluster keeps the default\n",
            tasks.back());
    }
    if (!o.submit) {
        std::printf(
            "submit: sbatch %s\nthen:   neurochem sweep %s --status;  neurochem collect %s -o "
            "table.csv\n",
            script.c_str(), dir.c_str(), dir.c_str());
        return 0;
    }
    std::fflush(stdout);
    const std::string cmd = "sbatch --parsable '" + script + "'";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[256];
    while (p && fgets(buf, sizeof buf, p))
        out += buf;
    const int rc = p ? pclose(p) : -1;
    if (rc != 0) throw std::runtime_error("sbatch failed (" + cmd + "): " + out);
    std::printf("submitted job array %s", out.c_str());
    return 0;
}

/// --dry-run checks every point's resolved config up to this many points; larger plans (up to
/// the 10^7 allowed) have their first this-many points checked (every grid combination and
/// replicate when the grid x replicates fit) and are listed without building them all, so the
/// listing runs in seconds and bounded memory.
constexpr std::uint64_t dry_run_full_check = 10000;
/// Larger selections list their first and last rows only.
constexpr std::size_t dry_run_list_all = 100000;
constexpr std::size_t dry_run_list_ends = 10;

/// --dry-run of a spec with more than dry_run_full_check points.
int dry_run_large(const Options& o, const Spec& spec) {
    const Plan plan = expand(spec, read_base_config(spec), dry_run_full_check);
    const Manifest checked = make_manifest(plan, o.dir);
    const std::uint64_t n = plan.total_points;
    // The rows to list: --points, or all; a long selection lists its two ends.
    std::vector<std::uint64_t> rows;
    std::uint64_t selected = n;
    if (!o.points.empty()) {
        const auto sel = parse_point_list(o.points, n);
        selected = sel.size();
        for (std::size_t k = 0; k < sel.size(); ++k)
            if (sel.size() <= dry_run_list_all || k < dry_run_list_ends ||
                k + dry_run_list_ends >= sel.size())
                rows.push_back(sel[k]);
    } else {
        for (std::uint64_t i = 0; i < dry_run_list_ends; ++i)
            rows.push_back(i);
        for (std::uint64_t i = n - dry_run_list_ends; i < n; ++i)
            rows.push_back(i);
    }
    Manifest shown;
    shown.dir = checked.dir;
    shown.meta = checked.meta;
    shown.axes = checked.axes;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        if (k % 256 == 0) throw_if_stopped("listing the points of sweep " + spec.path);
        const Point p = describe_point(spec, rows[k]);
        shown.rows.push_back({p.index, p.sample, p.replicate, p.seed, "", "", "", "", p.values});
    }
    std::vector<std::size_t> order(shown.rows.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        order[k] = k;
    const std::vector<PointStatus> pending(shown.rows.size());
    const std::uint64_t grid_reps = spec.grid_size() * spec.replicates;
    std::cout
        << plan_summary(shown) << "checked: the resolved configs of points 0-"
        << plan.points.size() - 1 << " are valid and distinct ("
        << (grid_reps <= plan.points.size()
                ? "every grid point and replicate" +
                      (spec.samples > 0
                           ? ", samples 0-" + std::to_string(plan.points.size() / grid_reps - 1)
                           : std::string())
                : std::string("the first ") + std::to_string(plan.points.size()) + " grid points")
        << "); the other " << n - plan.points.size()
        << " are checked when the sweep is planned (--local or --slurm)\n";
    if (is_sweep_dir(o.dir)) {
        std::cout << "note: " << o.dir
                  << " exists; --dry-run of a plan this large does not read its points' states "
                     "(neurochem sweep "
                  << o.dir << " shows them)\n";
    }
    std::cout << "\n" << points_listing(shown, pending, order);
    if (rows.size() < selected) {
        std::cout << "  ... " << selected - rows.size()
                  << " more points between these are not listed (--points A-B lists up to "
                  << dry_run_list_all << " at a time)\n";
    }
    std::cout << "\n"
              << selected
              << " pending\ncost: unknown until a point has run (a pilot: the same spec with a "
                 "small [sample] count, --local --points 0, then --dry-run of its directory "
                 "gives the core-hours per point)\n";
    return 0;
}

/// Plans SPEC into the sweep directory (or lists it with --dry-run). Returns the manifest.
Manifest plan(const Options& o, bool write) {
    const Spec spec = read_spec(o.target);
    const Plan p = expand(spec, read_base_config(spec));
    if (!write) return make_manifest(p, o.dir);
    // A bad --points is refused before the sweep directory is created.
    if (!o.points.empty()) (void)parse_point_list(o.points, p.points.size());
    std::ifstream f(o.target, std::ios::binary);
    std::stringstream text;
    text << f.rdbuf();
    return prepare_sweep_dir(p, o.dir, text.str());
}

Options parse(const Args& args, po::options_description& visible, bool& help) {
    Options o;
    po::options_description modes("modes"), common("points and runs"), slurm("--slurm");
    modes.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "dry-run", po::bool_switch(&o.dry_run),
        "list the points (and the estimated cost); write nothing")(
        "local", po::bool_switch(&o.local), "run the points here, as child processes")(
        "slurm", po::value(&o.slurm)->implicit_value("-")->value_name("DIR"),
        "write a SLURM job-array script (optionally: the sweep DIR)")(
        "status", po::bool_switch(&o.status),
        "show the state of every point (the default for a DIR)")(
        "task", po::value(&o.task)->value_name("T"),
        "run the points of array task T here (used by --local and the job script)");
    common.add_options()("dir,o", po::value(&o.dir)->value_name("DIR"),
                         "the sweep directory (default: SPEC's stem + .sweep)")(
        "points", po::value(&o.points)->value_name("LIST"), "only these points, e.g. 0-3,7")(
        "jobs,j", po::value(&o.jobs)->value_name("N"),
        "--local: points at a time (default: cores / threads)")(
        "threads", po::value(&o.threads)->value_name("N"),
        "OpenMP threads per point and rank (default 1)")(
        "checkpoint-every", po::value(&o.every)->value_name("T"),
        "checkpoint each point every T of simulated time ('10 min')")(
        "keep-checkpoints", po::bool_switch(&o.keep_checkpoints),
        "keep a point's checkpoints when it completes")(
        "points-per-task", po::value(&o.per_task)->value_name("K|auto"),
        "points per array task: N or auto (default: auto = ~10 min "
        "per task from the measured cost, else 1)")("quiet,q", po::bool_switch(&o.quiet),
                                                    "--local: no progress line");
    slurm.add_options()("ranks", po::value(&o.ranks)->value_name("R"),
                        "MPI ranks per point (--ntasks; default 1)")(
        "time", po::value(&o.time)->value_name("T"),
        "time limit per task ('2 h', '90 min' or SLURM's HH:MM:SS)")(
        "mem", po::value(&o.mem)->value_name("M"),
        "memory per node (e.g. 4G; default: 1.5 x the measured peak)")(
        "partition", po::value(&o.partition)->value_name("P"), "SLURM partition")(
        "account", po::value(&o.account)->value_name("A"), "SLURM account")(
        "job-name", po::value(&o.job_name)->value_name("NAME"), "job name (default: sweep-NAME)")(
        "max-parallel", po::value(&o.max_parallel)->value_name("N"),
        "at most N tasks at once (--array=...%N)")(
        "module", po::value(&o.modules)->composing()->value_name("M"),
        "module load M in the script (repeatable)")(
        "sbatch-option", po::value(&o.sbatch_options)->composing()->value_name("OPT"),
        "another #SBATCH line, e.g. --qos=short (repeatable)")(
        "signal-seconds", po::value(&o.signal_seconds)->value_name("S"),
        "SIGUSR1 this many seconds before the limit (default 120)")(
        "submit", po::bool_switch(&o.submit), "run sbatch on the script");
    visible.add(modes).add(common).add(slurm);
    po::options_description hidden;
    hidden.add_options()("target", po::value(&o.target))("inject-fault", po::value(&o.fault),
                                                         "testing: POINT:abort or POINT:STEP");
    const auto vm = parse_command_line(args, visible, hidden, "target");
    require_valid_threads(vm, o.threads);
    if (vm.count("ranks") && o.ranks < 1)
        throw input_error("--ranks " + std::to_string(o.ranks) + ": must be at least 1.");
    if (vm.count("jobs") && o.jobs < 1) throw input_error("-j 0: must be at least 1.");
    if (vm.count("points") && o.points.find_first_not_of(" \t") == std::string::npos)
        throw input_error(
            "--points is empty (an unset variable?): name the points, e.g. 0-3,7, "
            "or leave the option out to select every point.");
    if (o.signal_seconds < 0) throw input_error("--signal-seconds must be >= 0.");
    if (!o.every.empty()) {
        try {
            if (!(config::parse_quantity(o.every, config::Dimension::time) > 0))
                throw config::ValueError("must be > 0");
        } catch (const config::ValueError& e) {
            throw input_error("--checkpoint-every " + o.every + ": " + e.what() + ".");
        }
    }
    return o;
}
}  // namespace

int cmd_sweep(const Args& args, const MpiSession& mpi) {
    bool help = false;
    po::options_description visible("neurochem sweep SPEC|DIR [options]");
    Options o = parse(args, visible, help);
    if (help) {
        std::cout << help_text << "\n" << visible;
        return 0;
    }
    if (o.target.empty())
        throw po::error("sweep needs a sweep spec or a sweep directory (neurochem sweep --help)");
    const int n_modes = o.dry_run + o.local + !o.slurm.empty() + o.status + (o.task >= 0);
    if (n_modes > 1)
        throw input_error("choose one of --dry-run, --local, --slurm, --status, --task.");
    if (!o.slurm.empty() && o.slurm != "-") {
        if (!o.dir.empty() && o.dir != o.slurm)
            throw input_error("--slurm " + o.slurm + " and --dir " + o.dir +
                              " name two directories.");
        o.dir = o.slurm;
    }
    if (!o.fault.empty()) {
        const auto colon = o.fault.find(':');
        try {
            if (colon == std::string::npos) throw std::invalid_argument("");
            std::stol(o.fault.substr(0, colon));
        } catch (const std::exception&) {
            throw input_error("--inject-fault " + o.fault +
                              ": expected POINT:abort or POINT:STEP.");
        }
    }

    const bool is_dir = fs::is_directory(o.target);
    if (is_dir && !is_sweep_dir(o.target)) {
        throw input_error(o.target + ": a directory without " + manifest_name +
                          " (give a sweep spec, or a directory "
                          "written by neurochem sweep).");
    }
    if (o.task >= 0) {
        if (!is_dir)
            throw input_error(
                "--task needs a sweep directory (planned by --local or --slurm), not a spec.");
        const Manifest m = read_manifest(o.target);
        const Context ctx = mpi.context(o.threads);
        std::size_t per_task = 1;
        if (o.per_task != "auto") {
            if (o.per_task.empty() ||
                o.per_task.find_first_not_of("0123456789") != std::string::npos ||
                o.per_task == "0") {
                throw input_error("--points-per-task " + o.per_task +
                                  ": expected a whole number >= 1.");
            }
            per_task = std::stoul(o.per_task);
        }
        TaskOptions to;
        to.threads = o.threads;
        to.checkpoint_every = o.every;
        to.keep_checkpoints = o.keep_checkpoints;
        to.command_line = "neurochem sweep " + o.target + " --task " + std::to_string(o.task);
        if (!o.fault.empty()) {
            to.fault_point = std::stol(o.fault.substr(0, o.fault.find(':')));
            to.fault = o.fault.substr(o.fault.find(':') + 1);
        }
        const auto points = task_points(static_cast<std::size_t>(o.task), per_task, m.rows.size());
        if (points.empty()) {
            throw input_error("--task " + std::to_string(o.task) + ": the sweep has " +
                              std::to_string(m.rows.size()) + " points, so tasks 0 to " +
                              std::to_string((m.rows.size() - 1) / per_task) + " with " +
                              std::to_string(per_task) + " point(s) per task.");
        }
        return run_points(m, points, to, *ctx.comm,
                          [&](const std::string& cmd, const std::vector<std::string>& a,
                              const std::string& line) {
                              return cmd == "run" ? cmd_run(a, line, mpi)
                                                  : cmd_resume(a, line, mpi);
                          });
    }
    if (mpi.context(1).ranks() > 1) {
        throw input_error(
            "neurochem sweep runs in one process (its points may use MPI in their jobs); start it "
            "without mpirun or srun.");
    }
    if (o.dir.empty()) o.dir = is_dir ? o.target : fs::path(o.target).stem().string() + ".sweep";
    if (is_dir && fs::weakly_canonical(o.dir) != fs::weakly_canonical(o.target)) {
        throw input_error("--dir " + o.dir + " differs from the sweep directory " + o.target +
                          " given.");
    }
    if (o.dry_run && !is_dir) {
        const Spec spec = read_spec(o.target);
        if (spec.point_count() > dry_run_full_check) return dry_run_large(o, spec);
    }
    if (o.dry_run) {
        Manifest m = is_dir ? read_manifest(o.target) : plan(o, false);
        std::string note;
        if (!is_dir && is_sweep_dir(o.dir)) {
            const Manifest old = read_manifest(o.dir);
            if (old.sweep_hash() != m.sweep_hash()) {
                note = "note: " + o.dir +
                       " holds a sweep of another plan: --local and --slurm would refuse it; use "
                       "another --dir.\n";
            }
        }
        const auto states = note.empty() ? inspect_all(m) : std::vector<PointStatus>(m.rows.size());
        std::size_t remaining = 0;
        for (const std::size_t i : selection(o, m))
            remaining += states[i].state != PointState::done;
        std::cout << plan_summary(m)
                  << (is_dir ? std::string()
                             : "every point's config is valid (" + std::to_string(m.rows.size()) +
                                   " resolved, all distinct)\n")
                  << "\n"
                  << points_listing(m, states, selection(o, m)) << "\n"
                  << state_counts(states) << "\n"
                  << cost_estimate(measure_cost(m, states), remaining, m.rows.size()) << note;
        return 0;
    }
    if (is_dir && !o.local && o.slurm.empty()) return status_mode(o, read_manifest(o.target));
    if (!o.local && o.slurm.empty()) {
        throw input_error("neurochem sweep " + o.target +
                          ": choose --dry-run, --local or --slurm (see --help).");
    }
    const Manifest m = is_dir ? read_manifest(o.target) : plan(o, true);
    return o.local ? local_mode(o, m) : slurm_mode(o, m);
}

}  // namespace neurochem::app

#include "app/main_job.hpp"

#include <sched.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <thread>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/install_layout.hpp"
#include "comm/communicator.hpp"
#include "config/config.hpp"
#include "io/h5.hpp"
#include "neurochem/errors.hpp"
#include "sweep/status.hpp"
#include "util/child_process.hpp"
#include "util/stop_signal.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace neurochem::app {

namespace {

struct Arm {
    const char* name;
    const char* config;  // key of config::embedded_configs()
};
constexpr Arm arms[] = {{"escitalopram", "configs/main/escitalopram.ini"},
                        {"untreated", "configs/main/untreated.ini"}};

std::string arm_output(const std::string& out, std::size_t arm) {
    if (arm == 0) return out;
    const fs::path p(out);
    return (p.parent_path() / (p.stem().string() + "_" + arms[arm].name + p.extension().string()))
        .string();
}

config::ResolvedConfig load_arm(const Arm& arm, const MainJobOptions& o) {
    config::RawConfig raw = config::read_embedded_config(arm.config);
    for (const auto& s : o.sets)
        config::apply_override(raw, s);
    if (!o.seed.empty()) {
        config::apply_override(raw, "simulation.seed=" + o.seed);
        raw.sections["simulation"]["seed"].origin = "--seed " + o.seed;
    }
    return config::resolve(raw);
}

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Cores this process may run on.
int usable_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    return CPU_COUNT(&set);
}

/// One arm of the main job in a second process (`neurochem run --main-job-arm A`, the same
/// options), so the two arms use two cores; its output goes to a log. Destroyed while the arm
/// still runs (the first arm failed, an exception), it asks it to stop (SIGUSR1: checkpoint and
/// exit 3) and waits for it. The child stops the same way if this process dies (its parent-death
/// signal), so no arm is left running alone.
class SideArm {
  public:
    SideArm(const MainJobOptions& o, std::size_t arm, std::string log) : log_(std::move(log)) {
        std::vector<std::string> argv = {
            self_executable(),   "run",       "-o", o.output, "--main-job-arm",
            std::to_string(arm), "--threads", "1"};
        for (const auto& s : o.sets) {
            argv.push_back("--set");
            argv.push_back(s);
        }
        auto add = [&argv](const char* option, const std::string& value) {
            if (value.empty()) return;
            argv.push_back(option);
            argv.push_back(value);
        };
        add("--seed", o.seed);
        add("--checkpoint-every", o.checkpoint_every);
        add("--checkpoint-dir", o.execute.checkpoints.dir);
        add("--keep", std::to_string(o.execute.checkpoints.keep));
        if (o.execute.quiet) argv.push_back("-q");
        pid_ = spawn_child(argv, child_environment(), log_, true);
    }
    SideArm(const SideArm&) = delete;
    SideArm& operator=(const SideArm&) = delete;
    ~SideArm() {
        if (pid_ > 0) {
            kill(pid_, SIGUSR1);
            int status = 0;
            waitpid(pid_, &status, 0);
        }
    }
    /// Waits for the arm; a stop signal received meanwhile is passed on once. Its exit code
    /// (128 + N if it was killed by signal N).
    int wait() {
        bool passed_on = false;
        int status = 0;
        for (;;) {
            const pid_t r = waitpid(pid_, &status, WNOHANG);
            if (r == pid_ || (r < 0 && errno != EINTR)) break;
            if (!passed_on && stop_signal_received() != 0) {
                kill(pid_, SIGUSR1);
                passed_on = true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        pid_ = -1;
        if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    /// Asks the arm to stop (it writes a checkpoint and exits with 3) and waits for it.
    int stop() {
        if (pid_ > 0) kill(pid_, SIGUSR1);
        return wait();
    }
    const std::string& log() const { return log_; }

  private:
    std::string log_;
    pid_t pid_ = -1;
};

std::string sibling(const std::string& out, const std::string& suffix) {
    const fs::path p(out);
    return (p.parent_path() / (p.stem().string() + suffix)).string();
}

/// The weekly table and the PNG replace only regular files (never a device, FIFO or directory).
void require_replaceable(const std::string& path) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (fs::exists(st) && !fs::is_regular_file(st)) {
        throw input_error(
            path +
            ": exists and is not a regular file (a device, directory or FIFO); "
            "the main job writes its weekly table and plot there. Choose another -o.");
    }
}

/// Writes `text` to PATH.partial and renames it over PATH; on any failure removes the partial
/// file and throws, leaving an older PATH untouched.
void write_replacing(const std::string& path, const std::string& text) {
    const std::string partial = path + ".partial";
    {
        std::ofstream f(partial, std::ios::binary | std::ios::trunc);
        f << text;
        f.close();
        if (!f) {
            std::error_code ec;
            fs::remove(partial, ec);
            throw std::runtime_error(path + ": cannot be written (disk full or not writable)");
        }
    }
    std::error_code ec;
    fs::rename(partial, path, ec);
    if (ec) {
        fs::remove(partial, ec);
        throw std::runtime_error(path + ": cannot be replaced: " + ec.message());
    }
}

std::string cell(double v, int precision) {
    if (std::isnan(v)) return "-";
    char b[32];
    std::snprintf(b, sizeof b, "%.*f", precision, v);
    return b;
}

void print_table(const std::string& title, const WeeklyTable& t) {
    std::printf("\n%s\n", title.c_str());
    static const int width[] = {6, 10, 11, 10, 8, 7, 10, 15, 7, 10, 11};
    static const int precision[] = {0, 2, 1, 0, 2, 2, 1, 1, 1, 0, 0};
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        std::printf("%*s", width[c], t.columns[c].c_str());
    std::printf("\n");
    for (const auto& r : t.rows) {
        for (std::size_t c = 0; c < r.size(); ++c) {
            std::string v = cell(r[c], precision[c]);
            if (c == 0) v = r[c] == 0 ? "base" : "w" + cell(r[c], 0);
            if (c >= 9 && !std::isnan(r[c])) v = r[c] > 0 ? "yes" : "no";
            std::printf("%*s", width[c], v.c_str());
        }
        std::printf("\n");
    }
}

/// Runs tools/plot_main.py (installed beside the binary, or in the source tree of a build-tree
/// binary) with Debian's Python; false (and nothing written) when either is missing or it fails.
bool plot(const std::vector<std::string>& files, const std::string& png, std::string& why) {
    const auto layout = install_layout();
    std::string script;
    std::error_code ec;
    if (!layout.data_dir.empty() &&
        fs::is_regular_file(fs::path(layout.data_dir) / "tools/plot_main.py", ec))
        script = (fs::path(layout.data_dir) / "tools/plot_main.py").string();
    const std::string python = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    if (script.empty()) {
        why = "tools/plot_main.py not found";
        return false;
    }
    std::vector<std::string> args = {python, script};
    args.insert(args.end(), files.begin(), files.end());
    args.insert(args.end(), {"-o", png, "--quiet", "--labels", "escitalopram,untreated"});
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(stdout);
    pid_t pid = 0;
    if (posix_spawnp(&pid, python.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
        why = "cannot start " + python;
        return false;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        why = python + " " + script + " failed (python3-h5py and python3-matplotlib installed?)";
        return false;
    }
    return true;
}

}  // namespace

WeeklyTable weekly_table(const std::string& path, double origin_h) {
    WeeklyTable t;
    t.columns = {"week",     "DRN [Hz]",      "5-HT [nM]", "SERT [%]", "1A eff",   "BDNF",
                 "CeA [Hz]", "sleep [h/day]", "score",     "response", "remission"};
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) throw std::runtime_error(path + ": cannot be opened as HDF5");
    const h5::Handle f(id, H5Fclose);
    const auto slow = h5::open_group(f, "slow");
    auto column = [&](const std::string& name) {
        return h5::exists(slow, name) ? h5::read_doubles(slow, name) : std::vector<double>{};
    };
    const auto time = column("time_h"), asleep = column("state/sleep/asleep"),
               drn = column("rate/DRN"), ht = column("pool/PFC/5HT"),
               sert = column("occupancy/SERT"),
               eff = column("state/regulation/DRN_autoreceptor/efficacy"),
               bdnf = column("state/bdnf/DG/protein"), cea = column("outcome/amygdala_response"),
               sleep = column("outcome/sleep"), rating = column("outcome/rating"),
               response = column("outcome/response"), remission = column("outcome/remission");
    // Row 0: the week before origin_h (the baseline); row k: week k after it.
    const double end = time.empty() ? 0 : time.back();
    for (std::size_t w = 0;; ++w) {
        const double from = origin_h + 168.0 * (static_cast<double>(w) - 1.0), to = from + 168.0;
        if (to > end + 1e-6) break;
        if (from < -1e-9) continue;
        auto mean = [&](const std::vector<double>& x, bool awake_only, bool daily) {
            double s = 0;
            std::size_t n = 0;
            for (std::size_t i = 0; i < x.size() && i < time.size(); ++i) {
                if (time[i] <= from + 1e-9 || time[i] > to + 1e-9) continue;
                if (awake_only && !asleep.empty() && asleep[i] != 0) continue;
                if (daily && std::fmod(time[i] + 1e-9, 24.0) > 1e-6) continue;  // day ends only
                s += x[i];
                ++n;
            }
            return n ? s / static_cast<double>(n) : nan;
        };
        auto at_end = [&](const std::vector<double>& x) {
            for (std::size_t i = 0; i < x.size() && i < time.size(); ++i) {
                if (std::abs(time[i] - to) < 1e-6) return x[i];
            }
            return nan;
        };
        t.rows.push_back({static_cast<double>(w), mean(drn, true, false),
                          1e3 * mean(ht, true, false), 100 * mean(sert, false, false), at_end(eff),
                          at_end(bdnf), mean(cea, false, true), mean(sleep, false, true),
                          at_end(rating), w == 0 ? nan : at_end(response),
                          w == 0 ? nan : at_end(remission)});
    }
    return t;
}

int run_main_job(const MainJobOptions& o, const MpiSession& mpi) {
    // Both arms are checked (configs, outputs) before either runs.
    std::vector<config::ResolvedConfig> cfgs;
    std::vector<ModelSpec> models;
    for (const auto& arm : arms) {
        cfgs.push_back(load_arm(arm, o));
        models.push_back(config::to_model(cfgs.back()));
    }
    // One thread per rank unless asked: at the main job's size a second thread costs more in
    // synchronisation than it saves (measured: 114 s against 86 s per arm on this machine,
    // docs/performance.md).
    const Context ctx = mpi.context(o.threads > 0 ? o.threads : 1);
    auto& comm = *ctx.comm;
    const bool root = comm.rank() == 0;
    auto arm_checkpoint_dir = [&](std::size_t a) {
        return o.execute.checkpoints.dir.empty()
                   ? default_checkpoint_dir(arm_output(o.output, a))
                   : (fs::path(o.execute.checkpoints.dir) / arms[a].name).string();
    };
    auto arm_execute = [&](std::size_t a) {
        ExecuteOptions e = o.execute;
        e.output = arm_output(o.output, a);
        e.checkpoints.every_ms =
            parse_checkpoint_every(o.checkpoint_every, models[a].simulation.dt_ms);
        e.checkpoints.dir = arm_checkpoint_dir(a);
        return e;
    };
    if (o.only_arm >= 0) {  // the second process of a main job: one arm, no table
        const auto a = static_cast<std::size_t>(o.only_arm);
        if (a >= std::size(arms))
            throw input_error("--main-job-arm " + std::to_string(a) +
                              ": the main job has arms 0 and 1.");
        prctl(PR_SET_PDEATHSIG, SIGUSR1);  // the main job's process died: checkpoint and stop
        if (const auto problem = output_problem(arm_output(o.output, a), comm); !problem.empty())
            throw input_error(problem);
        if (const auto problem = checkpoint_dir_problem(arm_checkpoint_dir(a), comm);
            !problem.empty())
            throw input_error(problem);
        return execute(cfgs[a], models[a], ctx, arm_execute(a));
    }
    for (std::size_t a = 0; a < std::size(arms); ++a) {
        if (const auto problem = output_problem(arm_output(o.output, a), comm); !problem.empty())
            throw input_error(problem);
    }
    // The main job always starts afresh (README: run it again, it replaces its outputs when it
    // completes): checkpoints an interrupted main job left are moved aside, never mixed with
    // the new run's (which pruning would then delete) and never deleted.
    for (std::size_t a = 0; a < std::size(arms); ++a) {
        if (checkpoint_dir_problem(arm_checkpoint_dir(a), comm).empty()) continue;
        std::string failure;
        if (root) {
            const std::string aside = arm_checkpoint_dir(a) + ".old-" + sweep::file_time_stamp();
            std::error_code ec;
            fs::rename(arm_checkpoint_dir(a), aside, ec);
            if (ec)
                failure = "cannot move the checkpoints of an earlier main job (" +
                          arm_checkpoint_dir(a) + ") aside to " + aside + ": " + ec.message() +
                          "; remove or move that directory.";
            else
                std::printf("note: moved the checkpoints of an earlier main job to %s\n",
                            aside.c_str());
        }
        comm.broadcast(failure, 0);  // every rank: the same answer, the same error
        if (!failure.empty()) throw input_error(failure);
    }
    const std::string csv = sibling(o.output, "_weekly.csv"), png = sibling(o.output, ".png");
    require_replaceable(csv);  // every rank: the same answer, the same error
    require_replaceable(png);
    // The untreated arm in a second process when that gives it a core of its own: a single
    // process (under mpirun the arms are distributed in turn), one thread per arm, two cores.
    const bool side_by_side = !o.arms_in_turn && comm.size() == 1 && o.threads <= 1 &&
                              usable_cores() >= 2 && o.execute.fault_rank < 0 &&
                              o.execute.checkpoints.stall_at_checkpoint == 0;
    const std::string side_log = sibling(o.output, "_untreated.log");
    if (side_by_side) require_replaceable(side_log);
    if (root && !o.execute.quiet) {
        std::printf(
            "main job: a vulnerable virtual patient (configs/main/, embedded): 3 days, a baseline "
            "week and eight weeks\n  arm 1: escitalopram 20 mg/day from day 10 -> %s\n  arm 2: "
            "untreated, same patient and seed -> %s\n\n",
            arm_output(o.output, 0).c_str(), arm_output(o.output, 1).c_str());
        std::fflush(stdout);
    }
    std::unique_ptr<SideArm> side;
    if (side_by_side) {
        try {
            side = std::make_unique<SideArm>(o, 1, side_log);
        } catch (const std::runtime_error& e) {  // no second process: one arm after the other
            std::printf("note: %s; the arms run one after the other\n", e.what());
        }
    }
    if (side) {
        if (!o.execute.quiet)
            std::printf(
                "---- arm 2 of 2: %s, in a second process on the second core (log: %s) "
                "----\n",
                arms[1].name, fs::absolute(side_log).c_str());
    }
    for (std::size_t a = 0; a < (side ? 1 : std::size(arms)); ++a) {
        if (root && !o.execute.quiet) {
            std::printf("---- arm %zu of %zu: %s ----\n", a + 1, std::size(arms), arms[a].name);
            std::fflush(stdout);
        }
        if (const int rc = execute(cfgs[a], models[a], ctx, arm_execute(a)); rc != 0) {
            if (side) {
                const int side_rc = side->stop();
                std::fprintf(stderr,
                             "neurochem: the %s arm (a second process) was asked to stop too: "
                             "exit code %d%s; its log: %s\n",
                             arms[1].name, side_rc,
                             side_rc == 3 ? " (stopped after writing a checkpoint)" : "",
                             fs::absolute(side->log()).c_str());
            }
            return rc;
        }
    }
    if (side) {
        if (!o.execute.quiet) {
            std::printf("---- waiting for arm 2 (%s) ----\n", arms[1].name);
            std::fflush(stdout);
        }
        if (const int rc = side->wait(); rc != 0) {
            std::fprintf(stderr,
                         "neurochem: the %s arm (a second process) ended with exit code %d; its "
                         "log: %s\n",
                         arms[1].name, rc, fs::absolute(side->log()).c_str());
            return rc == 2 || rc == 3 ? rc : 1;
        }
        if (!o.execute.quiet)
            std::printf("arm 2 (%s) done: %s\n", arms[1].name,
                        fs::absolute(arm_output(o.output, 1)).c_str());
    }
    comm.barrier();
    if (!root) return 0;
    const bool say = !o.execute.quiet;
    std::vector<WeeklyTable> tables;
    for (std::size_t a = 0; a < std::size(arms); ++a)
        tables.push_back(
            weekly_table(arm_output(o.output, a),
                         24.0 * static_cast<double>(models[a].slow.outcomes.burn_in_days +
                                                    models[a].slow.outcomes.baseline_days)));
    if (say)
        std::printf(
            "\nWeekly table (week 0: baseline; DRN raphe firing and PFC 5-HT awake means; SERT "
            "occupancy by the drug; 1A eff: raphe 5-HT1A autoreceptor efficacy at the week's end; "
            "BDNF: dentate protein, 1 = calibrated circuit; CeA: amygdala output during the threat "
            "cues; sleep: hours asleep a day, the week's mean; score: the week's rating; "
            "docs/model/outcomes.md)\n");
    for (std::size_t a = 0; say && a < std::size(arms); ++a)
        print_table(std::string("arm ") + arms[a].name + ":", tables[a]);
    std::ostringstream text;
    text << "arm";
    for (const auto& c : tables[0].columns)
        text << "," << c;
    text << "\n";
    for (std::size_t a = 0; a < std::size(arms); ++a) {
        for (const auto& r : tables[a].rows) {
            text << arms[a].name;
            for (double v : r)
                text << "," << (std::isnan(v) ? std::string() : cell(v, 6));
            text << "\n";
        }
    }
    write_replacing(csv, text.str());
    if (say) std::printf("\nweekly table: %s\n", fs::absolute(csv).c_str());
    std::string why;
    if (plot({arm_output(o.output, 0), arm_output(o.output, 1)}, png, why)) {
        if (say) std::printf("plot: %s\n", fs::absolute(png).c_str());
    } else {
        std::printf(
            "plot: not written (%s); draw it with\n  /usr/bin/python3 tools/plot_main.py %s %s -o "
            "%s\n",
            why.c_str(), arm_output(o.output, 0).c_str(), arm_output(o.output, 1).c_str(),
            png.c_str());
    }
    return 0;
}

}  // namespace neurochem::app

#include "sweep/task.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "config/config.hpp"
#include "io/checkpoint.hpp"
#include "neurochem/errors.hpp"
#include "sweep/status.hpp"

namespace fs = std::filesystem;

namespace neurochem::sweep {

namespace {
/// Appends this process's stdout and stderr to a log file while it lives.
class LogRedirect {
  public:
    explicit LogRedirect(const std::string& path) {
        std::fflush(stdout);
        std::fflush(stderr);
        const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0) throw std::runtime_error("cannot open the log " + path);
        saved_out_ = dup(STDOUT_FILENO);
        saved_err_ = dup(STDERR_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    ~LogRedirect() {
        std::fflush(stdout);
        std::fflush(stderr);
        dup2(saved_out_, STDOUT_FILENO);
        dup2(saved_err_, STDERR_FILENO);
        close(saved_out_);
        close(saved_err_);
    }
    LogRedirect(const LogRedirect&) = delete;
    LogRedirect& operator=(const LogRedirect&) = delete;

  private:
    int saved_out_ = -1, saved_err_ = -1;
};

std::string absolute(const std::string& p) {
    return fs::absolute(p).lexically_normal().string();
}

/// Rank 0's decision for a point: "skip", "busy:<who runs it>", "run", "resume" or
/// "fail:<reason>".
std::string decide(const Manifest& m, const ManifestRow& row) {
    const PointStatus s = inspect_point(m, row);
    const Action a = next_action(s);
    if (a == Action::skip) return "skip";
    // Never two runs of one point (a second job array submitted while the first still runs).
    const std::string busy = running_elsewhere(m, s);
    if (!busy.empty()) return "busy:" + busy;
    std::string hash;
    try {
        hash = config::resolve(config::read_config_file(m.path(row.config))).hash;
    } catch (const input_error& e) {
        return std::string("fail:") + e.what();
    }
    if (hash != row.config_hash) {
        return "fail:" + row.config +
               " was changed after the sweep was planned (its config hash is " +
               hash.substr(0, 12) + ", the manifest's " + row.config_hash.substr(0, 12) + ").";
    }
    if (s.state == PointState::stale) {
        const std::string out = m.path(row.output);
        const std::string aside =
            out.substr(0, out.size() - 3) + ".stale-" + file_time_stamp() + ".h5";
        fs::rename(out, aside);
        std::printf("point %llu: %s; renamed it to %s\n",
                    static_cast<unsigned long long>(row.point), s.detail.c_str(), aside.c_str());
    }
    if (a == Action::run) {
        // Checkpoints that are not this config's (another plan's, or damaged ones) are kept
        // aside: a new run does not write among them (it refuses to).
        const std::string ckpt = checkpoint_dir(m, row);
        std::error_code ec;
        if (fs::is_directory(ckpt, ec) && !list_checkpoints(ckpt).empty()) {
            const std::string aside = ckpt + ".stale-" + file_time_stamp();
            fs::rename(ckpt, aside);
            std::printf("point %llu: its checkpoints are not of its config; moved them to %s\n",
                        static_cast<unsigned long long>(row.point), aside.c_str());
        }
    }
    return a == Action::resume ? "resume" : "run";
}

std::vector<std::string> point_args(const Manifest& m, const ManifestRow& row, const TaskOptions& o,
                                    bool resume) {
    std::vector<std::string> args;
    if (resume) {
        args = {absolute(checkpoint_dir(m, row)), "-o", absolute(m.path(row.output))};
    } else {
        args = {absolute(m.path(row.config)), "-o", absolute(m.path(row.output)),
                "--checkpoint-dir", absolute(checkpoint_dir(m, row))};
    }
    if (o.threads > 0) args.insert(args.end(), {"--threads", std::to_string(o.threads)});
    if (!o.checkpoint_every.empty())
        args.insert(args.end(), {"--checkpoint-every", o.checkpoint_every});
    if (static_cast<long>(row.point) == o.fault_point && o.fault != "abort") {
        args.insert(args.end(), {"--inject-fault", "0:" + o.fault});
    }
    return args;
}
}  // namespace

std::vector<std::size_t> task_points(std::size_t task, std::size_t per_task, std::size_t n_points) {
    std::vector<std::size_t> out;
    for (std::size_t i = task * per_task; i < std::min(n_points, (task + 1) * per_task); ++i)
        out.push_back(i);
    return out;
}

int run_points(const Manifest& m, const std::vector<std::size_t>& points, const TaskOptions& o,
               Communicator& comm, const Subcommand& subcommand) {
    const bool root = comm.rank() == 0;
    int worst = 0;
    for (const std::size_t i : points) {
        const ManifestRow& row = m.rows.at(i);
        std::string decision;
        if (root) decision = decide(m, row);
        comm.broadcast(decision, 0);
        const auto id = static_cast<unsigned long long>(row.point);
        const std::string log = m.path(row.log);
        StatusRecord st;
        if (root) st = read_status(status_path(m, row));
        if (decision == "skip") {
            if (root) std::printf("point %llu: done; skipped\n", id);
            continue;
        }
        if (decision.rfind("busy:", 0) == 0) {
            if (root)
                std::printf("point %llu: being run by %s; left to it\n", id,
                            decision.substr(5).c_str());
            continue;
        }
        const auto t0 = std::chrono::steady_clock::now();
        int code = 0;
        std::string message;
        if (decision.rfind("fail:", 0) == 0) {
            code = 2;
            message = decision.substr(5);
            if (root) {
                const LogRedirect redirect(log);
                std::printf("==== neurochem sweep: point %llu not started on %s at %s ====\n", id,
                            host_name().c_str(), utc_time().c_str());
                std::fprintf(stderr, "neurochem: error: %s\n", message.c_str());
            }
        } else {
            const bool resume = decision == "resume";
            if (root) {
                st = {"running",  0,  st.attempt + 1,     host_name(), static_cast<long>(getpid()),
                      utc_time(), "", current_slurm_job()};
                write_status(status_path(m, row), st);
            }
            LogRedirect redirect(log);
            if (root) {
                std::printf("==== neurochem sweep: point %llu, attempt %llu: %s on %s at %s ====\n",
                            id, static_cast<unsigned long long>(st.attempt),
                            resume ? "resume" : "run", host_name().c_str(), utc_time().c_str());
            }
            if (static_cast<long>(row.point) == o.fault_point && o.fault == "abort") {
                std::fflush(stdout);
                std::abort();  // testing: a crash of the whole process
            }
            try {
                code = subcommand(resume ? "resume" : "run", point_args(m, row, o, resume),
                                  o.command_line + " [point " + std::to_string(row.point) + "]");
            } catch (const input_error& e) {
                code = 2;
                message = e.what();
            } catch (const std::exception& e) {
                code = 1;
                message = e.what();
            }
            if (!message.empty()) std::fprintf(stderr, "neurochem: error: %s\n", message.c_str());
        }
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (root) {
            st.exit_code = code;
            st.updated = utc_time();
            st.message = message;
            if (code == 0 && output_config_hash(m.path(row.output)) != row.config_hash) {
                st.exit_code = code = 1;
                st.message = message =
                    row.output + " is missing or holds another config after the run.";
            }
            st.state = code == 0 ? "done" : code == 3 ? "interrupted" : "failed";
            write_status(status_path(m, row), st);
            if (code == 0) {
                if (!o.keep_checkpoints) fs::remove_all(checkpoint_dir(m, row));
                std::printf("point %llu: done in %.2f s\n", id, seconds);
            } else if (code == 3) {
                std::printf(
                    "point %llu: stopped by a signal after writing a checkpoint; it resumes next "
                    "time\n",
                    id);
            } else {
                std::printf("point %llu: FAILED (exit code %d): %s\n  log: %s\n", id, code,
                            message.c_str(), absolute(log).c_str());
            }
            std::fflush(stdout);
        }
        if (code == 3) return 3;
        if (code != 0) worst = 1;
    }
    return worst;
}

}  // namespace neurochem::sweep

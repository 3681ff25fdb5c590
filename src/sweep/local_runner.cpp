#include "sweep/local_runner.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <thread>

#include "sweep/status.hpp"
#include "util/child_process.hpp"

namespace fs = std::filesystem;

namespace neurochem::sweep {

namespace {
volatile std::sig_atomic_t interrupts = 0;  // Ctrl-C count
volatile std::sig_atomic_t stop_request = 0;
extern "C" void on_local_signal(int sig) {
    if (sig == SIGINT) interrupts = interrupts + 1;
    stop_request = 1;
}

/// Installs the runner's handlers and restores the previous ones when it ends.
class SignalScope {
  public:
    SignalScope() {
        struct sigaction sa {};
        sa.sa_handler = on_local_signal;
        sigemptyset(&sa.sa_mask);
        for (int i = 0; i < 3; ++i)
            sigaction(signals_[i], &sa, &old_[i]);
        interrupts = 0;
        stop_request = 0;
    }
    ~SignalScope() {
        for (int i = 0; i < 3; ++i)
            sigaction(signals_[i], &old_[i], nullptr);
    }

  private:
    int signals_[3] = {SIGINT, SIGTERM, SIGUSR1};
    struct sigaction old_[3]{};
};

std::string duration(double s) {
    char buf[32];
    if (s < 60) {
        std::snprintf(buf, sizeof buf, "%.1f s", s);
    } else if (s < 3600) {
        std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60,
                      static_cast<int>(s) % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600,
                      static_cast<int>(s) / 60 % 60);
    }
    return buf;
}
}  // namespace

int run_local(const Manifest& m, const std::vector<std::size_t>& points, const LocalOptions& o) {
    const SignalScope signals;
    const bool tty = isatty(STDERR_FILENO) != 0;
    const auto env = child_environment();
    const auto t0 = std::chrono::steady_clock::now();
    std::map<pid_t, std::size_t> running;
    std::size_t next = 0, done = 0, failed = 0, interrupted = 0;
    bool stopping = false;
    int kills_sent = 0;
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    auto progress = [&](bool final) {
        if (o.quiet) return;
        const std::size_t finished = done + failed + interrupted;
        const std::size_t pending = points.size() - next;
        std::string eta = "ETA unknown";
        if (done + failed > 0 && !stopping)
            eta = "ETA " + duration(elapsed() / static_cast<double>(finished) *
                                    static_cast<double>(pending + running.size()));
        if (final) eta = "finished";
        const std::string before =
            o.already_done ? " (+" + std::to_string(o.already_done) + " done before)" : "";
        const std::string stopped =
            interrupted ? ", " + std::to_string(interrupted) + " interrupted" : "";
        std::fprintf(
            stderr,
            "%ssweep: %zu/%zu done%s, %zu running, %zu failed%s, %zu pending; elapsed %s, %s%s",
            tty ? "\r" : "", done, points.size(), before.c_str(), running.size(), failed,
            stopped.c_str(), pending, duration(elapsed()).c_str(), eta.c_str(),
            tty && !final ? "    " : "\n");
        std::fflush(stderr);
    };
    auto note = [&](const std::string& line) {  // a message above the progress line
        if (tty && !o.quiet) std::fprintf(stderr, "\r%100s\r", "");
        std::fprintf(stderr, "%s\n", line.c_str());
    };
    double last_print = -1;
    while ((!stopping && next < points.size()) || !running.empty()) {
        if (stop_request && !stopping) {
            stopping = true;
            note(
                "sweep: stopping: the running points write a checkpoint and stop (Ctrl-C again to "
                "kill them)");
            for (const auto& [pid, i] : running)
                kill(pid, SIGUSR1);
        }
        if (stopping && interrupts >= 2 && kills_sent == 0) {
            kills_sent = 1;
            for (const auto& [pid, i] : running)
                kill(pid, SIGKILL);
        }
        if (!stopping && next < points.size() && running.size() < o.jobs) {
            const auto& row = m.rows.at(points[next]);
            std::vector<std::string> argv = {o.exe,
                                             "sweep",
                                             fs::absolute(m.dir).string(),
                                             "--task",
                                             std::to_string(row.point),
                                             "--points-per-task",
                                             "1"};
            argv.insert(argv.end(), o.task_args.begin(), o.task_args.end());
            running[spawn_child(argv, env, m.path(row.log))] = points[next];
            ++next;
            continue;
        }
        int status = 0;
        const pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid > 0 && running.count(pid)) {
            const auto& row = m.rows.at(running[pid]);
            running.erase(pid);
            const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            StatusRecord st = read_status(status_path(m, row));
            if (WIFSIGNALED(status) && st.state == "running") {
                st.state = "failed";
                st.exit_code = 128 + WTERMSIG(status);
                st.message = std::string("the process was killed by signal ") +
                             std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) +
                             ")";
                st.updated = utc_time();
                write_status(status_path(m, row), st);
            }
            if (code == 0) {
                ++done;
            } else if (code == 3) {
                ++interrupted;
            } else {
                ++failed;
                note("sweep: point " + std::to_string(row.point) + " FAILED (" +
                     (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                          : "exit code " + std::to_string(code)) +
                     "): " + st.message + "\n  log: " + fs::absolute(m.path(row.log)).string());
            }
            last_print = -1;
        } else if (pid <= 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        const double now = elapsed();
        if (last_print < 0 || now - last_print >= (tty ? 0.5 : 60.0)) {
            progress(false);
            last_print = now;
        }
    }
    if (tty) progress(true);  // a batch log has the last state already
    if (stopping) return 3;
    return failed > 0 ? 1 : 0;
}

}  // namespace neurochem::sweep

#include "sweep/local_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
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

extern char** environ;

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
        for (int i = 0; i < 3; ++i) sigaction(signals_[i], &sa, &old_[i]);
        interrupts = 0;
        stop_request = 0;
    }
    ~SignalScope() {
        for (int i = 0; i < 3; ++i) sigaction(signals_[i], &old_[i], nullptr);
    }

private:
    int signals_[3] = {SIGINT, SIGTERM, SIGUSR1};
    struct sigaction old_[3] {};
};

/// The environment of a child: without thread pinning (N children would pin to the same cores)
/// and without the variables of an MPI launcher (each child is a process of its own).
std::vector<std::string> child_environment() {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string v = *e;
        const std::string name = v.substr(0, v.find('='));
        if (name == "OMP_PROC_BIND" || name == "OMP_PLACES" || name.rfind("OMPI_COMM_WORLD", 0) == 0 ||
            name.rfind("PMI_", 0) == 0 || name.rfind("PMIX_", 0) == 0 || name == "MPI_LOCALNRANKS") {
            continue;
        }
        env.push_back(v);
    }
    return env;
}

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& log) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);  // Ctrl-C reaches the runner only, which stops children cleanly
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int s : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&defaults, s);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> a, e;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    for (const auto& s : env) e.push_back(const_cast<char*>(s.c_str()));
    e.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0].c_str(), &fa, &attr, a.data(), e.data());
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    return pid;
}

std::string duration(double s) {
    char buf[32];
    if (s < 60) {
        std::snprintf(buf, sizeof buf, "%.1f s", s);
    } else if (s < 3600) {
        std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
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
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    auto progress = [&](bool final) {
        if (o.quiet) return;
        const std::size_t finished = done + failed + interrupted;
        const std::size_t pending = points.size() - next;
        std::string eta = "ETA unknown";
        if (done + failed > 0 && !stopping) eta = "ETA " + duration(elapsed() / static_cast<double>(finished) *
                                                                     static_cast<double>(pending + running.size()));
        if (final) eta = "finished";
        const std::string before = o.already_done ? " (+" + std::to_string(o.already_done) + " done before)" : "";
        const std::string stopped = interrupted ? ", " + std::to_string(interrupted) + " interrupted" : "";
        std::fprintf(stderr, "%ssweep: %zu/%zu done%s, %zu running, %zu failed%s, %zu pending; elapsed %s, %s%s",
                     tty ? "\r" : "", done, points.size(), before.c_str(), running.size(), failed, stopped.c_str(),
                     pending, duration(elapsed()).c_str(), eta.c_str(), tty && !final ? "    " : "\n");
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
            note("sweep: stopping: the running points write a checkpoint and stop (Ctrl-C again to kill them)");
            for (const auto& [pid, i] : running) kill(pid, SIGUSR1);
        }
        if (stopping && interrupts >= 2 && kills_sent == 0) {
            kills_sent = 1;
            for (const auto& [pid, i] : running) kill(pid, SIGKILL);
        }
        if (!stopping && next < points.size() && running.size() < o.jobs) {
            const auto& row = m.rows.at(points[next]);
            std::vector<std::string> argv = {o.exe, "sweep", fs::absolute(m.dir).string(), "--task",
                                             std::to_string(row.point), "--points-per-task", "1"};
            argv.insert(argv.end(), o.task_args.begin(), o.task_args.end());
            running[spawn(argv, env, m.path(row.log))] = points[next];
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
                st.message = std::string("the process was killed by signal ") + std::to_string(WTERMSIG(status)) +
                             " (" + strsignal(WTERMSIG(status)) + ")";
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

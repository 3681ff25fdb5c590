#include "util/stop_signal.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <ctime>

namespace neurochem {

namespace {
volatile std::sig_atomic_t stop_signal = 0;
// When the first SIGTERM arrived (CLOCK_MONOTONIC, ms; -1: none). Lock-free, so safe to use
// from the handler.
std::atomic<std::int64_t> first_term_ms{-1};
static_assert(std::atomic<std::int64_t>::is_always_lock_free);

std::int64_t monotonic_ms() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);  // async-signal-safe
    return static_cast<std::int64_t>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

extern "C" void on_stop_signal(int sig) {
    if (sig == SIGTERM) {
        const std::int64_t now = monotonic_ms();
        const std::int64_t first = first_term_ms.load();
        if (first >= 0 && now - first >= second_sigterm_grace_ms) {
            // A process that did not act on the first SIGTERM (a hung file system, a stalled
            // checkpoint): the second one ends it with the default action.
            static const char msg[] =
                "neurochem: a second SIGTERM: ending at once (a checkpoint being written is "
                "lost; the older checkpoints and the .partial output are kept)\n";
            [[maybe_unused]] const auto n = write(2, msg, sizeof msg - 1);
            struct sigaction dfl {};
            dfl.sa_handler = SIG_DFL;
            sigemptyset(&dfl.sa_mask);
            sigaction(SIGTERM, &dfl, nullptr);
            raise(SIGTERM);
            return;
        }
        if (first < 0) first_term_ms.store(now);
    }
    stop_signal = sig;
}
}  // namespace

void install_stop_signal_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGUSR1, &sa, nullptr);
    // Ctrl-C stops like SIGTERM; a second Ctrl-C ends the process (the handler resets). An
    // ignored SIGINT stays ignored (a shell's background jobs, nohup-like launchers).
    struct sigaction old {};
    sigaction(SIGINT, nullptr, &old);
    if (old.sa_handler != SIG_IGN) {
        sa.sa_flags = SA_RESTART | SA_RESETHAND;
        sigaction(SIGINT, &sa, nullptr);
    }
}

int stop_signal_received() {
    return stop_signal;
}

void clear_stop_signal() {
    stop_signal = 0;
    first_term_ms.store(-1);
}

const char* stop_signal_name(int s) {
    return s == SIGTERM   ? "SIGTERM"
           : s == SIGUSR1 ? "SIGUSR1"
           : s == SIGINT  ? "SIGINT"
                          : "a signal";
}

void throw_if_stopped(const std::string& doing) {
    if (stop_signal != 0) {
        throw stopped_error(std::string("stopped by ") + stop_signal_name(stop_signal) + " while " +
                            doing);
    }
}

}  // namespace neurochem

#include "util/stop_signal.hpp"

#include <csignal>

namespace neurochem {

namespace {
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int sig) {
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

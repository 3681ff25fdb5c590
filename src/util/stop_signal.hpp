// Stop requests by signal. From main() on, SIGTERM, SIGUSR1 and SIGINT (Ctrl-C) only set a flag:
// a simulation checkpoints at its next epoch and exits with code 3 (RunDriver); every other long
// loop (planning or listing a sweep, collecting, pk over a long regimen) calls
// throw_if_stopped(), which ends the command with code 3 before it writes anything more.
// A second Ctrl-C has the default action (ends the process at once), and so has a second
// SIGTERM that comes at least second_sigterm_grace_ms after the first: a process stuck where it
// cannot act on the flag (a hung file system) can be ended without SIGKILL. A SIGTERM sooner
// than that is the same request again (srun and the batch script may both deliver one).
#pragma once

#include <stdexcept>
#include <string>

namespace neurochem {

/// A command stopped by a signal; the tool exits with code 3.
class stopped_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// How long after a first SIGTERM a second one ends the process at once.
inline constexpr long long second_sigterm_grace_ms = 5000;

/// Installs the flag-setting handlers for SIGTERM, SIGUSR1 and SIGINT.
void install_stop_signal_handlers();

/// The signal received (0 if none).
int stop_signal_received();

/// "SIGTERM", "SIGUSR1", "SIGINT" or "a signal".
const char* stop_signal_name(int signal);

/// Forgets a received signal (tests).
void clear_stop_signal();

/// Throws stopped_error("stopped by SIGTERM while <doing>; ...") if a stop signal arrived.
void throw_if_stopped(const std::string& doing);

}  // namespace neurochem

// Child processes of this binary: the points of a local sweep (sweep/local_runner.cpp) and the
// second arm of the main job (app/main_job.cpp). Each child is a process of its own (a
// singleton MPI process, not a rank of this job), in its own process group (a terminal's
// Ctrl-C reaches the parent only, which stops the children cleanly), with its output in a log.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace neurochem {

/// This binary (/proc/self/exe), or "neurochem" if that cannot be read.
std::string self_executable();

/// The environment of a child: without thread pinning (N children would pin to the same cores)
/// and without the variables of an MPI launcher (each child is a process of its own).
std::vector<std::string> child_environment();

/// Starts argv[0] with `argv` and `env`, stdout and stderr to `log` (appended, or truncated
/// first), stdin from /dev/null, in a new process group, SIGINT/SIGTERM/SIGUSR1 at their
/// defaults. Throws std::runtime_error if it cannot start.
pid_t spawn_child(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                  const std::string& log, bool truncate_log = false);

}  // namespace neurochem

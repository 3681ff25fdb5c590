// The job-array script of `neurochem sweep ... --slurm`: jobs/sweep_array.sbatch (compiled into
// the binary) with its #SBATCH lines replaced by the chosen resources, the settings
// (SWEEP_DIR, POINTS_PER_TASK, CHECKPOINT_EVERY, NEUROCHEM) given defaults, and `module load`
// lines after the "# --- modules ---" marker. So a generated script is the documented template
// with values filled in.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace neurochem::sweep {

struct SlurmOptions {
    std::string job_name = "neurochem-sweep";
    std::string array;            ///< e.g. "0-11" or "0-3,7%4"
    int ranks = 1;                ///< --ntasks: MPI ranks per point
    int threads = 1;              ///< --cpus-per-task: OpenMP threads per rank
    std::string time = "01:00:00";
    std::string mem;              ///< "" leaves the cluster's default
    std::string partition, account;
    int signal_seconds = 120;     ///< --signal=B:USR1@T
    std::string output;           ///< --output pattern
    std::vector<std::string> extra;    ///< further sbatch options ("--qos=short")
    std::vector<std::string> modules;  ///< module load ...
    std::map<std::string, std::string> settings;  ///< SWEEP_DIR, POINTS_PER_TASK, ...
};

/// The embedded jobs/sweep_array.sbatch.
const std::string& sweep_array_template();

/// Fills in the template; `header` (comment lines) goes after the #! line.
std::string sbatch_script(const std::string& tmpl, const SlurmOptions& o, const std::string& header);

/// "0-3,7,9-11" from sorted task indices, with "%N" when max_parallel > 0.
std::string array_ranges(const std::vector<std::size_t>& tasks, std::size_t max_parallel);

/// A time limit for sbatch: SLURM's own forms (minutes, [D-]HH:MM[:SS], MM:SS) pass through;
/// a neurochem time with a unit ("90 min", "2 h", "1 day") becomes [D-]HH:MM:SS, rounded up to
/// a whole minute. input_error otherwise, naming the option.
std::string slurm_time(const std::string& text, const std::string& option);
/// Seconds to [D-]HH:MM:SS (rounded up to a whole minute).
std::string slurm_time_from_seconds(double seconds);
/// A memory size for sbatch: a number with an optional K, M, G or T suffix.
std::string slurm_mem(const std::string& text, const std::string& option);

}  // namespace neurochem::sweep

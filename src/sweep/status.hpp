// The state of a sweep point, read from its files alone (so that it is the same seen from any
// node), and what to do with it next:
//
//   done         OUT.h5 is a neurochem output whose /provenance config_hash is the manifest's
//   stale        OUT.h5 exists but holds another config (or is unreadable)      -> run
//   interrupted  stopped with a checkpoint (exit code 3; the status file says so) -> resume
//   failed       the last attempt failed (status file), with its log            -> resume if it
//                left a usable checkpoint of the same config, else run again
//   running      the status file says an attempt is running (or died without a trace)  -> run,
//                unless its process is alive on this host or its SLURM job is still queued
//   pending      never started                                                  -> run
//
// The status file (points/NNNN/status) holds "key = value" lines written atomically by the
// process that runs the point: state, exit_code, attempt, host, pid, updated, message.
#pragma once

#include <cstdint>
#include <string>

#include "sweep/manifest.hpp"

namespace neurochem::sweep {

enum class PointState { pending, running, done, failed, interrupted, stale };
const char* state_name(PointState s);

struct StatusRecord {
    std::string state;  ///< running, done, failed, interrupted ("" if there is no file)
    int exit_code = 0;
    std::uint64_t attempt = 0;
    std::string host;
    long pid = 0;
    std::string updated;    ///< UTC time
    std::string message;    ///< the error of a failed attempt
    std::string slurm_job;  ///< the SLURM job ("JOB" or "ARRAYJOB_TASK") that ran it, "" if none
};

StatusRecord read_status(const std::string& path);
void write_status(const std::string& path, const StatusRecord& r);
std::string status_path(const Manifest& m, const ManifestRow& row);
std::string checkpoint_dir(const Manifest& m, const ManifestRow& row);

struct PointStatus {
    PointState state = PointState::pending;
    StatusRecord record;
    std::string checkpoint;  ///< the newest checkpoint of the same config, "" if none
    std::string detail;      ///< why (e.g. "out.h5 holds config 1a2b... not 3c4d...")
};

/// Inspects a point's files.
PointStatus inspect_point(const Manifest& m, const ManifestRow& row);

enum class Action { skip, run, resume };
Action next_action(const PointStatus& s);
const char* action_name(Action a);

/// Whether a "running" status names a live process on this host that runs a task of this sweep
/// (`neurochem sweep DIR --task ...` with DIR this sweep's directory, by file identity: a bind
/// mount or symlink of it counts, as seen from the task's own mount namespace). A pid that a later
/// process has taken over, or a status file edited by hand that names any live process, does not
/// stop the point from being run. Without /proc, a live pid on this host is taken at its word.
bool runs_point_here(const Manifest& m, const StatusRecord& r);

/// The SLURM job this process runs in, from the environment: "ARRAYJOB_TASK" for an array task,
/// else the job id; "" outside SLURM.
std::string current_slurm_job();
/// Whether `squeue` lists the SLURM job `job` of this user as pending, running, configuring,
/// completing, suspended or requeued (one squeue call a minute at most, whatever the number of
/// points asked about). False if squeue is missing or does not list the job (it has ended).
bool slurm_job_active(const std::string& job);

/// Who else is running this point now, or "" if nobody: "process PID on this host" (a task of
/// this sweep, runs_point_here) or "SLURM job J" (recorded on another host, not this process's
/// own job, and still listed by squeue). A running status that names neither is a run that
/// died without a trace.
std::string running_elsewhere(const Manifest& m, const PointStatus& s);

/// The config hash in an output file's /provenance, or "" if it is not a complete neurochem
/// output.
std::string output_config_hash(const std::string& path);

/// The current time as "YYYY-MM-DDTHH:MM:SSZ", and this host's name.
std::string utc_time();
std::string host_name();
/// utc_time() fit for a file name (':' as '-'): the stamp of files and directories moved aside.
std::string file_time_stamp();

}  // namespace neurochem::sweep

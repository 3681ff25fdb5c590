#include "sweep/status.hpp"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "io/checkpoint.hpp"
#include "io/h5.hpp"
#include "io/output_writer.hpp"
#include "neurochem/errors.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace neurochem::sweep {

const char* state_name(PointState s) {
    switch (s) {
        case PointState::pending:
            return "pending";
        case PointState::running:
            return "running";
        case PointState::done:
            return "done";
        case PointState::failed:
            return "failed";
        case PointState::interrupted:
            return "interrupted";
        case PointState::stale:
            return "stale";
    }
    return "";
}

const char* action_name(Action a) {
    switch (a) {
        case Action::skip:
            return "skip";
        case Action::run:
            return "run";
        case Action::resume:
            return "resume";
    }
    return "";
}

std::string utc_time() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

std::string file_time_stamp() {
    std::string when = utc_time();
    for (char& c : when)
        c = c == ':' ? '-' : c;
    return when;
}

std::string host_name() {
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

std::string status_path(const Manifest& m, const ManifestRow& row) {
    return m.point_dir(row) + "/status";
}

std::string checkpoint_dir(const Manifest& m, const ManifestRow& row) {
    fs::path p = m.path(row.output);
    p.replace_extension();
    return p.string() + ".checkpoints";
}

StatusRecord read_status(const std::string& path) {
    StatusRecord r;
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        const std::string key(text::trim(std::string_view(line).substr(0, eq)));
        const std::string value(text::trim(std::string_view(line).substr(eq + 1)));
        try {
            if (key == "state") r.state = value;
            if (key == "exit_code") r.exit_code = std::stoi(value);
            if (key == "attempt") r.attempt = std::stoull(value);
            if (key == "host") r.host = value;
            if (key == "pid") r.pid = std::stol(value);
            if (key == "updated") r.updated = value;
            if (key == "message") r.message = value;
            if (key == "slurm_job") r.slurm_job = value;
        } catch (const std::exception&) {
            // A damaged field reads as absent.
        }
    }
    return r;
}

void write_status(const std::string& path, const StatusRecord& r) {
    std::string msg = r.message;
    for (char& c : msg) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    write_file_atomically(
        path, "state = " + r.state + "\nexit_code = " + std::to_string(r.exit_code) +
                  "\nattempt = " + std::to_string(r.attempt) + "\nhost = " + r.host + "\npid = " +
                  std::to_string(r.pid) + "\nupdated = " + r.updated + "\nmessage = " + msg + "\n" +
                  (r.slurm_job.empty() ? "" : "slurm_job = " + r.slurm_job + "\n"));
}

std::string output_config_hash(const std::string& path) {
    if (!fs::is_regular_file(path)) return "";
    h5::quiet_errors();
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) return "";
    h5::Handle f(id, H5Fclose);
    try {
        if (!has_output_mark(f) || !h5::exists(f, "provenance")) {
            return "";
        }
        h5::Handle prov = h5::open_group(f, "provenance");
        return H5Aexists(prov, "config_hash") > 0 ? h5::read_attr_string(prov, "config_hash") : "";
    } catch (const std::exception&) {
        return "";
    }
}

std::string current_slurm_job() {
    const char* array = std::getenv("SLURM_ARRAY_JOB_ID");
    const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
    if (array && task && *array && *task) return std::string(array) + "_" + task;
    const char* job = std::getenv("SLURM_JOB_ID");
    return job ? job : "";
}

namespace {
/// The jobs of this user that squeue lists as not ended ("JOB" or "ARRAYJOB_TASK": one line per
/// array task), read at most once a minute, so that planning or running many points asks the
/// SLURM controller once, not once per point. Empty if squeue is missing or fails.
const std::set<std::string>& active_slurm_jobs() {
    static std::set<std::string> jobs;
    static std::optional<std::chrono::steady_clock::time_point> read_at;
    const auto now = std::chrono::steady_clock::now();
    if (read_at && now - *read_at < std::chrono::minutes(1)) return jobs;
    read_at = now;
    jobs.clear();
    const passwd* pw = getpwuid(getuid());
    const std::string user = pw && pw->pw_name ? pw->pw_name : "";
    if (user.empty() || user.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
                                               "YZ0123456789._-") != std::string::npos)
        return jobs;
    FILE* p = popen(("squeue -h -r -u " + user + " -o '%i %T' 2> /dev/null").c_str(), "r");
    if (!p) return jobs;
    std::set<std::string> listed;
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) {
        std::istringstream line(buf);
        std::string id, state;
        line >> id >> state;
        for (const char* alive : {"PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED",
                                  "REQUEUED", "RESIZING"}) {
            if (state == alive) listed.insert(id);
        }
    }
    if (pclose(p) == 0) jobs = std::move(listed);
    return jobs;
}
}  // namespace

bool slurm_job_active(const std::string& job) {
    return !job.empty() && active_slurm_jobs().count(job) > 0;
}

bool runs_point_here(const Manifest& m, const StatusRecord& r) {
    if (r.state != "running" || r.host != host_name() || r.pid <= 0) return false;
    const auto pid = static_cast<pid_t>(r.pid);
    if (pid != r.pid || kill(pid, 0) != 0) return false;
    const fs::path proc = "/proc/" + std::to_string(pid);
    std::ifstream f(proc / "cmdline", std::ios::binary);
    if (!f) return !fs::exists("/proc/self/cmdline");  // no /proc here: the pid's word
    std::vector<std::string> argv;
    for (std::string a; std::getline(f, a, '\0');)
        argv.push_back(a);
    // The task's paths are looked up as the task sees them (/proc/PID/cwd and /proc/PID/root
    // work across mount namespaces) and compared by file identity, so a bind mount, a symlink or
    // a container's view of the same directory is recognised.
    std::error_code ec;
    const fs::path dir = fs::absolute(m.dir);
    bool sweep = false, task = false, this_dir = false;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        sweep |= argv[i] == "sweep";
        task |= argv[i].rfind("--task", 0) == 0;
        if (argv[i].empty() || argv[i][0] == '-') continue;
        const fs::path a(argv[i]);
        const fs::path p = a.is_absolute() ? proc / "root" / a.relative_path() : proc / "cwd" / a;
        this_dir |= fs::equivalent(p, dir, ec) || fs::equivalent(p, dir / manifest_name, ec);
    }
    return sweep && task && this_dir;
}

std::string running_elsewhere(const Manifest& m, const PointStatus& s) {
    if (s.state != PointState::running) return "";
    if (runs_point_here(m, s.record))
        return "process " + std::to_string(s.record.pid) + " on this host";
    // On another node, squeue answers for the job; on this host the pid does (above), and a job
    // that is this process's own allocation says nothing about the point.
    if (s.record.host != host_name() && s.record.slurm_job != current_slurm_job() &&
        slurm_job_active(s.record.slurm_job))
        return "SLURM job " + s.record.slurm_job + " (squeue lists it)";
    return "";
}

PointStatus inspect_point(const Manifest& m, const ManifestRow& row) {
    PointStatus s;
    s.record = read_status(status_path(m, row));
    const std::string out = m.path(row.output);
    if (fs::exists(out)) {
        const std::string hash = output_config_hash(out);
        if (hash == row.config_hash) {
            s.state = PointState::done;
            return s;
        }
        s.state = PointState::stale;
        s.detail = row.output + (hash.empty() ? " is not a complete neurochem output"
                                              : " holds config " + hash.substr(0, 12) + ", not " +
                                                    row.config_hash.substr(0, 12));
    }
    // The newest checkpoint of this config (a damaged one is passed over, as resume does).
    const std::string ckpt_dir = checkpoint_dir(m, row);
    if (fs::is_directory(ckpt_dir)) {
        for (const auto& c : list_checkpoints(ckpt_dir)) {
            try {
                if (read_checkpoint_header(c).config_hash == row.config_hash) {
                    s.checkpoint = c;
                    break;
                }
            } catch (const input_error&) {
            }
        }
    }
    if (s.state == PointState::stale) return s;
    const std::string& st = s.record.state;
    if (st == "failed") {
        s.state = PointState::failed;
    } else if (st == "interrupted" && !s.checkpoint.empty()) {
        s.state = PointState::interrupted;
    } else if (st == "running") {
        s.state = PointState::running;
    } else if (!s.checkpoint.empty()) {
        s.state = PointState::interrupted;
    } else if (st == "done" || st == "interrupted") {
        s.state = PointState::failed;  // its output or checkpoint has gone
        s.detail =
            "the status file says " + st + ", but " +
            (st == "done" ? row.output + " is missing" : std::string("no checkpoint is left"));
    }
    return s;
}

Action next_action(const PointStatus& s) {
    if (s.state == PointState::done) return Action::skip;
    return s.checkpoint.empty() ? Action::run : Action::resume;
}

}  // namespace neurochem::sweep

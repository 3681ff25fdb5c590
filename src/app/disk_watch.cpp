#include "app/disk_watch.hpp"

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace neurochem::app {

DiskSpaceWatch::DiskSpaceWatch(std::string file, std::uint64_t total_steps, bool enabled)
    : file_(std::move(file)), total_(total_steps), enabled_(enabled && total_steps > 0) {}

void DiskSpaceWatch::epoch(const EpochView& view) {
    if (!enabled_ || warned_) return;
    const double f = static_cast<double>(view.end_step) / static_cast<double>(total_);
    if (f * 100.0 < next_percent_ || f >= 1.0) return;
    next_percent_ = static_cast<int>(f * 100.0) + 1;
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto size = fs::file_size(file_, ec);
    if (ec) return;
    if (f0_ < 0) {  // the first observation: the file's fixed part is behind us
        f0_ = f;
        size0_ = static_cast<double>(size);
        return;
    }
    const double growth = (static_cast<double>(size) - size0_) / (f - f0_);  // bytes per run
    const double to_come = growth * (1.0 - f);
    const auto dir = fs::absolute(file_, ec).parent_path();
    const auto space = fs::space(dir, ec);
    if (ec || to_come <= static_cast<double>(space.available)) return;
    warned_ = true;
    std::fprintf(
        stderr,
        "warning: %s has grown %.1f MB since %.0f %% of the run and is on track for ~%.1f MB "
        "more by its end, but %s has %.1f MB free: the run will stop with an error when the "
        "disk is full (free space, write elsewhere with -o, or record less: [output] spikes = "
        "false, a longer rate_bin)\n",
        file_.c_str(), (static_cast<double>(size) - size0_) / 1048576.0, 100.0 * f0_,
        to_come / 1048576.0, dir.c_str(), static_cast<double>(space.available) / 1048576.0);
    std::fflush(stderr);
}

}  // namespace neurochem::app

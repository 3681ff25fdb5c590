#pragma once

namespace neurochem {

/// Peak resident set size of this process in MB (VmHWM from /proc/self/status). Unlike
/// getrusage's ru_maxrss, which Linux carries across exec() from the parent, this is the
/// process's own high-water mark. 0 where /proc is unavailable.
double peak_rss_mb();
/// Current resident set size in MB (VmRSS).
double current_rss_mb();

}  // namespace neurochem

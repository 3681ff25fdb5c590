// The measured cost of a sweep's points, from the /provenance of its completed outputs (wall
// time x threads x ranks, peak memory): for the core-hour estimate of --dry-run and the default
// time limit, memory and points per task of --slurm.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sweep/status.hpp"

namespace neurochem::sweep {

struct MeasuredCost {
    std::size_t points = 0;     ///< completed points measured (0: unknown)
    double core_seconds = 0;    ///< mean per point
    double wall_seconds = 0;    ///< mean per point, at the layout it ran on
    double cores = 0;           ///< mean threads x ranks it ran on
    double peak_MB = 0;         ///< largest peak memory of one process
};

MeasuredCost measure_cost(const Manifest& m, const std::vector<PointStatus>& states);

/// "0.52 core-s" / "3.1 core-min" / "12.4 core-h".
std::string core_time(double core_seconds);

}  // namespace neurochem::sweep

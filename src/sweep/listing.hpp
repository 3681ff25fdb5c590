// Text for the terminal: the plan of a sweep, its points with their states, and counts.
#pragma once

#include <string>
#include <vector>

#include "sweep/cost.hpp"
#include "sweep/status.hpp"

namespace neurochem::sweep {

/// "sweep NAME: 12 points = 3 (poisson.ext_E.rate) x 2 (zip.arm) x 2 replicates; seeds ..."
std::string plan_summary(const Manifest& m);

/// One line per selected point: point, [sample], [replicate], seed, axis values, state, and for
/// failed points the message and log.
std::string points_listing(const Manifest& m, const std::vector<PointStatus>& states,
                           const std::vector<std::size_t>& selection);

/// "8 done, 1 failed, 3 pending".
std::string state_counts(const std::vector<PointStatus>& states);

/// The cost paragraph of --dry-run: measured cost per point and the estimate for `remaining`.
std::string cost_estimate(const MeasuredCost& c, std::size_t remaining, std::size_t total);

}  // namespace neurochem::sweep

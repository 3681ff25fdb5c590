// Slow processes (plain data): equations on the slow clock, driven by the window averages of
// the fast model and writing back into it (docs/model/slow.md).
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace neurochem {

/// Homeostatic regulation of a Poisson drive towards a set-point firing rate of a population:
///   d ln g / dt = (target - r) / (target * tau),     drive rate = protocol rate * g,
/// with r the population's mean rate in the window of the slow step (held over the step, so the
/// update is exact: g <- g exp(dt (target - r) / (target tau))), g clipped to [g_min, g_max].
struct DriveHomeostasisSpec {
    std::string name;
    std::string drive;       ///< ModelSpec::poisson name
    std::string population;  ///< whose rate is regulated
    double target_Hz = 1.0;
    double tau_h = 24.0;
    double g_min = 0.0, g_max = std::numeric_limits<double>::infinity();
};

struct SlowSpec {
    std::vector<DriveHomeostasisSpec> drive_homeostasis;
    bool empty() const { return drive_homeostasis.empty(); }
};

}  // namespace neurochem

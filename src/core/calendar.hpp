// The calendar clock beside the fast step counter. The fast counter n never stops or repeats
// (so no random number is reused); calendar time (hours) is what drug kinetics, the protocol
// and the slow layer run on. Within a fast window the calendar advances linearly with n:
//   t_h(n) = origin_h + (n - origin_step) * dt_ms * rate / 3.6e6
// rate = 1 in a plain run (calendar time = simulated time) and in brute-force windows; a
// compressed window of W seconds standing for a slow step of D seconds has rate = D / W.
#pragma once

#include <cstdint>

namespace neurochem {

struct CalendarMap {
    double origin_h = 0.0;
    std::uint64_t origin_step = 0;
    double rate = 1.0;  ///< calendar seconds per simulated second

    double at(std::uint64_t step, double dt_ms) const {
        return origin_h + static_cast<double>(step - origin_step) * dt_ms * rate / 3.6e6;
    }
};

}  // namespace neurochem

// The protocol of a multi-day run (plain data): the slow clock, the fast windows that stand for
// its steps, and the timeline of sessions that change the model's inputs (sleep, exercise,
// therapy, probes). Drug regimens are part of the chemistry (RegimenSpec) and run on the same
// calendar clock. Times are calendar times in hours from t = 0, which is midnight of day 0.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace neurochem {

/// A session: a stretch of calendar time during which inputs differ from the model's own,
/// once or repeated every `every_h` (e.g. a sleep window every 24 h, a weekly therapy session).
struct SessionSpec {
    std::string name;
    std::string origin;    ///< where it was declared ("file.ini:12"), for messages; may be empty
    double start_h = 0.0;  ///< first start
    double length_h = 0.0;
    double every_h = 0.0;                                      ///< repeat period; 0: once
    double until_h = std::numeric_limits<double>::infinity();  ///< no start at or after this time
    /// Poisson drives (ModelSpec::poisson names) and their rates (Hz) while the session lasts.
    std::vector<std::pair<std::string, double>> drive_rates_Hz;
    bool asleep = false;  ///< the session is sleep (the sleep-wake state in the output)
    bool exercise =
        false;  ///< the session is physical exercise (drives BDNF expression, [bdnf.POP])
    /// Its slow steps are simulated whole (brute force), not by a window: for short stimuli
    /// (a probe) whose every spike matters.
    bool whole = false;
    /// A slice: the synaptic input of these populations (every port: projections and Poisson
    /// drives) is cut while the session lasts.
    std::vector<std::string> isolate;
    /// A perfused slice: every drug given by a non-bath route is absent from the tissue (target
    /// concentration 0; plasma unchanged) while the session lasts.
    bool washout = false;
};

struct ProtocolSpec {
    bool enabled = false;      ///< with a protocol, simulation.duration is calendar time
    std::string origin;        ///< of the [protocol] section, for messages
    double slow_step_h = 1.0;  ///< the slow clock's step (steps are also cut at session edges)
    /// Fast time simulated per slow step: settle, then the measured window whose averages drive
    /// the slow equations. A step not longer than settle + window is simulated whole (brute force).
    double window_ms = 2000.0;
    double settle_ms = 500.0;
    /// Fast output (spikes, rates, traces) is written for one window per period: the window of
    /// the slow step that contains record_at_h (mod record_every_h). 0: every window; infinity:
    /// none.
    double record_every_h = 24.0;
    double record_at_h = 12.0;
    std::vector<SessionSpec> sessions;
    /// Sessions read with `enabled = false`: checked, never held (named by `neurochem check`).
    std::vector<std::string> disabled_sessions;
};

}  // namespace neurochem

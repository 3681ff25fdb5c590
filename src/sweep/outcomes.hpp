// Outcome columns of the results table, read from a point's output file. This is the extension
// point for outcome metrics: a new metric is one function that reads an open output file and
// appends named values, listed in outcome_sources(). Column names carry their unit in brackets
// ("E.rate [Hz]"); a source that finds nothing to read (no chemistry, say) appends nothing.
// Values must be functions of the output's reproducible content (never times or hosts), so
// that a sweep's table is the same wherever its points ran.
#pragma once

#include <string>
#include <vector>

#include "io/h5.hpp"

namespace neurochem::sweep {

struct OutcomeValue {
    std::string column;  ///< e.g. "E.rate [Hz]", "pool.PFC.5HT.mean [uM]"
    double value = 0;
};

using OutcomeExtractor = void (*)(hid_t file, std::vector<OutcomeValue>& out);

struct OutcomeSource {
    const char* name;
    const char* doc;
    OutcomeExtractor extract;
};

/// Every source, in column order: "summary" (per population rate, CV of ISI, spikes; synaptic
/// events; simulated time), "chemistry" (pool means and final values, drug target
/// concentrations and occupancies), "clinical" (courses with [outcomes]), "sleep" (courses with
/// [sleep]: the longest time asleep in a row and whether the flip-flop locked).
const std::vector<OutcomeSource>& outcome_sources();

/// Run-time columns (--timing: wall time, core-hours, peak memory): not reproducible.
void timing_outcomes(hid_t file, std::vector<OutcomeValue>& out);

/// Relapse prevention ([outcomes] continuation_from): the state on the day the continuation
/// phase starts and the first relapse after it, from a run's daily flags (0/1 at time_h, the
/// ends of days). `remission_at_start` is the remission flag of the last row at or before
/// 24 h x start_day; `relapse_day` the calendar day of the first relapse flag after that row,
/// only for a patient in remission at the start (the patients at risk of a randomised-withdrawal
/// design), else NaN; so is a patient who was not in remission then and remitted and relapsed
/// later (that relapse is in clinical.relapse_day).
struct ContinuationOutcome {
    double remission_at_start = 0;  ///< 1 if in remission at the start of the phase
    double relapse_day = 0;         ///< calendar day of the first relapse after it, or NaN
};
ContinuationOutcome continuation_outcome(const std::vector<double>& time_h,
                                         const std::vector<double>& remission,
                                         const std::vector<double>& relapse, double start_day);

/// All outcome values of one output file; throws std::runtime_error if it cannot be read.
std::vector<OutcomeValue> read_outcomes(const std::string& path, bool timing);
/// The same from an output already open (collect reads its config from the same open file).
std::vector<OutcomeValue> read_outcomes(hid_t file, bool timing);
/// The resolved config an open output was run with (/provenance/config); an input_error naming
/// `path` if it has none.
std::string provenance_config(hid_t file, const std::string& path);

}  // namespace neurochem::sweep

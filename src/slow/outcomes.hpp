// The clinical score of a course and its outcomes ([outcomes], docs/model/outcomes.md): each
// calendar day the score is computed from the day's probe-evoked amygdala and prefrontal
// responses, BDNF, neurogenesis and sleep; the rating (mean score of the last days) decides
// response, remission and relapse. Part of the course: its columns follow the slow state in
// the /slow output, one value per slow step (the latest day's), and its state is checkpointed.
// Everything it reads is the same on every rank (probe rows, population means), so it is too.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "neurochem/model.hpp"

namespace neurochem {

class Probe;
class StateRegistry;

class ClinicalOutcomes {
  public:
    /// `columns`: the course's slow columns before the outcome columns (to find its readouts);
    /// `probe`: the probe named by the spec.
    ClinicalOutcomes(const OutcomeSpec& spec, const std::vector<std::string>& columns,
                     const Probe& probe);

    /// Column names (after "outcome/") and units.
    static std::vector<std::pair<std::string, std::string>> columns();
    /// Takes the slow row of a step that ended at `end_h` (calendar hours) and appends the
    /// outcome columns to it.
    void step(std::vector<double>& row, double end_h);
    void register_state(StateRegistry& registry);

  private:
    void end_of_day(const std::vector<double>& row);
    /// The score of readouts A, C, B, N, Z (docs/model/outcomes.md).
    double score(const double* r) const;
    /// The sleep term 1 - Z/Z_ref, or its positive part with `sleep_term = deficit`.
    double sleep_term(double Z_h) const;
    OutcomeSpec spec_;
    const Probe& probe_;
    std::size_t time_col_, step_col_;
    int asleep_col_ = -1, bdnf_col_ = -1, neurogenesis_col_ = -1;
    std::size_t amygdala_at_ = 0, prefrontal_at_ = 0;  // offsets in a probe row
    // State (registered): the day being accumulated and the outcome so far.
    double day_ = 0;                // index of the current day
    double sleep_h_ = 0;            // hours asleep so far today
    std::uint64_t probe_row_ = 0;   // probe rows already scored
    std::vector<double> last_;      // latest day's values: see columns()
    std::vector<double> readouts_;  // the last rating_days days' A, C, B, N, Z (ring of 5-tuples)
    std::uint64_t scored_days_ = 0;
    std::vector<double> baseline_readouts_;        // mean readouts of the baseline days
    std::uint64_t below_run_ = 0, above_run_ = 0;  // days in a row below remission / above relapse
    double amygdala_last_ = 0, prefrontal_last_ = 0;  // carried when a day has no scoring cue
};

}  // namespace neurochem

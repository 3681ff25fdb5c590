// The per-arm summary of a virtual trial (docs/model/outcomes.md, "Trials"), computed by
// `neurochem collect` from its table when the points are courses with [outcomes]: per arm the
// number of patients, response and remission at the end (with Wilson 95 % intervals), the share
// that ever responded, the mean rating week by week from the baseline, and Kaplan-Meier curves
// of the days of treatment to first response, to first remission and (after remission) to
// relapse, censored at the end of each course.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "sweep/table.hpp"

namespace neurochem::sweep {

/// Wilson score interval (Wilson 1927) of k successes in n trials at 95 % (z = 1.959964).
struct Interval {
    double lo = 0, hi = 0;
};
Interval wilson_interval(std::size_t k, std::size_t n);

/// Kaplan-Meier product-limit estimate: S(t) after each time with events, starting at (0, 1).
/// events[i]: true if the event happened at times[i], false if observation ended (censored)
/// there; at a time with both, events count before censorings (the usual convention).
struct SurvivalStep {
    double t = 0, S = 1;
    std::size_t at_risk = 0, events = 0;
};
std::vector<SurvivalStep> kaplan_meier(const std::vector<double>& times,
                                       const std::vector<bool>& events);
/// The first time S(t) <= 0.5; NaN if the curve stays above.
double km_median(const std::vector<SurvivalStep>& curve);

struct ArmSummary {
    std::string arm;
    std::size_t n = 0, response = 0, remission = 0, ever_responded = 0, remitted = 0, relapsed = 0;
    double mean_baseline = 0, mean_final = 0;
    std::vector<double> mean_rating_by_week;  ///< week 0 = baseline day (NaN where no patient)
    std::vector<SurvivalStep> to_response, to_remission, to_relapse;  ///< days of treatment
    /// Relapse prevention ([outcomes] continuation_from): the patients in remission on the day
    /// the continuation phase starts, those of them who relapse later, and the Kaplan-Meier
    /// curve of days from that day to relapse (censored at the end). Empty without the phase.
    double continuation_day = std::numeric_limits<double>::quiet_NaN();
    std::size_t in_remission_at_continuation = 0, relapsed_in_continuation = 0;
    std::vector<SurvivalStep> to_relapse_in_continuation;
};

struct TrialOptions {
    /// Comma-separated columns; "": the varied keys that differ between the rows of one sampled
    /// patient (the grid), else the axis column with the fewest distinct values (> 1).
    std::string arm_column;
    double min_baseline = -std::numeric_limits<double>::infinity();  ///< enrolment
};

struct TrialSummary {
    std::string arm_column;
    std::size_t points_done = 0, enrolled = 0;
    /// Points done whose run says the patient is not enrolled (clinical.enrolled = 0).
    std::size_t screened_out = 0;
    double min_baseline = -std::numeric_limits<double>::infinity();
    std::vector<ArmSummary> arms;  ///< in order of first appearance in the table
};

/// True if the table has the clinical.* columns of courses with [outcomes].
bool has_clinical_outcomes(const Table& t);

/// input_error if the arm column is missing or the clinical columns are absent.
TrialSummary summarize_trial(const Table& t, const std::vector<std::string>& axes,
                             const TrialOptions& o);

/// The report printed by collect.
std::string trial_report(const TrialSummary& s);
/// One row per arm: arm, n, counts, rates, Wilson bounds, medians, mean ratings by week.
std::string trial_arms_csv(const TrialSummary& s);
/// The survival curves: arm, event (response, remission, relapse, relapse_in_continuation), day,
/// survival, at_risk, events.
std::string trial_km_csv(const TrialSummary& s);

}  // namespace neurochem::sweep

// The per-arm trial summary of `neurochem collect` (sweep/trial.hpp): the Wilson interval and
// the Kaplan-Meier estimator against hand-computed values, and a synthetic two-arm table with
// known responses, remissions and relapses; the per-patient relapse-prevention columns from
// daily flags.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "neurochem/errors.hpp"
#include "sweep/outcomes.hpp"
#include "sweep/trial.hpp"

using namespace neurochem::sweep;

TEST(Trial, WilsonIntervalMatchesHandComputedValues) {
    // 10/20: p = 0.5, centre 0.5, half-width 1.96 sqrt(0.0125 + 0.0024) / 1.192 = 0.2007.
    const Interval a = wilson_interval(10, 20);
    EXPECT_NEAR(a.lo, 0.2993, 1e-4);
    EXPECT_NEAR(a.hi, 0.7007, 1e-4);
    // 0/15: lower bound 0, upper z^2 / (n + z^2) = 3.8415 / 18.8415 = 0.2039.
    const Interval b = wilson_interval(0, 15);
    EXPECT_DOUBLE_EQ(b.lo, 0.0);
    EXPECT_NEAR(b.hi, 0.2039, 1e-4);
    EXPECT_TRUE(std::isnan(wilson_interval(0, 0).lo));
}

TEST(Trial, KaplanMeierMatchesAHandComputedExample) {
    // Times 1 2 2 3 4 5, events 1 1 0 1 0 1 (the 2 and the 4 censored):
    // t=1: 6 at risk, S = 5/6; t=2: 5 at risk, 1 event, S = 5/6 * 4/5 = 2/3 (the censored one
    // leaves after); t=3: 3 at risk, S = 2/3 * 2/3 = 4/9; t=4 censored; t=5: 1 at risk, S = 0.
    const auto c = kaplan_meier({5, 2, 1, 4, 2, 3}, {true, false, true, false, true, true});
    ASSERT_EQ(c.size(), 5u);
    EXPECT_EQ(c[0].t, 0.0);
    EXPECT_EQ(c[0].S, 1.0);
    const double t[] = {1, 2, 3, 5}, S[] = {5.0 / 6, 2.0 / 3, 4.0 / 9, 0.0};
    const std::size_t risk[] = {6, 5, 3, 1};
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(c[i + 1].t, t[i]);
        EXPECT_NEAR(c[i + 1].S, S[i], 1e-15);
        EXPECT_EQ(c[i + 1].at_risk, risk[i]);
        EXPECT_EQ(c[i + 1].events, 1u);
    }
    EXPECT_EQ(km_median(c), 3.0);
    EXPECT_TRUE(std::isnan(km_median(kaplan_meier({1, 2}, {false, false}))));
}

namespace {
Column num(const std::string& name, std::vector<double> v) {
    Column c;
    c.name = name;
    c.numbers = std::move(v);
    return c;
}
Column status_column(std::vector<std::string> v) {
    Column c;
    c.name = "status";
    c.numeric = false;
    c.strings = std::move(v);
    return c;
}
}  // namespace

TEST(Trial, SummaryOfASyntheticTwoArmTable) {
    const double n = std::numeric_limits<double>::quiet_NaN();
    Table t;
    t.rows = 6;
    const Column status = status_column({"done", "done", "done", "done", "done", "failed"});
    Column arm = num("regimen.x.dose [mg]", {0, 20, 0, 20, 0, 20});
    arm.unit = "mg";
    t.columns = {status,
                 arm,
                 num("clinical.baseline", {20, 20, 30, 30, 10, 10}),
                 num("clinical.final_rating", {19, 8, 29, 12, 9, 1}),
                 num("clinical.response_day [day]", {n, 30, n, 40, n, n}),
                 num("clinical.response_final", {0, 1, 0, 1, 0, 0}),
                 num("clinical.remission_day [day]", {n, 35, n, n, 20, n}),
                 num("clinical.remission_final", {0, 1, 0, 0, 0, 0}),
                 num("clinical.relapse_day [day]", {n, n, n, n, 40, n}),
                 num("clinical.end_day [day]", {66, 66, 66, 66, 66, 66}),
                 num("clinical.baseline_day [day]", {10, 10, 10, 10, 10, 10}),
                 num("clinical.rating_week_0", {20, 20, 30, 30, 10, 10}),
                 num("clinical.rating_week_1", {21, 18, 31, 26, 11, 9})};
    ASSERT_TRUE(has_clinical_outcomes(t));
    const TrialSummary s = summarize_trial(t, {"regimen.x.dose"}, {});
    EXPECT_EQ(s.arm_column, "regimen.x.dose [mg]");
    EXPECT_EQ(s.points_done, 5u);  // the failed point is not a patient
    ASSERT_EQ(s.arms.size(), 2u);
    const ArmSummary &placebo = s.arms[0], &drug = s.arms[1];
    EXPECT_EQ(placebo.arm, "0 mg");
    EXPECT_EQ(drug.arm, "20 mg");
    EXPECT_EQ(placebo.n, 3u);
    EXPECT_EQ(drug.n, 2u);
    EXPECT_EQ(drug.response, 2u);
    EXPECT_EQ(drug.remission, 1u);
    EXPECT_EQ(placebo.response, 0u);
    EXPECT_EQ(placebo.remitted, 1u);
    EXPECT_EQ(placebo.relapsed, 1u);
    // Days of treatment (from day 10): responses on days 20 and 30 -> median 20.
    EXPECT_EQ(km_median(drug.to_response), 20.0);
    // Relapse 20 days after the remission on day 20.
    ASSERT_EQ(placebo.to_relapse.size(), 2u);
    EXPECT_EQ(placebo.to_relapse[1].t, 20.0);
    EXPECT_DOUBLE_EQ(drug.mean_rating_by_week[1], 22.0);
    EXPECT_DOUBLE_EQ(placebo.mean_rating_by_week[0], 20.0);
    // Enrolment by baseline: the placebo patient with 10 leaves.
    const TrialSummary e = summarize_trial(t, {"regimen.x.dose"}, {"", 15.0});
    EXPECT_EQ(e.enrolled, 4u);
    EXPECT_EQ(e.arms[0].n, 2u);
    EXPECT_EQ(e.arms[0].remitted, 0u);
    EXPECT_EQ(e.screened_out, 0u);
    // The same by the runs' own criterion (clinical.enrolled of [outcomes] enrol_min_baseline):
    // the same patients, counted as screened out, and said so.
    Table c = t;
    c.columns.push_back(num("clinical.enrolled", {1, 1, 1, 1, 0, 0}));
    const TrialSummary g = summarize_trial(c, {"regimen.x.dose"}, {});
    EXPECT_EQ(g.enrolled, e.enrolled);
    EXPECT_EQ(g.screened_out, 1u);  // the failed point is not counted
    EXPECT_EQ(g.arms[0].n, 2u);
    EXPECT_EQ(g.arms[0].remitted, 0u);
    EXPECT_NE(trial_report(g).find("1 not enrolled by the trial's [outcomes] enrol_min_baseline"),
              std::string::npos)
        << trial_report(g);
    // The CSVs carry the same numbers.
    const std::string arms = trial_arms_csv(s);
    EXPECT_NE(arms.find("\n20 mg,2,2,1,"), std::string::npos) << arms;
    EXPECT_NE(trial_km_csv(s).find("0 mg,relapse,20,0,1,1\n"), std::string::npos)
        << trial_km_csv(s);
}

// Relapse prevention ([outcomes] continuation_from): relapse is followed from the day the
// continuation phase starts, in the patients in remission on that day only; the arms are the
// keys that differ between the rows of one patient (here two zipped keys).
TEST(Trial, RelapseInContinuationAndZippedArms) {
    const double n = std::numeric_limits<double>::quiet_NaN();
    Table t;
    t.rows = 6;
    const Column status = status_column(std::vector<std::string>(6, "done"));
    Column stop = num("regimen.x.stop [day]", {150, 66, 150, 66, 150, 66});
    stop.unit = "day";
    Column taper = num("regimen.t.dose [mg]", {0, 10, 0, 10, 0, 10});
    taper.unit = "mg";
    t.columns = {status,
                 num("sample", {0, 0, 1, 1, 2, 2}),
                 stop,
                 taper,
                 num("patient.k", {1.1, 1.1, 0.9, 0.9, 1.3, 1.3}),
                 num("clinical.baseline", {25, 25, 30, 30, 20, 20}),
                 num("clinical.final_rating", {5, 25, 8, 9, 30, 30}),
                 num("clinical.response_day [day]", {40, 40, 50, 50, n, n}),
                 num("clinical.response_final", {1, 0, 1, 1, 0, 0}),
                 num("clinical.remission_day [day]", {45, 45, 60, 60, n, n}),
                 num("clinical.remission_final", {1, 0, 1, 1, 0, 0}),
                 num("clinical.relapse_day [day]", {n, 100, n, n, n, n}),
                 num("clinical.end_day [day]", {150, 150, 150, 150, 150, 150}),
                 num("clinical.baseline_day [day]", {10, 10, 10, 10, 10, 10}),
                 num("clinical.continuation_day [day]", {66, 66, 66, 66, 66, 66}),
                 num("clinical.remission_at_continuation", {1, 1, 1, 1, 0, 0}),
                 num("clinical.relapse_in_continuation_day [day]", {n, 100, n, n, n, n})};
    const TrialSummary s =
        summarize_trial(t, {"regimen.x.stop", "regimen.t.dose", "patient.k"}, {});
    EXPECT_EQ(s.arm_column, "regimen.x.stop [day] / regimen.t.dose [mg]");
    ASSERT_EQ(s.arms.size(), 2u);
    const ArmSummary &cont = s.arms[0], &stopped = s.arms[1];
    EXPECT_EQ(stopped.arm, "66 day / 10 mg");
    EXPECT_EQ(cont.n, 3u);
    EXPECT_EQ(stopped.in_remission_at_continuation, 2u);  // the third never remitted
    EXPECT_EQ(stopped.relapsed_in_continuation, 1u);
    EXPECT_EQ(cont.relapsed_in_continuation, 0u);
    // Two at risk from day 66: one relapse 34 days later (S = 1/2), one censored at 84 days.
    ASSERT_EQ(stopped.to_relapse_in_continuation.size(), 2u);
    EXPECT_EQ(stopped.to_relapse_in_continuation[1].t, 34.0);
    EXPECT_DOUBLE_EQ(stopped.to_relapse_in_continuation[1].S, 0.5);
    EXPECT_EQ(km_median(stopped.to_relapse_in_continuation), 34.0);
    EXPECT_NE(trial_report(s).find("continuation from day 66: 2 in remission, 1 relapsed "
                                   "(median 34 days)"),
              std::string::npos)
        << trial_report(s);
    EXPECT_NE(trial_km_csv(s).find("66 day / 10 mg,relapse_in_continuation,34,0.5,2,1\n"),
              std::string::npos)
        << trial_km_csv(s);
    // Named arms: one key, or several separated by commas; an unknown one is refused.
    const std::vector<std::string> axes{"regimen.x.stop", "regimen.t.dose", "patient.k"};
    EXPECT_EQ(summarize_trial(t, axes, {"regimen.x.stop"}).arms.size(), 2u);
    EXPECT_EQ(summarize_trial(t, axes, {"regimen.x.stop, patient.k"}).arms.size(), 6u);
    EXPECT_THROW(summarize_trial(t, axes, {"regimen.y.stop"}), neurochem::input_error);
    // A column that is not a varied key (the sample, an outcome) makes no arms.
    EXPECT_THROW(summarize_trial(t, axes, {"sample"}), neurochem::input_error);
    EXPECT_THROW(summarize_trial(t, axes, {"clinical.baseline"}), neurochem::input_error);
}

TEST(Trial, RelapseInContinuationCountsOnlyPatientsInRemissionAtItsStart) {
    // Daily flags at the ends of days 1..10 (time_h = 24 d); continuation from day 5.
    std::vector<double> t;
    for (int d = 1; d <= 10; ++d)
        t.push_back(24.0 * d);
    const double start = 5;
    // In remission on day 5, relapse flagged from day 8: at risk, relapse on day 8.
    const std::vector<double> rem_a{0, 1, 1, 1, 1, 1, 1, 0, 0, 0},
        rel_a{0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
    ContinuationOutcome a = continuation_outcome(t, rem_a, rel_a, start);
    EXPECT_EQ(a.remission_at_start, 1.0);
    EXPECT_EQ(a.relapse_day, 8.0);
    // Not in remission on day 5 (remits on day 6 after stopping, relapses on day 9): not at
    // risk, so no relapse "in continuation" (the relapse stays in clinical.relapse_day).
    const std::vector<double> rem_b{0, 0, 0, 0, 0, 1, 1, 1, 0, 0},
        rel_b{0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
    ContinuationOutcome b = continuation_outcome(t, rem_b, rel_b, start);
    EXPECT_EQ(b.remission_at_start, 0.0);
    EXPECT_TRUE(std::isnan(b.relapse_day));
    // A relapse before the start that ended in a new remission by day 5 is not counted: only
    // the first relapse after the start (day 10).
    const std::vector<double> rem_c{1, 0, 0, 1, 1, 1, 1, 1, 1, 0},
        rel_c{0, 1, 1, 0, 0, 0, 0, 0, 0, 1};
    ContinuationOutcome c = continuation_outcome(t, rem_c, rel_c, start);
    EXPECT_EQ(c.remission_at_start, 1.0);
    EXPECT_EQ(c.relapse_day, 10.0);
    // In remission and no relapse to the end: censored (NaN).
    ContinuationOutcome d =
        continuation_outcome(t, rem_a, std::vector<double>(t.size(), 0.0), start);
    EXPECT_EQ(d.remission_at_start, 1.0);
    EXPECT_TRUE(std::isnan(d.relapse_day));
    // A start before the first row: no state known, not at risk.
    EXPECT_EQ(continuation_outcome(t, rem_a, rel_a, 0.5).remission_at_start, 0.0);
}

// The clinical score and its outcomes ([outcomes], docs/model/outcomes.md) recomputed from the
// course's own readouts: the probe's rows and the /slow columns of the main job's treated arm
// (compressed: a tenth of the scale, short windows, 24 days with stricter thresholds so the
// flags change). Also the vulnerability profile ([patient]) on the model it builds.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "course_util.hpp"
#include "engine/simulation_access.hpp"
#include "probe/probe.hpp"
#include "slow/course.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
// The main job compressed: a tenth of the scale, short windows, 4-hour steps (half the main
// job's step count), the signed sleep term (the deficit one has its own test) and thresholds
// that make the flags change within 24 days.
const std::vector<std::string> compressed = {
    "simulation.duration=24 days", "simulation.scale=0.1",         "protocol.window=20 ms",
    "protocol.settle=10 ms",       "protocol.slow_step=4 h",       "outcomes.sleep_term=signed",
    "outcomes.remission_below=30", "outcomes.relapse_above=35",    "outcomes.remission_for=2 days",
    "outcomes.relapse_for=2 days", "outcomes.rating_window=3 days"};
}  // namespace

namespace {
void check_score_rating_and_flags(const std::vector<std::string>& overrides) {
    const auto m = test::load_model("configs/main/escitalopram.ini", overrides);
    const OutcomeSpec& o = m.slow.outcomes;
    ASSERT_TRUE(o.enabled);
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    const Probe* probe = SimulationAccess::probes(sim).front();
    // The slow rows and how many probe rows were complete at each.
    struct Rows final : test::SlowRows {
        const Probe* p = nullptr;
        std::vector<std::size_t> probe_rows;
        void slow_row(std::span<const double> v) override {
            test::SlowRows::slow_row(v);
            probe_rows.push_back(p->rows().size() / p->row_width());
        }
    } r;
    r.p = probe;
    course.run(course.total_ticks(), nullptr, &r);
    const auto& readout = probe->spec().readout;
    const auto at = [&](const std::string& pop) {
        return 2 +
               4 * static_cast<std::size_t>(std::find(readout.begin(), readout.end(), pop) -
                                            readout.begin()) +
               1;
    };
    const std::size_t ia = at(o.amygdala), ic = at(o.prefrontal), width = probe->row_width();
    const auto& prow = probe->rows();
    auto col = [&](const std::string& c) { return test::slow_column(course, c); };
    const auto time = col("time_h"), step = col("step_h"), asleep = col("state/sleep/asleep"),
               bdnf = col("state/bdnf/" + o.bdnf + "/protein"),
               neuro = col("state/neurogenesis/" + o.neurogenesis + "/integration"),
               score_c = col("outcome/score"), rating_c = col("outcome/rating"),
               base_c = col("outcome/baseline"), resp_c = col("outcome/response"),
               rem_c = col("outcome/remission"), rel_c = col("outcome/relapse");
    auto score = [&](const double* x) {
        const double load =
            o.w_amygdala * (x[0] / o.amygdala_ref - 1) +
            o.w_prefrontal * (1 - x[1] / o.prefrontal_ref) + o.w_bdnf * (1 - x[2] / o.bdnf_ref) +
            o.w_neurogenesis * (1 - x[3] / o.neurogenesis_ref) +
            o.w_sleep * (o.sleep_deficit_only ? std::max(0.0, 1 - x[4] / o.sleep_ref_h)
                                              : 1 - x[4] / o.sleep_ref_h);
        return 100 * std::max(0.0, load);
    };
    std::vector<std::array<double, 5>> days;
    std::array<double, 5> base{};
    double sleep = 0, S0 = 0, last_a = o.amygdala_ref, last_c = o.prefrontal_ref;
    int positive = 0, remission = 0, relapse = 0, below = 0, above = 0, remissions = 0,
        responses = 0;
    std::size_t used = 0;  // probe rows scored so far
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const auto& row = r.rows[i];
        sleep += row[asleep] * row[step];
        const double t = row[time];
        if (std::abs(t / 24 - std::round(t / 24)) > 1e-9) continue;
        const double d = std::round(t / 24) - 1;  // the day that just ended
        double a = 0, c = 0;
        int n = 0;
        for (; used < r.probe_rows[i]; ++used) {
            const double hour = std::fmod(prow[used * width + 1], 24.0);
            const std::size_t k = used;
            if (hour >= o.probe_at_h && hour < o.probe_at_h + 1) {
                a += prow[k * width + ia];
                c += prow[k * width + ic];
                ++n;
            }
        }
        if (n) last_a = a / n, last_c = c / n;
        const std::array<double, 5> x = {last_a, last_c, row[bdnf], row[neuro], sleep};
        sleep = 0;
        if (d < static_cast<double>(o.burn_in_days)) continue;
        days.push_back(x);
        EXPECT_NEAR(row[score_c], score(x.data()), 1e-9)
            << "day " << d << ": A " << x[0] << " vs " << row[col("outcome/amygdala_response")]
            << ", C " << x[1] << " vs " << row[col("outcome/prefrontal_response")] << ", B " << x[2]
            << " vs " << row[col("outcome/bdnf")] << ", N " << x[3] << " vs "
            << row[col("outcome/neurogenesis")] << ", Z " << x[4] << " vs "
            << row[col("outcome/sleep")];
        std::array<double, 5> mean{};
        const std::size_t have = std::min<std::size_t>(days.size(), o.rating_days);
        for (std::size_t k = days.size() - have; k < days.size(); ++k)
            for (int q = 0; q < 5; ++q)
                mean[q] += days[k][q] / static_cast<double>(have);
        const double rating = score(mean.data());
        EXPECT_NEAR(row[rating_c], rating, 1e-9) << "day " << d;
        positive += rating > 0;
        if (days.size() <= o.baseline_days) {
            for (int q = 0; q < 5; ++q)
                base[q] += x[q] / static_cast<double>(o.baseline_days);
            if (days.size() == o.baseline_days) S0 = score(base.data());
            EXPECT_NEAR(row[base_c], days.size() == o.baseline_days ? S0 : 0.0, 1e-9);
            continue;
        }
        EXPECT_NEAR(row[base_c], S0, 1e-9);
        const int response = rating <= (1 - o.response_drop) * S0;
        responses += response;
        if (!remission) {
            below = rating <= o.remission_below ? below + 1 : 0;
            if (below >= static_cast<int>(o.remission_days))
                remission = 1, relapse = 0, above = 0, ++remissions;
        } else {
            above = rating >= o.relapse_above ? above + 1 : 0;
            if (above >= static_cast<int>(o.relapse_days)) remission = 0, relapse = 1, below = 0;
        }
        EXPECT_EQ(row[resp_c], response) << "day " << d;
        EXPECT_EQ(row[rem_c], remission) << "day " << d;
        EXPECT_EQ(row[rel_c], relapse) << "day " << d;
    }
    EXPECT_EQ(days.size(), 24u - o.burn_in_days);
    EXPECT_GT(positive, 3);    // not trivially zero
    EXPECT_GT(remissions, 0);  // the thresholds of this test make the flags change
    if (o.sleep_deficit_only) {
        const auto slept_more = std::count_if(days.begin(), days.end(),
                                              [&](const auto& x) { return x[4] > o.sleep_ref_h; });
        EXPECT_GT(slept_more, 0);  // the clipped branch is exercised
    }
}
}  // namespace

TEST(Outcomes, ScoreRatingAndFlagsFollowTheirDefinitionFromTheReadouts) {
    check_score_rating_and_flags(compressed);
}

// With sleep_term = deficit, sleep above the reference (4 h here, so that some days exceed it)
// does not lower the score.
TEST(Outcomes, WithTheDeficitSleepTermOversleepIsNotCredited) {
    auto overrides = compressed;
    overrides.push_back("outcomes.sleep_term=deficit");
    overrides.push_back("outcomes.sleep_reference=4 h");
    check_score_rating_and_flags(overrides);
}

// Each factor of the profile acts on its documented parameters, and a factor that finds
// nothing to act on is an error.
TEST(Outcomes, PatientProfileScalesItsParameters) {
    const auto healthy = test::load_model(
        "configs/main/untreated.ini",
        {"patient.autoreceptor_density=1", "patient.bdnf_expression=1",
         "patient.pfc_amygdala_coupling=1", "patient.stress_drive=1", "patient.sleep_drive=1"});
    const auto patient =
        test::load_model("configs/main/untreated.ini", {"patient.sert_density=1.2"});
    auto type = [](const ModelSpec& m, const std::string& n) {
        for (const auto& t : m.chemistry.receptor_types)
            if (t.name == n) return t.density;
        return -1.0;
    };
    EXPECT_DOUBLE_EQ(type(patient, "5HT1A_auto"), 1.3 * type(healthy, "5HT1A_auto"));
    EXPECT_DOUBLE_EQ(type(patient, "5HT1A"), type(healthy, "5HT1A"));  // other types untouched
    for (std::size_t u = 0; u < patient.chemistry.uptakes.size(); ++u) {
        const double f = patient.chemistry.uptakes[u].transporter == DrugTarget::SERT ? 1.2 : 1.0;
        EXPECT_DOUBLE_EQ(patient.chemistry.uptakes[u].Vmax_uM_per_s,
                         f * healthy.chemistry.uptakes[u].Vmax_uM_per_s);
    }
    EXPECT_DOUBLE_EQ(patient.slow.bdnf[0].basal, 0.7 * healthy.slow.bdnf[0].basal);
    EXPECT_DOUBLE_EQ(patient.slow.bdnf[0].initial, 0.7 * healthy.slow.bdnf[0].initial);
    EXPECT_LT(patient.slow.neurogenesis[0].initial, healthy.slow.neurogenesis[0].initial);
    auto weight = [](const ModelSpec& m, const std::string& n) {
        for (const auto& p : m.projections)
            if (p.name == n) return p.weight.mean();
        ADD_FAILURE() << "no projection " << n;
        return 0.0;
    };
    EXPECT_NEAR(weight(patient, "IL_E->ITC"), 0.7 * weight(healthy, "IL_E->ITC"), 1e-12);
    EXPECT_DOUBLE_EQ(weight(patient, "PL_E->IL_E"), weight(healthy, "PL_E->IL_E"));  // within PFC
    EXPECT_DOUBLE_EQ(patient.poisson[patient.poisson_index("bg_BLA_E")].rate_Hz,
                     1.15 * healthy.poisson[healthy.poisson_index("bg_BLA_E")].rate_Hz);
    EXPECT_DOUBLE_EQ(patient.slow.sleep.base_rate_Hz, 0.95 * healthy.slow.sleep.base_rate_Hz);
    std::string e;
    try {
        test::load_model("configs/limbic.ini", {"patient.bdnf_expression=0.8"});
    } catch (const std::exception& x) {
        e = x.what();
    }
    EXPECT_NE(e.find("[patient] bdnf_expression = '0.8': the model has no [bdnf] section"),
              std::string::npos)
        << e;
}

// The raphe's scaling measures its set point (configs/main/untreated.ini, [scaling.DRN]) over
// the score's baseline window ([outcomes] burn_in + baseline): two keys that must agree, and the
// window must end before the first dose of the treated arm, or the set point would be measured
// under the drug.
TEST(Outcomes, RapheSetPointIsMeasuredOverTheScoresBaselineBeforeTheFirstDose) {
    const auto m = test::load_model("configs/main/escitalopram.ini");
    const SynapticScalingSpec* drn = nullptr;
    for (const auto& sc : m.slow.scaling)
        if (sc.population == "DRN") drn = &sc;
    ASSERT_NE(drn, nullptr);
    ASSERT_TRUE(drn->measured_set_point());
    const auto& o = m.slow.outcomes;
    EXPECT_DOUBLE_EQ(drn->baseline_from_h, 24.0 * static_cast<double>(o.burn_in_days));
    EXPECT_DOUBLE_EQ(drn->baseline_until_h,
                     24.0 * static_cast<double>(o.burn_in_days + o.baseline_days));
    ASSERT_FALSE(m.chemistry.regimens.empty());
    for (const auto& r : m.chemistry.regimens)
        EXPECT_GE(r.start_h, drn->baseline_until_h) << r.name;
}

#include "slow/outcomes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/state_registry.hpp"
#include "neurochem/errors.hpp"
#include "probe/probe.hpp"

namespace neurochem {

namespace {

// The order of ClinicalOutcomes::columns() and of last_.
enum Col {
    score,
    rating,
    baseline,
    response,
    remission,
    relapse,
    amygdala,
    prefrontal,
    bdnf,
    neurogenesis,
    sleep,
    count
};

int find(const std::vector<std::string>& columns, const std::string& name) {
    const auto it = std::find(columns.begin(), columns.end(), name);
    return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ClinicalOutcomes::columns() {
    return {{"score", ""},
            {"rating", ""},
            {"baseline", ""},
            {"response", ""},
            {"remission", ""},
            {"relapse", ""},
            {"amygdala_response", "Hz"},
            {"prefrontal_response", "Hz"},
            {"bdnf", ""},
            {"neurogenesis", ""},
            {"sleep", "h/day"}};
}

ClinicalOutcomes::ClinicalOutcomes(const OutcomeSpec& spec, const std::vector<std::string>& columns,
                                   const Probe& probe)
    : spec_(spec),
      probe_(probe),
      last_(Col::count, 0.0),
      readouts_(5 * spec.rating_days, 0.0),
      baseline_readouts_(5, 0.0) {
    auto need = [&](const std::string& name) {
        const int c = find(columns, name);
        if (c < 0) throw internal_error("outcomes: no slow column " + name);
        return static_cast<std::size_t>(c);
    };
    time_col_ = need("time_h");
    step_col_ = need("step_h");
    asleep_col_ = find(columns, "state/sleep/asleep");
    if (!spec.bdnf.empty())
        bdnf_col_ = static_cast<int>(need("state/bdnf/" + spec.bdnf + "/protein"));
    if (!spec.neurogenesis.empty()) {
        neurogenesis_col_ =
            static_cast<int>(need("state/neurogenesis/" + spec.neurogenesis + "/integration"));
    }
    const auto& readout = probe.spec().readout;
    auto at = [&](const std::string& pop) {
        const auto it = std::find(readout.begin(), readout.end(), pop);
        if (it == readout.end()) throw internal_error("outcomes: probe has no readout " + pop);
        // onset_ms, calendar_h, then (baseline_Hz, response_Hz, evoked, latency_ms) per
        // population: the response rate (the evoked difference is 3-4x noisier per cue).
        return 2 + 4 * static_cast<std::size_t>(it - readout.begin()) + 1;
    };
    amygdala_at_ = at(spec.amygdala);
    prefrontal_at_ = at(spec.prefrontal);
}

void ClinicalOutcomes::register_state(StateRegistry& reg) {
    reg.add_scalar("outcomes/day", day_, "days", Bounds::nonnegative());
    reg.add_scalar("outcomes/sleep_today", sleep_h_, "h", Bounds::nonnegative());
    reg.add_scalar("outcomes/probe_row", probe_row_, "");
    reg.add_shared("outcomes/latest", last_, "", Bounds::finite());
    reg.add_shared("outcomes/readouts", readouts_, "", Bounds::finite());
    reg.add_scalar("outcomes/scored_days", scored_days_, "days");
    reg.add_shared("outcomes/baseline_readouts", baseline_readouts_, "", Bounds::finite());
    reg.add_scalar("outcomes/below_run", below_run_, "days");
    reg.add_scalar("outcomes/above_run", above_run_, "days");
    reg.add_scalar("outcomes/amygdala_last", amygdala_last_, "", Bounds::finite());
    reg.add_scalar("outcomes/prefrontal_last", prefrontal_last_, "", Bounds::finite());
}

void ClinicalOutcomes::step(std::vector<double>& row, double end_h) {
    const double asleep = asleep_col_ >= 0 ? row[static_cast<std::size_t>(asleep_col_)] : 0.0;
    sleep_h_ += asleep * row[step_col_];
    // A slow step never straddles midnight in a course whose step divides a day; if it does, the
    // step counts for the day it ends in.
    if (end_h >= 24.0 * (day_ + 1.0) - 1e-9) {
        end_of_day(row);
        day_ = std::floor(end_h / 24.0 + 1e-9);
        sleep_h_ = 0;
    }
    row.insert(row.end(), last_.begin(), last_.end());
}

double ClinicalOutcomes::sleep_term(double Z_h) const {
    const double t = 1.0 - Z_h / spec_.sleep_ref_h;
    return spec_.sleep_deficit_only ? std::max(0.0, t) : t;
}

double ClinicalOutcomes::score(const double* r) const {
    const double load = spec_.w_amygdala * (r[0] / spec_.amygdala_ref - 1.0) +
                        spec_.w_prefrontal * (1.0 - r[1] / spec_.prefrontal_ref) +
                        spec_.w_bdnf * (1.0 - r[2] / spec_.bdnf_ref) +
                        spec_.w_neurogenesis * (1.0 - r[3] / spec_.neurogenesis_ref) +
                        spec_.w_sleep * sleep_term(r[4]);
    return 100.0 * std::max(0.0, load);
}

void ClinicalOutcomes::end_of_day(const std::vector<double>& row) {
    // The day's scoring cues: the probe rows completed since the last day's end whose onset lies
    // in [probe_at, probe_at + 1 h) of a day (a cue whose response window outlasts the probe
    // session may complete only after midnight in a coarse course: it counts on that day).
    const auto& rows = probe_.rows();
    const std::size_t width = probe_.row_width();
    double a = 0, c = 0;
    std::size_t n = 0;
    for (; (probe_row_ + 1) * width <= rows.size(); ++probe_row_) {
        const double* r = rows.data() + probe_row_ * width;
        const double hour = r[1] - 24.0 * std::floor(r[1] / 24.0);
        if (hour >= spec_.probe_at_h && hour < spec_.probe_at_h + 1.0) {
            a += r[amygdala_at_];
            c += r[prefrontal_at_];
            ++n;
        }
    }
    if (n > 0) {
        amygdala_last_ = a / static_cast<double>(n);
        prefrontal_last_ = c / static_cast<double>(n);
    } else if (scored_days_ == 0) {
        // No cue yet: the reference values (a neutral reading) until the first probe.
        amygdala_last_ = spec_.amygdala_ref;
        prefrontal_last_ = spec_.prefrontal_ref;
    }
    if (day_ < static_cast<double>(spec_.burn_in_days)) return;  // not scored
    const double B = bdnf_col_ >= 0 ? row[static_cast<std::size_t>(bdnf_col_)] : spec_.bdnf_ref;
    const double N = neurogenesis_col_ >= 0 ? row[static_cast<std::size_t>(neurogenesis_col_)]
                                            : spec_.neurogenesis_ref;
    const double Z = asleep_col_ >= 0 ? sleep_h_ : spec_.sleep_ref_h;
    const double today[5] = {amygdala_last_, prefrontal_last_, B, N, Z};
    const double s = score(today);
    std::copy(today, today + 5, readouts_.begin() + 5 * (scored_days_ % spec_.rating_days));
    ++scored_days_;
    // The rating scores the mean readouts of the last rating_days days (a weekly clinical
    // rating integrates the week; averaging the readouts first keeps the max(0, .) unbiased).
    const std::size_t have = std::min<std::uint64_t>(scored_days_, spec_.rating_days);
    double mean[5] = {0, 0, 0, 0, 0};
    for (std::size_t d = 0; d < have; ++d) {
        for (std::size_t k = 0; k < 5; ++k)
            mean[k] += readouts_[5 * d + k] / static_cast<double>(have);
    }
    const double rating = score(mean);
    last_[Col::score] = s;
    last_[Col::rating] = rating;
    last_[Col::amygdala] = amygdala_last_;
    last_[Col::prefrontal] = prefrontal_last_;
    last_[Col::bdnf] = B;
    last_[Col::neurogenesis] = N;
    last_[Col::sleep] = Z;
    if (scored_days_ <= spec_.baseline_days) {
        for (std::size_t k = 0; k < 5; ++k)
            baseline_readouts_[k] += today[k] / static_cast<double>(spec_.baseline_days);
        if (scored_days_ == spec_.baseline_days)
            last_[Col::baseline] = score(baseline_readouts_.data());
        return;  // outcomes count from the end of the baseline
    }
    // Response is a state (the rating now at or below half the baseline); remission a state
    // entered after remission_days below the threshold and left by a relapse; relapse holds
    // from the relapse until a new remission.
    const double S0 = last_[Col::baseline];
    last_[Col::response] = rating <= (1.0 - spec_.response_drop) * S0 ? 1.0 : 0.0;
    if (last_[Col::remission] == 0) {
        below_run_ = rating <= spec_.remission_below ? below_run_ + 1 : 0;
        if (below_run_ >= spec_.remission_days) {
            last_[Col::remission] = 1;
            last_[Col::relapse] = 0;
            above_run_ = 0;
        }
    } else {
        above_run_ = rating >= spec_.relapse_above ? above_run_ + 1 : 0;
        if (above_run_ >= spec_.relapse_days) {
            last_[Col::remission] = 0;
            last_[Col::relapse] = 1;
            below_run_ = 0;
        }
    }
}

}  // namespace neurochem

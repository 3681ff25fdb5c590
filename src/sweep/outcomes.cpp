#include "sweep/outcomes.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "config/config.hpp"
#include "config/units.hpp"
#include "neurochem/errors.hpp"
#include "slow/sleep_lock.hpp"

namespace neurochem::sweep {

namespace {
double mean(const std::vector<double>& v) {
    double s = 0;
    for (double x : v)
        s += x;  // in sample order: reproducible
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

void summary(hid_t f, std::vector<OutcomeValue>& out) {
    if (!h5::exists(f, "summary")) return;
    h5::Handle s = h5::open_group(f, "summary");
    for (const auto& pop : h5::list_links(s)) {
        h5::Handle g = h5::open_group(s, pop);
        out.push_back({pop + ".rate [Hz]", h5::read_attr_double(g, "mean_rate_Hz")});
        out.push_back({pop + ".cv_isi", h5::read_attr_double(g, "mean_cv_isi")});
        out.push_back({pop + ".spikes", static_cast<double>(h5::read_attr_u64(g, "spikes"))});
    }
    out.push_back(
        {"synaptic_events", static_cast<double>(h5::read_attr_u64(s, "synaptic_events"))});
    out.push_back({"simulated [ms]", h5::read_attr_double(s, "simulated_ms")});
}

void chemistry(hid_t f, std::vector<OutcomeValue>& out) {
    if (h5::exists(f, "chemistry/pools")) {
        h5::Handle g = h5::open_group(f, "chemistry/pools");
        for (const auto& name : h5::list_links(g)) {  // "PFC.5HT_uM"
            const auto v = h5::read_doubles(g, name);
            const std::string pool = name.size() > 3 && name.substr(name.size() - 3) == "_uM"
                                         ? name.substr(0, name.size() - 3)
                                         : name;
            out.push_back({"pool." + pool + ".mean [uM]", mean(v)});
            out.push_back({"pool." + pool + ".final [uM]", v.empty() ? 0.0 : v.back()});
        }
    }
    if (h5::exists(f, "chemistry/drugs")) {
        h5::Handle g = h5::open_group(f, "chemistry/drugs");
        for (const auto& drug : h5::list_links(g)) {
            if (h5::exists(g, drug + "/target_uM")) {
                out.push_back({"drug." + drug + ".target.mean [uM]",
                               mean(h5::read_doubles(g, drug + "/target_uM"))});
            }
        }
    }
    if (h5::exists(f, "chemistry/drug_occupancy")) {
        h5::Handle g = h5::open_group(f, "chemistry/drug_occupancy");
        for (const auto& target : h5::list_links(g)) {
            out.push_back({"occupancy." + target + ".mean", mean(h5::read_doubles(g, target))});
        }
    }
}
// Clinical outcomes of a course with [outcomes] (docs/model/outcomes.md), from its /slow/outcome
// columns at the ends of days: baseline and final rating, the first day of response, remission
// and relapse (calendar days; NaN if it never happened), the state at the end and the last day
// (where a survival analysis censors).
void clinical(hid_t f, std::vector<OutcomeValue>& out) {
    if (!h5::exists(f, "slow/outcome/rating")) return;
    h5::Handle s = h5::open_group(f, "slow");
    const auto t = h5::read_doubles(s, "time_h"), rating = h5::read_doubles(s, "outcome/rating"),
               base = h5::read_doubles(s, "outcome/baseline"),
               response = h5::read_doubles(s, "outcome/response"),
               remission = h5::read_doubles(s, "outcome/remission"),
               relapse = h5::read_doubles(s, "outcome/relapse");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto first_day = [&](const std::vector<double>& flag) {
        for (std::size_t i = 0; i < flag.size() && i < t.size(); ++i) {
            if (flag[i] > 0) return std::round(t[i] / 24.0);  // flags change at day ends
        }
        return nan;
    };
    const bool any = !t.empty();
    out.push_back({"clinical.baseline", any ? base.back() : nan});
    out.push_back({"clinical.final_rating", any ? rating.back() : nan});
    out.push_back({"clinical.response_day [day]", first_day(response)});
    out.push_back({"clinical.response_final", any ? response.back() : nan});
    out.push_back({"clinical.remission_day [day]", first_day(remission)});
    out.push_back({"clinical.remission_final", any ? remission.back() : nan});
    out.push_back({"clinical.relapse_day [day]", first_day(relapse)});
    out.push_back({"clinical.end_day [day]", any ? std::round(t.back() / 24.0) : nan});
    // The day the baseline is set (the end of [outcomes] burn_in + baseline: day 0 of
    // treatment), from the run's own resolved config, and the rating every 7 days from it
    // (week 0: the baseline rating itself), for the arms' mean trajectories.
    // (A damaged config in the output is an error: collect marks the point and says why.)
    double day0 = nan, continuation = 0, enrol = 0;
    {
        const config::RawConfig raw = config::parse_config_text(
            h5::read_string_dataset(f, "provenance/config"), "/provenance/config");
        const auto o = raw.sections.find("outcomes");
        const auto days = [&](const char* k) {
            return std::round(
                config::parse_quantity(o->second.at(k).value, config::Dimension::time) / 8.64e7);
        };
        if (o != raw.sections.end()) {
            const auto& keys = o->second;
            if (keys.count("burn_in") && keys.count("baseline"))
                day0 = days("burn_in") + days("baseline");
            if (keys.count("continuation_from")) continuation = days("continuation_from");
            if (keys.count("enrol_min_baseline"))
                enrol = config::parse_quantity(keys.at("enrol_min_baseline").value,
                                               config::Dimension::none);
        }
    }
    // Enrolment by the trial's own criterion ([outcomes] enrol_min_baseline), when it has one.
    if (enrol > 0 && any) out.push_back({"clinical.enrolled", base.back() >= enrol ? 1.0 : 0.0});
    // Relapse prevention: the state on the day the continuation phase starts (the flags of the
    // last row at or before its start) and, for the patients in remission then, the first
    // relapse after it (continuation_outcome).
    if (continuation > 0 && any && t.back() >= 24.0 * continuation - 1e-6 &&
        remission.size() == t.size()) {
        const ContinuationOutcome c = continuation_outcome(t, remission, relapse, continuation);
        out.push_back({"clinical.continuation_day [day]", continuation});
        out.push_back({"clinical.remission_at_continuation", c.remission_at_start});
        out.push_back({"clinical.relapse_in_continuation_day [day]", c.relapse_day});
    }
    if (std::isnan(day0)) return;
    out.push_back({"clinical.baseline_day [day]", day0});
    out.push_back({"clinical.rating_week_0", base.back()});
    for (std::size_t i = 0, week = 1; i < t.size() && i < rating.size() && week <= 104; ++i) {
        if (t[i] >= 24.0 * (day0 + 7.0 * static_cast<double>(week)) - 1e-6) {  // the first row
            out.push_back({"clinical.rating_week_" + std::to_string(week), rating[i]});
            ++week;
        }
    }
}
// The network's own sleep ([sleep]): the longest run of asleep slow steps, and whether it
// reached the hours after which the flip-flop is taken as locked (src/slow/sleep_lock.hpp).
void sleep_state(hid_t f, std::vector<OutcomeValue>& out) {
    if (!h5::exists(f, "slow/state/sleep/asleep")) return;
    h5::Handle s = h5::open_group(f, "slow");
    const auto step = h5::read_doubles(s, "step_h"),
               asleep = h5::read_doubles(s, "state/sleep/asleep");
    double run = 0, longest = 0;
    for (std::size_t i = 0; i < asleep.size() && i < step.size(); ++i) {
        run = asleep[i] > 0.5 ? run + step[i] : 0.0;
        longest = std::max(longest, run);
    }
    out.push_back({"sleep.longest_asleep [h]", longest});
    out.push_back({"sleep.locked", sleep_locked(longest) ? 1.0 : 0.0});
}
}  // namespace

ContinuationOutcome continuation_outcome(const std::vector<double>& t,
                                         const std::vector<double>& remission,
                                         const std::vector<double>& relapse, double start_day) {
    ContinuationOutcome c{0, std::numeric_limits<double>::quiet_NaN()};
    const std::size_t n = std::min(t.size(), remission.size());
    if (n == 0 || t[0] > 24.0 * start_day + 1e-6) return c;
    std::size_t at = 0;
    while (at + 1 < n && t[at + 1] <= 24.0 * start_day + 1e-6)
        ++at;
    c.remission_at_start = remission[at] > 0 ? 1.0 : 0.0;
    if (c.remission_at_start == 0) return c;  // not at risk: no relapse "in continuation"
    for (std::size_t i = at + 1; i < t.size() && i < relapse.size(); ++i)
        if (relapse[i] > 0) {
            c.relapse_day = std::round(t[i] / 24.0);
            break;
        }
    return c;
}

const std::vector<OutcomeSource>& outcome_sources() {
    static const std::vector<OutcomeSource> sources = {
        {"summary",
         "per population: mean rate, mean CV of the ISIs, spikes; synaptic events; simulated time",
         summary},
        {"chemistry",
         "per pool: mean and final concentration; per drug: mean target concentration; per target: "
         "mean drug occupancy",
         chemistry},
        {"clinical",
         "courses with [outcomes]: baseline and final rating, first day of response, remission and "
         "relapse, response and remission at the end",
         clinical},
        {"sleep",
         "courses with [sleep]: the longest time asleep in a row, and 1 if it reached the hours "
         "after which the sleep-wake flip-flop is taken as locked (36 h)",
         sleep_state},
    };
    return sources;
}

void timing_outcomes(hid_t f, std::vector<OutcomeValue>& out) {
    h5::Handle p = h5::open_group(f, "provenance");
    const double wall = h5::read_attr_double(p, "wall_time_s");
    const double cores =
        static_cast<double>(h5::read_attr_u64(p, "threads") * h5::read_attr_u64(p, "ranks"));
    out.push_back({"wall_time [s]", wall});
    out.push_back({"core_hours", wall * cores / 3600.0});
    out.push_back({"peak_memory [MB]", h5::read_attr_double(p, "peak_rss_MB")});
}

std::vector<OutcomeValue> read_outcomes(const std::string& path, bool timing) {
    h5::quiet_errors();
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) throw std::runtime_error(path + ": cannot be opened as HDF5");
    h5::Handle f(id, H5Fclose);
    return read_outcomes(static_cast<hid_t>(f), timing);
}

std::vector<OutcomeValue> read_outcomes(hid_t file, bool timing) {
    std::vector<OutcomeValue> out;
    for (const auto& s : outcome_sources())
        s.extract(file, out);
    if (timing) timing_outcomes(file, out);
    return out;
}

std::string provenance_config(hid_t file, const std::string& path) {
    if (!h5::exists(file, "provenance/config"))
        throw input_error(path + ": has no /provenance/config (not a complete neurochem output).");
    return h5::read_string_dataset(file, "provenance/config");
}

}  // namespace neurochem::sweep

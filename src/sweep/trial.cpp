#include "sweep/trial.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "neurochem/errors.hpp"
#include "util/text.hpp"

namespace neurochem::sweep {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

const Column* column(const Table& t, const std::string& name) {
    for (const auto& c : t.columns)
        if (c.name == name || c.name.rfind(name + " [", 0) == 0) return &c;
    return nullptr;
}

const Column& need(const Table& t, const std::string& name) {
    const Column* c = column(t, name);
    if (!c || !c->numeric) {
        throw input_error("the table has no column " + name +
                          ": were the points courses with [outcomes] (docs/model/outcomes.md)?");
    }
    return *c;
}

std::string label(const Column& c, std::size_t r) {
    if (!c.numeric) return c.strings[r];
    return text::format_double(c.numbers[r]) + (c.unit.empty() ? "" : " " + c.unit);
}

std::string pct(double x) {
    char b[16];
    std::snprintf(b, sizeof b, "%.0f", 100 * x);
    return b;
}

/// RFC 4180 field.
std::string csv_field(const std::string& v) {
    if (v.find_first_of(",\"\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char ch : v)
        q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return q + "\"";
}

std::string num(double x) {
    return std::isnan(x) ? "" : text::format_double(std::round(x * 1000) / 1000);
}

/// The columns whose values make a row's arm: those named (comma-separated), else the varied
/// keys that differ between the rows of one sampled patient (the grid of a patients x arms
/// trial, zip groups included), else the varied key with the fewest distinct values (> 1).
std::vector<const Column*> arm_columns(const Table& t, const std::vector<std::string>& axes,
                                       const std::string& named) {
    std::vector<const Column*> cols;
    if (!named.empty()) {
        for (const auto& k : text::split(named, ',')) {
            const std::string key(text::trim(k));
            const Column* c = column(t, key);
            // Only a varied key makes arms: a seed, a state or an outcome column is no arm.
            if (!c || std::find(axes.begin(), axes.end(), key) == axes.end()) {
                throw input_error("--arm " + key + ": " +
                                  (c ? "is not a varied key of the sweep" : "no such column") +
                                  " (the varied keys: " + text::join(axes, ", ") + ").");
            }
            cols.push_back(c);
        }
        return cols;
    }
    const Column* sample = column(t, "sample");
    if (sample && sample->numeric && t.rows > 0) {
        for (const auto& a : axes) {
            const Column* c = column(t, a);
            if (!c) continue;
            std::map<double, std::string> first;  // patient -> this key's value in its first row
            bool varies = false;
            for (std::size_t r = 0; r < t.rows && !varies; ++r) {
                std::string value = label(*c, r);
                const auto [it, fresh] = first.emplace(sample->numbers[r], value);
                varies = !fresh && it->second != value;
            }
            if (varies) cols.push_back(c);
        }
        if (!cols.empty()) return cols;
    }
    const Column* best = nullptr;
    std::size_t fewest = ~std::size_t{0};
    for (const auto& a : axes) {
        const Column* c = column(t, a);
        if (!c) continue;
        std::set<std::string> distinct;
        for (std::size_t r = 0; r < t.rows; ++r)
            distinct.insert(label(*c, r));
        if (distinct.size() > 1 && distinct.size() < fewest) {
            fewest = distinct.size();
            best = c;
        }
    }
    if (!best) throw input_error("no varied key separates arms; name the arm column with --arm.");
    return {best};
}
}  // namespace

Interval wilson_interval(std::size_t k, std::size_t n) {
    if (n == 0) return {nan, nan};
    const double z = 1.959964, nn = static_cast<double>(n), p = static_cast<double>(k) / nn;
    const double d = 1 + z * z / nn, c = (p + z * z / (2 * nn)) / d;
    const double h = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / d;
    return {std::max(0.0, c - h), std::min(1.0, c + h)};
}

std::vector<SurvivalStep> kaplan_meier(const std::vector<double>& times,
                                       const std::vector<bool>& events) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < times.size(); ++i)
        if (!std::isnan(times[i])) order.push_back(i);  // (a time that is not a number: no data)
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
    std::vector<SurvivalStep> curve = {{0.0, 1.0, order.size(), 0}};
    std::size_t at_risk = order.size();
    double S = 1.0;
    for (std::size_t i = 0; i < order.size();) {
        const double t = times[order[i]];
        std::size_t d = 0, c = 0;
        for (; i < order.size() && times[order[i]] == t; ++i, ++c)
            d += events[order[i]];
        if (d > 0) {
            S *= 1.0 - static_cast<double>(d) / static_cast<double>(at_risk);
            curve.push_back({t, S, at_risk, d});
        }
        at_risk -= c;
    }
    return curve;
}

double km_median(const std::vector<SurvivalStep>& curve) {
    for (const auto& s : curve)
        if (s.S <= 0.5) return s.t;
    return nan;
}

bool has_clinical_outcomes(const Table& t) {
    return column(t, "clinical.final_rating") && column(t, "clinical.end_day");
}

TrialSummary summarize_trial(const Table& t, const std::vector<std::string>& axes,
                             const TrialOptions& o) {
    TrialSummary s;
    s.min_baseline = o.min_baseline;
    const std::vector<const Column*> arm = arm_columns(t, axes, o.arm_column);
    s.arm_column.clear();
    for (const Column* c : arm)
        s.arm_column += (s.arm_column.empty() ? "" : " / ") + c->name;
    const auto arm_label = [&](std::size_t r) {
        std::string l;
        for (const Column* c : arm)
            l += (l.empty() ? "" : " / ") + label(*c, r);
        return l;
    };
    const Column &status = *column(t, "status"), &final = need(t, "clinical.final_rating"),
                 &base = need(t, "clinical.baseline"), &resp_day = need(t, "clinical.response_day"),
                 &resp_final = need(t, "clinical.response_final"),
                 &rem_day = need(t, "clinical.remission_day"),
                 &rem_final = need(t, "clinical.remission_final"),
                 &rel_day = need(t, "clinical.relapse_day"), &end = need(t, "clinical.end_day"),
                 &day0 = need(t, "clinical.baseline_day");
    const Column *cont_day = column(t, "clinical.continuation_day"),
                 *cont_rem = column(t, "clinical.remission_at_continuation"),
                 *cont_rel = column(t, "clinical.relapse_in_continuation_day");
    // The trial's own enrolment criterion ([outcomes] enrol_min_baseline), if its runs had one.
    const Column* enrolled = column(t, "clinical.enrolled");
    if (enrolled && !enrolled->numeric) enrolled = nullptr;
    const bool continuation = cont_day && cont_rem && cont_rel && cont_day->numeric &&
                              cont_rem->numeric && cont_rel->numeric;
    std::vector<const Column*> weeks;
    while (const Column* w = column(t, "clinical.rating_week_" + std::to_string(weeks.size())))
        weeks.push_back(w);
    std::map<std::string, std::size_t> index;
    struct Acc {
        std::vector<double> resp_t, rem_t, rel_t, cont_t;
        std::vector<bool> resp_e, rem_e, rel_e, cont_e;
        std::vector<double> week_sum;
        std::vector<std::size_t> week_n;
    };
    std::vector<Acc> acc;
    for (std::size_t r = 0; r < t.rows; ++r) {
        if (status.strings[r] != "done") continue;
        ++s.points_done;
        if (!(base.numbers[r] >= o.min_baseline)) continue;
        if (enrolled && enrolled->numbers[r] == 0) {
            ++s.screened_out;
            continue;
        }
        ++s.enrolled;
        const auto [it, fresh] = index.emplace(arm_label(r), s.arms.size());
        if (fresh) {
            s.arms.push_back({});
            s.arms.back().arm = it->first;
            acc.push_back({});
            acc.back().week_sum.assign(weeks.size(), 0.0);
            acc.back().week_n.assign(weeks.size(), 0);
        }
        ArmSummary& a = s.arms[it->second];
        Acc& x = acc[it->second];
        ++a.n;
        a.response += resp_final.numbers[r] > 0;
        a.remission += rem_final.numbers[r] > 0;
        a.mean_baseline += base.numbers[r];
        a.mean_final += final.numbers[r];
        const double d0 = day0.numbers[r], e = end.numbers[r];
        const bool responded = !std::isnan(resp_day.numbers[r]),
                   remitted = !std::isnan(rem_day.numbers[r]),
                   relapsed = !std::isnan(rel_day.numbers[r]);
        a.ever_responded += responded;
        a.remitted += remitted;
        a.relapsed += relapsed;
        x.resp_t.push_back((responded ? resp_day.numbers[r] : e) - d0);
        x.resp_e.push_back(responded);
        x.rem_t.push_back((remitted ? rem_day.numbers[r] : e) - d0);
        x.rem_e.push_back(remitted);
        if (remitted) {  // at risk of relapse from the day of remission
            x.rel_t.push_back((relapsed ? rel_day.numbers[r] : e) - rem_day.numbers[r]);
            x.rel_e.push_back(relapsed);
        }
        if (continuation && !std::isnan(cont_day->numbers[r])) {
            a.continuation_day = cont_day->numbers[r];
            if (cont_rem->numbers[r] > 0) {  // at risk from the start of the continuation phase
                const bool rel = !std::isnan(cont_rel->numbers[r]);
                ++a.in_remission_at_continuation;
                a.relapsed_in_continuation += rel;
                x.cont_t.push_back((rel ? cont_rel->numbers[r] : e) - cont_day->numbers[r]);
                x.cont_e.push_back(rel);
            }
        }
        for (std::size_t w = 0; w < weeks.size(); ++w) {
            if (std::isnan(weeks[w]->numbers[r])) continue;
            x.week_sum[w] += weeks[w]->numbers[r];
            ++x.week_n[w];
        }
    }
    for (std::size_t i = 0; i < s.arms.size(); ++i) {
        ArmSummary& a = s.arms[i];
        const Acc& x = acc[i];
        a.mean_baseline /= static_cast<double>(a.n);
        a.mean_final /= static_cast<double>(a.n);
        a.to_response = kaplan_meier(x.resp_t, x.resp_e);
        a.to_remission = kaplan_meier(x.rem_t, x.rem_e);
        a.to_relapse = kaplan_meier(x.rel_t, x.rel_e);
        if (!std::isnan(a.continuation_day))
            a.to_relapse_in_continuation = kaplan_meier(x.cont_t, x.cont_e);
        for (std::size_t w = 0; w < weeks.size(); ++w)
            a.mean_rating_by_week.push_back(
                x.week_n[w] ? x.week_sum[w] / static_cast<double>(x.week_n[w]) : nan);
    }
    return s;
}

std::string trial_report(const TrialSummary& s) {
    std::string out =
        "trial by " + s.arm_column + ": " + std::to_string(s.enrolled) + " patients-arms";
    if (std::isfinite(s.min_baseline)) {
        out += " with a baseline rating >= " + text::format_double(s.min_baseline) + " (of " +
               std::to_string(s.points_done) + " done)";
    }
    if (s.screened_out > 0)
        out += "; " + std::to_string(s.screened_out) +
               " not enrolled by the trial's [outcomes] enrol_min_baseline";
    out += "\n";
    char line[512];
    std::snprintf(line, sizeof line, "  %-12s %4s  %-22s %-22s %-22s %-9s %s\n", "arm", "n",
                  "response at end", "remission at end", "ever responded", "median", "rating");
    out += line;
    auto rate = [](std::size_t k, std::size_t n) {
        const Interval ci = wilson_interval(k, n);
        char b[64];
        std::snprintf(b, sizeof b, "%zu/%zu %s%% [%s, %s]", k, n,
                      pct(static_cast<double>(k) / static_cast<double>(n)).c_str(),
                      pct(ci.lo).c_str(), pct(ci.hi).c_str());
        return std::string(b);
    };
    for (const auto& a : s.arms) {
        const double med = km_median(a.to_response);
        std::string weeks;
        for (std::size_t w = 0; w < a.mean_rating_by_week.size(); ++w) {
            char b[32];
            std::snprintf(b, sizeof b, "%s%.1f", w ? " " : "", a.mean_rating_by_week[w]);
            weeks += b;
        }
        std::snprintf(line, sizeof line, "  %-12s %4zu  %-22s %-22s %-22s %-9s %s\n", a.arm.c_str(),
                      a.n, rate(a.response, a.n).c_str(), rate(a.remission, a.n).c_str(),
                      rate(a.ever_responded, a.n).c_str(),
                      std::isnan(med) ? "-" : ("day " + text::format_double(med)).c_str(),
                      weeks.c_str());
        out += line;
        if (a.remitted > 0 && a.relapsed > 0) {
            const double rel = km_median(a.to_relapse);
            std::snprintf(
                line, sizeof line,
                "  %-12s       relapse after remission: %zu of %zu (median %s)\n", "", a.relapsed,
                a.remitted,
                std::isnan(rel) ? "not reached" : ("day " + text::format_double(rel)).c_str());
            out += line;
        }
        if (!std::isnan(a.continuation_day)) {
            const double rel = km_median(a.to_relapse_in_continuation);
            std::snprintf(line, sizeof line,
                          "  %-12s       continuation from day %s: %zu in remission, %zu relapsed "
                          "(median %s)\n",
                          "", text::format_double(a.continuation_day).c_str(),
                          a.in_remission_at_continuation, a.relapsed_in_continuation,
                          a.in_remission_at_continuation == 0 ? "-"
                          : std::isnan(rel)                   ? "not reached"
                                            : (text::format_double(rel) + " days").c_str());
            out += line;
        }
    }
    out +=
        "  (rates with Wilson 95 % intervals; median: Kaplan-Meier days of treatment to first "
        "response; rating: the arm's mean from the baseline, week by week)\n";
    return out;
}

std::string trial_arms_csv(const TrialSummary& s) {
    std::size_t weeks = 0;
    for (const auto& a : s.arms)
        weeks = std::max(weeks, a.mean_rating_by_week.size());
    std::string out =
        "arm,n,response,response_rate,response_lo95,response_hi95,remission,remission_rate,"
        "remission_lo95,remission_hi95,ever_responded,remitted,relapsed,median_days_to_response,"
        "median_days_to_remission,median_days_to_relapse,mean_baseline,mean_final,"
        "continuation_day,in_remission_at_continuation,relapsed_in_continuation,"
        "median_days_to_relapse_in_continuation";
    for (std::size_t w = 0; w < weeks; ++w)
        out += ",mean_rating_week_" + std::to_string(w);
    out += "\n";
    for (const auto& a : s.arms) {
        const Interval r = wilson_interval(a.response, a.n), m = wilson_interval(a.remission, a.n);
        const double n = static_cast<double>(a.n);
        out += csv_field(a.arm) + "," + std::to_string(a.n) + "," + std::to_string(a.response) +
               "," + num(static_cast<double>(a.response) / n) + "," + num(r.lo) + "," + num(r.hi) +
               "," + std::to_string(a.remission) + "," + num(static_cast<double>(a.remission) / n) +
               "," + num(m.lo) + "," + num(m.hi) + "," + std::to_string(a.ever_responded) + "," +
               std::to_string(a.remitted) + "," + std::to_string(a.relapsed) + "," +
               num(km_median(a.to_response)) + "," + num(km_median(a.to_remission)) + "," +
               num(km_median(a.to_relapse)) + "," + num(a.mean_baseline) + "," + num(a.mean_final);
        if (std::isnan(a.continuation_day)) {
            out += ",,,,";
        } else {
            out += "," + num(a.continuation_day) + "," +
                   std::to_string(a.in_remission_at_continuation) + "," +
                   std::to_string(a.relapsed_in_continuation) + "," +
                   num(km_median(a.to_relapse_in_continuation));
        }
        for (std::size_t w = 0; w < weeks; ++w)
            out += "," + (w < a.mean_rating_by_week.size() ? num(a.mean_rating_by_week[w]) : "");
        out += "\n";
    }
    return out;
}

std::string trial_km_csv(const TrialSummary& s) {
    std::string out = "arm,event,day,survival,at_risk,events\n";
    for (const auto& a : s.arms) {
        const std::pair<const char*, const std::vector<SurvivalStep>*> curves[] = {
            {"response", &a.to_response},
            {"remission", &a.to_remission},
            {"relapse", &a.to_relapse},
            {"relapse_in_continuation", &a.to_relapse_in_continuation}};
        for (const auto& [event, curve] : curves) {
            for (const auto& p : *curve) {
                out += csv_field(a.arm) + "," + event + "," + text::format_double(p.t) + "," +
                       text::format_double(p.S) + "," + std::to_string(p.at_risk) + "," +
                       std::to_string(p.events) + "\n";
            }
        }
    }
    return out;
}

}  // namespace neurochem::sweep

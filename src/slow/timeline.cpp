#include "slow/timeline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "neurochem/errors.hpp"

namespace neurochem {

namespace {
std::string clock_text(double h) {
    const auto minutes = static_cast<long long>(std::llround(h * 60.0));
    char buf[64];
    std::snprintf(buf, sizeof buf, "day %lld %02lld:%02lld", minutes / 1440, (minutes % 1440) / 60,
                  minutes % 60);
    return buf;
}

std::string hours_text(double h) {
    char buf[64];
    if (h >= 48 && std::fmod(h, 24.0) == 0) {
        std::snprintf(buf, sizeof buf, "%g days", h / 24);
    } else if (h >= 1 || h == 0) {
        std::snprintf(buf, sizeof buf, "%g h", h);
    } else {
        std::snprintf(buf, sizeof buf, "%g s", h * 3600);
    }
    return buf;
}

std::string where(const SessionSpec& s) {
    return s.origin.empty() ? "session '" + s.name + "'" : s.origin + ": [session." + s.name + "]";
}
}  // namespace

std::uint64_t Timeline::ticks(double hours) const {
    return static_cast<std::uint64_t>(std::llround(hours * 3.6e6 / dt_ms_));
}

Timeline::Timeline(const ModelSpec& m) : model_(m), dt_ms_(m.simulation.dt_ms) {
    const auto& pr = m.protocol;
    const std::uint64_t total =
        static_cast<std::uint64_t>(std::llround(m.simulation.duration_ms / dt_ms_));
    if (!pr.enabled) {  // one step, simulated whole
        edges_ = {0, total};
        recorded_ = {1};
        window_ = total;
        total_fast_ = total;
        return;
    }
    settle_ = static_cast<std::uint64_t>(std::llround(pr.settle_ms / dt_ms_));
    window_ = static_cast<std::uint64_t>(std::llround(pr.window_ms / dt_ms_));
    const std::uint64_t step = std::max<std::uint64_t>(1, ticks(pr.slow_step_h));
    if (total / step + 1 > max_steps) {
        throw input_error(pr.origin + ": [protocol] slow_step: the run of " +
                          hours_text(m.simulation.duration_ms / 3.6e6) + " would take " +
                          std::to_string(total / step) + " slow steps; at most " +
                          std::to_string(max_steps) + " are allowed (use a longer slow_step).");
    }
    std::vector<std::uint64_t> e;
    for (std::uint64_t t = 0; t < total; t += step)
        e.push_back(t);
    e.push_back(total);
    for (const auto& s : pr.sessions) {
        const std::uint64_t start = ticks(s.start_h), length = ticks(s.length_h),
                            every = ticks(s.every_h);
        const std::uint64_t until = std::isfinite(s.until_h) ? ticks(s.until_h) : total;
        for (std::uint64_t o = start; o < std::min(until, total); o += every) {
            e.push_back(o);
            e.push_back(std::min(o + length, total));
            if (e.size() > 2 * max_steps) {
                throw input_error(where(s) + ": more than " + std::to_string(max_steps) +
                                  " occurrences in the run.");
            }
            if (every == 0) break;
        }
    }
    std::sort(e.begin(), e.end());
    e.erase(std::unique(e.begin(), e.end()), e.end());
    edges_ = std::move(e);
    if (size() > max_steps) {
        throw input_error(pr.origin + ": [protocol]: the timeline has " + std::to_string(size()) +
                          " slow steps; at most " + std::to_string(max_steps) + " are allowed.");
    }

    // Two sessions may not set the same input at the same time: which would win is not defined.
    for (std::size_t k = 0; k < size(); ++k) {
        const auto on = active(k);
        std::map<std::string, std::size_t> setter;
        for (const std::size_t a : on) {
            for (const auto& [drive, rate] : pr.sessions[a].drive_rates_Hz) {
                const auto [it, fresh] = setter.emplace(drive, a);
                if (!fresh) {
                    throw input_error(where(pr.sessions[a]) + " and " +
                                      where(pr.sessions[it->second]) +
                                      " both set the rate of drive '" + drive + "' at " +
                                      clock_text(hours(edges_[k])) +
                                      "; overlapping sessions may not set the same input.");
                }
            }
        }
    }

    recorded_.assign(size(), 0);
    if (pr.record_every_h == 0) {
        std::fill(recorded_.begin(), recorded_.end(), 1);
    } else if (std::isfinite(pr.record_every_h)) {
        const std::uint64_t every = std::max<std::uint64_t>(1, ticks(pr.record_every_h));
        for (std::uint64_t t = ticks(pr.record_at_h); t < total; t += every) {
            const auto it = std::upper_bound(edges_.begin(), edges_.end(), t);
            recorded_[static_cast<std::size_t>(it - edges_.begin()) - 1] = 1;
        }
    }
    for (std::size_t k = 0; k < size(); ++k)
        total_fast_ += settle_steps(k) + window_steps(k);
}

bool Timeline::inside(std::size_t i, std::uint64_t tick) const {
    const auto& s = model_.protocol.sessions[i];
    const std::uint64_t start = ticks(s.start_h), length = ticks(s.length_h),
                        every = ticks(s.every_h);
    if (tick < start) return false;
    const std::uint64_t o = every == 0 ? start : start + (tick - start) / every * every;
    if (std::isfinite(s.until_h) && o >= ticks(s.until_h)) return false;
    return tick < o + length;
}

std::vector<std::size_t> Timeline::active(std::size_t k) const {
    std::vector<std::size_t> on;
    for (std::size_t i = 0; i < model_.protocol.sessions.size(); ++i) {
        if (inside(i, edges_[k])) on.push_back(i);
    }
    return on;
}

bool Timeline::asleep(std::size_t k) const {
    for (const std::size_t i : active(k)) {
        if (model_.protocol.sessions[i].asleep) return true;
    }
    return false;
}

bool Timeline::exercise(std::size_t k) const {
    for (const std::size_t i : active(k)) {
        if (model_.protocol.sessions[i].exercise) return true;
    }
    return false;
}

bool Timeline::washout(std::size_t k) const {
    for (const std::size_t i : active(k)) {
        if (model_.protocol.sessions[i].washout) return true;
    }
    return false;
}

bool Timeline::isolated(std::size_t k, const std::string& name) const {
    for (const std::size_t i : active(k)) {
        const auto& iso = model_.protocol.sessions[i].isolate;
        if (std::find(iso.begin(), iso.end(), name) != iso.end()) return true;
    }
    return false;
}

std::vector<double> Timeline::drive_rates(std::size_t k) const {
    std::vector<double> r;
    for (const auto& d : model_.poisson)
        r.push_back(d.rate_Hz);
    for (const std::size_t i : active(k)) {
        for (const auto& [drive, rate] : model_.protocol.sessions[i].drive_rates_Hz) {
            r[static_cast<std::size_t>(model_.poisson_index(drive))] = rate;  // validated
        }
    }
    return r;
}

bool Timeline::brute_force(std::size_t k) const {
    if (end_tick(k) - begin_tick(k) <= settle_ + window_) return true;
    for (const std::size_t i : active(k)) {
        if (model_.protocol.sessions[i].whole) return true;
    }
    return false;
}
std::uint64_t Timeline::settle_steps(std::size_t k) const {
    return brute_force(k) ? 0 : settle_;
}
std::uint64_t Timeline::window_steps(std::size_t k) const {
    return brute_force(k) ? end_tick(k) - begin_tick(k) : window_;
}
bool Timeline::recorded(std::size_t k) const {
    return recorded_[k] != 0;
}

std::string Timeline::describe(std::size_t max_lines) const {
    const auto& pr = model_.protocol;
    std::string out;
    char buf[512];
    const double run_h = hours(total_ticks());
    const double fast_s = static_cast<double>(total_fast_) * dt_ms_ * 1e-3;
    std::snprintf(
        buf, sizeof buf,
        "# timeline: %s in %zu slow steps (slow_step %s, window %g s after %g s settling); %g s of "
        "fast time simulated (%.3g calendar seconds per simulated second); %zu recorded windows\n",
        hours_text(run_h).c_str(), size(), hours_text(pr.slow_step_h).c_str(), pr.window_ms * 1e-3,
        pr.settle_ms * 1e-3, fast_s, fast_s > 0 ? run_h * 3600 / fast_s : 0.0,
        static_cast<std::size_t>(std::count(recorded_.begin(), recorded_.end(), 1)));
    out += buf;
    for (const auto& s : pr.sessions) {
        std::string what = s.asleep ? "asleep" : "";
        for (const auto& [d, r] : s.drive_rates_Hz) {
            std::snprintf(buf, sizeof buf, "%s%s %g Hz", what.empty() ? "" : ", ", d.c_str(), r);
            what += buf;
        }
        if (s.whole) what += what.empty() ? "simulated whole" : ", simulated whole";
        for (const auto& pop : s.isolate)
            what += (what.empty() ? "" : ", ") + pop + " isolated";
        if (s.washout) what += what.empty() ? "drugs washed out" : ", drugs washed out";
        std::snprintf(buf, sizeof buf, "#   session %-14s %s for %s%s%s: %s\n", s.name.c_str(),
                      clock_text(s.start_h).c_str(), hours_text(s.length_h).c_str(),
                      s.every_h > 0 ? (", every " + hours_text(s.every_h)).c_str() : ", once",
                      std::isfinite(s.until_h) ? (", until " + clock_text(s.until_h)).c_str() : "",
                      what.empty() ? "no input changes" : what.c_str());
        out += buf;
    }
    for (const auto& name : pr.disabled_sessions) {
        std::snprintf(buf, sizeof buf, "#   session %-14s disabled (enabled = false): never held\n",
                      name.c_str());
        out += buf;
    }
    for (const auto& r : model_.chemistry.regimens) {
        const std::string until = std::isfinite(r.stop_h) ? " until " + clock_text(r.stop_h) : "";
        if (r.route == Route::bath) {
            std::snprintf(buf, sizeof buf, "#   regimen %-14s %s bath %g uM from %s%s\n",
                          r.name.c_str(), r.drug.c_str(), r.bath_uM, clock_text(r.start_h).c_str(),
                          until.c_str());
        } else {
            std::snprintf(buf, sizeof buf, "#   regimen %-14s %s %g mg every %s from %s%s\n",
                          r.name.c_str(), r.drug.c_str(), r.dose_mg,
                          hours_text(r.interval_h).c_str(), clock_text(r.start_h).c_str(),
                          until.c_str());
        }
        out += buf;
    }
    // The steps of the first two days on which something changes.
    out += "#   first days (step: calendar time, length, state, simulated):\n";
    std::size_t lines = 0;
    std::vector<std::size_t> previous;
    for (std::size_t k = 0; k < size() && hours(begin_tick(k)) < 48 && lines < max_lines; ++k) {
        const auto on = active(k);
        const bool change = k == 0 || on != previous || recorded(k);
        previous = on;
        if (!change) continue;
        std::string names;
        for (const auto i : on)
            names += (names.empty() ? "" : "+") + pr.sessions[i].name;
        std::snprintf(buf, sizeof buf, "#   %6zu  %s  %-8s %-18s %s%s\n", k,
                      clock_text(hours(begin_tick(k))).c_str(),
                      hours_text(hours(end_tick(k) - begin_tick(k))).c_str(),
                      names.empty() ? "-" : names.c_str(), brute_force(k) ? "whole" : "window",
                      recorded(k) ? ", recorded" : "");
        out += buf;
        ++lines;
    }
    return out;
}

}  // namespace neurochem

#include "sweep/listing.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "util/text.hpp"

namespace neurochem::sweep {

namespace {
std::string meta(const Manifest& m, const std::string& key) {
    const auto it = m.meta.find(key);
    return it == m.meta.end() ? "" : it->second;
}
}  // namespace

std::string plan_summary(const Manifest& m) {
    std::vector<std::string> factors;
    const std::string samples = meta(m, "samples"), grid = meta(m, "grid_size"),
                      reps = meta(m, "replicates");
    if (!samples.empty() && samples != "0") factors.push_back(samples + " samples");
    if (!grid.empty() && grid != "1") factors.push_back(grid + " grid points");
    if (!reps.empty() && reps != "1") factors.push_back(reps + " replicates");
    const std::string points =
        meta(m, "points").empty() ? std::to_string(m.rows.size()) : meta(m, "points");
    std::string s = "sweep " + meta(m, "name") + ": " + points + " points" +
                    (factors.size() > 1 ? " = " + text::join(factors, " x ") : "") + "\n";
    s += "  base config: " + meta(m, "base_config") + "\n";
    s += "  varied: " +
         (m.axes.empty() ? std::string("nothing (replicates only)") : text::join(m.axes, ", ")) +
         "\n";
    s += "  seeds: " + meta(m, "seeds") + " (sweep seed " + meta(m, "sweep_seed") + ")\n";
    s += "  directory: " + m.dir + "\n";
    return s;
}

std::string points_listing(const Manifest& m, const std::vector<PointStatus>& states,
                           const std::vector<std::size_t>& selection) {
    const bool samples = meta(m, "samples") != "0" && !meta(m, "samples").empty();
    const bool reps = meta(m, "replicates") != "1" && !meta(m, "replicates").empty();
    std::vector<std::string> header = {"point"};
    if (samples) header.push_back("sample");
    if (reps) header.push_back("replicate");
    header.push_back("seed");
    header.insert(header.end(), m.axes.begin(), m.axes.end());
    header.push_back("state");
    std::vector<std::vector<std::string>> rows;
    for (const std::size_t i : selection) {
        const auto& r = m.rows[i];
        std::vector<std::string> row = {std::to_string(r.point)};
        if (samples) row.push_back(std::to_string(r.sample));
        if (reps) row.push_back(std::to_string(r.replicate));
        row.push_back(std::to_string(r.seed));
        row.insert(row.end(), r.values.begin(), r.values.end());
        const auto& st = states[i];
        std::string state = state_name(st.state);
        if (st.state != PointState::done && !st.checkpoint.empty()) state += " (has a checkpoint)";
        row.push_back(state);
        rows.push_back(row);
    }
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
        width[c] = header[c].size();
        for (const auto& row : rows)
            width[c] = std::max(width[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string s;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            s += cells[c];
            if (c + 1 < cells.size()) s += std::string(width[c] - cells[c].size() + 2, ' ');
        }
        return s + "\n";
    };
    std::string out = line(header);
    for (std::size_t k = 0; k < rows.size(); ++k) {
        out += line(rows[k]);
        const auto& st = states[selection[k]];
        const std::string why = st.state == PointState::failed ? st.record.message : st.detail;
        if ((st.state == PointState::failed || st.state == PointState::stale) && !why.empty()) {
            out += "    " + why + "\n    log: " + m.path(m.rows[selection[k]].log) + "\n";
        }
    }
    return out;
}

std::string state_counts(const std::vector<PointStatus>& states) {
    std::map<PointState, std::size_t> n;
    for (const auto& s : states)
        ++n[s.state];
    std::vector<std::string> parts;
    for (const PointState s : {PointState::done, PointState::failed, PointState::interrupted,
                               PointState::running, PointState::stale, PointState::pending}) {
        if (n[s]) parts.push_back(std::to_string(n[s]) + " " + state_name(s));
    }
    return parts.empty() ? "no points" : text::join(parts, ", ");
}

std::string cost_estimate(const MeasuredCost& c, std::size_t remaining, std::size_t total) {
    if (c.points == 0) {
        return "cost: unknown until a point has run (a pilot: add --local --points 0; then "
               "--dry-run again estimates "
               "the core-hours)\n";
    }
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "cost: measured on %zu completed point%s: %s per point (%.3g s wall on %.3g "
                  "cores), peak memory "
                  "%.0f MB\n      the %zu points still to run: about %.3g core-hours (all %zu: "
                  "%.3g core-hours)\n",
                  c.points, c.points == 1 ? "" : "s", core_time(c.core_seconds).c_str(),
                  c.wall_seconds, c.cores, c.peak_MB, remaining,
                  c.core_seconds * static_cast<double>(remaining) / 3600.0, total,
                  c.core_seconds * static_cast<double>(total) / 3600.0);
    return buf;
}

}  // namespace neurochem::sweep

#include "sweep/cost.hpp"

#include <algorithm>
#include <cstdio>

#include "io/h5.hpp"

namespace neurochem::sweep {

MeasuredCost measure_cost(const Manifest& m, const std::vector<PointStatus>& states) {
    MeasuredCost c;
    h5::quiet_errors();
    for (std::size_t i = 0; i < m.rows.size() && i < states.size(); ++i) {
        if (states[i].state != PointState::done) continue;
        const std::string path = m.path(m.rows[i].output);
        const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        if (id < 0) continue;
        h5::Handle f(id, H5Fclose);
        try {
            h5::Handle p = h5::open_group(f, "provenance");
            const double wall = h5::read_attr_double(p, "wall_time_s");
            const double cores = static_cast<double>(h5::read_attr_u64(p, "threads") * h5::read_attr_u64(p, "ranks"));
            c.wall_seconds += wall;
            c.core_seconds += wall * cores;
            c.cores += cores;
            c.peak_MB = std::max(c.peak_MB, h5::read_attr_double(p, "peak_rss_MB"));
            ++c.points;
        } catch (const std::exception&) {
        }
    }
    if (c.points > 0) {
        const double n = static_cast<double>(c.points);
        c.wall_seconds /= n;
        c.core_seconds /= n;
        c.cores /= n;
    }
    return c;
}

std::string core_time(double s) {
    char buf[48];
    if (s < 60) {
        std::snprintf(buf, sizeof buf, "%.3g core-s", s);
    } else if (s < 3600) {
        std::snprintf(buf, sizeof buf, "%.3g core-min", s / 60);
    } else {
        std::snprintf(buf, sizeof buf, "%.3g core-h", s / 3600);
    }
    return buf;
}

}  // namespace neurochem::sweep

#include "app/output_estimate.hpp"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "app/memory_check.hpp"
#include "slow/timeline.hpp"

namespace neurochem::app {

namespace {
constexpr double bytes_per_spike = 16;    // float64 timestamp + uint64 node id
constexpr double bytes_per_value = 8;     // every series is float64
constexpr double bytes_per_edge = 6 * 8;  // source, target, type, group, index, weight

std::string megabytes(double bytes) {
    char buf[32];
    if (bytes >= 1e9)
        std::snprintf(buf, sizeof buf, "%.3g GB", bytes / 1e9);
    else
        std::snprintf(buf, sizeof buf, "%.3g MB", bytes / 1e6);
    return buf;
}

}  // namespace

FreeSpace free_space(const std::string& output) {
    namespace fs = std::filesystem;
    FreeSpace f;
    std::error_code ec;
    f.dir = fs::absolute(output, ec).parent_path().string();
    if (ec) return f;
    const auto space = fs::space(f.dir, ec);
    if (!ec) f.bytes = static_cast<double>(space.available);
    return f;
}

OutputEstimate estimate_output(const ModelSpec& m, const Timeline& timeline, std::size_t traces,
                               std::uint64_t sample_steps, std::size_t slow_columns) {
    const double dt_ms = m.simulation.dt_ms;
    const bool protocol = m.protocol.enabled;
    double steps = 0;  // fast steps written
    for (std::size_t k = 0; k < timeline.size(); ++k) {
        if (!protocol)
            steps += static_cast<double>(timeline.settle_steps(k) + timeline.window_steps(k));
        else if (timeline.recorded(k))
            steps += static_cast<double>(timeline.window_steps(k));
    }
    OutputEstimate e;
    e.recorded_seconds = steps * dt_ms * 1e-3;
    double recorded_neurons = 0;
    for (const auto& p : m.populations) {
        if (m.output.spikes && p.record_spikes) recorded_neurons += static_cast<double>(p.size);
    }
    e.bytes_per_Hz = bytes_per_spike * recorded_neurons * e.recorded_seconds;
    const double bins = steps * dt_ms / m.output.rate_bin_ms;
    e.fixed_bytes = bytes_per_value * bins * static_cast<double>(m.populations.size());
    if (traces > 0 && sample_steps > 0)
        e.fixed_bytes += bytes_per_value * static_cast<double>(traces + 1) * steps /
                         static_cast<double>(sample_steps);
    if (protocol)
        e.fixed_bytes += bytes_per_value * static_cast<double>(slow_columns) *
                         static_cast<double>(timeline.size());
    ModelSpec weighted;  // the projections whose weights are written
    weighted.populations = m.populations;
    for (const auto& pr : m.projections) {
        if (pr.plasticity.record_weights) weighted.projections.push_back(pr);
    }
    e.fixed_bytes += bytes_per_edge * expected_synapses(weighted);
    return e;
}

std::string output_space_warning(const OutputEstimate& e, const std::string& output,
                                 const FreeSpace& free) {
    if (free.bytes < 0 || e.bytes_at(1.0) <= free.bytes) return "";
    return "warning: " + output + " will need about " + megabytes(e.bytes_at(1.0)) +
           " even if the recorded populations fire at only 1 Hz on average (" +
           megabytes(e.fixed_bytes) + " of rates, traces and slow rows, " +
           megabytes(e.bytes_per_Hz) + " of spikes per Hz), but " + free.dir + " has " +
           megabytes(free.bytes) +
           " free: the run will stop with an error when the disk is full (free space, write "
           "elsewhere with -o, or record less: [output] spikes = false, a longer rate_bin)";
}

std::string describe_estimate(const OutputEstimate& e, const FreeSpace& free) {
    std::string s = "output: ~" + megabytes(e.fixed_bytes) + " + " + megabytes(e.bytes_per_Hz) +
                    " per Hz of mean rate of the recorded populations";
    if (free.bytes >= 0) s += " (" + megabytes(free.bytes) + " free in " + free.dir + ")";
    return s;
}

}  // namespace neurochem::app

#include "core/network_stats.hpp"

#include <algorithm>
#include <cmath>

#include "comm/communicator.hpp"
#include "core/state_registry.hpp"

namespace neurochem {

namespace {
constexpr std::uint64_t no_spike = ~0ULL;
}

NetworkStats::NetworkStats(const NetworkLayout& layout) : pops_(layout.local.size()) {
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const std::size_t n = layout.local[p].size();
        auto& pop = pops_[p];
        pop.spikes.assign(n, 0);
        pop.last_spike.assign(n, no_spike);
        pop.n_isi.assign(n, 0);
        pop.sum_isi.assign(n, 0);
        pop.sum_isi_sq.assign(n, 0.0);
    }
}

void NetworkStats::record(const NetworkLayout& layout, std::span<const Spike> spikes) {
    for (const Spike& s : spikes) {
        const std::size_t p = layout.population_of(s.gid);
        auto& pop = pops_[p];
        const std::size_t i = s.gid - layout.first_gid[p] - layout.local[p].begin;
        ++pop.spikes[i];
        if (pop.last_spike[i] != no_spike) {
            const std::uint64_t isi = s.step - pop.last_spike[i];
            ++pop.n_isi[i];
            pop.sum_isi[i] += isi;
            pop.sum_isi_sq[i] += static_cast<double>(isi) * static_cast<double>(isi);
        }
        pop.last_spike[i] = s.step;
    }
}

std::vector<PopulationStats> NetworkStats::population_stats(const ModelSpec& spec, std::uint64_t steps,
                                                            Communicator& comm) const {
    const std::size_t P = pops_.size();
    // Integers only cross process boundaries: spikes, CV in fixed point (2^-32), counts.
    std::vector<std::uint64_t> u(2 * P, 0);
    std::vector<std::int64_t> cv_fixed(P, 0);
    for (std::size_t p = 0; p < P; ++p) {
        const auto& pop = pops_[p];
        for (std::size_t i = 0; i < pop.spikes.size(); ++i) {
            u[p] += pop.spikes[i];
            if (pop.n_isi[i] >= 2) {
                const double n = static_cast<double>(pop.n_isi[i]);
                const double mean = static_cast<double>(pop.sum_isi[i]) / n;
                const double var = std::max(0.0, pop.sum_isi_sq[i] / n - mean * mean);
                cv_fixed[p] += std::llround(std::sqrt(var) / mean * 0x1p32);
                ++u[P + p];
            }
        }
    }
    comm.sum(u);
    comm.sum(cv_fixed);
    std::vector<PopulationStats> out;
    const double T_s = static_cast<double>(steps) * spec.simulation.dt_ms * 1e-3;
    for (std::size_t p = 0; p < P; ++p) {
        PopulationStats s;
        s.name = spec.populations[p].name;
        s.size = spec.populations[p].size;
        s.spikes = u[p];
        s.mean_rate_Hz = T_s > 0 ? static_cast<double>(u[p]) / (static_cast<double>(s.size) * T_s) : 0.0;
        s.cv_neurons = u[P + p];
        s.mean_cv_isi = s.cv_neurons ? static_cast<double>(cv_fixed[p]) * 0x1p-32 / static_cast<double>(s.cv_neurons)
                                     : 0.0;
        out.push_back(s);
    }
    return out;
}

void NetworkStats::register_state(StateRegistry& reg, const ModelSpec& spec, const NetworkLayout& layout) {
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        auto& pop = pops_[p];
        const std::string prefix = "populations/" + spec.populations[p].name + "/isi/";
        const std::uint64_t n = spec.populations[p].size, at = layout.local[p].begin;
        reg.add_slice(prefix + "spikes", std::span<std::uint64_t>(pop.spikes), at, n);
        reg.add_slice(prefix + "last_spike", std::span<std::uint64_t>(pop.last_spike), at, n, "steps");
        reg.add_slice(prefix + "count", std::span<std::uint64_t>(pop.n_isi), at, n);
        reg.add_slice(prefix + "sum", std::span<std::uint64_t>(pop.sum_isi), at, n, "steps");
        reg.add_slice(prefix + "sum_sq", std::span<double>(pop.sum_isi_sq), at, n, "steps^2", Bounds::nonnegative());
    }
}

}  // namespace neurochem

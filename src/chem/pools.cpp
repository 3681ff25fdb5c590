#include "chem/pools.hpp"

#include <algorithm>
#include <cmath>

namespace neurochem {

Pools::Pools(const ModelSpec& model) {
    const auto& ch = model.chemistry;
    for (const auto& region : model.regions) {
        for (const auto& p : region.pools) {
            names_.push_back(region.name + "." + to_string(p.transmitter));
            regions_.push_back(region.name);
            transmitters_.push_back(p.transmitter);
            loss_.push_back(p.loss_per_s);
            C_.push_back(p.initial_uM);
        }
    }
    for (const auto& u : ch.uptakes) {
        uptakes_.push_back({static_cast<std::size_t>(index(u.region, u.substrate)), u.transporter,
                            u.Vmax_uM_per_s, u.Km_uM});
    }
    for (const auto& r : ch.releases) {
        const auto& pop =
            model.populations[static_cast<std::size_t>(model.population_index(r.population))];
        Release rel{static_cast<std::size_t>(index(r.region, r.transmitter)),
                    r.quantum_uM / static_cast<double>(pop.size)};
        if (r.autoreceptor_max > 0) {
            const double C0 = C_[rel.pool];
            rel.auto_max = r.autoreceptor_max;
            rel.auto_Kd = r.autoreceptor_Kd_uM;
            rel.auto_norm = 1.0 - rel.auto_max * C0 / (C0 + rel.auto_Kd);
            autoreceptors_ = true;
        }
        releases_.push_back(rel);
    }
    release_factor_.assign(C_.size(), 1.0);
    for (auto* v : {&k1_, &k2_, &k3_, &k4_, &tmp_})
        v->assign(C_.size(), 0.0);
}

int Pools::index(const std::string& region, Transmitter t) const {
    for (std::size_t i = 0; i < C_.size(); ++i) {
        if (regions_[i] == region && transmitters_[i] == t) return static_cast<int>(i);
    }
    return -1;
}

void Pools::derivative(std::span<const double> C, std::span<const double> km_factor,
                       std::span<double> out) const {
    for (std::size_t i = 0; i < C.size(); ++i)
        out[i] = -loss_[i] * loss_factor_ * C[i];
    for (std::size_t u = 0; u < uptakes_.size(); ++u) {
        const auto& up = uptakes_[u];
        const double c = std::max(C[up.pool], 0.0);
        out[up.pool] -= up.Vmax * up.factor * c / (up.Km * km_factor[u] + c);
    }
}

void Pools::relax(std::span<const double> km_factor, double dt_s) {
    const int n = std::max(1, static_cast<int>(std::ceil(dt_s / 0.25e-3 - 1e-9)));
    const double h = dt_s / n;
    const std::size_t P = C_.size();
    for (int s = 0; s < n; ++s) {
        derivative(C_, km_factor, k1_);
        for (std::size_t i = 0; i < P; ++i)
            tmp_[i] = C_[i] + 0.5 * h * k1_[i];
        derivative(tmp_, km_factor, k2_);
        for (std::size_t i = 0; i < P; ++i)
            tmp_[i] = C_[i] + 0.5 * h * k2_[i];
        derivative(tmp_, km_factor, k3_);
        for (std::size_t i = 0; i < P; ++i)
            tmp_[i] = C_[i] + h * k3_[i];
        derivative(tmp_, km_factor, k4_);
        for (std::size_t i = 0; i < P; ++i) {
            C_[i] =
                std::max(0.0, C_[i] + h / 6.0 * (k1_[i] + 2.0 * k2_[i] + 2.0 * k3_[i] + k4_[i]));
        }
    }
}

void Pools::step(std::span<const std::uint64_t> counts, std::span<const double> km_factor,
                 double dt_s) {
    if (autoreceptors_)  // the concentrations the terminals sense, before any release
        std::copy(C_.begin(), C_.end(), tmp_.begin());
    for (std::size_t r = 0; r < releases_.size(); ++r) {
        const auto& rel = releases_[r];
        double per_spike = rel.per_spike_uM * release_factor_[rel.pool];
        if (rel.auto_max > 0) {
            const double c = tmp_[rel.pool];
            per_spike *= (1.0 - rel.auto_max * c / (c + rel.auto_Kd)) / rel.auto_norm;
        }
        C_[rel.pool] += static_cast<double>(counts[r]) * per_spike;
    }
    relax(km_factor, dt_s);
}

}  // namespace neurochem

// Extracellular transmitter pools, one per (region, transmitter), well mixed:
//   dC/dt = release - sum_u Vmax_u C / (Km_u (1 + sum_d [D]/Ki_d) + C) - loss C
// Release arrives as impulses: each spike of a releasing population adds quantum / size at the
// start of the chemistry step in which it occurred, scaled by terminal autoreceptors where a
// release has them ((1 - a C/(C + Kd)) / (1 - a C0/(C0 + Kd)), C at the step's start). Uptake and
// loss are integrated with RK4 in substeps of at most 0.25 ms. The state is small and identical on
// every process (it is driven by spike counts summed over all processes), so every process
// integrates it alike.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "neurochem/model.hpp"

namespace neurochem {

class Pools {
  public:
    explicit Pools(const ModelSpec& model);

    std::size_t size() const { return C_.size(); }
    int index(const std::string& region, Transmitter t) const;  ///< -1 if absent
    const std::string& name(std::size_t i) const { return names_[i]; }
    std::span<const double> concentration_uM() const { return C_; }
    std::span<double> concentration_uM() { return C_; }

    /// Releases `counts[r]` spikes of release r, then integrates over dt_s. `km_factor[u]` is
    /// 1 + sum_d [D]/Ki_d for uptake u (drug inhibition).
    void step(std::span<const std::uint64_t> counts, std::span<const double> km_factor,
              double dt_s);
    /// Integrates uptake and loss alone (no release) over dt_s: the closed-form test's setting.
    void relax(std::span<const double> km_factor, double dt_s);
    /// Multiplies every pool's first-order loss rate by f (the clearance-during-sleep hypothesis,
    /// [sleep] clearance_asleep; set between fast runs).
    void set_loss_factor(double f) { loss_factor_ = f; }

    /// Scales the release per spike into pool p by f (the terminals' transmitter store, set by a
    /// slow process between fast runs: [synthesis]).
    void set_release_factor(std::size_t p, double f) { release_factor_[p] = f; }

    /// Scales the Vmax of uptake u by f (transporter density, set by a slow process between fast
    /// runs: [uptake_regulation]).
    void set_vmax_factor(std::size_t u, double f) { uptakes_[u].factor = f; }
    std::size_t uptake_count() const { return uptakes_.size(); }
    DrugTarget uptake_transporter(std::size_t u) const { return uptakes_[u].transporter; }

  private:
    struct Uptake {
        std::size_t pool;
        DrugTarget transporter;
        double Vmax, Km;
        double factor = 1.0;
    };
    struct Release {
        std::size_t pool;
        double per_spike_uM;
        double auto_max = 0.0, auto_Kd = 1.0;  // terminal autoreceptors (0: none)
        double auto_norm = 1.0;                // 1 - a C0/(C0 + Kd)
    };
    void derivative(std::span<const double> C, std::span<const double> km_factor,
                    std::span<double> out) const;

    std::vector<std::string> names_;  // "REGION.TRANSMITTER"
    std::vector<std::string> regions_;
    std::vector<Transmitter> transmitters_;
    std::vector<double> loss_;
    double loss_factor_ = 1.0;
    std::vector<double> C_;
    std::vector<double> release_factor_;  // per pool
    bool autoreceptors_ = false;          // any release with terminal autoreceptors
    std::vector<Uptake> uptakes_;
    std::vector<Release> releases_;
    std::vector<double> k1_, k2_, k3_, k4_, tmp_;  // RK4 scratch
};

}  // namespace neurochem

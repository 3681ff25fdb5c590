// Per-neuron neuromodulator receptors and second messengers of one population, in
// structure-of-arrays, advanced by the owning thread over its neuron range once per chemistry
// step (docs/model/chemistry.md). Their effects on the neurons are summed into per-neuron
// arrays (extra conductance, its reversal-weighted sum, current, port gains) that the neuron
// kernels read until the next chemistry step.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/modulation.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

class StateRegistry;

/// What the chemistry step of one population needs from the pools and the drugs.
struct ReceptorInputs {
    std::vector<double> ligand_uM;         ///< per expressed receptor: agonist concentration
    std::vector<double> antagonist_ratio;  ///< per expressed receptor: sum_d [D]/Ki
    std::vector<double> agonist_ratio;     ///< per expressed receptor: sum_d efficacy [D]/Ki
    double impase_factor = 1.0;            ///< 1 + [Li]/Ki_IMPase (uncompetitive)
};

class Neuromodulation {
  public:
    Neuromodulation(const ModelSpec& model, std::size_t population, std::size_t local_size,
                    double chem_dt_ms);

    std::size_t receptors() const { return types_.size(); }
    const ReceptorTypeSpec& receptor(std::size_t r) const { return types_[r]; }
    bool has_effects() const { return !effects_.empty(); }

    /// Sets every neuron to the steady state of its receptors and messengers for `in`, with no
    /// desensitisation (the state at t = 0), and computes the effects.
    void initialize(std::size_t lo, std::size_t hi, const ReceptorInputs& in);
    /// Advances neurons [lo, hi) by one chemistry step and recomputes their effects.
    void step(std::size_t lo, std::size_t hi, const ReceptorInputs& in);
    /// Recomputes activations and effects of every local neuron from the receptor states, the
    /// coupling (density, efficacy) and `in` (after a restore, or when a slow process changed the
    /// coupling).
    void refresh(const ReceptorInputs& in);

    /// Per-neuron coupling of receptor r that slow processes regulate (docs/model/slow.md): the
    /// caller must call refresh() after changing it (Chemistry::refresh_population).
    enum class Regulated { density, efficacy };
    std::span<double> regulated(std::size_t r, Regulated c) {
        return c == Regulated::density ? std::span<double>(density_[r])
                                       : std::span<double>(efficacy_[r]);
    }
    int receptor_index(const std::string& name) const;
    /// Per-neuron factor on all synaptic input (every port), set by a slow process (neurogenesis:
    /// a slot's integration); empty unless the model has [neurogenesis] for this population.
    std::span<double> input_scale() { return input_scale_; }
    /// Cuts (true) or restores the population's synaptic input, every port (a slice session of
    /// the protocol; only for populations a session isolates, which have port gains).
    void set_isolated(bool isolated) { isolated_ = isolated && any_port_gain_; }
    bool isolated() const { return isolated_; }
    /// Per-neuron factor on the ports of [scaling] (homeostatic synaptic scaling), set by the slow
    /// process; empty unless the model scales this population.
    std::span<double> synaptic_scale() { return synaptic_scale_; }
    /// Per-neuron tissue inositol n (relative) set by the slow process [inositol]: the effects of
    /// Gq-coupled receptors are scaled by the PLC flux at n relative to n = 1 (docs/model/slow.md);
    /// empty unless the model has [inositol] for this population.
    std::span<double> inositol_level() { return inositol_level_; }

    /// A spike of local neuron i (feeds the activity trace that drives CREB).
    void record_spike(std::size_t i) { activity_[i] += 1.0 / activity_tau_s_; }

    /// The arrays the neuron kernels read.
    Modulation modulation() const;

    // Population means of local neurons, scaled by 2^32 and rounded (exact to sum over ranks).
    /// occupancy: by the transmitter; bound: by drugs; stimulus: o + b * (drug efficacy share)
    enum class Quantity {
        occupancy,
        activation,
        desensitised,
        cAMP,
        IP3,
        PIP2,
        inositol,
        CREB,
        bound
    };
    std::int64_t local_sum_fixed(Quantity q, std::size_t receptor = 0) const;
    /// The per-neuron values of a quantity (receptor quantities: of receptor `receptor`).
    std::span<const double> values(Quantity q, std::size_t receptor = 0) const;

    /// Registers receptor states and messengers (local neurons at `offset` of `global`); after a
    /// restore the owner calls refresh(inputs).
    void register_state(StateRegistry& registry, const std::string& prefix, std::uint64_t offset,
                        std::uint64_t global);

  private:
    void effects(std::size_t lo, std::size_t hi);
    /// Activation of receptor r of neuron i from its states (the transducer); `share`: the share
    /// of the drug-bound receptors that stimulates (agonist_ratio / antagonist_ratio).
    double activation(std::size_t r, std::size_t i, double share) const;
    std::array<double, 3> g_protein_drive(std::size_t i) const;  ///< Gs, Gi, Gq activation sums

    struct Effect {
        EffectKind kind;
        std::size_t receptor;
        double magnitude;
        std::size_t port;
        bool gq;  ///< of a Gq-coupled receptor (scaled by the PLC flux with [inositol])
    };
    MessengerSpec m_;
    double dt_s_;
    double activity_tau_s_;
    double activity_decay_;
    double cAMP_relax_;  // 1 - exp(-k dt)
    double E_K_, E_GABA_;
    std::vector<ReceptorTypeSpec> types_;
    std::vector<Effect> effects_;
    std::size_t ports_ = 0;
    bool any_port_gain_ = false;
    bool isolated_ = false;  // set by the course for each slow step (not state)
    // Per receptor, per neuron.
    std::vector<std::vector<double>> o_, b_, d_, density_, efficacy_, a_;
    // Per neuron.
    std::vector<double> cAMP_, PIP2_, IP3_, IP1_, inositol_, CREB_, activity_;
    std::vector<double> g_, gE_, I_;
    std::vector<std::vector<double>> gain_;  // per port
    std::vector<double> input_scale_;        // per neuron (neurogenesis), or empty
    std::vector<double> synaptic_scale_;     // per neuron ([scaling]), or empty
    std::vector<char> scaled_port_;          // per port: multiplied by synaptic_scale_
    std::vector<double> inositol_level_;     // per neuron ([inositol]), or empty
    std::vector<double> pi_flux_;            // per neuron: PLC flux factor at inositol_level_
};

}  // namespace neurochem

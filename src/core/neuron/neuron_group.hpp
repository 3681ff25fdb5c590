// The uniform interface of a population's neurons on one process, and the factory keyed by
// model kind. State lives in structure-of-arrays; a thread advances a contiguous index range.
//
// Time convention (all models): step n advances the state from t_n = n*dt to t_{n+1}.
// Synaptic input with arrival step n is applied at t_n, before the step. A neuron whose
// membrane potential reaches threshold during step n spikes at t_{n+1} (Spike::step = n+1),
// is reset, and stays clamped at V_reset for round(t_ref/dt) steps.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/modulation.hpp"
#include "core/partition.hpp"
#include "core/state_registry.hpp"
#include "core/rng.hpp"
#include "neurochem/model.hpp"
#include "neurochem/spike.hpp"

namespace neurochem {

/// A named per-neuron state array for the state registry: f64, or i32 when `integer`, with
/// its unit and valid range (checked when a checkpoint is restored).
struct StateArray {
    std::string name;
    std::span<double> f64;
    std::span<std::int32_t> i32;
    bool integer = false;
    std::string unit;
    Bounds bounds = Bounds::finite();
};

class NeuronGroup {
public:
    virtual ~NeuronGroup() = default;

    std::size_t size() const { return V_.size(); }
    /// Population-local index of local neuron 0 (this process holds [first, first + size)).
    std::uint64_t first_index() const { return first_index_; }
    /// gid of local neuron 0.
    std::uint64_t first_gid() const { return first_gid_; }

    /// Draws the initial state of local neurons [lo, hi) from the population's "init:NAME"
    /// random stream, keyed by population-local index.
    virtual void initialize(std::size_t lo, std::size_t hi) = 0;

    /// Advances local neurons [lo, hi) over step n. input[p][i] holds the summed weight
    /// arriving at port p of local neuron i at t_n; the call consumes it (sets it to 0).
    /// `mod` adds the effects of neuromodulation (may be inactive).
    virtual void step(std::size_t lo, std::size_t hi, std::uint64_t n, double* const* input,
                      const Modulation& mod, std::vector<Spike>& spikes) = 0;

    /// Every state variable, by name: "V", "ref_left" (in [0, refractory period in steps]: the
    /// fused COBA kernel relies on it to find spikes), then the model's own ("syn:PORT", "w").
    /// Everything else (parameters, propagators) is derived and not saved.
    std::vector<StateArray> state_arrays();

    /// Membrane potentials in mV (tests, probes).
    std::span<const double> V_mV() const { return V_; }
    std::span<double> V_mV() { return V_; }
    /// Synaptic state of port p: nS (conductance models) or pA (current models); empty for
    /// delta synapses.
    virtual std::span<const double> synaptic_state(std::size_t p) const = 0;

protected:
    virtual void add_state_arrays(std::vector<StateArray>& out) = 0;
    /// Conductance-based models: adds the modulation's conductance and current to the
    /// per-neuron totals g_tot (nS) and g_E (nS mV, i.e. pA).
    static void add_modulation(const Modulation& mod, std::size_t lo, std::size_t hi, double* g_tot,
                               double* g_E);
    NeuronGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed, IndexRange local,
                std::uint64_t first_gid);
    void initialize_membrane(std::size_t lo, std::size_t hi);
    /// Ends step n of an integrate-and-fire model: neurons out of refractoriness take V_new,
    /// those reaching V_th spike (at t_{n+1}), are reset and become refractory; refractory
    /// ones keep V and count down. (A branch-free, vectorised version was 4 % slower on COBA:
    /// the branches are well predicted.)
    void threshold_and_reset(std::size_t lo, std::size_t hi, std::uint64_t n, const double* V_new,
                             std::vector<Spike>& spikes);
    double draw_initial(const Distribution& d, std::string_view var, std::size_t local_index,
                        const char* what) const;

    PopulationSpec spec_;  // a copy, so a group never refers to a spec that went away
    double dt_ms_;
    rng::Philox::key_type init_key_;  // stream "init:NAME"
    std::uint64_t first_index_;
    std::uint64_t first_gid_;
    std::int32_t ref_steps_;              // refractory period in steps
    std::vector<double> V_;               // membrane potential, mV
    std::vector<std::int32_t> ref_left_;  // refractory steps left
};

std::unique_ptr<NeuronGroup> make_neuron_group(const PopulationSpec& spec, double dt_ms,
                                               std::uint64_t seed, IndexRange local,
                                               std::uint64_t first_gid);

}  // namespace neurochem

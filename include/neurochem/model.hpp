// The model description: plain data, no MPI, no files. The command-line tool fills it from a
// config file; a C++ user may fill it directly. Every quantity is in the internal unit named in
// its field: ms, mV, nS, pF, pA, Hz (a coherent set: nS * mV = pA, pA / pF = mV/ms).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "neurochem/chemistry_model.hpp"
#include "neurochem/plasticity_model.hpp"
#include "neurochem/protocol.hpp"
#include "neurochem/slow_model.hpp"

namespace neurochem {

/// A value drawn independently per element (neuron or synapse), or a constant.
struct Distribution {
    enum class Kind { constant, uniform, normal, lognormal };
    Kind kind = Kind::constant;
    double p1 = 0.0;  ///< constant: the value; uniform: low; normal, lognormal: mean
    double p2 = 0.0;  ///< uniform: high; normal, lognormal: standard deviation (of the value)
    /// normal and lognormal: values outside [min, max] are redrawn (a truncated distribution).
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();

    static Distribution constant(double v) { return {Kind::constant, v, 0.0}; }
    static Distribution uniform(double lo, double hi) { return {Kind::uniform, lo, hi}; }
    static Distribution normal(double mean, double sd) { return {Kind::normal, mean, sd}; }
    bool is_constant() const { return kind == Kind::constant; }
    double mean() const;  ///< mean of the untruncated distribution
    bool operator==(const Distribution&) const = default;
};

enum class NeuronModel {
    lif_coba,        ///< leaky integrate-and-fire, exponential conductances (exponential Euler)
    lif_cuba_exp,    ///< leaky integrate-and-fire, exponential currents (exact propagators)
    lif_cuba_delta,  ///< leaky integrate-and-fire, delta synapses: a spike jumps V (exact)
    adex_coba,       ///< adaptive exponential integrate-and-fire, exponential conductances
    poisson_source,  ///< independent Poisson spike trains at rate_Hz (a generator, no membrane)
};

/// A synaptic input port of a population ("receptor"). Ports "exc" and "inh" always exist.
struct ReceptorSpec {
    std::string name;
    double tau_syn_ms = 5.0;  ///< decay time constant (not used by lif_cuba_delta)
    double E_rev_mV = 0.0;    ///< reversal potential (conductance-based models only)
    Distribution init;        ///< initial synaptic state: nS (conductance) or pA (current)
};

struct PopulationSpec {
    std::string name;
    std::uint64_t size = 0;
    NeuronModel model = NeuronModel::lif_coba;
    double C_m_pF = 250.0;      ///< membrane capacitance
    double tau_m_ms = 10.0;     ///< membrane time constant C_m / g_L
    double E_L_mV = -70.0;      ///< leak reversal (resting) potential
    double V_th_mV = -55.0;     ///< spike threshold (AdEx: V_T, the exponential's midpoint)
    double V_reset_mV = -70.0;  ///< potential after a spike
    double t_ref_ms = 2.0;      ///< absolute refractory period (V clamped at V_reset)
    double I_e_pA = 0.0;        ///< constant external current
    double a_nS = 4.0;          ///< AdEx: subthreshold adaptation
    double b_pA = 80.5;         ///< AdEx: spike-triggered adaptation increment
    double Delta_T_mV = 2.0;    ///< AdEx: slope factor
    double tau_w_ms = 144.0;    ///< AdEx: adaptation time constant
    double V_peak_mV = 0.0;     ///< AdEx: spike detection potential
    double rate_Hz = 0.0;       ///< poisson_source: rate of each neuron
    /// lif_coba: an NMDA conductance that follows port "exc" (the AMPA conductance) with time
    /// constant tau_nmda (Auryn's IFGroup); the effective excitatory conductance is
    /// r/(r+1) g_ampa + 1/(r+1) g_nmda with r = ampa_nmda_ratio. 0: no NMDA.
    double ampa_nmda_ratio = 0.0;
    double tau_nmda_ms = 100.0;
    /// lif_coba: relative refractoriness by a threshold that jumps by threshold_jump at a spike
    /// and decays with tau_threshold (0: none).
    double threshold_jump_mV = 0.0;
    double tau_threshold_ms = 5.0;
    Distribution V_init = Distribution::constant(-70.0);  ///< initial membrane potential, mV
    Distribution w_init = Distribution::constant(0.0);    ///< AdEx: initial adaptation, pA
    std::vector<ReceptorSpec> receptors;                  ///< input ports; a port's index is its id
    bool record_spikes = true;
    std::vector<std::string> expresses;  ///< neuromodulator receptor types (chemistry)

    int receptor_index(const std::string& receptor) const;  ///< -1 if absent
};

/// A brain region: the populations in it and the extracellular transmitter pools they share
/// (release from projecting nuclei, reuptake, the ligands of the neurons' receptors).
struct RegionSpec {
    std::string name;
    std::vector<std::string> populations;  ///< names of ModelSpec::populations (each in one region)
    std::vector<PoolSpec> pools;           ///< at most one per transmitter
};

enum class ConnectionRule {
    fixed_indegree,
    fixed_total_number,
    pairwise_bernoulli,
    one_to_one,
    all_to_all
};

/// Synapses from population `pre` onto population `post`. Each target neuron's incoming
/// synapses are drawn from the random stream (seed, projection name, target index), so any
/// process can build the synapses onto its own neurons alone.
struct ProjectionSpec {
    std::string name;  ///< "PRE->POST" or "PRE->POST:label"
    std::string pre, post, receptor;
    ConnectionRule rule = ConnectionRule::fixed_indegree;
    std::uint64_t indegree = 0;        ///< fixed_indegree: sources per target
    std::uint64_t total_synapses = 0;  ///< fixed_total_number: synapses of the projection
    double probability = 0.0;          ///< pairwise_bernoulli: probability of each (source, target)
    bool autapses = true;              ///< allow a neuron to connect to itself (pre == post)
    bool multapses = true;             ///< fixed_indegree: allow repeated (source, target) pairs
    Distribution weight;  ///< nS (COBA), pA (CUBA exp) or mV (delta) of the target model
    Distribution delay_ms = Distribution::constant(1.0);  ///< rounded to whole steps, >= 1 step
    PlasticitySpec plasticity;                            ///< static unless plasticity.enabled()
};

/// Independent Poisson spike trains onto every neuron of a population (background drive).
struct PoissonSpec {
    std::string name, target, receptor;
    double rate_Hz = 0.0;       ///< rate of each source
    std::uint64_t sources = 1;  ///< independent sources per target neuron
    double weight = 0.0;        ///< same unit as a projection weight onto the target
    double start_ms = 0.0;
    double stop_ms = std::numeric_limits<double>::infinity();
    /// Pulsed drive: on for pulse_length_ms out of every pulse_every_ms from start (0: always on).
    double pulse_every_ms = 0.0;
    double pulse_length_ms = 0.0;
};

/// A probe: the responses of readout populations to each pulse (cue) of a Poisson drive, against
/// the rate just before it (src/probe/probe.hpp; docs/model/circuit.md, "Threat probe").
struct ProbeSpec {
    std::string name;
    std::string drive;                 ///< the [poisson.NAME] whose onsets are the cues
    std::vector<std::string> readout;  ///< populations whose responses are measured
    double baseline_ms = 500.0;        ///< window before each onset: the baseline rate
    double response_ms = 500.0;        ///< window from each onset: the response
};

enum class WeightPrecision { double_precision, single_precision };

/// How neurons are divided between MPI ranks (results are the same either way).
enum class Partition {
    per_population,  ///< every population split evenly over all ranks (each rank: every region)
    contiguous,      ///< the whole gid range split into equal contiguous blocks
};

struct SimulationSpec {
    double dt_ms = 0.1;
    double duration_ms = 1000.0;  ///< simulated time; with a protocol, calendar time
    std::uint64_t seed = 1;
    /// single_precision stores per-synapse weights as float (8 instead of 12 bytes per synapse
    /// with distributed weights); it rounds the drawn weights and so changes results.
    WeightPrecision weight_precision = WeightPrecision::double_precision;
    Partition partition = Partition::per_population;
    /// Every population's size was multiplied by this (in-degrees held: see scale_model).
    double scale = 1.0;
};

struct OutputSpec {
    bool spikes = true;        ///< write spike trains (populations with record_spikes)
    double rate_bin_ms = 1.0;  ///< bin of the population-rate time series
};

struct ModelSpec {
    SimulationSpec simulation;
    OutputSpec output;
    std::vector<PopulationSpec> populations;  ///< gids are assigned in this order
    std::vector<RegionSpec> regions;          ///< pools are numbered in this order
    std::vector<ProjectionSpec> projections;
    std::vector<PoissonSpec> poisson;
    ChemistrySpec chemistry;
    ProtocolSpec protocol;  ///< days and weeks: the slow clock and its timeline (optional)
    SlowSpec slow;          ///< slow processes (need a protocol)
    std::vector<ProbeSpec> probes;

    /// Checks cross-references and ranges; throws input_error naming the offending item.
    void validate() const;
    int population_index(const std::string& name) const;  ///< -1 if absent
    int poisson_index(const std::string& name) const;     ///< of a Poisson drive; -1 if absent
    int projection_index(const std::string& name) const;  ///< "PRE->POST[:label]"; -1 if absent
    int region_index(const std::string& name) const;      ///< -1 if absent
    /// The region population p belongs to, or null.
    const RegionSpec* region_of(std::size_t population) const;
};

const char* to_string(NeuronModel m);
/// The unit of synaptic weights onto neurons of model m: "nS" (conductance), "pA", "mV".
const char* weight_unit(NeuronModel m);
const char* to_string(ConnectionRule r);

}  // namespace neurochem

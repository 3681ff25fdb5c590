// A simulation of a ModelSpec on a Context. Each process builds only its own neurons and the
// synapses onto them; results are bitwise identical for any number of ranks and threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "neurochem/context.hpp"
#include "neurochem/model.hpp"
#include "neurochem/spike.hpp"
#include "neurochem/state_io.hpp"

namespace neurochem {

/// What an observer sees after each epoch (a min-delay interval of steps).
struct EpochView {
    std::uint64_t begin_step;  ///< the steps just advanced: [begin_step, end_step)
    std::uint64_t end_step;
    std::span<const Spike> local_spikes;  ///< spikes of this process's neurons, (step, gid) order
    std::span<const Spike> all_spikes;    ///< spikes of every process, (step, gid) order
    /// Chemistry traces sampled at end_step (names: Simulation::chemistry_trace_names()), or
    /// empty when no sample was due in this epoch. The same on every process.
    std::span<const double> chemistry;
};

class SimulationObserver {
  public:
    virtual ~SimulationObserver() = default;
    virtual void epoch(const EpochView& view) = 0;
};

/// Per-population activity since step 0, over all processes.
struct PopulationStats {
    std::string name;
    std::uint64_t size = 0;
    std::uint64_t spikes = 0;
    double mean_rate_Hz = 0.0;     ///< spikes / (size * simulated time)
    double mean_cv_isi = 0.0;      ///< mean over neurons with >= 2 ISIs of std(ISI)/mean(ISI)
    std::uint64_t cv_neurons = 0;  ///< neurons that entered mean_cv_isi
};

/// Wall-clock time of this process in each phase, seconds.
struct PhaseTimes {
    double build = 0, update = 0, exchange = 0, deliver = 0;
    double chemistry = 0;  ///< chemistry steps (pools, drugs, receptors, messengers)
    double run = 0;        ///< wall time inside run(): all of the above + observers
};

/// Spike exchange of this process since step 0 (one exchange per epoch).
struct ExchangeStats {
    std::uint64_t epochs = 0;
    std::uint64_t spikes_sent = 0;      ///< this process's spikes, sent to every other process
    std::uint64_t spikes_received = 0;  ///< spikes of all processes (including its own)
    static constexpr std::uint64_t bytes_per_spike = 16;  ///< (step, gid) as two uint64
};

/// Size of this process's share of the network.
struct LocalNetworkStats {
    std::uint64_t neurons = 0;
    std::uint64_t synapses = 0;
    std::size_t synapse_bytes = 0;  ///< heap bytes of synapses and their row index
    std::size_t ring_bytes = 0;     ///< heap bytes of the input ring buffers
};

class Simulation {
  public:
    Simulation(const ModelSpec& spec, const Context& ctx);
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    /// Advances to `end_step` (exclusive), calling the observer after every epoch.
    void run(std::uint64_t end_step, SimulationObserver* observer = nullptr);
    /// Advances to the end of simulation.duration.
    void run(SimulationObserver* observer = nullptr) { run(duration_steps(), observer); }
    /// Makes run() return after the current epoch (from an observer; every process must ask,
    /// in the same epoch). current_step() then tells where it stopped.
    void request_stop();
    /// Whether the last run() returned because request_stop() was called (even if that was
    /// in its last epoch).
    bool stopped_on_request() const;

    /// Collective: saves everything that determines the future (step, neuron state, spikes
    /// still in flight, statistics, chemistry), in canonical order: the state registry.
    void save_state(StateSink& sink) const;
    /// Collective: restores a state saved by save_state on any number of processes and threads
    /// into this freshly built simulation of the same model.
    void load_state(StateSource& source);

    std::uint64_t current_step() const;
    std::uint64_t duration_steps() const;
    double dt_ms() const;
    std::uint32_t epoch_steps() const;  ///< steps between spike exchanges (the min delay)
    const ModelSpec& spec() const;
    const Context& context() const;

    /// Calendar time (hours) against the step counter: from `origin_step` on, the calendar
    /// advances `rate` calendar seconds per simulated second from `origin_h` (drug kinetics
    /// run on it). Default: origin 0, rate 1 (calendar time = simulated time). The slow layer
    /// maps each fast window onto the slow step it stands for.
    void set_calendar(double origin_h, std::uint64_t origin_step, double rate);
    /// Calendar time at the current step, hours.
    double calendar_h() const;

    /// The rate of each source of Poisson drive `drive` (index in ModelSpec::poisson) from the
    /// next epoch on; the network is not rebuilt. input_error for a rate that is not finite >= 0.
    void set_poisson_rate(std::size_t drive, double rate_Hz);
    double poisson_rate(std::size_t drive) const;

    /// Names of the chemistry traces (empty without chemistry).
    std::vector<std::string> chemistry_trace_names() const;
    /// Collective: the chemistry traces now (empty without chemistry).
    std::vector<double> chemistry_sample() const;
    /// Fast steps between chemistry samples (the shortest interval of any plug-in; 0: none).
    std::uint64_t chemistry_sample_steps() const;

    std::uint64_t first_gid(std::size_t population) const;
    /// Population-local indices of the neurons this process holds.
    std::pair<std::uint64_t, std::uint64_t> local_range(std::size_t population) const;
    /// Membrane potentials (mV) of this process's neurons of a population.
    std::span<const double> membrane_potential(std::size_t population) const;

    /// Collective: every process must call it.
    std::vector<PopulationStats> population_stats() const;
    /// Collective: synaptic events (spike x synapse deliveries) since step 0, all processes.
    std::uint64_t synaptic_events() const;
    /// Collective: synapses in the whole network.
    std::uint64_t total_synapses() const;
    /// Collective: heap bytes of synapses (with their row index) on all processes.
    std::uint64_t total_synapse_bytes() const;

    PhaseTimes phase_times() const;
    ExchangeStats exchange_stats() const;
    LocalNetworkStats local_network() const;

  private:
    friend struct SimulationAccess;  // the slow layer (src/engine/simulation_access.hpp)
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace neurochem

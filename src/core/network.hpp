// This process's share of a spiking network: its neurons (structure-of-arrays groups, split
// over threads), the synapses onto them (per projection and thread), their input ring buffers
// and background drives, and the three phases of an epoch. Knows nothing of chemistry,
// plasticity or the slow layer: they reach the neurons through Modulation and the plug-in hooks.
//
//   update   each thread advances its neurons over the epoch's steps, adding background
//            Poisson input first; spikes go to thread-private lists              (parallel)
//   exchange the lists are merged in (step, gid) order and gathered from all
//            processes                                                            (thread 0)
//   deliver  each thread walks the global spike list in (step, gid) order and adds weights
//            into the ring buffers of its own targets                            (parallel)
//
// Why it is exact and layout-independent: a spike emitted in an epoch arrives at least one
// epoch (the minimum delay) later; every target's input is summed by the one thread that owns
// it, in (step, gid, projection, synapse) order, which no layout changes; random numbers are
// keyed by (seed, stream, population-local index, step), never by rank or thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/connectivity.hpp"
#include "core/input_ring.hpp"
#include "core/modulation.hpp"
#include "core/neuron/neuron_group.hpp"
#include "core/partition.hpp"
#include "core/poisson_drive.hpp"
#include "core/synapse/plastic_block.hpp"
#include "core/synapse/synapse_block.hpp"
#include "neurochem/model.hpp"
#include "neurochem/spike.hpp"

namespace neurochem {

class Communicator;
class ThreadTeam;

/// Which neurons this process and each of its threads hold: what plug-ins need to know.
struct NetworkLayout {
    std::vector<std::uint64_t> first_gid;     ///< per population, plus the total at the end
    std::vector<IndexRange> local;            ///< per population: population-local indices here
    std::vector<std::vector<IndexRange>> domain;  ///< per population, per thread: local-group indices
    std::size_t population_of(std::uint64_t gid) const;
};

struct NetworkPopulation {
    std::unique_ptr<NeuronGroup> group;
    InputRing ring;
    std::vector<std::size_t> outgoing;  ///< projections with this population as pre
    std::vector<std::size_t> plastic_in;  ///< plastic projections with this population as post
    std::vector<std::size_t> drives;    ///< indices into Network::drives
};

struct NetworkProjection {
    std::size_t pre, post, port;
    std::unique_ptr<ConnectionSampler> sampler;
    std::vector<SynapseBlock> blocks;    ///< per thread (static projections)
    std::vector<PlasticBlock> plastic;   ///< per thread (plastic projections)
    bool is_plastic() const { return !plastic.empty(); }
};

class Network {
public:
    /// Builds this process's share (network_builder.cpp). `step_multiples`: every multiple of
    /// each must end an epoch (a plug-in steps there), so the epoch is cut to a divisor of each.
    Network(const ModelSpec& spec, Communicator& comm, ThreadTeam& team,
            std::span<const std::uint64_t> step_multiples);

    const NetworkLayout& layout() const { return layout_; }
    std::size_t populations() const { return pops_.size(); }
    NetworkPopulation& population(std::size_t p) { return pops_[p]; }
    const NetworkPopulation& population(std::size_t p) const { return pops_[p]; }
    std::size_t projections() const { return projs_.size(); }
    const NetworkProjection& projection(std::size_t k) const { return projs_[k]; }
    NetworkProjection& projection(std::size_t k) { return projs_[k]; }
    /// Whether any projection is plastic (then delivery runs step by step, and a checkpoint
    /// holds the ring buffers instead of the spikes in flight).
    bool plastic() const { return plastic_; }
    PoissonDrive& drive(std::size_t k) { return drives_[k]; }
    std::size_t drive_count() const { return drives_.size(); }
    std::uint32_t epoch_steps() const { return epoch_len_; }
    std::uint32_t max_delay_steps() const { return max_delay_; }  ///< over all processes
    int threads() const { return static_cast<int>(domain_spikes_.size()); }

    // The phases of an epoch [begin, end).
    void update(int d, std::uint64_t begin, std::uint64_t end, std::span<const Modulation> mods);
    /// Thread 0 only: sorts this process's spikes of the epoch and gathers all processes'.
    void exchange(Communicator& comm);
    void deliver(int d);
    /// Ring buffer contents in canonical order: for each local neuron, port and arrival step
    /// n + k (k = 0 ... max delay), the input waiting there (`out` resized).
    void save_ring(std::size_t p, std::uint64_t n, std::vector<double>& out) const;
    /// The inverse; input_error if a value lies where this process's ring cannot hold it.
    void load_ring(std::size_t p, std::uint64_t n, std::span<const double> in);

    std::span<const Spike> thread_spikes(int d) const { return domain_spikes_[static_cast<std::size_t>(d)]; }
    std::span<const Spike> local_spikes() const { return local_spikes_; }
    std::span<const Spike> all_spikes() const { return all_spikes_; }
    std::uint64_t synaptic_events() const;       ///< this process, since step 0 (or the restore)
    void set_synaptic_events(std::uint64_t n);   ///< after a restore: n on thread 0

    /// Spikes that may still arrive at or after `next_step` (every process's).
    void remember_in_flight(std::uint64_t next_step);
    const std::vector<Spike>& in_flight() const { return in_flight_; }
    /// Restores the spikes in flight and the ring buffers they determine: replaying them into
    /// empty buffers in (step, gid) order gives the same bits as the uninterrupted run.
    void restore_in_flight(std::vector<Spike> spikes, std::uint64_t next_step, ThreadTeam& team);

    std::uint64_t local_synapses() const;
    std::size_t synapse_bytes() const;
    std::size_t ring_bytes() const;

private:
    void deliver_plastic(int d);
    NetworkLayout layout_;
    bool plastic_ = false;
    std::vector<NetworkPopulation> pops_;
    std::vector<NetworkProjection> projs_;
    std::vector<PoissonDrive> drives_;
    std::uint32_t epoch_len_ = 1;
    std::uint32_t max_delay_ = 1;
    std::vector<std::vector<Spike>> domain_spikes_;
    std::vector<std::vector<double*>> domain_ports_;  // per thread scratch: port row pointers
    std::vector<std::vector<double*>> domain_rows_;   // per thread scratch: a port's rows per step
    std::vector<std::uint64_t> domain_events_;
    std::vector<Spike> local_spikes_, all_spikes_;
    std::vector<Spike> in_flight_;
};

}  // namespace neurochem

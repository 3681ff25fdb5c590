// The hooks through which a component rides on the fast loop without the loop knowing it: the
// chemistry (pools, drugs, receptors, second messengers) is one; plasticity and the window
// averages of the slow layer are others. The loop calls, per epoch [begin, end):
//
//   update (parallel)     the neuron kernels read modulation(p)
//   exchange (thread 0)   exchanged(local spikes of this process)            collective
//   deliver (parallel)    thread_spikes(spikes of the thread's own neurons)
//   when end is a multiple of steps_per_step():
//                         step_shared(end, calendar_h)   (thread 0)         collective
//                         step_neurons(d, p, lo, hi)     (parallel: thread d, own neurons)
//   after the epoch       epoch_done(begin, end, all spikes, calendar_h)  (thread 0)
//                         sample() when end is a multiple of the trace interval
//
// Every hook that touches per-neuron state is called by the thread that owns those neurons;
// shared state must be the same on every process (integer sums over processes), so plug-ins
// keep the loop's layout independence.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/modulation.hpp"
#include "neurochem/spike.hpp"

namespace neurochem {

class StateRegistry;

class FastPlugin {
public:
    virtual ~FastPlugin() = default;

    /// Simulation steps between this plug-in's steps; every multiple ends an epoch. 0: none.
    virtual std::uint64_t steps_per_step() const { return 0; }
    /// Per thread, once after the network is built: local neurons [lo, hi) of population p.
    virtual void initialize(std::size_t /*p*/, std::size_t /*lo*/, std::size_t /*hi*/) {}
    /// What the neuron kernels of population p read (inactive: no effect). Must stay valid.
    virtual Modulation modulation(std::size_t /*p*/) const { return {}; }

    /// Thread 0, collective: this process's spikes of the epoch, in (step, gid) order.
    virtual void exchanged(std::span<const Spike> /*local*/) {}
    /// Per thread: the epoch's spikes of the thread's own neurons.
    virtual void thread_spikes(std::span<const Spike> /*spikes*/) {}
    /// Thread 0, collective: the shared part of the step ending at `end_step`; `calendar_h` is
    /// the calendar time then (hours; drug kinetics run on it).
    virtual void step_shared(std::uint64_t /*end_step*/, double /*calendar_h*/) {}
    /// Thread d: the per-neuron part of that step for local neurons [lo, hi) of population p
    /// (the thread's share).
    virtual void step_neurons(int /*d*/, std::size_t /*p*/, std::size_t /*lo*/, std::size_t /*hi*/) {}

    /// Thread 0, after the epoch [begin, end): the spikes of every process in it (the same on
    /// every process) and the calendar time at its end (hours).
    virtual void epoch_done(std::uint64_t /*begin*/, std::uint64_t /*end*/, std::span<const Spike> /*all*/,
                            double /*calendar_h*/) {}

    /// Traces written to the output, sampled every steps_per_sample() plug-in steps.
    virtual std::vector<std::string> trace_names() const { return {}; }
    virtual std::uint64_t steps_per_sample() const { return 1; }
    /// Collective: the traces now.
    virtual std::vector<double> sample() const { return {}; }

    /// Registers every piece of state that determines the future.
    virtual void register_state(StateRegistry& /*registry*/) {}
};

}  // namespace neurochem

// The simulation: the composition root of the fast engine. It builds this process's share of
// the network (core/network_builder.cpp), creates the plug-ins the model needs (the chemistry
// today), registers every piece of state once (core/state_registry.hpp), and runs the epoch
// schedule. One epoch [begin, end) inside one parallel region:
//
//   update    (parallel)  neurons and background drive of every thread's own neurons
//   exchange  (thread 0)  spikes of this process sorted and gathered from all; plug-ins see
//                         them; the shared part of every plug-in step due at `end`
//   deliver   (parallel)  spikes into the ring buffers of every thread's own targets; spike
//                         statistics; the per-neuron part of every plug-in step due at `end`
//   finish    (thread 0)  bookkeeping, traces, observers, the decision to go on
//
// Dependencies: exchange needs every thread's spikes (barrier after update); deliver needs the
// gathered list (barrier after exchange); traces read every thread's plug-in state and the
// observers may read anything of the simulation (barrier after deliver); the next update
// needs the decision to go on (barrier after finish). Four barriers per epoch; with one thread
// they cost nothing, and without --threads a second thread is only used where an epoch has
// enough work to pay for them.
#include "neurochem/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "chem/chemistry.hpp"
#include "comm/communicator.hpp"
#include "core/calendar.hpp"
#include "core/epoch_loop.hpp"
#include "core/network.hpp"
#include "core/network_stats.hpp"
#include "core/plugin.hpp"
#include "core/state_registry.hpp"
#include "core/threading.hpp"
#include "engine/simulation_access.hpp"
#include "neurochem/errors.hpp"
#include "plasticity/plasticity.hpp"
#include "probe/probe.hpp"

namespace neurochem {

namespace {
using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

/// Steps of every plug-in the model needs, known from the description alone (the network's
/// epochs are cut to divide them before the plug-ins themselves can be built).
std::vector<std::uint64_t> plugin_steps(const ModelSpec& spec) {
    std::vector<std::uint64_t> k;
    if (spec.chemistry.enabled) {
        k.push_back(
            static_cast<std::uint64_t>(std::llround(spec.chemistry.dt_ms / spec.simulation.dt_ms)));
    }
    if (const std::uint64_t p = Plasticity::step_of(spec)) k.push_back(p);
    return k;
}

/// Threads for a run that does not say: as many as keep at least `per_thread` neuron updates
/// per epoch on each (the work between two barriers), at most the OpenMP default. Measured on
/// COBA (1-step epochs, 2 cores, docs/performance.md): a second thread pays off from about
/// 12 000 neuron updates per epoch; below, the barriers cost more than the thread saves.
int choose_threads(const ModelSpec& spec, int ranks) {
    constexpr double per_thread = 8000.0;
    std::uint64_t neurons = 0;
    for (const auto& p : spec.populations)
        neurons += p.size;
    double epoch = 10.0;  // steps, without projections
    if (!spec.projections.empty()) {
        epoch = std::numeric_limits<double>::infinity();
        for (const auto& pr : spec.projections) {
            const double d = pr.delay_ms.is_constant() ? pr.delay_ms.p1 : pr.delay_ms.min;
            epoch = std::min(epoch, std::isfinite(d)
                                        ? std::max(1.0, std::round(d / spec.simulation.dt_ms))
                                        : 1.0);
        }
    }
    for (const auto K : plugin_steps(spec))
        epoch = std::min(epoch, static_cast<double>(K));
    const double work = static_cast<double>(neurons) / std::max(1, ranks) * epoch;
    const int wanted = static_cast<int>(std::max(1.0, std::floor(work / per_thread)));
    return std::min(wanted, ThreadTeam::default_size());
}
}  // namespace

struct Simulation::Impl {
    ModelSpec spec;
    Context ctx;
    ThreadTeam team;
    std::unique_ptr<Network> net;
    std::unique_ptr<NetworkStats> stats;
    std::vector<std::unique_ptr<FastPlugin>> owned;  // the model's plug-ins
    std::vector<FastPlugin*> plugins;                // owned ones first, then added ones
    Chemistry* chem = nullptr;
    Plasticity* plasticity = nullptr;
    std::vector<Probe*> probes;
    std::vector<Modulation> mods;  // per population
    StateRegistry registry;
    std::uint64_t step = 0;
    std::uint64_t duration_steps = 0;
    CalendarMap calendar;
    bool stop_requested = false;
    bool stopped = false;        // the last run() ended on request
    std::vector<double> sample;  // traces at the end of this epoch, if due
    std::vector<std::string> trace_names;
    PhaseTimes times;
    ExchangeStats exchange;

    Impl(const ModelSpec& s, const Context& c)
        : spec(validated(s)),
          ctx(with_comm(c)),
          team(c.threads > 0 ? c.threads : choose_threads(spec, ctx.comm->size())),
          registry(ctx.comm->rank() == 0) {
        ctx.threads = team.size();
    }
    static const ModelSpec& validated(const ModelSpec& s) {
        s.validate();
        return s;
    }
    static Context with_comm(Context c) {
        if (!c.comm) c.comm = make_serial_communicator();
        return c;
    }

    void build();
    void register_state();
    void run(std::uint64_t end_step, SimulationObserver* observer);
    struct Sampling {
        std::uint64_t K, every;  // plug-in step, traces every `every` of them
    };
    std::vector<Sampling> samplers;  // plug-ins with traces
    bool sample_due(std::uint64_t end) const {
        for (const auto& s : samplers) {
            if (end % s.K == 0 && (end / s.K) % s.every == 0) return true;
        }
        return false;
    }
    std::vector<double> collect_sample() const {
        std::vector<double> v;
        for (const auto* p : plugins) {
            if (p->trace_names().empty()) continue;
            const auto s = p->sample();
            v.insert(v.end(), s.begin(), s.end());
        }
        return v;
    }
};

void Simulation::Impl::build() {
    const auto t0 = Clock::now();
    duration_steps = static_cast<std::uint64_t>(
        std::llround(spec.simulation.duration_ms / spec.simulation.dt_ms));
    const auto steps = plugin_steps(spec);
    net = std::make_unique<Network>(spec, *ctx.comm, team, steps);
    stats = std::make_unique<NetworkStats>(net->layout());
    if (spec.chemistry.enabled) {
        auto c = std::make_unique<Chemistry>(spec, net->layout(), *ctx.comm);
        chem = c.get();
        owned.push_back(std::move(c));
    }
    if (net->plastic()) {
        auto p = std::make_unique<Plasticity>(spec, *net, chem, *ctx.comm);
        plasticity = p.get();
        owned.push_back(std::move(p));
    }
    for (const auto& pr : spec.probes) {
        const auto k =
            static_cast<std::size_t>(spec.poisson_index(pr.drive));  // validated: it exists
        auto p = std::make_unique<Probe>(pr, spec, net->layout(), net->drive(k), net->epoch_steps(),
                                         ctx.comm->rank() == 0);
        probes.push_back(p.get());
        owned.push_back(std::move(p));
    }
    for (auto& p : owned)
        plugins.push_back(p.get());
    // Plug-ins initialise their per-neuron state on the thread that owns the neurons.
    const auto& L = net->layout();
    team.run([&](int d) {
        const auto du = static_cast<std::size_t>(d);
        for (auto* plugin : plugins) {
            for (std::size_t p = 0; p < L.local.size(); ++p)
                plugin->initialize(p, L.domain[p][du].begin, L.domain[p][du].end);
        }
    });
    mods.assign(L.local.size(), Modulation{});
    for (std::size_t p = 0; p < mods.size(); ++p) {
        for (auto* plugin : plugins) {
            const Modulation m = plugin->modulation(p);
            if (!m.active()) continue;
            if (mods[p].active())
                throw internal_error("two plug-ins modulate population " +
                                     spec.populations[p].name);
            mods[p] = m;
        }
    }
    for (auto* plugin : plugins) {
        const auto names = plugin->trace_names();
        if (names.empty()) continue;
        trace_names.insert(trace_names.end(), names.begin(), names.end());
        samplers.push_back({plugin->steps_per_step(), plugin->steps_per_sample()});
    }
    register_state();
    times.build = seconds(t0, Clock::now());
}

// Everything that determines the future, in one list: the step, the neurons, spike
// statistics, the spikes in flight, the synaptic event count, then each plug-in's state.
void Simulation::Impl::register_state() {
    auto& reg = registry;
    const auto& L = net->layout();
    reg.add_scalar("step", step, "steps");
    for (std::size_t p = 0; p < L.local.size(); ++p) {
        const std::string prefix = "populations/" + spec.populations[p].name + "/";
        const std::uint64_t n = spec.populations[p].size, at = L.local[p].begin;
        for (const auto& a : net->population(p).group->state_arrays()) {
            if (a.integer) {
                reg.add_slice(prefix + a.name, a.i32, at, n, a.unit, a.bounds);
            } else {
                reg.add_slice(prefix + a.name, a.f64, at, n, a.unit, a.bounds);
            }
        }
    }
    stats->register_state(reg, spec, L);
    if (net->plastic()) {
        // Weights change after a spike is delivered, so the spikes in flight no longer determine
        // the ring buffers: the buffers themselves are saved, in canonical order (neuron, port,
        // arrival step - now, for 0 ... the largest delay).
        for (std::size_t p = 0; p < L.local.size(); ++p) {
            const std::string path = "rings/" + spec.populations[p].name;
            const std::uint64_t width =
                spec.populations[p].receptors.size() * (net->max_delay_steps() + 1);
            const std::uint64_t at = L.local[p].begin * width, n = spec.populations[p].size * width;
            reg.add_custom(
                path,
                [this, p, path, at, n](StateSink& sink) {
                    std::vector<double> v;
                    net->save_ring(p, step, v);
                    sink.write(path, std::span<const double>(v), at, n);
                },
                [this, p, path, at, n, width](StateSource& source) {
                    std::vector<double> v(net->layout().local[p].size() * width);
                    source.read(path, std::span<double>(v), at, n);
                    net->load_ring(p, step, v);
                });
        }
    } else {
        // The spikes in flight are the same on every process: rank 0 writes them; they restore the
        // ring buffers exactly (Network::restore_in_flight).
        reg.add_custom(
            "in_flight",
            [this](StateSink& sink) {
                const bool root = ctx.comm->rank() == 0;
                std::vector<std::uint64_t> steps, gids;
                for (const auto& s : net->in_flight()) {
                    steps.push_back(s.step);
                    gids.push_back(s.gid);
                }
                const std::uint64_t n = steps.size();
                sink.write(
                    "in_flight/step",
                    root ? std::span<const std::uint64_t>(steps) : std::span<const std::uint64_t>(),
                    0, n);
                sink.write(
                    "in_flight/gid",
                    root ? std::span<const std::uint64_t>(gids) : std::span<const std::uint64_t>(),
                    0, n);
            },
            [this](StateSource& source) {
                const std::uint64_t n = source.size_of("in_flight/step");
                std::vector<std::uint64_t> steps(n), gids(n);
                source.read("in_flight/step", std::span<std::uint64_t>(steps), 0, n);
                source.read("in_flight/gid", std::span<std::uint64_t>(gids), 0, n);
                std::vector<Spike> spikes(n);
                for (std::uint64_t i = 0; i < n; ++i)
                    spikes[i] = {steps[i], gids[i]};
                net->restore_in_flight(std::move(spikes), step, team);
            });
    }
    // Events so far: one counter holds the total, so the sum over processes stays right.
    reg.add_custom(
        "synaptic_events",
        [this](StateSink& sink) {
            std::uint64_t e = net->synaptic_events();
            ctx.comm->sum(std::span<std::uint64_t>(&e, 1));
            sink.write_value("synaptic_events", e);
        },
        [this](StateSource& source) {
            const std::uint64_t e = source.read_value("synaptic_events");
            net->set_synaptic_events(ctx.comm->rank() == 0 ? e : 0);
        });
    for (auto* p : plugins)
        p->register_state(reg);
}

void Simulation::Impl::run(std::uint64_t end_step, SimulationObserver* observer) {
    stopped = false;
    if (step >= end_step) return;
    const auto t_run = Clock::now();
    Network& N = *net;
    Communicator& comm = *ctx.comm;
    const double dt = spec.simulation.dt_ms;
    const auto& L = N.layout();
    const std::uint32_t E = N.epoch_steps();
    // Shared between the threads; written by thread 0 in serial phases only.
    std::uint64_t begin = step;
    std::uint64_t end = std::min(end_step, (begin / E + 1) * E);  // epochs end on multiples of E
    bool done = false, sampling = false;
    Clock::time_point t_update, t_exchange, t_deliver;

    auto due = [&](const FastPlugin* p) {
        const std::uint64_t K = p->steps_per_step();
        return K != 0 && end % K == 0;
    };
    // Thread 0, after the epoch: counters, traces, observers, the next epoch.
    auto finish = [&] {
        const auto t_end = Clock::now();
        times.update += seconds(t_update, t_exchange);
        times.exchange += seconds(t_exchange, t_deliver);
        times.deliver += seconds(t_deliver, t_end);
        ++exchange.epochs;
        exchange.spikes_sent += N.local_spikes().size();
        exchange.spikes_received += N.all_spikes().size();
        step = end;
        N.remember_in_flight(step);
        for (auto* p : plugins)
            p->epoch_done(begin, end, N.all_spikes(), calendar.at(end, dt));
        sample.clear();
        if (sampling) sample = collect_sample();
        if (observer) observer->epoch({begin, end, N.local_spikes(), N.all_spikes(), sample});
        if (stop_requested || step >= end_step) {
            stopped = stop_requested;
            stop_requested = false;
            done = true;
            return;
        }
        begin = step;
        end = std::min(end_step, (begin / E + 1) * E);
        t_update = Clock::now();
    };

    t_update = Clock::now();
    EpochLoop loop(team);
    loop.run([&](int d, EpochPhases& phase) {
        const auto du = static_cast<std::size_t>(d);
        while (true) {
            const std::uint64_t b = begin, e = end;
            if (!phase.parallel(d, [&] { N.update(d, b, e, mods); })) return;
            const bool ok = phase.serial(d, [&] {
                t_exchange = Clock::now();
                N.exchange(comm);
                for (auto* p : plugins)
                    p->exchanged(N.local_spikes());
                const auto t_chem = Clock::now();
                const double cal_h = calendar.at(e, dt);
                for (auto* p : plugins) {
                    if (due(p)) p->step_shared(e, cal_h);
                }
                sampling = sample_due(e);
                t_deliver = Clock::now();
                times.chemistry += seconds(t_chem, t_deliver);
            });
            if (!ok) return;
            const bool delivered = phase.parallel(d, [&] {
                N.deliver(d);
                const auto spikes = N.thread_spikes(d);
                stats->record(L, spikes);
                for (auto* p : plugins)
                    p->thread_spikes(spikes);
                for (auto* p : plugins) {
                    if (!due(p)) continue;
                    for (std::size_t q = 0; q < L.local.size(); ++q)
                        p->step_neurons(d, q, L.domain[q][du].begin, L.domain[q][du].end);
                }
            });
            if (!delivered) return;
            if (!phase.serial(d, finish)) return;
            if (done) return;
        }
    });
    times.run += seconds(t_run, Clock::now());
}

Simulation::Simulation(const ModelSpec& spec, const Context& ctx)
    : impl_(std::make_unique<Impl>(spec, ctx)) {
    impl_->build();
}

Simulation::~Simulation() = default;

void Simulation::run(std::uint64_t end_step, SimulationObserver* observer) {
    impl_->run(end_step, observer);
}
void Simulation::request_stop() {
    impl_->stop_requested = true;
}
bool Simulation::stopped_on_request() const {
    return impl_->stopped;
}

void Simulation::save_state(StateSink& sink) const {
    impl_->registry.save(sink);
}
void Simulation::load_state(StateSource& source) {
    impl_->registry.load(source);
}

std::uint64_t Simulation::current_step() const {
    return impl_->step;
}
std::uint64_t Simulation::duration_steps() const {
    return impl_->duration_steps;
}
double Simulation::dt_ms() const {
    return impl_->spec.simulation.dt_ms;
}
std::uint32_t Simulation::epoch_steps() const {
    return impl_->net->epoch_steps();
}
const ModelSpec& Simulation::spec() const {
    return impl_->spec;
}
const Context& Simulation::context() const {
    return impl_->ctx;
}

void Simulation::set_calendar(double origin_h, std::uint64_t origin_step, double rate) {
    impl_->calendar = {origin_h, origin_step, rate};
}
double Simulation::calendar_h() const {
    return impl_->calendar.at(impl_->step, dt_ms());
}

void Simulation::set_poisson_rate(std::size_t drive, double rate_Hz) {
    if (drive >= impl_->net->drive_count())
        throw internal_error("set_poisson_rate: no drive " + std::to_string(drive));
    if (!(rate_Hz >= 0.0) || !std::isfinite(rate_Hz)) {
        throw input_error("Poisson drive '" + impl_->spec.poisson[drive].name + "': rate " +
                          std::to_string(rate_Hz) + " Hz is not a finite rate >= 0.");
    }
    impl_->net->drive(drive).set_rate(rate_Hz);
}
double Simulation::poisson_rate(std::size_t drive) const {
    return impl_->net->drive(drive).rate_Hz();
}

std::vector<std::string> Simulation::chemistry_trace_names() const {
    return impl_->trace_names;
}
std::vector<double> Simulation::chemistry_sample() const {
    return impl_->collect_sample();
}
std::uint64_t Simulation::chemistry_sample_steps() const {
    std::uint64_t shortest = 0;
    for (const auto& s : impl_->samplers) {
        const std::uint64_t n = s.K * s.every;
        if (shortest == 0 || n < shortest) shortest = n;
    }
    return shortest;
}
std::uint64_t Simulation::first_gid(std::size_t p) const {
    return impl_->net->layout().first_gid.at(p);
}

std::pair<std::uint64_t, std::uint64_t> Simulation::local_range(std::size_t p) const {
    const auto& r = impl_->net->layout().local.at(p);
    return {r.begin, r.end};
}

std::span<const double> Simulation::membrane_potential(std::size_t p) const {
    return impl_->net->population(p).group->V_mV();
}

std::vector<PopulationStats> Simulation::population_stats() const {
    return impl_->stats->population_stats(impl_->spec, impl_->step, *impl_->ctx.comm);
}

std::uint64_t Simulation::synaptic_events() const {
    std::uint64_t e = impl_->net->synaptic_events();
    impl_->ctx.comm->sum(std::span<std::uint64_t>(&e, 1));
    return e;
}

std::uint64_t Simulation::total_synapses() const {
    std::uint64_t n = local_network().synapses;
    impl_->ctx.comm->sum(std::span<std::uint64_t>(&n, 1));
    return n;
}

std::uint64_t Simulation::total_synapse_bytes() const {
    std::uint64_t n = local_network().synapse_bytes;
    impl_->ctx.comm->sum(std::span<std::uint64_t>(&n, 1));
    return n;
}

PhaseTimes Simulation::phase_times() const {
    return impl_->times;
}
ExchangeStats Simulation::exchange_stats() const {
    return impl_->exchange;
}

LocalNetworkStats Simulation::local_network() const {
    LocalNetworkStats s;
    const auto& net = *impl_->net;
    for (const auto& r : net.layout().local)
        s.neurons += r.size();
    s.ring_bytes = net.ring_bytes();
    s.synapses = net.local_synapses();
    s.synapse_bytes = net.synapse_bytes();
    return s;
}

// ---- internal access for the slow layer ----------------------------------------------------

StateRegistry& SimulationAccess::registry(Simulation& sim) {
    return sim.impl_->registry;
}
const NetworkLayout& SimulationAccess::layout(const Simulation& sim) {
    return sim.impl_->net->layout();
}
const NetworkStats& SimulationAccess::stats(const Simulation& sim) {
    return *sim.impl_->stats;
}
std::vector<const Probe*> SimulationAccess::probes(const Simulation& sim) {
    return {sim.impl_->probes.begin(), sim.impl_->probes.end()};
}
const Chemistry* SimulationAccess::chemistry(const Simulation& sim) {
    return sim.impl_->chem;
}
Chemistry* SimulationAccess::chemistry(Simulation& sim) {
    return sim.impl_->chem;
}
const Plasticity* SimulationAccess::plasticity(const Simulation& sim) {
    return sim.impl_->plasticity;
}
Plasticity* SimulationAccess::plasticity(Simulation& sim) {
    return sim.impl_->plasticity;
}
ThreadTeam& SimulationAccess::team(Simulation& sim) {
    return sim.impl_->team;
}

void SimulationAccess::add_plugin(Simulation& sim, FastPlugin& plugin) {
    auto& m = *sim.impl_;
    const std::uint64_t K = plugin.steps_per_step();
    if (K != 0 && K % m.net->epoch_steps() != 0) {
        throw internal_error("a plug-in's step of " + std::to_string(K) +
                             " steps is not a multiple of the epoch");
    }
    if (!plugin.trace_names().empty() || plugin.modulation(0).active()) {
        throw internal_error("added plug-ins may not write traces or modulate neurons");
    }
    m.plugins.push_back(&plugin);
    plugin.register_state(m.registry);
}

}  // namespace neurochem

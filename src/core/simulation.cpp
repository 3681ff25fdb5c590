// The main loop. One epoch (a min-delay interval of L steps) is:
//
//   update   each thread advances its neurons over the L steps, adding background Poisson
//            input at each step; spikes go to thread-private lists            (parallel)
//   exchange the lists are merged in (step, gid) order and gathered from all
//            processes                                                          (collective)
//   deliver  each thread walks the global spike list in (step, gid) order and adds weights
//            into the ring buffers of its own targets                          (parallel)
//
// Why it is exact and layout-independent: a spike emitted in the epoch arrives at least L
// steps later, i.e. after the epoch; every target's input is summed by the one thread that
// owns it, in (step, gid, projection, synapse) order, which no layout changes; random numbers
// are keyed by (seed, stream, population-local index, step), never by rank or thread.
#include "neurochem/simulation.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>

#include "chem/chemistry.hpp"
#include "comm/communicator.hpp"
#include "core/connectivity.hpp"
#include "core/input_ring.hpp"
#include "core/neuron/neuron_group.hpp"
#include "core/partition.hpp"
#include "core/poisson_drive.hpp"
#include "core/rng.hpp"
#include "core/synapse_block.hpp"
#include "core/threading.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Population {
    std::unique_ptr<NeuronGroup> group;
    IndexRange local;                  // population-local indices held by this process
    std::vector<IndexRange> domain;    // per thread: local-group index range
    InputRing ring;
    std::vector<std::size_t> outgoing; // projections with this population as pre
    std::vector<PoissonDrive> drives;
    // Per local neuron ISI statistics (integers in steps: exact).
    std::vector<std::uint64_t> spikes, last_spike, n_isi, sum_isi;
    std::vector<double> sum_isi_sq;  // of integers: exact up to 2^53
};

struct Projection {
    std::size_t pre, post, port;
    std::unique_ptr<ConnectionSampler> sampler;
    std::vector<SynapseBlock> blocks;  // per thread
};

constexpr std::uint64_t no_spike = ~0ULL;
}  // namespace

struct Simulation::Impl {
    ModelSpec spec;
    Context ctx;
    ThreadTeam team;
    std::uint64_t step = 0;
    std::uint64_t duration_steps = 0;
    std::uint32_t epoch_len = 1;
    std::vector<std::uint64_t> first_gid;  // per population, plus the total at the end
    std::vector<Population> pops;
    std::vector<Projection> projs;
    std::vector<std::vector<Spike>> domain_spikes;
    std::vector<std::vector<double*>> domain_ports;  // per thread scratch: port row pointers
    std::vector<std::vector<double*>> domain_rows;   // per thread scratch: a port's rows per step
    std::vector<std::uint64_t> domain_events;
    std::vector<Spike> local_spikes, all_spikes;
    std::vector<Spike> in_flight;      // recent spikes that may still arrive (all processes)
    std::uint32_t max_delay = 1;       // largest delay of any synapse, steps (all processes)
    bool stop_requested = false;
    std::unique_ptr<Chemistry> chem;   // null without chemistry
    std::vector<Modulation> mods;      // per population (inactive without neuromodulation)
    std::vector<double> chem_sample;   // traces sampled at the end of this epoch, if due
    PhaseTimes times;
    ExchangeStats exchange;

    Impl(const ModelSpec& s, const Context& c)
        : spec(s), ctx(c), team(c.threads) {
        if (!ctx.comm) ctx.comm = make_serial_communicator();
        ctx.threads = team.size();
        spec.validate();
    }

    std::size_t population_of(std::uint64_t gid) const {
        const auto it = std::upper_bound(first_gid.begin(), first_gid.end(), gid);
        return static_cast<std::size_t>(it - first_gid.begin()) - 1;
    }

    // Never inlined: they run once per epoch and thread, and profiles (tools/bench/callgrind.sh)
    // attribute time to them by name.
    [[gnu::noinline]] void build();
    [[gnu::noinline]] void update(int d, std::uint64_t begin, std::uint64_t end);
    [[gnu::noinline]] void deliver(int d);
    void exchange_spikes();
    void record_isi(int d);
    void remember_in_flight();
};

// Spikes that can still arrive: step + max_delay >= the next step to be updated. With the
// state, they determine the ring buffers exactly (see load_state).
void Simulation::Impl::remember_in_flight() {
    in_flight.insert(in_flight.end(), all_spikes.begin(), all_spikes.end());
    const auto keep_from = std::find_if(in_flight.begin(), in_flight.end(), [&](const Spike& s) {
        return s.step + max_delay >= step;
    });
    in_flight.erase(in_flight.begin(), keep_from);
}

void Simulation::Impl::build() {
    const auto t0 = Clock::now();
    const double dt = spec.simulation.dt_ms;
    const std::uint64_t seed = spec.simulation.seed;
    const int D = team.size();
    const auto R = static_cast<std::uint64_t>(ctx.comm->size());
    const auto rank = static_cast<std::uint64_t>(ctx.comm->rank());

    duration_steps = static_cast<std::uint64_t>(std::llround(spec.simulation.duration_ms / dt));

    // Layout: every population is split evenly over ranks (or the whole gid range is cut into
    // equal blocks), and a rank's share of each population over its threads.
    std::uint64_t total = 0;
    for (const auto& ps : spec.populations) total += ps.size;
    const IndexRange my_block = block_partition(total, R, rank);
    first_gid.assign(1, 0);
    pops.resize(spec.populations.size());
    for (std::size_t p = 0; p < pops.size(); ++p) {
        const auto& ps = spec.populations[p];
        auto& pop = pops[p];
        if (spec.simulation.partition == Partition::per_population) {
            pop.local = block_partition(ps.size, R, rank);
        } else {
            const std::uint64_t g0 = first_gid.back();
            const std::uint64_t lo = std::clamp(my_block.begin, g0, g0 + ps.size) - g0;
            const std::uint64_t hi = std::clamp(my_block.end, g0, g0 + ps.size) - g0;
            pop.local = {lo, hi};
        }
        for (int d = 0; d < D; ++d) {
            pop.domain.push_back(block_partition(pop.local.size(), static_cast<std::uint64_t>(D),
                                                 static_cast<std::uint64_t>(d)));
        }
        pop.group = make_neuron_group(ps, dt, seed, pop.local, first_gid.back() + pop.local.begin);
        first_gid.push_back(first_gid.back() + ps.size);
        const std::size_t n = pop.local.size();
        pop.spikes.assign(n, 0);
        pop.last_spike.assign(n, no_spike);
        pop.n_isi.assign(n, 0);
        pop.sum_isi.assign(n, 0);
        pop.sum_isi_sq.assign(n, 0.0);
    }

    // Background drives.
    for (const auto& ds : spec.poisson) {
        const auto p = static_cast<std::size_t>(spec.population_index(ds.target));
        pops[p].drives.emplace_back(ds, static_cast<std::size_t>(spec.populations[p].receptor_index(ds.receptor)),
                                    dt, seed);
    }

    // Projections; the epoch is the smallest delay any synapse can have.
    std::uint32_t min_delay = ~0U;
    for (std::size_t k = 0; k < spec.projections.size(); ++k) {
        const auto& pr = spec.projections[k];
        Projection proj;
        proj.pre = static_cast<std::size_t>(spec.population_index(pr.pre));
        proj.post = static_cast<std::size_t>(spec.population_index(pr.post));
        proj.port = static_cast<std::size_t>(spec.populations[proj.post].receptor_index(pr.receptor));
        proj.sampler = std::make_unique<ConnectionSampler>(pr, spec.populations[proj.pre],
                                                           spec.populations[proj.post], seed, dt);
        min_delay = std::min(min_delay, proj.sampler->min_delay_steps());
        pops[proj.pre].outgoing.push_back(k);
        projs.push_back(std::move(proj));
    }
    epoch_len = projs.empty() ? 10 : min_delay;
    if (spec.chemistry.enabled) {
        // Epochs end on multiples of epoch_len; make every chemistry step end an epoch.
        std::vector<std::uint64_t> local_sizes;
        for (const auto& pop : pops) local_sizes.push_back(pop.local.size());
        chem = std::make_unique<Chemistry>(spec, local_sizes, *ctx.comm);
        const std::uint64_t K = chem->steps_per_chemistry_step();
        std::uint64_t E = std::min<std::uint64_t>(K, epoch_len);
        while (K % E != 0) --E;
        epoch_len = static_cast<std::uint32_t>(E);
    }

    // Each thread initialises its neurons and draws the synapses onto them (first touch).
    std::vector<std::vector<std::optional<SynapseBlock>>> blocks(
        projs.size(), std::vector<std::optional<SynapseBlock>>(static_cast<std::size_t>(D)));
    team.run([&](int d) {
        const auto du = static_cast<std::size_t>(d);
        for (std::size_t p = 0; p < pops.size(); ++p) {
            auto& pop = pops[p];
            pop.group->initialize(pop.domain[du].begin, pop.domain[du].end);
            if (chem) chem->initialize(p, pop.domain[du].begin, pop.domain[du].end);
        }
        ConnectionSampler::Scratch scratch;
        for (std::size_t k = 0; k < projs.size(); ++k) {
            const auto& post = pops[projs[k].post];
            const IndexRange targets{post.local.begin + post.domain[du].begin,
                                     post.local.begin + post.domain[du].end};
            blocks[k][du].emplace(*projs[k].sampler, spec.populations[projs[k].pre].size, targets,
                                  spec.simulation.weight_precision, scratch);
        }
    });
    for (std::size_t k = 0; k < projs.size(); ++k) {
        for (auto& b : blocks[k]) projs[k].blocks.push_back(std::move(*b));
    }

    // Ring buffers sized by the largest local delay into each population.
    std::vector<std::uint32_t> ring_delay(pops.size(), 1);
    for (const auto& proj : projs) {
        for (const auto& b : proj.blocks) {
            ring_delay[proj.post] = std::max(ring_delay[proj.post], b.max_delay_steps());
        }
    }
    for (std::size_t p = 0; p < pops.size(); ++p) {
        // The background input of a whole epoch is written before its first step: the ring
        // must also hold an epoch, which matters for populations without incoming synapses.
        pops[p].ring = InputRing(pops[p].local.size(), spec.populations[p].receptors.size(),
                                 std::max(ring_delay[p], epoch_len));
        max_delay = std::max(max_delay, ring_delay[p]);
    }
    max_delay = static_cast<std::uint32_t>(ctx.comm->max(max_delay));

    mods.resize(pops.size());
    for (std::size_t p = 0; p < pops.size(); ++p) {
        if (chem && chem->population(p)) mods[p] = chem->population(p)->modulation();
    }
    domain_spikes.resize(static_cast<std::size_t>(D));
    domain_events.assign(static_cast<std::size_t>(D), 0);
    domain_ports.resize(static_cast<std::size_t>(D));
    domain_rows.resize(static_cast<std::size_t>(D));
    for (auto& v : domain_rows) v.reserve(epoch_len);
    std::size_t max_ports = 0;
    for (const auto& ps : spec.populations) max_ports = std::max(max_ports, ps.receptors.size());
    for (auto& v : domain_ports) v.resize(max_ports);
    times.build = seconds_since(t0);
}

void Simulation::Impl::update(int d, std::uint64_t begin, std::uint64_t end) {
    const auto du = static_cast<std::size_t>(d);
    auto& spikes = domain_spikes[du];
    auto& ports = domain_ports[du];
    spikes.clear();
    // Background input of the whole epoch first: its steps' ring slots hold every synaptic
    // input already (a spike of this epoch arrives after it), so the sums are the same as
    // adding it step by step.
    std::vector<double*>& rows = domain_rows[du];
    for (auto& pop : pops) {
        const IndexRange r = pop.domain[du];
        if (r.size() == 0) continue;
        for (const auto& drive : pop.drives) {
            rows.clear();
            for (std::uint64_t n = begin; n < end; ++n) rows.push_back(pop.ring.row(n, drive.port()));
            drive.add(pop.group->first_index(), r.begin, r.end, begin, end, rows.data());
        }
    }
    for (std::uint64_t n = begin; n < end; ++n) {
        for (std::size_t p = 0; p < pops.size(); ++p) {
            auto& pop = pops[p];
            const IndexRange r = pop.domain[du];
            if (r.size() == 0) continue;
            for (std::size_t q = 0; q < pop.ring.ports(); ++q) ports[q] = pop.ring.row(n, q);
            pop.group->step(r.begin, r.end, n, ports.data(), mods[p], spikes);
        }
    }
}

// The epoch's spikes of this process, sorted by (step, gid), to every process.
void Simulation::Impl::exchange_spikes() {
    local_spikes.clear();
    for (const auto& v : domain_spikes) local_spikes.insert(local_spikes.end(), v.begin(), v.end());
    std::sort(local_spikes.begin(), local_spikes.end());
    ctx.comm->gather_spikes(local_spikes, all_spikes);
    if (chem) chem->count(local_spikes, first_gid);
}

void Simulation::Impl::deliver(int d) {
    const auto du = static_cast<std::size_t>(d);
    std::uint64_t events = 0;
    for (const Spike& s : all_spikes) {
        const std::size_t p = population_of(s.gid);
        const auto src = static_cast<std::uint32_t>(s.gid - first_gid[p]);
        for (const std::size_t k : pops[p].outgoing) {
            const auto& proj = projs[k];
            auto& post = pops[proj.post];
            events += proj.blocks[du].deliver(src, s.step, post.ring, proj.port,
                                              post.domain[du].begin);
        }
    }
    domain_events[du] += events;
}

void Simulation::Impl::record_isi(int d) {
    for (const Spike& s : domain_spikes[static_cast<std::size_t>(d)]) {
        const std::size_t p = population_of(s.gid);
        auto& pop = pops[p];
        const std::size_t i = s.gid - first_gid[p] - pop.local.begin;
        ++pop.spikes[i];
        if (chem && chem->population(p)) chem->population(p)->record_spike(i);
        if (pop.last_spike[i] != no_spike) {
            const std::uint64_t isi = s.step - pop.last_spike[i];
            ++pop.n_isi[i];
            pop.sum_isi[i] += isi;
            pop.sum_isi_sq[i] += static_cast<double>(isi) * static_cast<double>(isi);
        }
        pop.last_spike[i] = s.step;
    }
}

Simulation::Simulation(const ModelSpec& spec, const Context& ctx)
    : impl_(std::make_unique<Impl>(spec, ctx)) {
    impl_->build();
}

Simulation::~Simulation() = default;

void Simulation::run(std::uint64_t end_step, SimulationObserver* observer) {
    auto& m = *impl_;
    const auto t_run = Clock::now();
    while (m.step < end_step) {
        const std::uint64_t begin = m.step;
        // Epochs end on multiples of the epoch length, wherever a run starts or stops.
        const std::uint64_t end = std::min(end_step, (begin / m.epoch_len + 1) * m.epoch_len);

        // One parallel region per epoch: update, then (thread 0 alone, between barriers) the
        // exchange, then delivery. An exception on any thread is carried to the end of the
        // region; every thread still passes both barriers, so none waits forever.
        std::atomic<bool> failed{false};
        Clock::time_point t_update = Clock::now(), t_exchange, t_deliver;
        m.team.run([&](int d) {
            std::exception_ptr error;
            try {
                m.update(d, begin, end);
            } catch (...) {
                error = std::current_exception();
                failed = true;
            }
            m.team.barrier();
            if (d == 0) {
                t_exchange = Clock::now();
                if (!failed) {
                    try {
                        m.exchange_spikes();
                    } catch (...) {
                        error = std::current_exception();
                        failed = true;
                    }
                }
                t_deliver = Clock::now();
            }
            m.team.barrier();
            if (!failed) {
                try {
                    m.deliver(d);
                    m.record_isi(d);
                } catch (...) {
                    error = std::current_exception();
                }
            }
            if (error) std::rethrow_exception(error);
        });
        const auto t_end = Clock::now();
        m.times.update += std::chrono::duration<double>(t_exchange - t_update).count();
        m.times.exchange += std::chrono::duration<double>(t_deliver - t_exchange).count();
        m.times.deliver += std::chrono::duration<double>(t_end - t_deliver).count();
        ++m.exchange.epochs;
        m.exchange.spikes_sent += m.local_spikes.size();
        m.exchange.spikes_received += m.all_spikes.size();
        m.step = end;
        m.remember_in_flight();

        m.chem_sample.clear();
        if (m.chem && end % m.chem->steps_per_chemistry_step() == 0) {
            const auto t = Clock::now();
            const std::uint64_t k = end / m.chem->steps_per_chemistry_step();
            m.chem->advance_shared(k - 1);
            m.team.run([&](int d) {
                const auto du = static_cast<std::size_t>(d);
                for (std::size_t p = 0; p < m.pops.size(); ++p) {
                    m.chem->step_population(p, m.pops[p].domain[du].begin, m.pops[p].domain[du].end);
                }
            });
            if (k % m.chem->steps_per_sample() == 0) m.chem_sample = m.chem->sample();
            m.times.chemistry += seconds_since(t);
        }

        if (observer) observer->epoch({begin, end, m.local_spikes, m.all_spikes, m.chem_sample});
        if (m.stop_requested) {
            m.stop_requested = false;
            break;
        }
    }
    m.times.run += seconds_since(t_run);
}

void Simulation::request_stop() { impl_->stop_requested = true; }

void Simulation::save_state(StateSink& sink) const {
    const auto& m = *impl_;
    sink.write_value("step", m.step);
    for (std::size_t p = 0; p < m.pops.size(); ++p) {
        const auto& pop = m.pops[p];
        const std::string prefix = "populations/" + m.spec.populations[p].name + "/";
        const std::uint64_t n = m.spec.populations[p].size, at = pop.local.begin;
        for (const auto& a : pop.group->state_arrays()) {
            if (a.integer) {
                sink.write(prefix + a.name, std::span<const std::int32_t>(a.i32), at, n);
            } else {
                sink.write(prefix + a.name, std::span<const double>(a.f64), at, n);
            }
        }
        sink.write(prefix + "isi/spikes", std::span<const std::uint64_t>(pop.spikes), at, n);
        sink.write(prefix + "isi/last_spike", std::span<const std::uint64_t>(pop.last_spike), at, n);
        sink.write(prefix + "isi/count", std::span<const std::uint64_t>(pop.n_isi), at, n);
        sink.write(prefix + "isi/sum", std::span<const std::uint64_t>(pop.sum_isi), at, n);
        sink.write(prefix + "isi/sum_sq", std::span<const double>(pop.sum_isi_sq), at, n);
    }
    // The spikes in flight are the same on every process: rank 0 writes them.
    const bool root = m.ctx.comm->rank() == 0;
    std::vector<std::uint64_t> steps, gids;
    for (const auto& s : m.in_flight) {
        steps.push_back(s.step);
        gids.push_back(s.gid);
    }
    const std::uint64_t n = steps.size();
    sink.write("in_flight/step", root ? std::span<const std::uint64_t>(steps) : std::span<const std::uint64_t>(), 0, n);
    sink.write("in_flight/gid", root ? std::span<const std::uint64_t>(gids) : std::span<const std::uint64_t>(), 0, n);
    sink.write_value("synaptic_events", synaptic_events());
    if (m.chem) {
        std::vector<std::uint64_t> begin, sizes;
        for (std::size_t p = 0; p < m.pops.size(); ++p) {
            begin.push_back(m.pops[p].local.begin);
            sizes.push_back(m.spec.populations[p].size);
        }
        m.chem->save_state(sink, begin, sizes, root);
    }
}

void Simulation::load_state(StateSource& source) {
    auto& m = *impl_;
    m.step = source.read_value("step");
    for (std::size_t p = 0; p < m.pops.size(); ++p) {
        auto& pop = m.pops[p];
        const std::string prefix = "populations/" + m.spec.populations[p].name + "/";
        const std::uint64_t n = m.spec.populations[p].size, at = pop.local.begin;
        for (const auto& a : pop.group->state_arrays()) {
            if (a.integer) {
                source.read(prefix + a.name, a.i32, at, n);
            } else {
                source.read(prefix + a.name, a.f64, at, n);
            }
        }
        if (const std::string e = pop.group->state_error(); !e.empty()) {
            throw input_error("checkpoint: " + prefix + e);
        }
        source.read(prefix + "isi/spikes", std::span<std::uint64_t>(pop.spikes), at, n);
        source.read(prefix + "isi/last_spike", std::span<std::uint64_t>(pop.last_spike), at, n);
        source.read(prefix + "isi/count", std::span<std::uint64_t>(pop.n_isi), at, n);
        source.read(prefix + "isi/sum", std::span<std::uint64_t>(pop.sum_isi), at, n);
        source.read(prefix + "isi/sum_sq", std::span<double>(pop.sum_isi_sq), at, n);
    }
    const std::uint64_t n = source.size_of("in_flight/step");
    std::vector<std::uint64_t> steps(n), gids(n);
    source.read("in_flight/step", std::span<std::uint64_t>(steps), 0, n);
    source.read("in_flight/gid", std::span<std::uint64_t>(gids), 0, n);
    m.in_flight.resize(n);
    for (std::uint64_t i = 0; i < n; ++i) m.in_flight[i] = {steps[i], gids[i]};
    if (!std::is_sorted(m.in_flight.begin(), m.in_flight.end()) ||
        std::any_of(m.in_flight.begin(), m.in_flight.end(), [&](const Spike& s) { return s.gid >= m.first_gid.back(); })) {
        throw input_error("the spikes in flight of the saved state are not a valid (step, gid) list.");
    }
    // The ring buffers hold exactly the weights of these spikes that arrive from now on, summed
    // in (step, gid) order: replaying them into empty buffers gives the same bits.
    for (auto& pop : m.pops) pop.ring.clear();
    m.team.run([&](int d) {
        const auto du = static_cast<std::size_t>(d);
        for (const Spike& s : m.in_flight) {
            const std::size_t p = m.population_of(s.gid);
            const auto src = static_cast<std::uint32_t>(s.gid - m.first_gid[p]);
            for (const std::size_t k : m.pops[p].outgoing) {
                const auto& proj = m.projs[k];
                auto& post = m.pops[proj.post];
                proj.blocks[du].deliver_arriving_from(src, s.step, m.step, post.ring, proj.port,
                                                      post.domain[du].begin);
            }
        }
    });
    // Events so far: one counter holds the total, so the sum over processes is right.
    if (m.chem) {
        std::vector<std::uint64_t> begin, sizes;
        for (std::size_t p = 0; p < m.pops.size(); ++p) {
            begin.push_back(m.pops[p].local.begin);
            sizes.push_back(m.spec.populations[p].size);
        }
        m.chem->load_state(source, begin, sizes);
    }
    const std::uint64_t events = source.read_value("synaptic_events");
    std::fill(m.domain_events.begin(), m.domain_events.end(), 0);
    if (m.ctx.comm->rank() == 0) m.domain_events[0] = events;
}

std::uint64_t Simulation::current_step() const { return impl_->step; }
std::uint64_t Simulation::duration_steps() const { return impl_->duration_steps; }
double Simulation::dt_ms() const { return impl_->spec.simulation.dt_ms; }
std::uint32_t Simulation::epoch_steps() const { return impl_->epoch_len; }
const ModelSpec& Simulation::spec() const { return impl_->spec; }
const Context& Simulation::context() const { return impl_->ctx; }

std::vector<std::string> Simulation::chemistry_trace_names() const {
    return impl_->chem ? impl_->chem->trace_names() : std::vector<std::string>{};
}

std::vector<double> Simulation::chemistry_sample() const {
    return impl_->chem ? impl_->chem->sample() : std::vector<double>{};
}
std::uint64_t Simulation::first_gid(std::size_t p) const { return impl_->first_gid.at(p); }

std::pair<std::uint64_t, std::uint64_t> Simulation::local_range(std::size_t p) const {
    const auto& r = impl_->pops.at(p).local;
    return {r.begin, r.end};
}

std::span<const double> Simulation::membrane_potential(std::size_t p) const {
    return impl_->pops.at(p).group->V_mV();
}

std::vector<PopulationStats> Simulation::population_stats() const {
    const auto& m = *impl_;
    const std::size_t P = m.pops.size();
    // Integers only cross process boundaries: spikes, CV in fixed point (2^-32), counts.
    std::vector<std::uint64_t> u(2 * P, 0);
    std::vector<std::int64_t> cv_fixed(P, 0);
    for (std::size_t p = 0; p < P; ++p) {
        const auto& pop = m.pops[p];
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
    m.ctx.comm->sum(u);
    m.ctx.comm->sum(cv_fixed);
    std::vector<PopulationStats> out;
    const double T_s = static_cast<double>(m.step) * m.spec.simulation.dt_ms * 1e-3;
    for (std::size_t p = 0; p < P; ++p) {
        PopulationStats s;
        s.name = m.spec.populations[p].name;
        s.size = m.spec.populations[p].size;
        s.spikes = u[p];
        s.mean_rate_Hz = T_s > 0 ? static_cast<double>(u[p]) / (static_cast<double>(s.size) * T_s) : 0.0;
        s.cv_neurons = u[P + p];
        s.mean_cv_isi = s.cv_neurons ? static_cast<double>(cv_fixed[p]) * 0x1p-32 /
                                           static_cast<double>(s.cv_neurons)
                                     : 0.0;
        out.push_back(s);
    }
    return out;
}

std::uint64_t Simulation::synaptic_events() const {
    std::uint64_t e = 0;
    for (auto v : impl_->domain_events) e += v;
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

PhaseTimes Simulation::phase_times() const { return impl_->times; }
ExchangeStats Simulation::exchange_stats() const { return impl_->exchange; }

LocalNetworkStats Simulation::local_network() const {
    LocalNetworkStats s;
    for (const auto& pop : impl_->pops) {
        s.neurons += pop.local.size();
        s.ring_bytes += pop.ring.memory_bytes();
    }
    for (const auto& proj : impl_->projs) {
        for (const auto& b : proj.blocks) {
            s.synapses += b.size();
            s.synapse_bytes += b.memory_bytes();
        }
    }
    return s;
}

}  // namespace neurochem

#include "core/network.hpp"

#include <algorithm>

#include "comm/communicator.hpp"
#include "core/threading.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

void Network::update(int d, std::uint64_t begin, std::uint64_t end, std::span<const Modulation> mods) {
    const auto du = static_cast<std::size_t>(d);
    auto& spikes = domain_spikes_[du];
    auto& ports = domain_ports_[du];
    spikes.clear();
    // Background input of the whole epoch first: its steps' ring slots hold every synaptic
    // input already (a spike of this epoch arrives after it), so the sums are the same as
    // adding it step by step.
    std::vector<double*>& rows = domain_rows_[du];
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        auto& pop = pops_[p];
        const IndexRange r = layout_.domain[p][du];
        if (r.size() == 0) continue;
        for (const std::size_t k : pop.drives) {
            const auto& drive = drives_[k];
            rows.clear();
            for (std::uint64_t n = begin; n < end; ++n) rows.push_back(pop.ring.row(n, drive.port()));
            drive.add(pop.group->first_index(), r.begin, r.end, begin, end, rows.data());
        }
    }
    for (std::uint64_t n = begin; n < end; ++n) {
        for (std::size_t p = 0; p < pops_.size(); ++p) {
            auto& pop = pops_[p];
            const IndexRange r = layout_.domain[p][du];
            if (r.size() == 0) continue;
            for (std::size_t q = 0; q < pop.ring.ports(); ++q) ports[q] = pop.ring.row(n, q);
            pop.group->step(r.begin, r.end, n, ports.data(), mods[p], spikes);
        }
    }
}

void Network::exchange(Communicator& comm) {
    local_spikes_.clear();
    for (const auto& v : domain_spikes_) local_spikes_.insert(local_spikes_.end(), v.begin(), v.end());
    std::sort(local_spikes_.begin(), local_spikes_.end());
    comm.gather_spikes(local_spikes_, all_spikes_);
}

void Network::deliver(int d) {
    if (plastic_) {
        deliver_plastic(d);
        return;
    }
    const auto du = static_cast<std::size_t>(d);
    std::uint64_t events = 0;
    for (const Spike& s : all_spikes_) {
        const std::size_t p = layout_.population_of(s.gid);
        const auto src = static_cast<std::uint32_t>(s.gid - layout_.first_gid[p]);
        for (const std::size_t k : pops_[p].outgoing) {
            const auto& proj = projs_[k];
            auto& post = pops_[proj.post];
            events += proj.blocks[du].deliver(src, s.step, post.ring, proj.port, layout_.domain[proj.post][du].begin);
        }
    }
    domain_events_[du] += events;
}

// With plastic projections, step by step (docs/model/plasticity.md): for the spikes of step n,
// first every spike's deliveries (and the depression of its plastic synapses), then the
// potentiation of the plastic synapses onto this thread's neurons that spiked, then the traces
// take the step's spikes. Each weight is written by the thread that owns its target.
void Network::deliver_plastic(int d) {
    const auto du = static_cast<std::size_t>(d);
    const auto& S = all_spikes_;
    std::uint64_t events = 0;
    // This thread's own neuron of population p with population-local index j, or -1.
    auto own = [&](std::size_t p, std::uint64_t j) -> std::int64_t {
        const IndexRange& L = layout_.local[p];
        if (j < L.begin || j >= L.end) return -1;
        const IndexRange& D = layout_.domain[p][du];
        const std::uint64_t i = j - L.begin;
        return D.contains(i) ? static_cast<std::int64_t>(i - D.begin) : -1;
    };
    for (std::size_t a = 0; a < S.size();) {
        const std::uint64_t n = S[a].step;
        std::size_t b = a;
        while (b < S.size() && S[b].step == n) ++b;
        for (std::size_t i = a; i < b; ++i) {  // deliveries and depression
            const std::size_t p = layout_.population_of(S[i].gid);
            const auto src = static_cast<std::uint32_t>(S[i].gid - layout_.first_gid[p]);
            for (const std::size_t k : pops_[p].outgoing) {
                auto& proj = projs_[k];
                auto& post = pops_[proj.post];
                const std::size_t offset = layout_.domain[proj.post][du].begin;
                events += proj.is_plastic() ? proj.plastic[du].pre_event(src, n, post.ring, proj.port, offset)
                                            : proj.blocks[du].deliver(src, n, post.ring, proj.port, offset);
            }
        }
        for (std::size_t i = a; i < b; ++i) {  // potentiation at own neurons' spikes
            const std::size_t p = layout_.population_of(S[i].gid);
            if (pops_[p].plastic_in.empty()) continue;
            const std::int64_t t = own(p, S[i].gid - layout_.first_gid[p]);
            if (t < 0) continue;
            for (const std::size_t k : pops_[p].plastic_in) projs_[k].plastic[du].post_event(static_cast<std::uint32_t>(t), n);
        }
        for (std::size_t i = a; i < b; ++i) {  // the traces take the step's spikes
            const std::size_t p = layout_.population_of(S[i].gid);
            const auto src = static_cast<std::uint32_t>(S[i].gid - layout_.first_gid[p]);
            for (const std::size_t k : pops_[p].outgoing) {
                if (projs_[k].is_plastic()) projs_[k].plastic[du].pre_spike(src, n);
            }
            if (pops_[p].plastic_in.empty()) continue;
            const std::int64_t t = own(p, src);
            if (t < 0) continue;
            for (const std::size_t k : pops_[p].plastic_in) projs_[k].plastic[du].post_spike(static_cast<std::uint32_t>(t), n);
        }
        a = b;
    }
    domain_events_[du] += events;
}

void Network::save_ring(std::size_t p, std::uint64_t n, std::vector<double>& out) const {
    const auto& ring = pops_[p].ring;
    const std::size_t N = ring.neurons(), P = ring.ports(), K = max_delay_ + 1;
    out.assign(N * P * K, 0.0);
    auto& r = const_cast<InputRing&>(ring);  // row() is not const; nothing is written
    for (std::size_t k = 0; k < std::min<std::size_t>(K, ring.slots()); ++k) {
        for (std::size_t q = 0; q < P; ++q) {
            const double* row = r.row(n + k, q);
            for (std::size_t i = 0; i < N; ++i) out[(i * P + q) * K + k] = row[i];
        }
    }
}

void Network::load_ring(std::size_t p, std::uint64_t n, std::span<const double> in) {
    auto& ring = pops_[p].ring;
    const std::size_t N = ring.neurons(), P = ring.ports(), K = max_delay_ + 1;
    ring.clear();
    for (std::size_t k = 0; k < K; ++k) {
        for (std::size_t q = 0; q < P; ++q) {
            for (std::size_t i = 0; i < N; ++i) {
                const double v = in[(i * P + q) * K + k];
                if (k >= ring.slots() && v != 0.0) {
                    throw input_error("the saved input of a neuron lies " + std::to_string(k) +
                                      " steps ahead, beyond what this network's delays allow.");
                }
                if (k < ring.slots()) ring.row(n + k, q)[i] = v;
            }
        }
    }
}

std::uint64_t Network::synaptic_events() const {
    std::uint64_t e = 0;
    for (auto v : domain_events_) e += v;
    return e;
}

void Network::set_synaptic_events(std::uint64_t n) {
    std::fill(domain_events_.begin(), domain_events_.end(), 0);
    domain_events_[0] = n;
}

// Spikes that can still arrive: step + max_delay >= the next step to be updated. With the
// state, they determine the ring buffers exactly (see restore_in_flight).
void Network::remember_in_flight(std::uint64_t next_step) {
    in_flight_.insert(in_flight_.end(), all_spikes_.begin(), all_spikes_.end());
    const auto keep_from = std::find_if(in_flight_.begin(), in_flight_.end(), [&](const Spike& s) {
        return s.step + max_delay_ >= next_step;
    });
    in_flight_.erase(in_flight_.begin(), keep_from);
}

void Network::restore_in_flight(std::vector<Spike> spikes, std::uint64_t next_step, ThreadTeam& team) {
    if (!std::is_sorted(spikes.begin(), spikes.end()) ||
        std::any_of(spikes.begin(), spikes.end(), [&](const Spike& s) { return s.gid >= layout_.first_gid.back(); })) {
        throw input_error("the spikes in flight of the saved state are not a valid (step, gid) list.");
    }
    in_flight_ = std::move(spikes);
    for (auto& pop : pops_) pop.ring.clear();
    team.run([&](int d) {
        const auto du = static_cast<std::size_t>(d);
        for (const Spike& s : in_flight_) {
            const std::size_t p = layout_.population_of(s.gid);
            const auto src = static_cast<std::uint32_t>(s.gid - layout_.first_gid[p]);
            for (const std::size_t k : pops_[p].outgoing) {
                const auto& proj = projs_[k];
                auto& post = pops_[proj.post];
                proj.blocks[du].deliver_arriving_from(src, s.step, next_step, post.ring, proj.port,
                                                      layout_.domain[proj.post][du].begin);
            }
        }
    });
}

std::uint64_t Network::local_synapses() const {
    std::uint64_t n = 0;
    for (const auto& proj : projs_) {
        for (const auto& b : proj.blocks) n += b.size();
        for (const auto& b : proj.plastic) n += b.size();
    }
    return n;
}

std::size_t Network::synapse_bytes() const {
    std::size_t n = 0;
    for (const auto& proj : projs_) {
        for (const auto& b : proj.blocks) n += b.memory_bytes();
        for (const auto& b : proj.plastic) n += b.memory_bytes();
    }
    return n;
}

std::size_t Network::ring_bytes() const {
    std::size_t n = 0;
    for (const auto& pop : pops_) n += pop.ring.memory_bytes();
    return n;
}

}  // namespace neurochem

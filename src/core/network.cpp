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
    }
    return n;
}

std::size_t Network::synapse_bytes() const {
    std::size_t n = 0;
    for (const auto& proj : projs_) {
        for (const auto& b : proj.blocks) n += b.memory_bytes();
    }
    return n;
}

std::size_t Network::ring_bytes() const {
    std::size_t n = 0;
    for (const auto& pop : pops_) n += pop.ring.memory_bytes();
    return n;
}

}  // namespace neurochem

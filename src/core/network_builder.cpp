// Building this process's share of the network: the layout (populations over ranks, a rank's
// share over threads), the neuron groups, the background drives, the synapses onto local
// targets (each thread draws its own, so they are first touched where they are used), the
// epoch length and the ring buffers.
#include <algorithm>
#include <optional>

#include "comm/communicator.hpp"
#include "core/network.hpp"
#include "core/threading.hpp"

namespace neurochem {

std::size_t NetworkLayout::population_of(std::uint64_t gid) const {
    const auto it = std::upper_bound(first_gid.begin(), first_gid.end(), gid);
    return static_cast<std::size_t>(it - first_gid.begin()) - 1;
}

Network::Network(const ModelSpec& spec, Communicator& comm, ThreadTeam& team,
                 std::span<const std::uint64_t> step_multiples) {
    const double dt = spec.simulation.dt_ms;
    const std::uint64_t seed = spec.simulation.seed;
    const int D = team.size();
    const auto R = static_cast<std::uint64_t>(comm.size());
    const auto rank = static_cast<std::uint64_t>(comm.rank());

    // Layout: every population is split evenly over ranks (or the whole gid range is cut into
    // equal blocks), and a rank's share of each population over its threads.
    std::uint64_t total = 0;
    for (const auto& ps : spec.populations) total += ps.size;
    const IndexRange my_block = block_partition(total, R, rank);
    auto& L = layout_;
    L.first_gid.assign(1, 0);
    pops_.resize(spec.populations.size());
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        const auto& ps = spec.populations[p];
        IndexRange local;
        if (spec.simulation.partition == Partition::per_population) {
            local = block_partition(ps.size, R, rank);
        } else {
            const std::uint64_t g0 = L.first_gid.back();
            const std::uint64_t lo = std::clamp(my_block.begin, g0, g0 + ps.size) - g0;
            const std::uint64_t hi = std::clamp(my_block.end, g0, g0 + ps.size) - g0;
            local = {lo, hi};
        }
        L.local.push_back(local);
        L.domain.emplace_back();
        for (int d = 0; d < D; ++d) {
            L.domain.back().push_back(block_partition(local.size(), static_cast<std::uint64_t>(D),
                                                      static_cast<std::uint64_t>(d)));
        }
        pops_[p].group = make_neuron_group(ps, dt, seed, local, L.first_gid.back() + local.begin);
        L.first_gid.push_back(L.first_gid.back() + ps.size);
    }

    // Background drives, in the order of the model's list.
    for (const auto& ds : spec.poisson) {
        const auto p = static_cast<std::size_t>(spec.population_index(ds.target));
        pops_[p].drives.push_back(drives_.size());
        drives_.emplace_back(ds, static_cast<std::size_t>(spec.populations[p].receptor_index(ds.receptor)), dt,
                             seed);
    }

    // Projections; the epoch is the smallest delay any synapse can have, cut to a divisor of
    // every plug-in step so that each of those ends an epoch.
    std::uint32_t min_delay = ~0U;
    for (std::size_t k = 0; k < spec.projections.size(); ++k) {
        const auto& pr = spec.projections[k];
        NetworkProjection proj;
        proj.pre = static_cast<std::size_t>(spec.population_index(pr.pre));
        proj.post = static_cast<std::size_t>(spec.population_index(pr.post));
        proj.port = static_cast<std::size_t>(spec.populations[proj.post].receptor_index(pr.receptor));
        proj.sampler = std::make_unique<ConnectionSampler>(pr, spec.populations[proj.pre],
                                                           spec.populations[proj.post], seed, dt);
        min_delay = std::min(min_delay, proj.sampler->min_delay_steps());
        pops_[proj.pre].outgoing.push_back(k);
        if (pr.plasticity.enabled()) {
            pops_[proj.post].plastic_in.push_back(k);
            plastic_ = true;
        }
        projs_.push_back(std::move(proj));
    }
    epoch_len_ = projs_.empty() ? 10 : min_delay;
    for (const std::uint64_t K : step_multiples) {
        std::uint64_t E = std::min<std::uint64_t>(K, epoch_len_);
        while (K % E != 0) --E;
        epoch_len_ = static_cast<std::uint32_t>(E);
    }

    // Each thread initialises its neurons and draws the synapses onto them (first touch).
    std::vector<std::vector<std::optional<SynapseBlock>>> blocks(
        projs_.size(), std::vector<std::optional<SynapseBlock>>(static_cast<std::size_t>(D)));
    std::vector<std::vector<std::optional<PlasticBlock>>> plastic(
        projs_.size(), std::vector<std::optional<PlasticBlock>>(static_cast<std::size_t>(D)));
    team.run([&](int d) {
        const auto du = static_cast<std::size_t>(d);
        for (std::size_t p = 0; p < pops_.size(); ++p) {
            pops_[p].group->initialize(L.domain[p][du].begin, L.domain[p][du].end);
        }
        ConnectionSampler::Scratch scratch;
        for (std::size_t k = 0; k < projs_.size(); ++k) {
            const std::size_t q = projs_[k].post;
            const IndexRange targets{L.local[q].begin + L.domain[q][du].begin, L.local[q].begin + L.domain[q][du].end};
            const auto& pr = spec.projections[k];
            if (pr.plasticity.enabled()) {
                plastic[k][du].emplace(*projs_[k].sampler, spec.populations[projs_[k].pre].size, targets,
                                       pr.plasticity, dt, scratch);
            } else {
                blocks[k][du].emplace(*projs_[k].sampler, spec.populations[projs_[k].pre].size, targets,
                                      spec.simulation.weight_precision, scratch);
            }
        }
    });
    for (std::size_t k = 0; k < projs_.size(); ++k) {
        for (auto& b : blocks[k]) {
            if (b) projs_[k].blocks.push_back(std::move(*b));
        }
        for (auto& b : plastic[k]) {
            if (b) projs_[k].plastic.push_back(std::move(*b));
        }
    }

    // Ring buffers sized by the largest local delay into each population.
    std::vector<std::uint32_t> ring_delay(pops_.size(), 1);
    for (const auto& proj : projs_) {
        for (const auto& b : proj.blocks) ring_delay[proj.post] = std::max(ring_delay[proj.post], b.max_delay_steps());
        for (const auto& b : proj.plastic) ring_delay[proj.post] = std::max(ring_delay[proj.post], b.max_delay_steps());
    }
    for (std::size_t p = 0; p < pops_.size(); ++p) {
        // The background input of a whole epoch is written before its first step: the ring
        // must also hold an epoch, which matters for populations without incoming synapses.
        pops_[p].ring = InputRing(L.local[p].size(), spec.populations[p].receptors.size(),
                                  std::max(ring_delay[p], epoch_len_));
        max_delay_ = std::max(max_delay_, ring_delay[p]);
    }
    max_delay_ = static_cast<std::uint32_t>(comm.max(max_delay_));

    domain_spikes_.resize(static_cast<std::size_t>(D));
    domain_events_.assign(static_cast<std::size_t>(D), 0);
    domain_ports_.resize(static_cast<std::size_t>(D));
    domain_rows_.resize(static_cast<std::size_t>(D));
    for (auto& v : domain_rows_) v.reserve(epoch_len_);
    std::size_t max_ports = 0;
    for (const auto& ps : spec.populations) max_ports = std::max(max_ports, ps.receptors.size());
    for (auto& v : domain_ports_) v.resize(max_ports);
}

}  // namespace neurochem

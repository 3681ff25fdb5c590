#include "slow/window_averages.hpp"

#include <algorithm>
#include <cmath>

#include "chem/chemistry.hpp"
#include "comm/communicator.hpp"
#include "core/network.hpp"
#include "core/network_stats.hpp"
#include "core/state_registry.hpp"

namespace neurochem {

namespace {
using Q = Neuromodulation::Quantity;
const char* quantity_name(Q q) {
    switch (q) {
        case Q::occupancy:
            return "occupancy";
        case Q::activation:
            return "activation";
        case Q::desensitised:
            return "desensitised";
        case Q::cAMP:
            return "cAMP";
        case Q::IP3:
            return "IP3";
        case Q::PIP2:
            return "PIP2";
        case Q::inositol:
            return "inositol";
        case Q::CREB:
            return "CREB";
        case Q::bound:
            return "bound";
    }
    return "?";
}
}  // namespace

int WindowResult::index(std::size_t p, const std::string& receptor,
                        Neuromodulation::Quantity q) const {
    const std::string want = (receptor.empty() ? "" : receptor + "/") + quantity_name(q);
    for (std::size_t i = 0; i < names[p].size(); ++i) {
        if (names[p][i] == want) return static_cast<int>(i);
    }
    return -1;
}

WindowAverager::WindowAverager(const ModelSpec& model, const NetworkLayout& layout,
                               const NetworkStats& stats, const Chemistry* chem, Communicator& comm)
    : model_(model), layout_(layout), stats_(stats), chem_(chem), comm_(comm) {
    const std::size_t P = model.populations.size();
    spikes_at_begin_.assign(P, 0);
    tracked_.resize(P);
    sum_.resize(P);
    names_.resize(P);
    if (!chem) return;
    K_ = chem->steps_per_step();
    shared_sum_.assign(chem->pools().size() + 2 * chem->pk().drugs() + drug_target_count, 0.0);
    for (std::size_t p = 0; p < P; ++p) {
        const auto* nm = chem->population(p);
        if (!nm) continue;
        for (std::size_t r = 0; r < nm->receptors(); ++r) {
            for (Q q : {Q::occupancy, Q::activation, Q::desensitised, Q::bound}) {
                if (q == Q::bound && !nm->receptor(r).antagonized)
                    continue;  // nothing but the transmitter binds
                tracked_[p].push_back({q, r});
                names_[p].push_back(nm->receptor(r).name + "/" + quantity_name(q));
            }
        }
        for (Q q : {Q::cAMP, Q::CREB}) {
            tracked_[p].push_back({q, 0});
            names_[p].push_back(quantity_name(q));
        }
        sum_[p].assign(tracked_[p].size(), std::vector<double>(layout.local[p].size(), 0.0));
    }
}

std::vector<std::uint64_t> WindowAverager::population_spikes() const {
    std::vector<std::uint64_t> n(model_.populations.size(), 0);
    for (std::size_t p = 0; p < n.size(); ++p) {
        for (const auto s : stats_.spikes(p))
            n[p] += s;
    }
    comm_.sum(n);
    return n;
}

void WindowAverager::begin() {
    const auto now = population_spikes();
    std::copy(now.begin(), now.end(),
              spikes_at_begin_.begin());  // in place: the registry holds the array
    std::fill(shared_sum_.begin(), shared_sum_.end(), 0.0);
    for (auto& per : sum_) {
        for (auto& v : per)
            std::fill(v.begin(), v.end(), 0.0);
    }
    samples_ = 0;
    active_ = 1;
}

void WindowAverager::step_shared(std::uint64_t, double) {
    if (!active_) return;
    std::size_t k = 0;
    for (double c : chem_->pools().concentration_uM())
        shared_sum_[k++] += c;
    const auto& pk = chem_->pk();
    for (std::size_t d = 0; d < pk.drugs(); ++d) {
        shared_sum_[k++] += pk.plasma_uM(d);
        shared_sum_[k++] += pk.target_uM(d);
    }
    for (int t = 0; t < drug_target_count; ++t)
        shared_sum_[k++] += pk.occupancy(static_cast<DrugTarget>(t));
    ++samples_;
}

void WindowAverager::step_neurons(int, std::size_t p, std::size_t lo, std::size_t hi) {
    if (!active_ || tracked_[p].empty()) return;
    const auto* nm = chem_->population(p);
    for (std::size_t j = 0; j < tracked_[p].size(); ++j) {
        const auto v = nm->values(tracked_[p][j].q, tracked_[p][j].receptor);
        double* s = sum_[p][j].data();
        for (std::size_t i = lo; i < hi; ++i)
            s[i] += v[i];
    }
}

WindowResult WindowAverager::end(std::uint64_t measured_steps) {
    active_ = 0;
    WindowResult r;
    r.measured_s = static_cast<double>(measured_steps) * model_.simulation.dt_ms * 1e-3;
    const auto now = population_spikes();
    for (std::size_t p = 0; p < now.size(); ++p) {
        const double n = static_cast<double>(model_.populations[p].size);
        r.rate_Hz.push_back(r.measured_s > 0 ? static_cast<double>(now[p] - spikes_at_begin_[p]) /
                                                   (n * r.measured_s)
                                             : 0.0);
    }
    r.names = names_;
    if (!chem_) return r;
    const double inv = samples_ > 0 ? 1.0 / static_cast<double>(samples_) : 0.0;
    std::size_t k = 0;
    for (std::size_t i = 0; i < chem_->pools().size(); ++i)
        r.pool_uM.push_back(shared_sum_[k++] * inv);
    for (std::size_t d = 0; d < chem_->pk().drugs(); ++d) {
        r.plasma_uM.push_back(shared_sum_[k++] * inv);
        r.target_uM.push_back(shared_sum_[k++] * inv);
    }
    for (int t = 0; t < drug_target_count; ++t)
        r.occupancy.push_back(shared_sum_[k++] * inv);
    // Per-neuron means, and population means as fixed-point sums (exact over ranks).
    r.neuron.resize(sum_.size());
    r.population.resize(sum_.size());
    std::vector<std::int64_t> fixed;
    for (std::size_t p = 0; p < sum_.size(); ++p) {
        for (const auto& v : sum_[p]) {
            std::vector<double> mean(v.size());
            std::int64_t s = 0;
            for (std::size_t i = 0; i < v.size(); ++i) {
                mean[i] = v[i] * inv;
                s += std::llround(mean[i] * 0x1p32);
            }
            r.neuron[p].push_back(std::move(mean));
            fixed.push_back(s);
        }
    }
    comm_.sum(fixed);
    std::size_t f = 0;
    for (std::size_t p = 0; p < sum_.size(); ++p) {
        const double n = static_cast<double>(model_.populations[p].size);
        for (std::size_t j = 0; j < sum_[p].size(); ++j)
            r.population[p].push_back(static_cast<double>(fixed[f++]) * 0x1p-32 / n);
    }
    return r;
}

void WindowAverager::register_state(StateRegistry& reg) {
    reg.add_scalar("window/active", active_, "", {0, 1});
    reg.add_scalar("window/samples", samples_, "");
    reg.add_shared("window/spikes_at_begin", spikes_at_begin_, "spikes");
    reg.add_shared("window/shared_sums", shared_sum_, "", Bounds::finite());
    for (std::size_t p = 0; p < sum_.size(); ++p) {
        for (std::size_t j = 0; j < sum_[p].size(); ++j) {
            reg.add_slice("window/" + model_.populations[p].name + "/" + names_[p][j], sum_[p][j],
                          layout_.local[p].begin, model_.populations[p].size, "", Bounds::finite());
        }
    }
}

}  // namespace neurochem

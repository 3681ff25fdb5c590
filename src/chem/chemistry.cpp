#include "chem/chemistry.hpp"

#include <algorithm>
#include <cmath>

#include "comm/communicator.hpp"
#include "core/network.hpp"
#include "core/state_registry.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

Chemistry::Chemistry(const ModelSpec& model, const NetworkLayout& layout, Communicator& comm)
    : model_(model),
      layout_(layout),
      comm_(comm),
      K_(static_cast<std::uint64_t>(std::llround(model.chemistry.dt_ms / model.simulation.dt_ms))),
      dt_s_(model.chemistry.dt_ms * 1e-3),
      pools_(model),
      pk_(model.chemistry) {
    const auto& ch = model.chemistry;
    mods_.resize(model.populations.size());
    inputs_.resize(model.populations.size());
    releases_of_.resize(model.populations.size());
    for (std::size_t p = 0; p < model.populations.size(); ++p) {
        if (!model.populations[p].expresses.empty()) {
            mods_[p] =
                std::make_unique<Neuromodulation>(model, p, layout.local[p].size(), ch.dt_ms);
        }
    }
    for (std::size_t r = 0; r < ch.releases.size(); ++r) {
        releases_of_[static_cast<std::size_t>(model.population_index(ch.releases[r].population))]
            .push_back(r);
    }
    counts_.assign(ch.releases.size(), 0);
    km_factor_.assign(pools_.uptake_count(), 1.0);
    sample_every_ = static_cast<std::uint64_t>(std::llround(ch.trace_interval_ms / ch.dt_ms));

    for (std::size_t i = 0; i < pools_.size(); ++i)
        trace_names_.push_back("pools/" + pools_.name(i) + "_uM");
    for (std::size_t d = 0; d < pk_.drugs(); ++d) {
        trace_names_.push_back("drugs/" + pk_.name(d) + "/plasma_uM");
        trace_names_.push_back("drugs/" + pk_.name(d) + "/target_uM");
    }
    if (pk_.drugs() > 0) {
        for (int t = 0; t < drug_target_count; ++t) {
            trace_names_.push_back(std::string("drug_occupancy/") +
                                   to_string(static_cast<DrugTarget>(t)));
        }
    }
    for (std::size_t p = 0; p < mods_.size(); ++p) {
        if (!mods_[p]) continue;
        const std::string pre = "populations/" + model.populations[p].name + "/";
        for (std::size_t r = 0; r < mods_[p]->receptors(); ++r) {
            const std::string rn = pre + mods_[p]->receptor(r).name + "/";
            for (const char* q : {"occupancy", "activation", "desensitised"})
                trace_names_.push_back(rn + q);
        }
        for (const char* q : {"cAMP", "IP3", "PIP2", "inositol", "CREB"})
            trace_names_.push_back(pre + q);
    }
    refresh_inputs();
}

ReceptorInputs Chemistry::inputs(std::size_t p) const {
    ReceptorInputs in;
    const std::string& region =
        model_.region_of(p)->name;  // validated: expressing populations have one
    for (std::size_t r = 0; r < mods_[p]->receptors(); ++r) {
        const auto& t = mods_[p]->receptor(r);
        in.ligand_uM.push_back(
            pools_.concentration_uM()[static_cast<std::size_t>(pools_.index(region, t.ligand))]);
        in.antagonist_ratio.push_back(t.antagonized ? pk_.inhibition(t.antagonist_target) : 0.0);
        in.agonist_ratio.push_back(t.antagonized ? pk_.agonism(t.antagonist_target) : 0.0);
    }
    in.impase_factor = 1.0 + pk_.inhibition(DrugTarget::IMPase);
    return in;
}

void Chemistry::refresh_inputs() {
    for (std::size_t u = 0; u < km_factor_.size(); ++u) {
        km_factor_[u] = 1.0 + pk_.inhibition(pools_.uptake_transporter(u));
    }
    for (std::size_t p = 0; p < mods_.size(); ++p) {
        if (mods_[p]) inputs_[p] = inputs(p);
    }
}

void Chemistry::set_washout(bool on) {
    if (on == pk_.washout()) return;
    pk_.set_washout(on);
    refresh_inputs();
    for (std::size_t p = 0; p < mods_.size(); ++p) {
        if (mods_[p]) mods_[p]->refresh(inputs_[p]);
    }
}

void Chemistry::set_isolated(std::size_t p, bool isolated) {
    if (!mods_[p] || mods_[p]->isolated() == isolated) return;
    mods_[p]->set_isolated(isolated);
    mods_[p]->refresh(inputs_[p]);
}

void Chemistry::initialize(std::size_t p, std::size_t lo, std::size_t hi) {
    if (mods_[p]) mods_[p]->initialize(lo, hi, inputs_[p]);
}

Modulation Chemistry::modulation(std::size_t p) const {
    return mods_[p] ? mods_[p]->modulation() : Modulation{};
}

void Chemistry::exchanged(std::span<const Spike> local) {
    if (counts_.empty()) return;
    std::vector<std::uint64_t> c(counts_.size(), 0);
    for (const Spike& s : local) {
        for (const std::size_t r : releases_of_[layout_.population_of(s.gid)])
            ++c[r];
    }
    comm_.sum(c);
    for (std::size_t r = 0; r < c.size(); ++r)
        counts_[r] += c[r];
}

void Chemistry::thread_spikes(std::span<const Spike> spikes) {
    for (const Spike& s : spikes) {
        const std::size_t p = layout_.population_of(s.gid);
        if (mods_[p]) mods_[p]->record_spike(s.gid - layout_.first_gid[p] - layout_.local[p].begin);
    }
}

void Chemistry::step_shared(std::uint64_t, double calendar_h) {
    pk_.advance_to(calendar_h);
    for (std::size_t u = 0; u < km_factor_.size(); ++u) {
        km_factor_[u] = 1.0 + pk_.inhibition(pools_.uptake_transporter(u));
    }
    pools_.step(counts_, km_factor_, dt_s_);
    std::fill(counts_.begin(), counts_.end(), 0);
    for (std::size_t p = 0; p < mods_.size(); ++p) {
        if (mods_[p]) inputs_[p] = inputs(p);
    }
}

void Chemistry::step_neurons(int, std::size_t p, std::size_t lo, std::size_t hi) {
    if (mods_[p]) mods_[p]->step(lo, hi, inputs_[p]);
}

std::vector<double> Chemistry::sample() const {
    std::vector<double> v;
    for (double c : pools_.concentration_uM())
        v.push_back(c);
    for (std::size_t d = 0; d < pk_.drugs(); ++d) {
        v.push_back(pk_.plasma_uM(d));
        v.push_back(pk_.target_uM(d));
    }
    if (pk_.drugs() > 0) {
        for (int t = 0; t < drug_target_count; ++t)
            v.push_back(pk_.occupancy(static_cast<DrugTarget>(t)));
    }
    // Population means: fixed-point sums, exact and the same on every layout.
    std::vector<std::int64_t> sums;
    using Q = Neuromodulation::Quantity;
    for (const auto& m : mods_) {
        if (!m) continue;
        for (std::size_t r = 0; r < m->receptors(); ++r) {
            for (Q q : {Q::occupancy, Q::activation, Q::desensitised})
                sums.push_back(m->local_sum_fixed(q, r));
        }
        for (Q q : {Q::cAMP, Q::IP3, Q::PIP2, Q::inositol, Q::CREB})
            sums.push_back(m->local_sum_fixed(q));
    }
    comm_.sum(sums);
    std::size_t k = 0;
    for (std::size_t p = 0; p < mods_.size(); ++p) {
        if (!mods_[p]) continue;
        const double n = static_cast<double>(model_.populations[p].size);
        const std::size_t per = 3 * mods_[p]->receptors() + 5;
        for (std::size_t j = 0; j < per; ++j)
            v.push_back(static_cast<double>(sums[k++]) * 0x1p-32 / n);
    }
    return v;
}

void Chemistry::register_state(StateRegistry& reg) {
    reg.add_shared("chemistry/pools_uM", pools_.concentration_uM(), "uM", Bounds::nonnegative());
    reg.add_shared("chemistry/release_counts", std::span<std::uint64_t>(counts_), "spikes");
    pk_.register_state(reg);
    for (std::size_t p = 0; p < mods_.size(); ++p) {
        if (mods_[p]) {
            mods_[p]->register_state(reg, "populations/" + model_.populations[p].name + "/",
                                     layout_.local[p].begin, model_.populations[p].size);
        }
    }
    reg.after_load([this] {
        refresh_inputs();
        for (std::size_t p = 0; p < mods_.size(); ++p) {
            if (mods_[p]) mods_[p]->refresh(inputs_[p]);
        }
    });
}

}  // namespace neurochem

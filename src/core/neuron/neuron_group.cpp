#include "core/neuron/neuron_group.hpp"

#include <cmath>

#include "core/neuron/adex.hpp"
#include "core/neuron/lif_coba.hpp"
#include "core/neuron/lif_cuba.hpp"
#include "core/neuron/poisson_source.hpp"
#include "core/rng.hpp"
#include "core/sample.hpp"

namespace neurochem {

NeuronGroup::NeuronGroup(const PopulationSpec& spec, double dt_ms, std::uint64_t seed,
                         IndexRange local, std::uint64_t first_gid)
    : spec_(spec),
      dt_ms_(dt_ms),
      init_key_(rng::derive_key(seed, rng::stream_id("init:" + spec.name))),
      first_index_(local.begin),
      first_gid_(first_gid),
      ref_steps_(static_cast<std::int32_t>(std::llround(spec.t_ref_ms / dt_ms))),
      V_(local.size()),
      ref_left_(local.size()) {}

double NeuronGroup::draw_initial(const Distribution& d, std::string_view var,
                                 std::size_t local_index, const char* what) const {
    if (d.is_constant()) return d.p1;
    rng::CounterStream s(init_key_, static_cast<std::uint32_t>(first_index_ + local_index),
                         static_cast<std::uint32_t>(rng::stream_id(var)));
    return sample(d, s, what);
}

void NeuronGroup::threshold_and_reset(std::size_t lo, std::size_t hi, std::uint64_t n, const double* V_new,
                                      std::vector<Spike>& spikes) {
    const double V_th = spec_.V_th_mV;
    const double V_reset = spec_.V_reset_mV;
    for (std::size_t i = lo; i < hi; ++i) {
        if (ref_left_[i] > 0) {
            --ref_left_[i];
            continue;
        }
        double V = V_new[i];
        if (V >= V_th) {
            spikes.push_back({n + 1, first_gid_ + i});
            V = V_reset;
            ref_left_[i] = ref_steps_;
        }
        V_[i] = V;
    }
}

void NeuronGroup::initialize_membrane(std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
        V_[i] = draw_initial(spec_.V_init, "V", i, "V_init");
        ref_left_[i] = 0;
    }
}

void NeuronGroup::add_modulation(const Modulation& mod, std::size_t lo, std::size_t hi, double* g_tot,
                                 double* g_E) {
    if (mod.g_nS) {
        for (std::size_t i = lo; i < hi; ++i) {
            g_tot[i] += mod.g_nS[i];
            g_E[i] += mod.gE[i];
        }
    }
    if (mod.I_pA) {
        for (std::size_t i = lo; i < hi; ++i) g_E[i] += mod.I_pA[i];
    }
}

std::vector<StateArray> NeuronGroup::state_arrays() {
    std::vector<StateArray> out{{"V", V_, {}, false, "mV"},
                                {"ref_left", {}, ref_left_, true, "steps", {0.0, static_cast<double>(ref_steps_)}}};
    add_state_arrays(out);
    return out;
}

std::unique_ptr<NeuronGroup> make_neuron_group(const PopulationSpec& spec, double dt_ms,
                                               std::uint64_t seed, IndexRange local,
                                               std::uint64_t first_gid) {
    switch (spec.model) {
        case NeuronModel::lif_coba:
            return std::make_unique<LifCobaGroup>(spec, dt_ms, seed, local, first_gid);
        case NeuronModel::lif_cuba_exp:
        case NeuronModel::lif_cuba_delta:
            return std::make_unique<LifCubaGroup>(spec, dt_ms, seed, local, first_gid);
        case NeuronModel::adex_coba:
            return std::make_unique<AdexGroup>(spec, dt_ms, seed, local, first_gid);
        case NeuronModel::poisson_source:
            return std::make_unique<PoissonSourceGroup>(spec, dt_ms, seed, local, first_gid);
    }
    return nullptr;
}

}  // namespace neurochem

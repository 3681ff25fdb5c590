// BDNF per neuron ([bdnf.POP]) and adult neurogenesis in a pool of slots ([neurogenesis.POP])
// (docs/model/slow.md).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "chem/chemistry.hpp"
#include "core/network.hpp"
#include "core/rng.hpp"
#include "neurochem/errors.hpp"
#include "plasticity/plasticity.hpp"
#include "slow/slow_model.hpp"
#include "util/detmath.hpp"

namespace neurochem {

void SlowModel::add_bdnf(const BdnfSpec& sp) {
    const auto pop = static_cast<std::size_t>(model_.population_index(sp.population));  // validated
    auto expression = [sp, pop](const WindowResult& w, std::size_t i) {
        const int ic = w.index(pop, "", Neuromodulation::Quantity::CREB);
        const double creb = ic < 0 ? 0.0 : w.neuron[pop][static_cast<std::size_t>(ic)][i];
        const auto gsk3 = static_cast<std::size_t>(DrugTarget::GSK3);
        const double o_gsk3 = w.occupancy.size() > gsk3 ? w.occupancy[gsk3] : 0.0;
        return (sp.basal + sp.creb_gain * creb + sp.exercise_gain * w.exercise) *
               (1.0 + sp.gsk3_gain * o_gsk3);
    };
    SlowVariable e;
    e.name = "bdnf/" + sp.population + "/expression";
    e.bounds = Bounds::nonnegative();
    e.initial = sp.initial;
    e.population = pop;
    e.measured = expression;
    add(std::move(e));
    SlowVariable b;
    b.name = "bdnf/" + sp.population + "/protein";
    b.bounds = Bounds::nonnegative();
    b.initial = sp.initial;
    b.population = pop;
    // dB/dt = (e - B)/tau, e held over the step: exact.
    b.linear = [sp, expression](const WindowResult& w, std::span<const double>, std::span<double> a,
                                std::span<double> k) {
        for (std::size_t i = 0; i < a.size(); ++i) {
            a[i] = expression(w, i) / sp.tau_h;
            k[i] = -1.0 / sp.tau_h;
        }
    };
    add(std::move(b));
    if (sp.gates.empty()) return;
    // BDNF/TrkB gating: the learning rate of the gated projections is multiplied by
    // g = (mean protein)^exponent, measured after the protein's step and applied before the
    // next window (and after a restore, from the checkpointed g).
    std::vector<std::size_t> gated;
    for (const auto& name : sp.gates)
        gated.push_back(static_cast<std::size_t>(model_.projection_index(name)));  // validated
    if (!plasticity_) throw internal_error("bdnf " + sp.population + ": gates without plasticity");
    const std::size_t protein = vars_.size() - 1;
    SlowVariable g;
    g.name = "bdnf/" + sp.population + "/learning_gain";
    g.bounds = Bounds::nonnegative();
    auto gain = [e = sp.gate_exponent](double B) {
        return B > 0 ? pow_det(B, e) : (e > 0 ? 0.0 : 1.0);
    };
    g.initial = gain(sp.initial);
    g.measured = [this, protein, gain](const WindowResult&, std::size_t) {
        return gain(mean(protein));  // collective: every rank calls it
    };
    g.apply = [this, gated](std::span<const double> x) {
        for (const std::size_t k : gated)
            plasticity_->set_learning_gain(k, x[0]);
    };
    add(std::move(g));
}

void SlowModel::add_neurogenesis(const NeurogenesisSpec& g) {
    const auto pop = static_cast<std::size_t>(model_.population_index(g.population));  // validated
    Neuromodulation* nm = chem_ ? chem_->population(pop) : nullptr;
    if (!nm || nm->input_scale().empty())
        throw internal_error("neurogenesis " + g.population + ": no input scale");
    const std::size_t bdnf =
        g.bdnf.empty() ? vars_.size() : index_of("bdnf/" + g.bdnf + "/protein");
    std::vector<double> k = lognormal_rates(pop, "neurogenesis:" + g.population, g.spread);
    SlowVariable v;
    v.name = "neurogenesis/" + g.population + "/integration";
    v.bounds = Bounds::unit_interval();
    v.initial = g.initial;
    v.population = pop;
    v.fraction_threshold =
        g.integrated_above;  // output: the fraction of slots holding an integrated neuron
    v.fraction_above = true;
    // dw/dt = k S (1 - w)/maturation - w/turnover, S held over the step: exact.
    v.linear = [this, g, pop, bdnf, k = std::move(k)](const WindowResult& w,
                                                      std::span<const double>, std::span<double> a,
                                                      std::span<double> b) {
        const double B = bdnf < vars_.size() ? mean(bdnf) : 1.0;  // collective: every rank calls it
        const double S = B * (1.0 + g.exercise_gain * w.exercise);
        for (std::size_t i = 0; i < a.size(); ++i) {
            // rate of the slot from the window: per-neuron rates are not in the window; the
            // population rate stands in (the slots of one pool see the same niche).
            const double s =
                k[i] * S * (1.0 + g.activity_gain_per_Hz * w.rate_Hz[pop]) / g.maturation_h;
            a[i] = s;
            b[i] = -s - 1.0 / g.turnover_h;
        }
    };
    // A slot's input scale ramps with its integration up to the threshold and is full above it:
    // integrated neurons behave as the population was calibrated, the rest fade out.
    v.apply = [this, pop, threshold = g.integrated_above](std::span<const double> x) {
        auto dst = chem_->population(pop)->input_scale();
        for (std::size_t i = 0; i < x.size(); ++i)
            dst[i] = threshold > 0 ? std::min(1.0, x[i] / threshold) : 1.0;
    };
    add(std::move(v));
}

}  // namespace neurochem

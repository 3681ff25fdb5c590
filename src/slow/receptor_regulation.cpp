// Slow regulation of receptor coupling per neuron, [regulation.NAME], and of transporter density
// per uptake, [uptake_regulation.NAME] (docs/model/slow.md).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "chem/chemistry.hpp"
#include "core/network.hpp"
#include "core/rng.hpp"
#include "neurochem/errors.hpp"
#include "slow/slow_model.hpp"
#include "util/detmath.hpp"

namespace neurochem {

void SlowModel::add_regulation(const ReceptorRegulationSpec& r) {
    const auto pop = static_cast<std::size_t>(model_.population_index(r.population));  // validated
    Neuromodulation* nm = chem_ ? chem_->population(pop) : nullptr;
    if (!nm) throw internal_error("regulation " + r.name + ": population without neuromodulation");
    const auto receptor = static_cast<std::size_t>(nm->receptor_index(r.receptor));  // validated
    const auto& type = nm->receptor(receptor);
    const double x0 = r.density ? type.density : type.efficacy;
    std::vector<double> k = lognormal_rates(pop, "regulation:" + r.name, r.spread);
    SlowVariable v;
    v.name = "regulation/" + r.name + (r.density ? "/density" : "/efficacy");
    v.unit = "";
    v.bounds = {r.x_min, r.x_max};
    v.initial = x0;
    v.population = pop;
    v.fraction_threshold =
        r.down_per_h > 0 ? r.regulated_below * x0 : -std::numeric_limits<double>::infinity();
    v.linear = [r, pop, x0, k = std::move(k), name = type.name](
                   const WindowResult& w, std::span<const double>, std::span<double> a,
                   std::span<double> b) {
        const int io = w.index(pop, name, Neuromodulation::Quantity::occupancy);
        const int ib = w.index(pop, name, Neuromodulation::Quantity::bound);
        const double relax = std::isfinite(r.recovery_h) ? 1.0 / r.recovery_h : 0.0;
        const bool finite_max = std::isfinite(r.x_max);
        for (std::size_t i = 0; i < a.size(); ++i) {
            const double o = io < 0 ? 0.0 : w.neuron[pop][static_cast<std::size_t>(io)][i];
            const double bound = ib < 0 ? 0.0 : w.neuron[pop][static_cast<std::size_t>(ib)][i];
            const double down = k[i] * r.down_per_h * std::max(0.0, o - r.reference);
            // Up-regulation towards x_max (or, unbounded, at a rate proportional to x).
            const double up = k[i] * r.up_per_h * bound;
            a[i] = relax * x0 + down * r.x_min + (finite_max ? up * r.x_max : 0.0);
            b[i] = -relax - down + (finite_max ? -up : up);
        }
    };
    v.apply = [this, pop, receptor, density = r.density](std::span<const double> x) {
        auto dst = chem_->population(pop)->regulated(
            receptor,
            density ? Neuromodulation::Regulated::density : Neuromodulation::Regulated::efficacy);
        std::copy(x.begin(), x.end(), dst.begin());
    };
    add(std::move(v));
}

void SlowModel::add_uptake_regulation(const UptakeRegulationSpec& u) {
    if (!chem_) throw internal_error("uptake regulation " + u.name + ": no chemistry");
    std::size_t index = 0;
    while (index < model_.chemistry.uptakes.size() &&
           model_.chemistry.uptakes[index].region + "." + model_.chemistry.uptakes[index].name !=
               u.uptake) {
        ++index;
    }  // validated: found
    const auto target = static_cast<std::size_t>(model_.chemistry.uptakes[index].transporter);
    SlowVariable v;
    v.name = "uptake_regulation/" + u.name + "/density";
    v.bounds = {u.x_min, 1.0};
    v.initial = 1.0;
    // dx/dt = (1 - x)/R - down o (x - min), o held over the step: exact.
    v.linear = [u, target](const WindowResult& w, std::span<const double>, std::span<double> a,
                           std::span<double> b) {
        const double relax = std::isfinite(u.recovery_h) ? 1.0 / u.recovery_h : 0.0;
        const double o = w.occupancy.size() > target ? w.occupancy[target] : 0.0;
        a[0] = relax + u.down_per_h * o * u.x_min;
        b[0] = -relax - u.down_per_h * o;
    };
    v.apply = [this, index](std::span<const double> x) {
        chem_->pools().set_vmax_factor(index, x[0]);
    };
    add(std::move(v));
}

}  // namespace neurochem

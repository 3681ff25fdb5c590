// Tissue inositol per neuron on the slow clock, the substrate lithium's IMPase inhibition depletes,
// [inositol.POP] (docs/model/slow.md).
#include <algorithm>
#include <memory>

#include "chem/chemistry.hpp"
#include "neurochem/errors.hpp"
#include "slow/slow_model.hpp"

namespace neurochem {

void SlowModel::add_inositol(const InositolSpec& spec) {
    const auto pop = static_cast<std::size_t>(model_.population_index(spec.population));
    Neuromodulation* nm = chem_ ? chem_->population(pop) : nullptr;
    if (!nm || nm->inositol_level().empty())
        throw internal_error("inositol " + spec.population + ": no inositol level");
    std::vector<std::string> gq;  // the population's Gq-coupled receptor types
    for (std::size_t r = 0; r < nm->receptors(); ++r)
        if (nm->receptor(r).coupling == Coupling::gq) gq.push_back(nm->receptor(r).name);
    const auto& c = model_.chemistry.messengers;
    const auto impase = static_cast<std::size_t>(DrugTarget::IMPase);
    SlowVariable v;
    v.name = "inositol/" + spec.population + "/level";
    v.bounds = Bounds::unit_interval();
    v.initial = spec.initial;
    v.population = pop;
    // The columns of the Gq activations in the window, found once (the same in every window).
    auto columns = std::make_shared<std::vector<int>>();
    // dn/dt = k_s (1 - n) - max(0, J(n) - V (1 - o)) per second, x 3600 per hour; not linear in
    // n (J saturates, IMPase caps): Dormand-Prince per neuron.
    v.general = [c, pop, impase, gq, columns](const WindowResult& w, std::size_t i, double n) {
        if (columns->empty()) {
            for (const auto& name : gq)
                columns->push_back(w.index(pop, name, Neuromodulation::Quantity::activation));
        }
        double G = 0.0;
        for (const int col : *columns)
            G += col < 0 ? 0.0 : w.neuron[pop][static_cast<std::size_t>(col)][i];
        const double o = w.occupancy.size() > impase ? w.occupancy[impase] : 0.0;
        const double p = c.PLC_basal_per_s + c.PLC_Gq_per_s * G;
        const double kr = c.PIP2_resynthesis_per_s;
        const double demand = p * kr * n / (kr * n + p);
        const double capacity = c.IMPase_Vmax_per_s * (1.0 - o);
        return 3600.0 * (c.inositol_supply_per_s * (1.0 - n) - std::max(0.0, demand - capacity));
    };
    v.apply = [this, pop](std::span<const double> x) {
        auto dst = chem_->population(pop)->inositol_level();
        std::copy(x.begin(), x.end(), dst.begin());
    };
    add(std::move(v));
}

}  // namespace neurochem

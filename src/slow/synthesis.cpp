// The serotonin store of a region's terminals: synthesis by tryptophan hydroxylase and breakdown
// by MAO-A, [synthesis.NAME] (docs/model/slow.md).
#include "chem/chemistry.hpp"
#include "neurochem/errors.hpp"
#include "slow/slow_model.hpp"

namespace neurochem {

void SlowModel::add_synthesis(const SynthesisSpec& s) {
    if (!chem_) throw internal_error("synthesis " + s.name + ": no chemistry");
    const int pool = chem_->pools().index(s.region, s.transmitter);
    if (pool < 0) throw internal_error("synthesis " + s.name + ": no pool");  // validated
    const auto mao = static_cast<std::size_t>(DrugTarget::MAOA);
    SlowVariable v;
    v.name = "synthesis/" + s.name + "/store";
    v.bounds = Bounds::nonnegative();
    v.initial = 1.0;
    // ds/dt = (g(T)/g(1) - (m (1 - i) + 1 - m) s) / turnover, i held over the step: exact.
    v.linear = [s, mao](const WindowResult& w, std::span<const double>, std::span<double> a,
                        std::span<double> b) {
        const double supply = (s.tryptophan / (s.tryptophan + s.TPH_Km)) / (1.0 / (1.0 + s.TPH_Km));
        const double i = w.occupancy.size() > mao ? w.occupancy[mao] : 0.0;
        a[0] = supply / s.turnover_h;
        b[0] = -(s.mao_share * (1.0 - i) + 1.0 - s.mao_share) / s.turnover_h;
    };
    v.apply = [this, pool](std::span<const double> x) {
        chem_->pools().set_release_factor(static_cast<std::size_t>(pool), x[0]);
    };
    add(std::move(v));
}

}  // namespace neurochem

// Pindolol at the raphe autoreceptor (configs/drugs/pindolol.ini, docs/model/chemistry.md
// "Pindolol's efficacy"). Its efficacy enters the operational model, where the autoreceptor's
// large reserve (tau 30) amplifies any agonism: entered as the 0.2 of its [35S]GTPgS assay,
// pindolol at a 20 % occupancy silenced the raphe and locked the augmentation course asleep for
// three weeks. What must hold instead, from the rat in vivo: no change of firing at
// low doses but agonism at high doses (Haddjeri, de Montigny & Blier 1999 Biol Psychiatry
// 45:1163; Clifford et al. 1998 Br J Pharmacol 124:206), and under an SSRI's 5-HT a net
// antagonist.
#include <gtest/gtest.h>

#include <algorithm>

#include <stdexcept>

#include "config/config.hpp"
#include "course_util.hpp"
#include "receptor_util.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {

const ModelSpec& course_model() {
    static const ModelSpec m = test::load_model("configs/course/ssri_pindolol.ini");
    return m;
}

/// The course's raphe autoreceptor alone on one neuron (density and coupling efficacy 1).
ModelSpec raphe_autoreceptor() {
    const auto& types = course_model().chemistry.receptor_types;
    const auto it = std::find_if(types.begin(), types.end(),
                                 [](const ReceptorTypeSpec& r) { return r.name == "5HT1A_auto"; });
    if (it == types.end()) throw std::runtime_error("the course has no receptor type 5HT1A_auto");
    return test::one_neuron_with_receptor(*it);
}

double pindolol_efficacy() {
    for (const auto& d : course_model().chemistry.drugs)
        if (d.name == "pindolol") return d.efficacy[static_cast<int>(DrugTarget::HT1A)];
    ADD_FAILURE() << "no drug pindolol";
    return 0;
}

/// Activation at equilibrium with 5-HT at `five_ht_uM` and pindolol holding the fraction
/// `bound` of the receptors.
double activation(double five_ht_uM, double bound) {
    const ModelSpec m = raphe_autoreceptor();
    const double c = five_ht_uM / m.chemistry.receptor_types[0].Kd_uM;
    // Drug-bound fraction r / (1 + c + r) = bound.
    const double r = bound * (1 + c) / (1 - bound);
    return test::receptor_activation(m, five_ht_uM, r, pindolol_efficacy());
}

}  // namespace

// Raphe 5-HT of the course awake: ~0.057 uM untreated, ~0.15 uM on escitalopram's day 2.
TEST(Pindolol, NeutralAtItsClinicalOccupancyAgonistAtHighAntagonistUnderAnSsri) {
    const double untreated = activation(0.057, 0), ssri = activation(0.15, 0);
    ASSERT_GT(untreated, 0.2);
    // Rabiner et al. 2001: 5 mg t.i.d. occupies 19 % (2.5 mg: not significantly). Haddjeri
    // 1999: no change of firing at low doses.
    EXPECT_LT(std::abs(activation(0.057, 0.2) / untreated - 1), 0.15);
    // High doses inhibit firing through the autoreceptor (reversed by WAY-100635).
    EXPECT_GT(activation(0.057, 0.75) / untreated, 1.2);
    // Under the SSRI's 5-HT the partial agonist competes the response down.
    EXPECT_LE(activation(0.15, 0.2), ssri);
}

// The augmentation course from the first doses (day 0 08:00, asleep) to day 1 06:00: from noon
// on, the network is awake after the first doses and through the evening as on escitalopram
// alone, and the raphe fires as it does there.
TEST(Pindolol, AugmentationCourseWakesAndItsRapheFiresAsOnTheSsriAlone) {
    struct Awake {
        double awake_h = 0, drn = 0;
    };
    auto awake = [](const char* config) {
        const auto r = test::run_course(test::load_model(config, {"simulation.duration=30 h"}),
                                        {"time_h", "step_h", "state/sleep/asleep", "rate/DRN"});
        Awake d;
        for (const auto& row : r.rows) {
            if (row[r.col[0]] - row[r.col[1]] < 12.0 || row[r.col[2]] > 0.5) continue;
            d.awake_h += row[r.col[1]];
            d.drn += row[r.col[3]] * row[r.col[1]];
        }
        if (d.awake_h > 0) d.drn /= d.awake_h;
        return d;
    };
    const Awake both = awake("configs/course/ssri_pindolol.ini");
    const Awake ssri = awake("configs/course/ssri_escitalopram.ini");
    ASSERT_GE(both.awake_h, 8.0) << "with the assay's efficacy 0.2 the course never woke";
    EXPECT_NEAR(both.awake_h, ssri.awake_h, 4.0);
    EXPECT_GT(both.drn, 0.8 * ssri.drn);
    EXPECT_LT(both.drn, 1.3 * ssri.drn);
}

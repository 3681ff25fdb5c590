// Chemistry against closed-form solutions and published numbers (docs/validation.md).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "chem/neuromodulation.hpp"
#include "chem/pharmacokinetics.hpp"
#include "chem/pools.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
// Principal branch of Lambert's W for x >= 0 (Halley's iteration).
double lambert_w(double x) {
    double w = x < 1 ? x : std::log(x) - std::log(std::log(x) + 1);
    for (int i = 0; i < 100; ++i) {
        const double e = std::exp(w);
        const double f = w * e - x;
        const double step = f / (e * (w + 1) - (w + 2) * f / (2 * w + 2));
        w -= step;
        if (std::fabs(step) < 1e-15 * (1 + std::fabs(w))) break;
    }
    return w;
}

ModelSpec one_pool(double Vmax, double Km, double C0, double loss = 0.0) {
    ModelSpec m;
    PopulationSpec p;
    p.name = "DA";
    p.size = 100;
    p.receptors = {{"exc", 5, 0, {}}, {"inh", 10, -80, {}}};
    m.populations.push_back(p);
    m.chemistry.enabled = true;
    m.regions.push_back({"striatum", {"DA"}, {{Transmitter::dopamine, C0, loss}}});
    m.chemistry.uptakes.push_back(
        {"DAT", "striatum", DrugTarget::DAT, Transmitter::dopamine, Vmax, Km});
    m.chemistry.releases.push_back({"DA->striatum", "DA", "striatum", Transmitter::dopamine, 0.0});
    return m;
}

// Chemistry spec from config text (drug files are included by absolute path).
ChemistrySpec chemistry_of(const std::string& text) {
    const auto dir = test::scratch_dir("chem_cfg");
    const std::string path = dir + "/c.ini";
    std::ofstream(path) << text;
    auto raw = config::read_config_file(path);
    return config::to_model(config::resolve(raw)).chemistry;
}

std::string regimen(const std::string& drug, double dose_mg, double interval_h = 24) {
    return "[include]\nfiles = " + test::source_path("configs/drugs/" + drug + ".ini") +
           "\n[population.X]\nmodel = lif_coba\nsize = 1\n[regimen.r]\ndrug = " + drug +
           "\ndose = " + std::to_string(dose_mg) + " mg\ninterval = " + std::to_string(interval_h) +
           " h\n";
}
}  // namespace

// Michaelis-Menten clearance of one release has a closed form:
//   C(t) = Km W((C0/Km) exp((C0 - Vmax t)/Km)).
TEST(Chemistry, MichaelisMentenClearanceMatchesLambertW) {
    const double Vmax = 4.1, Km = 0.21, C0 = 0.5;  // uM/s, uM, uM
    auto m = one_pool(Vmax, Km, C0);
    Pools pools(m);
    const std::vector<double> factor{1.0};
    double t = 0;
    for (int k = 1; k <= 400; ++k) {  // 400 ms in 1 ms steps
        pools.relax(factor, 1e-3);
        t += 1e-3;
        const double exact = Km * lambert_w(C0 / Km * std::exp((C0 - Vmax * t) / Km));
        ASSERT_NEAR(pools.concentration_uM()[0], exact, 1e-9 + 1e-7 * exact) << "t = " << t;
    }
}

// VT-01: one synchronous release on top of the tonic level (35 nM) clears back to within 10 %
// of the peak above baseline in 100-300 ms in dorsal striatum (Vmax 4.1 uM/s, Dreyer 2010), and
// 2-4x slower in ventral striatum (1.5 uM/s, Dreyer's VTA->NAc value); Km 0.21 uM.
TEST(Chemistry, VT01DopamineTransientClearance) {
    auto decay_time = [](double Vmax) {
        const double Km = 0.21, base = 0.035, peak = 0.25;  // uM above baseline
        // The tonic release that holds the baseline: R = Vmax C/(Km + C).
        const double R = Vmax * base / (Km + base);
        auto m = one_pool(Vmax, Km, base + peak);
        Pools pools(m);
        const std::vector<double> factor{1.0};
        for (int k = 1; k < 5000; ++k) {
            pools.concentration_uM()[0] += R * 1e-3;  // tonic release, spread over the steps
            pools.relax(factor, 1e-3);
            if (pools.concentration_uM()[0] - base < 0.1 * peak) return k * 1e-3;
        }
        return 99.0;
    };
    const double ds = decay_time(4.1), vs = decay_time(1.5);
    std::printf("VT-01: DS decay %.0f ms, VS decay %.0f ms, ratio %.2f\n", ds * 1e3, vs * 1e3,
                vs / ds);
    EXPECT_GE(ds, 0.100);
    EXPECT_LE(ds, 0.300);
    EXPECT_GE(vs / ds, 2.0);
    EXPECT_LE(vs / ds, 4.0);
}

TEST(Chemistry, TransporterInhibitionRaisesKm) {
    // With Km_app = Km (1 + I/Ki) the steady state at constant release R is
    // C = Km_app R / (Vmax - R).
    const double Vmax = 0.78, Km = 0.17, R = 0.2;
    for (double factor : {1.0, 5.0}) {
        auto m = one_pool(Vmax, Km, 0.0);
        Pools pools(m);
        const std::vector<double> f{factor};
        for (int k = 0; k < 60000; ++k) {
            pools.concentration_uM()[0] += R * 1e-3;
            pools.relax(f, 1e-3);
        }
        // Sample just after a release: the mean over a step equals the continuous steady state
        // to O(dt); compare the midpoint of the saw tooth.
        const double after = pools.concentration_uM()[0] + 0.5 * R * 1e-3;
        EXPECT_NEAR(after, Km * factor * R / (Vmax - R), 2e-4) << factor;
    }
}

// Terminal autoreceptors scale the release per spike by (1 - a C/(C + Kd)) / (1 - a C0/(C0 + Kd)):
// at the initial concentration C0 a spike adds exactly the quantum; above it less, below it more.
TEST(Chemistry, TerminalAutoreceptorsScaleReleaseAboutTheInitialLevel) {
    const double C0 = 0.05, a = 0.6, Kd = 0.01, q = 0.2;  // uM, 1, uM, uM
    auto m = one_pool(0.0, 1.0, C0);                      // no uptake: only release changes C
    m.chemistry.releases[0].quantum_uM = q;
    m.chemistry.releases[0].autoreceptor_max = a;
    m.chemistry.releases[0].autoreceptor_Kd_uM = Kd;
    const std::vector<double> km{1.0};
    const std::vector<std::uint64_t> ten{10};
    auto factor = [&](double C) { return (1 - a * C / (C + Kd)) / (1 - a * C0 / (C0 + Kd)); };
    for (const double C : {C0, 2 * C0, 0.2 * C0}) {
        Pools pools(m);
        pools.concentration_uM()[0] = C;
        pools.step(ten, km, 1e-3);
        EXPECT_NEAR(pools.concentration_uM()[0] - C, 10 * q / 100 * factor(C), 1e-15) << C;
    }
    EXPECT_DOUBLE_EQ(factor(C0), 1.0);
    EXPECT_LT(factor(2 * C0), 1.0);
    EXPECT_GT(factor(0.2 * C0), 1.0);
    // The terminals' store ([synthesis]) scales release on top: a store of 2 doubles it.
    Pools pools(m);
    pools.set_release_factor(0, 2.0);
    pools.step(ten, km, 1e-3);
    EXPECT_NEAR(pools.concentration_uM()[0] - C0, 2 * 10 * q / 100, 1e-15);
}

// Moclobemide (configs/drugs/moclobemide.ini): MAO-A occupancy PET-calibrated to Sacher et al.
// 2011 (74 % at 300-600 mg/day): 150 mg three times a day gives a mean of 74 % on day 5 (a test
// of the PK and the calibration's arithmetic), swinging within the day (t1/2 2 h).
TEST(Chemistry, MoclobemideMaoAOccupancyCalibratedToPet) {
    Pharmacokinetics pk(chemistry_of(regimen("moclobemide", 150, 8)));
    double sum = 0, lo = 1, hi = 0;
    for (int i = 0; i < 240; ++i) {
        pk.advance_to(4 * 24 + (i + 0.5) * 0.1);
        const double o = pk.occupancy(DrugTarget::MAOA);
        sum += o;
        lo = std::min(lo, o);
        hi = std::max(hi, o);
    }
    std::printf("moclobemide 150 mg t.i.d.: MAO-A %.1f %% (day 5 mean; %.1f-%.1f %%)\n",
                100 * sum / 240, 100 * lo, 100 * hi);
    EXPECT_NEAR(100 * sum / 240, 74.0, 2.0);
    EXPECT_GT(hi - lo, 0.1);
    EXPECT_EQ(pk.occupancy(DrugTarget::SERT), 0.0);
}

// One-compartment oral PK: a single dose follows the Bateman function, and at steady state the
// mean concentration over a dosing interval is F D / (CL tau) (linear PK).
TEST(Chemistry, PharmacokineticsMatchesAnalyticSolutions) {
    const auto ch = chemistry_of(regimen("escitalopram", 20) + "stop = 1 h\n");
    Pharmacokinetics pk(ch);
    const auto& d = ch.drugs[0];
    const double V = d.Vd_L_per_kg * 70.0, ke = std::log(2.0) / d.half_life_h,
                 ka = d.absorption_per_h;
    for (double t : {0.5, 2.0, 4.0, 12.0, 48.0}) {
        pk.advance_to(t);
        const double mg_per_L =
            d.bioavailability * 20 / V * ka / (ka - ke) * (std::exp(-ke * t) - std::exp(-ka * t));
        EXPECT_NEAR(pk.plasma_uM(0), mg_per_L * 1000 / d.molar_mass_g_per_mol, 1e-9) << t;
    }
    // Steady state (daily doses for 30 days), averaged over the last day.
    const auto ch2 = chemistry_of(regimen("escitalopram", 20));
    Pharmacokinetics pk2(ch2);
    pk2.advance_to(29 * 24);
    double sum = 0;
    const int n = 2400;
    for (int i = 0; i < n; ++i) {
        pk2.advance_to(29 * 24 + (i + 0.5) * 24.0 / n);
        sum += pk2.plasma_uM(0);
    }
    const double css = d.bioavailability * 20 / (ke * V * 24) * 1000 / d.molar_mass_g_per_mol;
    EXPECT_NEAR(sum / n, css, 1e-3 * css);
}

// The metabolite's mean steady-state concentration: (F f + (1 - F) fp) (D / tau) (MW_m / MW) /
// (ke_m V_m).
TEST(Chemistry, MetaboliteSteadyState) {
    const auto ch = chemistry_of(regimen("venlafaxine", 75));
    Pharmacokinetics pk(ch);
    std::size_t odv = 0;
    while (pk.name(odv) != "desvenlafaxine")
        ++odv;
    const auto& m = ch.drugs[odv];
    const auto& p = ch.drugs[1 - odv];
    pk.advance_to(20 * 24);
    double sum = 0;
    for (int i = 0; i < 2400; ++i) {
        pk.advance_to(20 * 24 + (i + 0.5) / 100.0);
        sum += pk.plasma_uM(odv);
    }
    // mg/h into the metabolite: formed from the systemic and the first-pass share, in moles
    const double formed =
        p.bioavailability * m.fraction_formed + (1 - p.bioavailability) * m.first_pass_fraction;
    const double rate = formed * 75 / 24 * m.molar_mass_g_per_mol / p.molar_mass_g_per_mol;
    const double css =
        rate / (std::log(2.0) / m.half_life_h * m.Vd_L_per_kg * 70) * 1000 / m.molar_mass_g_per_mol;
    EXPECT_NEAR(sum / 2400, css, 2e-3 * css);
}

// Receptor occupancy: steady state x/(1 + x + r) for agonist x = C/Kd and competitive
// antagonist r = [A]/Ki, reached with rate k_off (1 + x + r).
TEST(Chemistry, ReceptorOccupancyWithAndWithoutCompetitor) {
    ModelSpec m = one_pool(1, 1, 0);
    m.populations[0].expresses = {"D2"};
    ReceptorTypeSpec d2;
    d2.name = "D2";
    d2.ligand = Transmitter::dopamine;
    d2.coupling = Coupling::gi;
    d2.Kd_uM = 0.007;
    d2.k_off_per_s = 0.2;
    m.chemistry.receptor_types.push_back(d2);
    for (double C : {0.001, 0.007, 0.05}) {
        for (double r : {0.0, 3.0}) {
            Neuromodulation nm(m, 0, 4, 1.0);
            ReceptorInputs start{{0.0}, {0.0}, {0.0}, 1.0};
            nm.initialize(0, 4, start);
            const ReceptorInputs in{{C}, {r}, {0.0}, 1.0};
            const double x = C / 0.007, eq = x / (1 + x + r), rate = 0.2 * (1 + x + r);
            for (int k = 1; k <= 200000; ++k) {  // 200 s: > 40 time constants
                nm.step(0, 4, in);
                if (k == 1000) {  // 1 s: exponential approach (exact for the linear system)
                    const double got = static_cast<double>(nm.local_sum_fixed(
                                           Neuromodulation::Quantity::occupancy)) *
                                       0x1p-32 / 4;
                    EXPECT_NEAR(got, eq * (1 - std::exp(-rate * 1.0)), 2e-4) << C << " " << r;
                }
            }
            const double got =
                static_cast<double>(nm.local_sum_fixed(Neuromodulation::Quantity::occupancy)) *
                0x1p-32 / 4;
            EXPECT_NEAR(got, eq, 1e-6) << "C " << C << " antagonist " << r;
        }
    }
}

// Lithium inhibits IMPase uncompetitively (Ki 0.86 mM). Without lithium the inositol cycle keeps
// up with strong Gq stimulation; with 0.6-1.2 mM the sustained PIP2 hydrolysis (the IP3 signal)
// is capped at the IMPase capacity the Ki implies, Vmax/(1 + [Li]/Ki), plus the inositol supply
// (approached from below as IP1 accumulates); at rest signalling hardly changes (uncompetitive
// inhibition spares unstimulated cells).
TEST(Chemistry, LithiumReducesGqSignallingByTheAmountItsKiImplies) {
    ModelSpec m = one_pool(1, 1, 0);
    m.populations[0].expresses = {"Gq_r"};
    ReceptorTypeSpec q;
    q.name = "Gq_r";
    q.ligand = Transmitter::dopamine;
    q.coupling = Coupling::gq;
    q.Kd_uM = 1;
    m.chemistry.receptor_types.push_back(q);
    const auto& x = m.chemistry.messengers;  // the defaults
    auto steady_IP3 = [&](double agonist_uM, double li_mM) {
        Neuromodulation nm(m, 0, 1, 10.0);  // 10 ms chemistry steps
        const ReceptorInputs in{{agonist_uM}, {0.0}, {0.0}, 1.0 + li_mM / 0.86};
        nm.initialize(0, 1, in);
        for (int k = 0; k < 400000; ++k)
            nm.step(0, 1, in);  // 4000 s
        return static_cast<double>(nm.local_sum_fixed(Neuromodulation::Quantity::IP3)) * 0x1p-32;
    };
    // Without lithium: the cycle is not IMPase-limited (inositol stays at 1).
    const double occupancy = 1000.0 / 1001.0;
    const double plc = x.PLC_basal_per_s + x.PLC_Gq_per_s * occupancy;
    const double demand = plc * x.PIP2_resynthesis_per_s / (x.PIP2_resynthesis_per_s + plc);
    const double stim0 = steady_IP3(1000, 0);
    EXPECT_NEAR(stim0, demand / x.IP3_decay_per_s, 0.01 * stim0);
    for (double li : {0.6, 1.2}) {
        const double f = 1 + li / 0.86;
        const double cap = (x.IMPase_Vmax_per_s / f + x.inositol_supply_per_s) / x.IP3_decay_per_s;
        const double stimLi = steady_IP3(1000, li);
        std::printf("Li %.1f mM: stimulated IP3 %.4f -> %.4f; capacity implied by Ki: %.4f\n", li,
                    stim0, stimLi, cap);
        EXPECT_LE(stimLi, cap * 1.0001);
        EXPECT_GE(stimLi, 0.93 * cap);
        const double rest0 = steady_IP3(0, 0), restLi = steady_IP3(0, li);
        EXPECT_NEAR(restLi / rest0, 1.0, 0.02);
    }
}

// VT-04 (time to steady state, label values +- 30 %) and the SNRI ordering; VT-09 haloperidol
// D2 occupancy. SERT occupancies at the minimum doses, and fluoxetine's time to steady state
// (52 days with norfluoxetine t1/2 9 d, against 4-5 weeks), are reported with their gaps in
// docs/validation.md, not asserted here.
TEST(Chemistry, VT04TimeToSteadyStateAndSnriSelectivity) {
    struct Case {
        const char* drug;
        double dose, days_lo, days_hi;  // label value +- 30 %
    };
    for (const Case c :
         {Case{"escitalopram", 10, 7 * 0.7, 7 * 1.3}, Case{"sertraline", 50, 7 * 0.7, 7 * 1.3},
          Case{"venlafaxine", 75, 0, 3 * 1.3}}) {
        const auto ch = chemistry_of(regimen(c.drug, c.dose));
        Pharmacokinetics pk(ch);
        // The one definition of `neurochem pk` and the docs (time_to_steady_state: troughs within
        // 3.1 %), for the slowest of the drug and its metabolites.
        double days = 0;
        for (std::size_t d = 0; d < pk.drugs(); ++d) {
            const auto tss = time_to_steady_state(ch, d);
            ASSERT_TRUE(tss.reached) << tss.why;
            days = std::max(days, tss.days);
        }
        pk.advance_to(30 * 24.0);
        std::printf(
            "VT-04 %s %g mg: steady state after %.0f days; SERT %.1f %%, NET %.1f %% (day 30)\n",
            c.drug, c.dose, days, 100 * pk.occupancy(DrugTarget::SERT),
            100 * pk.occupancy(DrugTarget::NET));
        EXPECT_GE(days, c.days_lo) << c.drug;
        EXPECT_LE(days, c.days_hi) << c.drug;
    }
    for (const auto& [drug, dose] : {std::pair{"venlafaxine", 75.0},
                                     {"venlafaxine", 225.0},
                                     {"duloxetine", 60.0},
                                     {"duloxetine", 120.0}}) {
        Pharmacokinetics pk(chemistry_of(regimen(drug, dose)));
        pk.advance_to(30 * 24);
        EXPECT_LT(pk.occupancy(DrugTarget::NET), pk.occupancy(DrugTarget::SERT))
            << drug << " " << dose;
    }
}

// VT-04 with the PET-calibrated SERT occupancy (configs/drugs/*.ini: PET_EC50_SERT, PET_Emax_SERT).
// The EC50s were calibrated to the minimum-dose occupancies, so the first check tests the PK and
// the calibration's arithmetic (mean over the 30th day), not the calibration; the plateau at the
// highest labelled doses and the escitalopram/citalopram comparison after 10 days (Klein et
// al. 2007) follow from them.
TEST(Chemistry, VT04SertOccupancyCalibratedToPet) {
    auto mean_day = [](const std::string& drug, double dose, int day) {
        Pharmacokinetics pk(chemistry_of(regimen(drug, dose)));
        double sum = 0;
        for (int i = 0; i < 24; ++i) {
            pk.advance_to(day * 24.0 + i + 0.5);
            sum += pk.occupancy(DrugTarget::SERT);
        }
        return 100 * sum / 24;
    };
    struct Case {
        const char* drug;
        double min_dose, max_dose, target;  // mg/day; % at the minimum dose
    };
    for (const Case c : {Case{"citalopram", 20, 40, 77}, Case{"escitalopram", 10, 20, 80},
                         Case{"sertraline", 50, 200, 80}, Case{"fluoxetine", 20, 80, 80},
                         Case{"paroxetine", 20, 50, 83}, Case{"venlafaxine", 75, 225, 80},
                         Case{"duloxetine", 60, 120, 80}}) {
        const double lo = mean_day(c.drug, c.min_dose, 29), hi = mean_day(c.drug, c.max_dose, 29);
        std::printf("VT-04 %s: SERT %.1f %% at %g mg/day, %.1f %% at %g mg/day (day 30)\n", c.drug,
                    lo, c.min_dose, hi, c.max_dose);
        // 76-85 % +- 5 pp at the minimum dose; the calibration point within 2 pp.
        EXPECT_GE(lo, 76 - 5) << c.drug;
        EXPECT_LE(lo, 85 + 5) << c.drug;
        EXPECT_NEAR(lo, c.target, 2.0) << c.drug;
        // Plateau: higher at the highest labelled dose, never above 90 %.
        EXPECT_GT(hi, lo) << c.drug;
        EXPECT_LE(hi, 90.0) << c.drug;
    }
    // Klein et al. 2007 ("Higher SERT occupancy after multiple dose administration of
    // escitalopram compared to citalopram"): after 10 days, 6 h after the last dose, escitalopram
    // 10 mg/day 81.5 % vs citalopram 20 mg/day 64 %. The racemate's R-enantiomer (its allosteric
    // constant calibrated to Meyer's 77 % at steady state) keeps the order; the gap is smaller.
    auto day10_6h = [](const std::string& drug, double dose) {
        Pharmacokinetics pk(chemistry_of(regimen(drug, dose)));
        pk.advance_to(9 * 24 + 6.0);
        return 100 * pk.occupancy(DrugTarget::SERT);
    };
    const double esc = day10_6h("escitalopram", 10), cit = day10_6h("citalopram", 20);
    std::printf(
        "day 10, 6 h after the dose: escitalopram 10 mg/day %.1f %%, citalopram 20 mg/day %.1f %% "
        "(Klein 2007: 81.5, 64)\n",
        esc, cit);
    EXPECT_NEAR(esc, 81.5, 5.0);  // escitalopram's calibration is to the steady-state mean
    EXPECT_GT(esc, cit);
}

// Citalopram is a racemate (configs/drugs/citalopram.ini): a regimen of the mixture gives each
// enantiomer half of every dose, each follows its own PK, and R-citalopram both occupies SERT
// weakly and lowers S-citalopram's load allosterically: o = Emax x / (1 + x) with
// x = (P_S / EC50_S) / (1 + P_R / K) + P_R / EC50_R.
TEST(Chemistry, RacemateDosesEachEnantiomerWithItsOwnKinetics) {
    const auto ch = chemistry_of(regimen("citalopram", 20) + "stop = 1 h\n");
    ASSERT_EQ(ch.mixtures.size(), 1u);
    const auto es = chemistry_of(regimen("escitalopram", 10) + "stop = 1 h\n");
    Pharmacokinetics pk(ch), s_alone(es);
    std::size_t S = 0, Rc = 0;
    for (std::size_t d = 0; d < pk.drugs(); ++d) {
        if (pk.name(d) == "escitalopram") S = d;
        if (pk.name(d) == "R_citalopram") Rc = d;
    }
    const DrugSpec& r = ch.drugs[Rc];
    const DrugSpec& s = ch.drugs[S];
    const int sert = static_cast<int>(DrugTarget::SERT);
    ASSERT_GT(r.half_life_h, s.half_life_h);
    ASSERT_GT(r.allosteric_K_uM[sert], 0.0);
    const double V = r.Vd_L_per_kg * 70.0, ke = std::log(2.0) / r.half_life_h,
                 ka = r.absorption_per_h;
    for (double t : {2.0, 6.0, 24.0, 96.0}) {
        pk.advance_to(t);
        s_alone.advance_to(t);
        // S from 20 mg of racemate is S from 10 mg of escitalopram, bit for bit.
        EXPECT_EQ(pk.plasma_uM(S), s_alone.plasma_uM(0)) << t;
        // R: the Bateman function of its own half-life with 10 mg.
        const double mg_per_L =
            r.bioavailability * 10 / V * ka / (ka - ke) * (std::exp(-ke * t) - std::exp(-ka * t));
        EXPECT_NEAR(pk.plasma_uM(Rc), mg_per_L * 1000 / r.molar_mass_g_per_mol,
                    1e-9 * pk.plasma_uM(Rc))
            << t;
        const double xs = pk.plasma_uM(S) / s.PET_EC50_uM[sert];
        const double x = xs / (1 + pk.plasma_uM(Rc) / r.allosteric_K_uM[sert]) +
                         pk.plasma_uM(Rc) / r.PET_EC50_uM[sert];
        const double emax = std::max(s.PET_Emax[sert], r.PET_Emax[sert]);
        EXPECT_NEAR(pk.occupancy(DrugTarget::SERT), emax * x / (1 + x), 1e-12) << t;
        // The racemate occupies less than its S-enantiomer would with R as a competitor alone.
        const double competitive = xs + pk.plasma_uM(Rc) / r.PET_EC50_uM[sert];
        EXPECT_LT(pk.occupancy(DrugTarget::SERT), emax * competitive / (1 + competitive)) << t;
    }
    // At steady state R's mean level exceeds S's by the ratio of the half-lives (F, Vd and fu
    // being equal, the means are F D / (CL tau)).
    const auto ss = chemistry_of(regimen("citalopram", 20));
    Pharmacokinetics pk2(ss);
    double sum_s = 0, sum_r = 0;
    pk2.advance_to(40 * 24);
    for (int i = 0; i < 240; ++i) {
        pk2.advance_to(40 * 24 + (i + 0.5) * 0.1);
        sum_s += pk2.plasma_uM(S);
        sum_r += pk2.plasma_uM(Rc);
    }
    EXPECT_NEAR(sum_r / sum_s, r.half_life_h / s.half_life_h, 1e-3);
    // The time to steady state of each enantiomer comes from the mixture's regimen.
    EXPECT_TRUE(time_to_steady_state(ss, Rc).reached);
    EXPECT_GT(time_to_steady_state(ss, Rc).days, time_to_steady_state(ss, S).days);
    // A config may include citalopram.ini and escitalopram.ini (which citalopram.ini includes):
    // the same file reached twice is merged once.
    const auto both =
        chemistry_of("[include]\nfiles = " + test::source_path("configs/drugs/citalopram.ini") +
                     ", " + test::source_path("configs/drugs/escitalopram.ini") +
                     "\n[population.X]\nmodel = lif_coba\nsize = 1\n");
    EXPECT_EQ(both.drugs.size(), 2u);
}

TEST(Chemistry, VT09HaloperidolD2OccupancyWindow) {
    std::vector<double> occ;
    for (double dose : {1.0, 2.5, 5.0}) {
        Pharmacokinetics pk(chemistry_of(regimen("haloperidol", dose)));
        double sum = 0;
        for (int i = 0; i < 240; ++i) {  // mean over the 14th day
            pk.advance_to(13 * 24 + (i + 0.5) / 10.0);
            sum += pk.occupancy(DrugTarget::D2);
        }
        occ.push_back(100 * sum / 240);
        std::printf("VT-09 haloperidol %.1f mg/d: D2 occupancy %.1f %%\n", dose, occ.back());
    }
    // Kapur et al. 2000 observed 38-87 % across 1-5 mg/d (tolerance +- 5 pp); the mean-patient
    // model spans 61-89 %: within the window, narrower than the patients' spread.
    for (double o : occ) {
        EXPECT_GE(o, 38.0 - 5);
        EXPECT_LE(o, 87.0 + 5);
    }
    EXPECT_LT(occ[0], occ[1]);
    EXPECT_LT(occ[1], occ[2]);
}

// VT-09 for risperidone: striatal D2 occupancy at 2, 4 and 6 mg/day against Kapur et al. 1995
// (66, 73, 79 %, +- 5 pp), mean over the 14th day. The PET calibration was fitted to these three
// points (Emax 0.876, EC50 of the active moiety), so this tests the PK of risperidone and
// paliperidone and the fit, not an independent prediction; the clinical thresholds of Kapur 2000
// (response above 65 %, prolactin above 72 %, EPS above 78 %) then fall between 2 and 6 mg/day.
TEST(Chemistry, VT09RisperidoneD2OccupancyAgainstPet) {
    const double published[] = {66, 73, 79};
    int i = 0;
    std::vector<double> occ;
    for (double dose : {2.0, 4.0, 6.0}) {
        Pharmacokinetics pk(chemistry_of(regimen("risperidone", dose)));
        double sum = 0;
        for (int k = 0; k < 240; ++k) {
            pk.advance_to(13 * 24 + (k + 0.5) / 10.0);
            sum += pk.occupancy(DrugTarget::D2);
        }
        occ.push_back(100 * sum / 240);
        std::printf("VT-09 risperidone %.0f mg/d: D2 occupancy %.1f %% (Kapur 1995: %.0f %%)\n",
                    dose, occ.back(), published[i]);
        EXPECT_NEAR(occ.back(), published[i], 5.0);
        ++i;
    }
    EXPECT_GT(occ[0], 65.0 - 5);  // 2 mg/day reaches the response threshold
    EXPECT_LT(occ[0], 78.0);      // without crossing the EPS threshold
    EXPECT_LT(occ[0], occ[1]);
    EXPECT_LT(occ[1], occ[2]);
}

TEST(Chemistry, LithiumSerumLevelAtTheUsualDose) {
    // 300 mg lithium carbonate three times a day: serum 0.6-1.2 mM (maintenance range), the band
    // the docs claim, over the whole 14th day (peaks and troughs).
    Pharmacokinetics pk(chemistry_of(regimen("lithium", 300, 8)));
    double lo = 1e9, hi = 0;
    for (int i = 0; i < 240; ++i) {
        pk.advance_to(13 * 24 + (i + 0.5) / 10.0);
        lo = std::min(lo, pk.plasma_uM(0));
        hi = std::max(hi, pk.plasma_uM(0));
    }
    std::printf("lithium 900 mg/d: serum %.2f-%.2f mM\n", lo / 1000, hi / 1000);
    EXPECT_GE(lo / 1000, 0.6);
    EXPECT_LE(hi / 1000, 1.2);
}

// Pharmacokinetics against exact solutions of the linear compartment model, at any rate (the
// fixed-substep integrator this replaced went negative above ka ~ 56 /h), for oral doses, i.v.
// boluses and infusions, metabolites formed systemically and in the first pass; and absurd inputs,
// which give a clear error or a finite, non-negative result.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "chem/pharmacokinetics.hpp"
#include "config/config.hpp"
#include "core/state_registry.hpp"
#include "memory_state.hpp"
#include "neurochem/errors.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {

DrugSpec drug(const std::string& name, double ka, double half_life_h, double Vd = 1.0,
              double F = 1.0) {
    DrugSpec d;
    d.name = name;
    d.molar_mass_g_per_mol = 1000.0;  // 1 mg/L = 1 uM
    d.bioavailability = F;
    d.Vd_L_per_kg = Vd;
    d.half_life_h = half_life_h;
    d.absorption_per_h = ka;
    d.Ki_uM[static_cast<int>(DrugTarget::SERT)] = 0.01;
    return d;
}

ChemistrySpec spec(std::vector<DrugSpec> drugs, RegimenSpec r) {
    ChemistrySpec ch;
    ch.enabled = true;
    ch.body_mass_kg = 1.0;  // amounts in mg = concentrations in mg/L per (L/kg)
    ch.drugs = std::move(drugs);
    r.name = "r";
    r.drug = ch.drugs[0].name;
    ch.regimens = {r};
    return ch;
}

RegimenSpec once(double dose_mg, Route route = Route::oral, double infusion_h = 1.0) {
    RegimenSpec r;
    r.dose_mg = dose_mg;
    r.interval_h = 1e6;
    r.start_h = 0.0;
    r.route = route;
    r.infusion_h = infusion_h;
    return r;
}

// Bateman: a single oral dose D into one compartment, C = F D ka / (V (ka - ke)) (e^-ke t - e^-ka
// t), and its limit ka t e^-kt for ka = ke.
double bateman(double FD_over_V, double ka, double ke, double t) {
    // e^-ke t - e^-ka t = -e^-ke t expm1(-(ka - ke) t): no cancellation when ka ~ ke.
    const double d = ka - ke;
    if (d == 0) return FD_over_V * ka * t * std::exp(-ke * t);
    return FD_over_V * ka * std::exp(-ke * t) * (-std::expm1(-d * t)) / d;
}

double relative_error(double got, double want) {
    return std::abs(got - want) / std::max(std::abs(want), 1e-300);
}

}  // namespace

TEST(Pharmacokinetics, MatrixExponentialOfACompartmentChainIsExact) {
    // [[-ka, 0], [ka, -ke]] t: exp has e^-ka t, e^-ke t and the Bateman term; over 12 decades of
    // rate (stiff) to within 1e-12 of the largest entry.
    for (double ka : {1e-4, 0.3, 56.0, 100.0, 1e4, 1e6}) {
        for (double ke : {1e-3, 0.0693, 5.0}) {
            for (double t : {0.05, 1.0, 24.0}) {
                const std::vector<double> A{-ka * t, 0.0, ka * t, -ke * t};
                const auto E = matrix_exponential(A, 2);
                EXPECT_NEAR(E[0], std::exp(-ka * t), 1e-13) << ka << " " << ke << " " << t;
                EXPECT_EQ(E[1], 0.0);
                EXPECT_NEAR(E[2], bateman(1.0, ka, ke, t), 1e-12) << ka << " " << ke << " " << t;
                EXPECT_NEAR(E[3], std::exp(-ke * t), 1e-13) << ka << " " << ke << " " << t;
            }
        }
    }
    // Parent -> metabolite chain with equal rates (the confluent case), against t^2/2 e^-kt.
    const double k = 0.7, t = 3.0;
    const auto C = matrix_exponential({-k * t, 0, 0, k * t, -k * t, 0, 0, k * t, -k * t}, 3);
    EXPECT_NEAR(C[6], std::pow(k * t, 2) / 2 * std::exp(-k * t), 1e-15);
    // A cycle is not a compartment chain.
    EXPECT_THROW(matrix_exponential({-1, 1, 1, -1}, 2), std::exception);
}

TEST(Pharmacokinetics, DividedDifferencesOfExp) {
    // Against long double evaluation of the defining formulas where they do not cancel, and the
    // limits for repeated points.
    for (double a : {0.0, -0.3, -40.0}) {
        EXPECT_NEAR(divided_difference_exp({a, a}), std::exp(a), 1e-15 * std::exp(a));
        EXPECT_NEAR(divided_difference_exp({a, a, a}), std::exp(a) / 2, 1e-15 * std::exp(a));
        for (double d : {1e-12, 1e-6, 0.5, 2.0, 30.0}) {
            const long double A = a, B = a - d;
            // Close points: the series e^a (1 - d/2 + d^2/6), the difference quotient cancels.
            const long double two = d < 1e-3 ? std::exp(A) * (1 - d / 2.0L + d * d / 6.0L)
                                             : (std::exp(A) - std::exp(B)) / (A - B);
            EXPECT_NEAR(divided_difference_exp({a - d, a}), static_cast<double>(two),
                        1e-14 * std::exp(a))
                << a << " " << d;
            const long double C = a - 2.5 * d;
            const long double three =
                ((std::exp(A) - std::exp(B)) / (A - B) - (std::exp(B) - std::exp(C)) / (B - C)) /
                (A - C);
            if (d >= 0.5) {
                EXPECT_NEAR(divided_difference_exp({a, a - 2.5 * d, a - d}),
                            static_cast<double>(three), 1e-14 * std::exp(a))
                    << a << " " << d;
            } else {  // close points: the limit f'' / 2 = e^a / 2 to first order in d
                EXPECT_NEAR(divided_difference_exp({a, a - 2.5 * d, a - d}),
                            std::exp(a) / 2 * (1 - 3.5 * d / 3), 1e-6 * std::exp(a));
            }
        }
    }
}

TEST(Pharmacokinetics, OralDoseFollowsBatemanAtAnyAbsorptionRate) {
    // The old integrator (0.05 h substeps) gave negative, then exploding, levels from ka ~ 56 /h.
    for (double ka : {1e-3, 0.3, 0.0693, 56.0, 100.0, 1e4, 1e6}) {
        const double ke = std::log(2.0) / 10.0;
        auto ch = spec({drug("x", ka, 10.0, 2.0, 0.6)}, once(50.0));
        Pharmacokinetics pk(ch);
        for (double t : {0.001, 0.01, 0.5, 2.0, 12.0, 100.0}) {
            pk.advance_to(t);
            const double want = bateman(0.6 * 50.0 / 2.0, ka, ke, t);
            EXPECT_GE(pk.plasma_uM(0), 0.0);
            EXPECT_LE(relative_error(pk.plasma_uM(0), want), 1e-10) << "ka " << ka << " t " << t;
            EXPECT_GE(pk.occupancy(DrugTarget::SERT), 0.0);
            EXPECT_LE(pk.occupancy(DrugTarget::SERT), 1.0);
        }
    }
}

TEST(Pharmacokinetics, IntravenousBolusAndInfusionAreExact) {
    const double th = 6.0, ke = std::log(2.0) / th, V = 3.0, D = 90.0;
    {
        Pharmacokinetics pk(spec({drug("x", 1.0, th, V)}, once(D, Route::iv_bolus)));
        EXPECT_NEAR(pk.plasma_uM(0), D / V, 1e-12 * D / V);  // the bolus at t = 0 is in
        for (double t : {0.25, 6.0, 30.0}) {
            pk.advance_to(t);
            EXPECT_LE(relative_error(pk.plasma_uM(0), D / V * std::exp(-ke * t)), 1e-12) << t;
        }
    }
    {
        // D over T = 2 h: C = R/(ke V)(1 - e^-ke t) while infusing, then decays from C(T).
        const double T = 2.0, R = D / T;
        Pharmacokinetics pk(spec({drug("x", 1.0, th, V)}, once(D, Route::iv_infusion, T)));
        for (double t : {0.3, 1.0, 2.0, 2.5, 10.0, 40.0}) {
            pk.advance_to(t);
            const double during = R / (ke * V) * (1 - std::exp(-ke * std::min(t, T)));
            const double want = t <= T ? during : during * std::exp(-ke * (t - T));
            EXPECT_LE(relative_error(pk.plasma_uM(0), want), 1e-11) << t;
        }
    }
    {
        // Repeated infusions crossing the steps of the caller: the infusion ends inside a step.
        RegimenSpec r = once(D, Route::iv_infusion, 1.5);
        r.interval_h = 4.0;
        Pharmacokinetics a(spec({drug("x", 1.0, th, V)}, r)), b(spec({drug("x", 1.0, th, V)}, r));
        for (int i = 1; i <= 48; ++i)
            a.advance_to(i * 0.7);  // odd steps
        b.advance_to(48 * 0.7);     // one step
        EXPECT_LE(relative_error(a.plasma_uM(0), b.plasma_uM(0)), 1e-12);
        // Steady state mean: dose rate / clearance.
        double sum = 0;
        const int n = 4000;
        const double t0 = 200.0;
        for (int i = 0; i < n; ++i) {
            b.advance_to(t0 + (i + 0.5) * 4.0 / n);
            sum += b.plasma_uM(0);
        }
        const double css = D / 4.0 / (ke * V);
        EXPECT_NEAR(sum / n, css, 1e-5 * css);
    }
}

TEST(Pharmacokinetics, MetaboliteFromSystemicEliminationAndFirstPassInMoles) {
    // Parent P (MW 300) and metabolite M (MW 200). After an i.v. bolus D of P:
    //   A_M(t) = f (MW_M/MW_P) ke D (e^-ke t - e^-km t) / (km - ke).
    const double ke = std::log(2.0) / 5.0, km = std::log(2.0) / 11.0, D = 75.0, f = 0.55;
    DrugSpec p = drug("P", 0.25, 5.0, 7.5, 0.45), m = drug("M", 1.0, 11.0, 5.7);
    p.molar_mass_g_per_mol = 300.0;
    m.molar_mass_g_per_mol = 200.0;
    m.parent = "P";
    m.fraction_formed = f;
    m.first_pass_fraction = 0.6;
    {
        Pharmacokinetics pk(spec({p, m}, once(D, Route::iv_bolus)));
        for (double t : {0.5, 5.0, 24.0, 96.0}) {
            pk.advance_to(t);
            const double am =
                f * (200.0 / 300.0) * ke * D * (std::exp(-ke * t) - std::exp(-km * t)) / (km - ke);
            EXPECT_LE(relative_error(pk.amount_mg(1), am), 1e-11) << t;
            EXPECT_LE(relative_error(pk.amount_mg(0), D * std::exp(-ke * t)), 1e-12) << t;
        }
    }
    {
        // Repeated oral doses: the metabolite's mean amount at steady state is its formation rate
        // over km, with (F f + (1 - F) fp) of each dose converted (in moles).
        RegimenSpec r = once(D);
        r.interval_h = 24.0;
        Pharmacokinetics pk(spec({p, m}, r));
        pk.advance_to(30 * 24.0);
        double sum = 0;
        const int n = 2400;
        for (int i = 0; i < n; ++i) {
            pk.advance_to(30 * 24.0 + (i + 0.5) * 24.0 / n);
            sum += pk.amount_mg(1);
        }
        const double rate = (0.45 * f + 0.55 * 0.6) * (200.0 / 300.0) * D / 24.0;
        EXPECT_NEAR(sum / n, rate / km, 2e-4 * rate / km);
    }
}

TEST(Pharmacokinetics, VenlafaxineMetaboliteRatioWithFirstPass) {
    // Steady-state AUC ratio ODV/venlafaxine: 2-4 in extensive metabolisers (Klamerus 1992); the
    // systemic route alone gave 1.5 (issue 14).
    const auto dir = test::scratch_dir("pk_venla");
    std::ofstream(dir + "/c.ini") << "[include]\nfiles = "
                                  << test::source_path("configs/drugs/venlafaxine.ini")
                                  << "\n[population.X]\nmodel = lif_coba\nsize = 1\n"
                                     "[regimen.r]\ndrug = venlafaxine\ndose = 75 mg\n";
    const auto ch =
        config::to_model(config::resolve(config::read_config_file(dir + "/c.ini"))).chemistry;
    Pharmacokinetics pk(ch);
    pk.advance_to(20 * 24.0);
    double v = 0, odv = 0;
    for (int i = 0; i < 2400; ++i) {
        pk.advance_to(20 * 24.0 + (i + 0.5) / 100.0);
        v += pk.plasma_uM(pk.name(0) == "venlafaxine" ? 0 : 1);
        odv += pk.plasma_uM(pk.name(0) == "venlafaxine" ? 1 : 0);
    }
    const std::size_t iv = pk.name(0) == "venlafaxine" ? 0 : 1, io = 1 - iv;
    const double ratio =
        (odv * ch.drugs[io].molar_mass_g_per_mol) / (v * ch.drugs[iv].molar_mass_g_per_mol);
    std::printf("ODV / venlafaxine AUC (mass) at steady state: %.2f\n", ratio);
    EXPECT_GE(ratio, 2.0);
    EXPECT_LE(ratio, 4.0);
}

TEST(Pharmacokinetics, StepsDoNotChangeTheResultAndStateRoundTrips) {
    DrugSpec p = drug("P", 1.3, 20.0, 4.0, 0.7), m = drug("M", 1.0, 50.0, 2.0);
    m.parent = "P";
    m.fraction_formed = 0.4;
    m.first_pass_fraction = 0.3;
    RegimenSpec r = once(10.0);
    r.interval_h = 12.0;
    r.start_h = -100.0;
    Pharmacokinetics a(spec({p, m}, r)), b(spec({p, m}, r));
    for (int i = 1; i <= 1000; ++i)
        a.advance_to(i * 0.1);  // the chemistry clock's steps
    b.advance_to(100.0);
    for (std::size_t d = 0; d < 2; ++d)
        EXPECT_LE(relative_error(a.amount_mg(d), b.amount_mg(d)), 1e-12);

    // Save the state mid-course (mid-infusion too), load it into a fresh instance, continue:
    // bitwise equal to not stopping.
    for (Route route : {Route::oral, Route::iv_infusion}) {
        RegimenSpec ri = r;
        ri.route = route;
        ri.infusion_h = 5.0;
        Pharmacokinetics x(spec({p, m}, ri)), y(spec({p, m}, ri));
        x.advance_to(31.0);  // inside the infusion started at 24 h
        StateRegistry rx, ry;
        x.register_state(rx);
        y.register_state(ry);
        test::MemoryState mem;
        rx.save(mem);
        ry.load(mem);
        for (double t : {33.0, 50.0, 200.0}) {
            x.advance_to(t);
            y.advance_to(t);
            for (std::size_t d = 0; d < 2; ++d)
                EXPECT_EQ(x.amount_mg(d), y.amount_mg(d)) << t;
        }
    }
}

TEST(Pharmacokinetics, TimeToSteadyStateIsOneDefinition) {
    // One compartment, i.v. bolus every tau: troughs C_ss (1 - e^-ke k tau), so the first trough
    // within 2^-5 of C_ss is at k tau >= 5 half-lives.
    for (double th : {3.0, 10.0, 41.0}) {  // 5 th / tau not an integer: no tie
        RegimenSpec r = once(10.0, Route::iv_bolus);
        r.interval_h = 8.0;
        r.start_h = 50.0;  // the definition starts the regimen at its first dose
        r.stop_h = 100.0;  // ... and ignores its stop
        const auto s = time_to_steady_state(spec({drug("x", 1.0, th)}, r), 0);
        ASSERT_TRUE(s.reached) << s.why;
        const double want = std::ceil(5.0 * th / 8.0 - 1e-12) * 8.0 / 24.0;
        EXPECT_NEAR(s.days, want, 1e-12) << th;
    }
    auto ch = spec({drug("x", 1.0, 10.0)}, once(10.0));
    ch.regimens.clear();
    EXPECT_FALSE(time_to_steady_state(ch, 0).reached);
}

TEST(Pharmacokinetics, AbsurdInputsAreRefusedByNameOrStayFinite) {
    // Clear errors (exit 2 from the CLI) naming the key and the allowed range.
    const auto dir = test::scratch_dir("pk_absurd");
    // Keys of [drug.d] and [regimen.r]; `drug_keys` replace the defaults they name.
    auto model_of = [&](const std::string& drug_keys, const std::string& regimen_keys) {
        std::string base;
        for (const char* k : {"molar_mass = 300", "Vd = 1 L/kg", "half_life = 10 h"}) {
            const std::string key = std::string(k).substr(0, std::string(k).find(' '));
            if (drug_keys.find(key + " ") == std::string::npos) base += std::string(k) + "\n";
        }
        std::ofstream(dir + "/c.ini")
            << "[population.X]\nmodel = lif_coba\nsize = 1\n[drug.d]\n"
            << base << drug_keys << "\n[regimen.r]\ndrug = d\n"
            << (regimen_keys.find("dose ") == std::string::npos ? "dose = 10 mg\n" : "")
            << regimen_keys << "\n";
        return config::to_model(config::resolve(config::read_config_file(dir + "/c.ini")));
    };
    EXPECT_NO_THROW(model_of("", ""));
    struct Bad {
        std::string drug, regimen, says;
    };
    for (const Bad& b :
         {Bad{"", "dose = -5 mg", "dose"}, Bad{"", "dose = 1e9 mg", "dose"},
          Bad{"", "interval = 1 s", "interval"}, Bad{"", "interval = 0 h", "interval"},
          Bad{"", "route = iv_infusion\ninfusion = 30 h", "infusion"},
          Bad{"", "route = intramuscular", "route"}, Bad{"", "start = -1e9 h", "start"},
          Bad{"", "start = 30 h\nstop = 10 h", "stop = 10 h is not after start = 30 h"},
          Bad{"absorption = 1e9 /h", "", "absorption"}, Bad{"absorption = 0 /h", "", "absorption"},
          Bad{"Vd = 1e-9 L/kg", "", "Vd"}, Bad{"bioavailability = 2", "", "bioavailability"},
          Bad{"first_pass_fraction = 0.5", "", "first_pass_fraction"}}) {
        try {
            model_of(b.drug, b.regimen);
            ADD_FAILURE() << "accepted: " << b.drug << " " << b.regimen;
        } catch (const std::exception& e) {
            EXPECT_NE(std::string(e.what()).find(b.says), std::string::npos) << e.what();
        }
    }
    // A half-life of 0 and a regimen of 10^7 doses with its first 6 x 10^6 before t = 0.
    try {
        model_of("half_life = 0 h", "");
        ADD_FAILURE() << "half_life = 0 accepted";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("half_life"), std::string::npos) << e.what();
    }
    const auto many =
        model_of("half_life = 1e6 h", "interval = 1 min\nstart = -1e5 h\nstop = 6.7e4 h");
    Pharmacokinetics pk(many.chemistry);
    EXPECT_TRUE(std::isfinite(pk.plasma_uM(0)));
    EXPECT_GT(pk.plasma_uM(0), 0.0);

    // Within the allowed ranges, any combination gives finite, non-negative levels and
    // occupancies in [0, 1] (a seeded sweep over the corners and random interior points).
    std::mt19937_64 rng(14);
    auto pick = [&](double lo, double hi) {
        return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
    };
    for (int trial = 0; trial < 300; ++trial) {
        DrugSpec p = drug("P", pick(1e-4, 1e6), pick(1e-4, 1e6), pick(0.01, 1e5), pick(1e-3, 1.0));
        DrugSpec m = drug("M", 1.0, pick(1e-4, 1e6), pick(0.01, 1e5));
        p.Ki_uM[static_cast<int>(DrugTarget::SERT)] = pick(1e-9, 1e3);
        m.parent = "P";
        // The metabolite acts through a PET calibration (every other trial), the parent by Ki.
        if (trial % 2) {
            m.PET_EC50_uM[static_cast<int>(DrugTarget::SERT)] = pick(1e-12, 1e6);
            m.PET_Emax[static_cast<int>(DrugTarget::SERT)] = pick(1e-3, 1.0);
        }
        m.fraction_formed = pick(1e-3, 1.0);
        m.first_pass_fraction = pick(1e-3, 1.0);
        RegimenSpec r = once(pick(1e-3, 1e6), static_cast<Route>(trial % 3));
        r.interval_h = pick(1.0 / 60, 1e3);
        r.infusion_h = r.interval_h * pick(1e-3, 1.0);
        r.start_h = -pick(1.0, 1e3);
        auto ch = spec({p, m}, r);
        ch.body_mass_kg = 70;
        Pharmacokinetics x(ch);
        for (double t : {0.01, 1.0, 100.0, 2000.0}) {
            x.advance_to(t);
            for (std::size_t d = 0; d < 2; ++d) {
                ASSERT_TRUE(std::isfinite(x.plasma_uM(d)) && x.plasma_uM(d) >= 0)
                    << trial << " " << t;
                ASSERT_TRUE(std::isfinite(x.target_uM(d)) && x.target_uM(d) >= 0)
                    << trial << " " << t;
            }
            const double o = x.occupancy(DrugTarget::SERT);
            ASSERT_TRUE(o >= 0 && o <= 1) << trial << " " << t << " " << o;
        }
    }
}

// PET-calibrated occupancy (docs/model/chemistry.md): species sharing a calibration at a target
// act as competitive ligands under one ceiling, o = Emax x/(1 + x), x = sum C_i/EC50_i (total
// plasma), and a drug acting through Ki adds its load r = C_target/Ki to o/(1 - o).
TEST(Pharmacokinetics, PetCalibratedOccupancyHasACeiling) {
    const int sert = static_cast<int>(DrugTarget::SERT);
    DrugSpec p = drug("P", 1.0, 1e6);  // i.v. bolus of 2 mg: C = 2 uM for as long as we look
    DrugSpec m = drug("M", 1.0, 1e6);
    m.parent = "P";
    m.fraction_formed = 0.5;
    p.PET_EC50_uM[sert] = 0.5;
    p.PET_Emax[sert] = 0.85;
    m.PET_EC50_uM[sert] = 4.0;
    m.PET_Emax[sert] = 0.8;
    Pharmacokinetics pk(spec({p, m}, once(2.0, Route::iv_bolus)));
    pk.advance_to(1e-6);
    const double x = pk.plasma_uM(0) / 0.5 + pk.plasma_uM(1) / 4.0;
    const double o = 0.85 * x / (1 + x);
    EXPECT_NEAR(pk.occupancy(DrugTarget::SERT), o, 1e-12);
    // Far above EC50 the occupancy approaches the ceiling, never above it.
    Pharmacokinetics big(spec({p, m}, once(2e6, Route::iv_bolus)));
    big.advance_to(1e-6);
    EXPECT_LE(big.occupancy(DrugTarget::SERT), 0.85);
    EXPECT_GT(big.occupancy(DrugTarget::SERT), 0.85 - 1e-6);
    // A drug acting through its Ki at the same target adds its load to the PET load.
    p.PET_EC50_uM[sert] = 0.0;  // the parent now by Ki (0.01 uM)
    Pharmacokinetics mixed(spec({p, m}, once(2.0, Route::iv_bolus)));
    mixed.advance_to(1e-6);
    const double xm = mixed.plasma_uM(1) / 4.0, om = 0.8 * xm / (1 + xm);
    const double r = mixed.target_uM(0) / 0.01 + om / (1 - om);
    EXPECT_NEAR(mixed.occupancy(DrugTarget::SERT), r / (1 + r), 1e-12);
}

// A washed-out slice (a protocol session with washout = true): the tissue holds only what the bath
// applies; the plasma, and the tissue once the washout ends, are as if it had not happened.
TEST(Pharmacokinetics, WashoutLeavesOnlyTheBathAndKeepsThePlasma) {
    DrugSpec a = drug("A", 1.0, 10.0);  // PET-calibrated at SERT: occupancy from plasma
    a.PET_EC50_uM[static_cast<int>(DrugTarget::SERT)] = 0.05;
    a.PET_Emax[static_cast<int>(DrugTarget::SERT)] = 0.9;
    ChemistrySpec ch = spec({a, drug("B", 1.0, 10.0)}, once(100.0));
    RegimenSpec bath;
    bath.name = "b";
    bath.drug = "B";
    bath.route = Route::bath;
    bath.bath_uM = 0.3;
    bath.start_h = 0.0;
    bath.stop_h = 100.0;
    ch.regimens.push_back(bath);
    Pharmacokinetics pk(ch), ref(ch);
    pk.advance_to(5.0);
    ref.advance_to(5.0);
    ASSERT_GT(ref.target_uM(0), 1.0);
    pk.set_washout(true);
    EXPECT_EQ(pk.target_uM(0), 0.0);  // the oral drug is gone from the tissue
    EXPECT_EQ(pk.target_uM(1), 0.3);  // the bath stays
    EXPECT_EQ(pk.plasma_uM(0), ref.plasma_uM(0));
    EXPECT_EQ(pk.inhibition(DrugTarget::SERT), 0.3 / 0.01);  // B's bath alone, not A's PET path
    EXPECT_GT(ref.inhibition(DrugTarget::SERT), 0.3 / 0.01 + 1.0);
    pk.advance_to(8.0);
    ref.advance_to(8.0);
    pk.set_washout(false);
    EXPECT_EQ(pk.target_uM(0), ref.target_uM(0));
    EXPECT_EQ(pk.inhibition(DrugTarget::SERT), ref.inhibition(DrugTarget::SERT));
}

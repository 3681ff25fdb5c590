// The operational model of receptor activation (Black & Leff 1983) and drugs with intrinsic
// efficacy (docs/model/chemistry.md, "Receptor reserve, agonists and partial agonists"):
// analytic concentration-response curves of one neuron's receptor at equilibrium.
#include <gtest/gtest.h>

#include <cmath>

#include "chem/neuromodulation.hpp"
#include "neurochem/model.hpp"
#include "receptor_util.hpp"

namespace neurochem {
namespace {

ModelSpec one_receptor(double tau, double slope = 1.0) {
    ReceptorTypeSpec r;
    r.name = "R";
    r.coupling = Coupling::gi;
    r.Kd_uM = 0.1;
    r.tau = tau;
    r.slope = slope;
    r.antagonized = true;
    r.antagonist_target = DrugTarget::HT1A;
    return test::one_neuron_with_receptor(r);
}

/// Activation at equilibrium: transmitter C (uM), a drug at A/Ki = ratio with intrinsic
/// efficacy e, coupling efficacy `coupling` (what a slow process regulates).
double activation(const ModelSpec& m, double C, double ratio, double e, double coupling = 1.0) {
    return test::receptor_activation(m, C, ratio, e, coupling);
}

/// The agonist concentration (as A/Ki) at half the maximal activation, by bisection in log.
double ec50(const ModelSpec& m, double e, double coupling) {
    const double top = activation(m, 0, 1e12, e, coupling);
    double lo = 1e-9, hi = 1e9;
    for (int k = 0; k < 200; ++k) {
        const double mid = std::sqrt(lo * hi);
        (activation(m, 0, mid, e, coupling) < 0.5 * top ? lo : hi) = mid;
    }
    return std::sqrt(lo * hi);
}

// n = 1: E/Em = tau A / (K (1 + ...) ...) has EC50 = K / (1 + tau) and maximum tau / (1 + tau).
// Lowering tau (coupling efficacy, as desensitisation does) first shifts the EC50 by
// (1 + tau)/(1 + tau'), and lowers the maximum only when tau' approaches 1.
TEST(ReceptorReserve, OperationalModelEc50ShiftMatchesTheAnalyticValue) {
    const double tau = 10;
    const auto m = one_receptor(tau);
    for (double coupling : {1.0, 0.5, 0.2, 0.05}) {
        const double t = tau * coupling;
        EXPECT_NEAR(ec50(m, 1.0, coupling), 1.0 / (1.0 + t), 1e-9 / (1.0 + t)) << coupling;
        EXPECT_NEAR(activation(m, 0, 1e12, 1.0, coupling), t / (1 + t), 1e-9) << coupling;
    }
    const double shift = ec50(m, 1.0, 0.2) / ec50(m, 1.0, 1.0);
    EXPECT_NEAR(shift, 11.0 / 3.0, 1e-6);
    // Receptor reserve: the EC50 moves 3.7x while the maximum falls only by 0.909 -> 0.667.
}

// Slope n: EC50 = K / ((2 + tau^n)^(1/n) - 1) (Black & Leff 1983, eq. 7).
TEST(ReceptorReserve, OperationalModelSlope) {
    for (double n : {0.7, 1.5, 2.0}) {
        const double tau = 4;
        const auto m = one_receptor(tau, n);
        EXPECT_NEAR(ec50(m, 1.0, 1.0), 1.0 / (std::pow(2.0 + std::pow(tau, n), 1.0 / n) - 1.0),
                    1e-7)
            << n;
    }
}

// A partial agonist (efficacy e) has its own transducer ratio e tau: maximum e tau/(1 + e tau);
// against the transmitter at a full response it competes the response down to that level.
TEST(ReceptorReserve, PartialAgonistCeilingAndCompetition) {
    const double tau = 5, e = 0.2;
    const auto m = one_receptor(tau);
    EXPECT_NEAR(activation(m, 0, 1e12, e), e * tau / (1 + e * tau), 1e-9);
    EXPECT_NEAR(activation(m, 0, 1e12, 0.0), 0.0, 1e-12);  // neutral antagonist
    // Transmitter at 10 Kd alone: o = 10/11; with the drug at 100 Ki: o = 10/111, b = 100/111.
    EXPECT_NEAR(activation(m, 1.0, 0, 0), tau * (10.0 / 11) / (1 + tau * 10.0 / 11), 1e-12);
    const double s = 10.0 / 111 + e * 100.0 / 111;
    EXPECT_NEAR(activation(m, 1.0, 100, e), tau * s / (1 + tau * s), 1e-12);
    EXPECT_LT(activation(m, 1.0, 100, e), activation(m, 1.0, 0, 0));
    EXPECT_GT(activation(m, 1.0, 100, e), activation(m, 1.0, 100, 0));
}

// tau = 0 keeps the linear transducer of earlier versions: a = o (1 - d) density efficacy.
TEST(ReceptorReserve, LinearTransducerWithoutTau) {
    const auto m = one_receptor(0);
    EXPECT_NEAR(activation(m, 0.1, 0, 0, 0.5), 0.5 * 0.5, 1e-12);
    EXPECT_NEAR(activation(m, 0.1, 1.0, 1.0, 1.0), 1.0 / 3 + 1.0 / 3, 1e-12);
}

}  // namespace
}  // namespace neurochem

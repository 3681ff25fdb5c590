// Single-neuron checks against closed-form solutions and reference integrations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "core/neuron/adex.hpp"
#include "core/neuron/lif_cuba.hpp"
#include "core/neuron/neuron_group.hpp"

using namespace neurochem;

namespace {
PopulationSpec lif(NeuronModel m) {
    PopulationSpec p;
    p.name = "N";
    p.size = 1;
    p.model = m;
    p.C_m_pF = 200;
    p.tau_m_ms = 20;
    p.E_L_mV = -60;
    p.V_th_mV = -50;
    p.V_reset_mV = -60;
    p.t_ref_ms = 5;
    p.V_init = Distribution::constant(-60);
    p.receptors = {{"exc", 5.0, 0.0, {}}, {"inh", 10.0, -80.0, {}}};
    return p;
}

/// One neuron driven step by step; input[p] arrives at the start of the next step.
struct Neuron {
    Neuron(const PopulationSpec& s, double step_ms) : spec(s), dt(step_ms) {
        g = make_neuron_group(spec, dt, 1, {0, 1}, 0);
        g->initialize(0, 1);
        in.assign(spec.receptors.size(), 0.0);
    }
    void step(std::uint64_t n) {
        std::vector<double*> ptr;
        for (auto& x : in) ptr.push_back(&x);
        g->step(0, 1, n, ptr.data(), Modulation{}, spikes);
    }
    double V() const { return g->V_mV()[0]; }
    PopulationSpec spec;
    double dt;
    std::unique_ptr<NeuronGroup> g;
    std::vector<double> in;
    std::vector<Spike> spikes;
};
}  // namespace

// Sub-threshold response to a constant current: V(t) = E_L + R I (1 - exp(-t/tau_m)).
TEST(Neurons, LifSubthresholdStepResponseIsExact) {
    for (auto model : {NeuronModel::lif_cuba_exp, NeuronModel::lif_cuba_delta, NeuronModel::lif_coba}) {
        auto spec = lif(model);
        spec.I_e_pA = 80;  // R I = 8 mV < 10 mV to threshold
        Neuron n(spec, 0.1);
        const double R = spec.tau_m_ms / spec.C_m_pF;  // GOhm
        for (std::uint64_t k = 0; k < 2000; ++k) {
            n.step(k);
            const double t = (k + 1) * 0.1;
            const double exact = -60 + R * 80 * (1 - std::exp(-t / 20));
            ASSERT_NEAR(n.V(), exact, 1e-11) << to_string(model) << " t=" << t;
        }
        EXPECT_TRUE(n.spikes.empty());
    }
}

// A current-based exponential PSC gives the alpha-like closed form
// V - E_L = w tau_m tau_s / (C (tau_s - tau_m)) (exp(-t/tau_s) - exp(-t/tau_m)).
TEST(Neurons, CubaExpPostsynapticPotentialIsExact) {
    for (double tau_s : {5.0, 20.0}) {  // 20 == tau_m: the degenerate limit
        auto spec = lif(NeuronModel::lif_cuba_exp);
        spec.receptors[0].tau_syn_ms = tau_s;
        Neuron n(spec, 0.1);
        const double w = 100;  // pA
        n.in[0] = w;
        double peak = 0;
        for (std::uint64_t k = 0; k < 1000; ++k) {
            n.step(k);
            const double t = (k + 1) * 0.1;
            const double exact = tau_s == 20.0
                                     ? w * t / spec.C_m_pF * std::exp(-t / 20)
                                     : w * 20 * tau_s / (spec.C_m_pF * (tau_s - 20)) *
                                           (std::exp(-t / tau_s) - std::exp(-t / 20));
            ASSERT_NEAR(n.V() + 60, exact, 1e-12) << "tau_s " << tau_s << " t " << t;
            peak = std::max(peak, n.V() + 60);
        }
        EXPECT_GT(peak, 0.5);
    }
}

TEST(Neurons, DeltaSynapseJumpsAndDecays) {
    Neuron n(lif(NeuronModel::lif_cuba_delta), 0.1);
    n.in[0] = 2.0;  // mV
    for (std::uint64_t k = 0; k < 100; ++k) {
        n.step(k);
        ASSERT_NEAR(n.V() + 60, 2.0 * std::exp(-static_cast<double>(k + 1) * 0.1 / 20), 1e-12);
    }
}

// Deterministic f-I curve: with exact integration the spike steps are known in closed form:
// from V_reset the neuron reaches V_th at T = tau ln(RI / (RI - (V_th - V_reset))); it spikes at
// the end of the first step whose end lies at or beyond T, then is clamped for t_ref.
TEST(Neurons, LifSuprathresholdSpikeTimesMatchTheAnalyticPeriod) {
    for (double I : {120.0, 150.0, 300.0, 1000.0}) {
        for (auto model : {NeuronModel::lif_cuba_exp, NeuronModel::lif_coba}) {
            auto spec = lif(model);
            spec.I_e_pA = I;
            Neuron n(spec, 0.1);
            for (std::uint64_t k = 0; k < 20000; ++k) n.step(k);
            const double RI = spec.tau_m_ms / spec.C_m_pF * I;
            const double T = 20 * std::log(RI / (RI - 10));
            const auto steps_to_threshold = static_cast<std::uint64_t>(std::ceil(T / 0.1 - 1e-9));
            const std::uint64_t ref = 50;
            ASSERT_GE(n.spikes.size(), 5u);
            EXPECT_EQ(n.spikes[0].step, steps_to_threshold) << "I " << I;
            for (std::size_t s = 1; s < n.spikes.size(); ++s) {
                ASSERT_EQ(n.spikes[s].step - n.spikes[s - 1].step, ref + steps_to_threshold)
                    << to_string(model) << " I " << I;
            }
            // Rate against the continuous-time f-I curve 1/(t_ref + T): within one step.
            const double rate_sim = 1000.0 / ((ref + steps_to_threshold) * 0.1);
            const double rate_exact = 1000.0 / (5 + T);
            EXPECT_NEAR(rate_sim, rate_exact, rate_exact * 0.1 / (5 + T) * 1.01);
        }
    }
}

// COBA with synaptic input is not exactly solvable: exponential Euler must converge to a fine
// RK4 reference with order 1 in dt.
TEST(Neurons, CobaConvergesToReferenceWithOrderOne) {
    auto reference = [](double t_end) {
        // RK4 with h = 1e-4 ms of C dV/dt = gL(EL-V) + ge(0-V) + gi(-80-V), ge(0)=20 nS, gi(0)=30 nS.
        double V = -60, ge = 20, gi = 30, t = 0;
        const double h = 1e-4;
        auto f = [](double v, double e, double i) { return (10 * (-60 - v) + e * (0 - v) + i * (-80 - v)) / 200; };
        while (t < t_end - 1e-12) {
            auto gE = [&](double dt) { return ge * std::exp(-dt / 5); };
            auto gI = [&](double dt) { return gi * std::exp(-dt / 10); };
            const double k1 = f(V, gE(0), gI(0));
            const double k2 = f(V + h / 2 * k1, gE(h / 2), gI(h / 2));
            const double k3 = f(V + h / 2 * k2, gE(h / 2), gI(h / 2));
            const double k4 = f(V + h * k3, gE(h), gI(h));
            V += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
            ge = gE(h);
            gi = gI(h);
            t += h;
        }
        return V;
    };
    auto error_at = [&](double dt) {
        auto spec = lif(NeuronModel::lif_coba);
        spec.V_th_mV = 100;  // no spikes
        Neuron n(spec, dt);
        n.in[0] = 20;
        n.in[1] = 30;
        const auto steps = static_cast<std::uint64_t>(std::llround(10.0 / dt));
        for (std::uint64_t k = 0; k < steps; ++k) n.step(k);
        return std::fabs(n.V() - reference(10.0));
    };
    const double e1 = error_at(0.1), e2 = error_at(0.05), e3 = error_at(0.025);
    EXPECT_LT(e1, 0.1);   // mV
    EXPECT_GT(e1, 1e-6);  // the test would not notice an exact method
    EXPECT_NEAR(e1 / e2, 2.0, 0.3);
    EXPECT_NEAR(e2 / e3, 2.0, 0.3);
}

// AdEx (Brette & Gerstner 2005 parameters, 800 pA step: adapting spike train) against a converged
// RK4 reference: spike times within 1.5 dt per spike, the adapted ISI within 1 %.
TEST(Neurons, AdexMatchesFineReferenceIntegration) {
    PopulationSpec p;
    p.name = "A";
    p.size = 1;
    p.model = NeuronModel::adex_coba;
    p.C_m_pF = 281;
    p.tau_m_ms = 281.0 / 30;
    p.E_L_mV = -70.6;
    p.V_th_mV = -50.4;
    p.Delta_T_mV = 2;
    p.a_nS = 4;
    p.b_pA = 80.5;
    p.tau_w_ms = 144;
    p.V_peak_mV = 0;
    p.V_reset_mV = -70.6;
    p.t_ref_ms = 0;
    p.I_e_pA = 800;
    p.V_init = Distribution::constant(-70.6);
    p.receptors = {{"exc", 5, 0, {}}, {"inh", 10, -80, {}}};

    // RK4 with the step shrunk where the exponential term makes the equation stiff
    // (h <= 0.05 / (dfV/dV)); converged: halving h changes no spike time by 1 us.
    auto reference = [&](double T) {
        std::vector<double> spikes;
        double V = -70.6, w = 0, t = 0;
        auto fV = [&](double v, double ww) {
            return (-30 * (v + 70.6) + 30 * 2 * std::exp((v + 50.4) / 2) - ww + 800) / 281;
        };
        auto fw = [&](double v, double ww) { return (4 * (v + 70.6) - ww) / 144; };
        while (t < T) {
            const double h = std::min({1e-3, 0.05 / (30 * std::exp((V + 50.4) / 2) / 281), T - t});
            const double a1 = fV(V, w), b1 = fw(V, w);
            const double a2 = fV(V + h / 2 * a1, w + h / 2 * b1), b2 = fw(V + h / 2 * a1, w + h / 2 * b1);
            const double a3 = fV(V + h / 2 * a2, w + h / 2 * b2), b3 = fw(V + h / 2 * a2, w + h / 2 * b2);
            const double a4 = fV(V + h * a3, w + h * b3), b4 = fw(V + h * a3, w + h * b3);
            V += h / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
            w += h / 6 * (b1 + 2 * b2 + 2 * b3 + b4);
            t += h;
            if (V >= 0) {
                spikes.push_back(t);
                V = -70.6;
                w += 80.5;
            }
        }
        return spikes;
    };
    const auto ref = reference(500);
    Neuron n(p, 0.1);
    for (std::uint64_t k = 0; k < 5000; ++k) n.step(k);
    ASSERT_GE(ref.size(), 5u);
    ASSERT_EQ(n.spikes.size(), ref.size());
    for (std::size_t i = 0; i < ref.size(); ++i) {
        // Each spike is aligned to the step grid (the reset happens up to one dt late), so
        // the allowed drift grows by 1.5 dt per spike.
        EXPECT_NEAR(n.spikes[i].step * 0.1, ref[i], 0.15 * static_cast<double>(i + 1)) << "spike " << i;
    }
    const double isi_ref = ref.back() - ref[ref.size() - 2];
    const double isi = (n.spikes.back().step - n.spikes[n.spikes.size() - 2].step) * 0.1;
    EXPECT_NEAR(isi, isi_ref, 0.01 * isi_ref + 0.1);
    // Adaptation: the ISIs lengthen.
    EXPECT_GT(ref.back() - ref[ref.size() - 2], ref[1] - ref[0]);
}

TEST(Neurons, RefractoryClampAndInputDuringRefractoriness) {
    auto spec = lif(NeuronModel::lif_cuba_delta);
    Neuron n(spec, 0.1);
    n.in[0] = 20;  // kick above threshold
    n.step(0);
    ASSERT_EQ(n.spikes.size(), 1u);
    EXPECT_EQ(n.spikes[0].step, 1u);
    for (std::uint64_t k = 1; k <= 50; ++k) {
        n.in[0] = 1.0;  // discarded while refractory (delta synapses)
        n.step(k);
        ASSERT_EQ(n.V(), -60.0) << k;
    }
    n.in[0] = 1.0;
    n.step(51);
    EXPECT_NEAR(n.V(), -60 + 1.0 * std::exp(-0.1 / 20), 1e-12);
}

// The fused COBA kernel (two ports, no neuromodulation; spikes found from the refractory
// counters) against the general path (a port gain of exactly 1 selects it: in * 1.0 == in):
// the same spikes and bitwise the same membrane potentials and conductances, step by step,
// for a population with random inputs strong enough to make it fire and be refractory.
namespace {
void expect_fused_equals_general(PopulationSpec spec) {
    const std::size_t N = 1000;  // not a multiple of the vector width or of the scan block
    spec.size = N - 3;
    spec.V_init = Distribution::uniform(-60, -50);
    auto fused = make_neuron_group(spec, 0.1, 7, {0, N - 3}, 0);
    auto general = make_neuron_group(spec, 0.1, 7, {0, N - 3}, 0);
    fused->initialize(0, N - 3);
    general->initialize(0, N - 3);
    std::vector<double> ones(N, 1.0);
    Modulation unit_gain;
    unit_gain.port_gain = {ones.data(), ones.data()};
    ASSERT_TRUE(unit_gain.active());

    std::vector<double> in_f[2], in_g[2];
    std::uint64_t state = 12345;
    auto uniform = [&state] {  // a small LCG: the test needs variety, not quality
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1p-53;
    };
    std::vector<Spike> s_f, s_g;
    std::size_t total = 0;
    for (std::uint64_t n = 0; n < 3000; ++n) {
        for (int p = 0; p < 2; ++p) {
            in_f[p].assign(N, 0.0);
            for (std::size_t i = 0; i < N - 3; ++i) in_f[p][i] = uniform() < 0.3 ? (p ? 0.5 : 2.0) * uniform() : 0.0;
            in_g[p] = in_f[p];
        }
        double* pf[2] = {in_f[0].data(), in_f[1].data()};
        double* pg[2] = {in_g[0].data(), in_g[1].data()};
        s_f.clear();
        s_g.clear();
        fused->step(0, N - 3, n, pf, Modulation{}, s_f);
        general->step(0, N - 3, n, pg, unit_gain, s_g);
        ASSERT_EQ(s_f, s_g) << "step " << n;
        total += s_f.size();
        for (std::size_t i = 0; i < N - 3; ++i) {
            ASSERT_EQ(fused->V_mV()[i], general->V_mV()[i]) << "step " << n << " neuron " << i;
        }
    }
    EXPECT_GT(total, 3000u);  // the comparison covered many spikes and refractory periods
    auto a = fused->state_arrays(), b = general->state_arrays();
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
        if (a[k].integer) {
            EXPECT_TRUE(std::equal(a[k].i32.begin(), a[k].i32.end(), b[k].i32.begin())) << a[k].name;
        } else {
            EXPECT_TRUE(std::equal(a[k].f64.begin(), a[k].f64.end(), b[k].f64.begin())) << a[k].name;
        }
    }
}
}  // namespace

TEST(Neurons, CobaFusedKernelEqualsTheGeneralPath) { expect_fused_equals_general(lif(NeuronModel::lif_coba)); }

// The same for the Auryn IFGroup options (NMDA following AMPA, a jumping threshold, no
// absolute refractoriness), whose fused kernel (step_nmda_threshold) has its own code.
TEST(Neurons, CobaNmdaThresholdKernelEqualsTheGeneralPath) {
    auto spec = lif(NeuronModel::lif_coba);
    spec.ampa_nmda_ratio = 1.0;
    spec.tau_nmda_ms = 100.0;
    spec.threshold_jump_mV = 100.0;
    spec.tau_threshold_ms = 5.0;
    spec.t_ref_ms = 0.0;
    expect_fused_equals_general(spec);
}

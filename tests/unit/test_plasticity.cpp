// Plasticity rules of one synapse against their analytic forms (core/synapse/plastic_block.hpp):
// the pair-protocol window of pair STDP (additive and multiplicative), the triplet term and the
// sliding threshold, three-factor eligibility and its consolidation, homeostatic scaling.
#include <gtest/gtest.h>

#include <cmath>

#include "core/input_ring.hpp"
#include "core/synapse/plastic_block.hpp"

using namespace neurochem;

namespace {
constexpr double dt = 0.1;  // ms

struct One {
    PopulationSpec pre, post;
    ProjectionSpec proj;
    std::unique_ptr<ConnectionSampler> sampler;
    std::unique_ptr<PlasticBlock> block;
    InputRing ring{1, 2, 64};

    One(const PlasticitySpec& rule, double w0) {
        pre.name = "pre";
        pre.size = 1;
        post.name = "post";
        post.size = 1;
        post.receptors = {{"exc", 5, 0, {}}, {"inh", 10, -80, {}}};
        proj.name = "pre->post";
        proj.pre = "pre";
        proj.post = "post";
        proj.receptor = "exc";
        proj.rule = ConnectionRule::one_to_one;
        proj.weight = Distribution::constant(w0);
        proj.delay_ms = Distribution::constant(1.0);
        proj.plasticity = rule;
        sampler = std::make_unique<ConnectionSampler>(proj, pre, post, 1, dt);
        ConnectionSampler::Scratch scratch;
        block = std::make_unique<PlasticBlock>(*sampler, 1, IndexRange{0, 1}, rule, dt, scratch);
    }
    double w() const {
        std::vector<double> v;
        block->canonical_weights(v);
        return v.at(0);
    }
    /// The events of one step in the order the network calls them.
    void step(std::uint64_t n, bool pre_spikes, bool post_spikes) {
        if (pre_spikes) block->pre_event(0, n, ring, 0, 0);
        if (post_spikes) block->post_event(0, n);
        if (pre_spikes) block->pre_spike(0, n);
        if (post_spikes) block->post_spike(0, n);
    }
};

PlasticitySpec pair(double mu) {
    PlasticitySpec r;
    r.rule = PlasticityRule::stdp_pair;
    r.tau_plus_ms = 16.8;
    r.tau_minus_ms = 33.7;
    r.A_plus = 0.01;
    r.A_minus = 0.0105;
    r.mu = mu;
    r.w_min = 0.0;
    r.w_max = 2.0;
    r.double_weights = true;
    return r;
}
}  // namespace

// One pre and one post spike dt_ms apart (pre at 500 ms): the weight changes by
// A+ f+(w) exp(-dt/tau+) for post after pre, -A- f-(w) exp(dt/tau-) for pre after post, and not
// at all for spikes in the same step, to machine precision (an ulp of the weight).
TEST(Plasticity, PairProtocolWindowMatchesTheAnalyticCurve) {
    for (const double mu : {0.0, 1.0}) {
        const auto rule = pair(mu);
        const double w0 = 0.8;
        double worst = 0;
        for (int d = -1000; d <= 1000; d += 25) {  // steps: -100 ms ... +100 ms
            One s(rule, w0);
            const std::uint64_t t_pre = 5000, t_post = static_cast<std::uint64_t>(5000 + d);
            for (std::uint64_t n = std::min(t_pre, t_post); n <= std::max(t_pre, t_post); ++n) {
                s.step(n, n == t_pre, n == t_post);
            }
            const double ms = d * dt;
            double want = 0;
            if (d > 0)
                want = rule.A_plus * (mu == 0 ? 1.0 : 1.0 - w0 / rule.w_max) *
                       std::exp(-ms / rule.tau_plus_ms);
            if (d < 0)
                want = -rule.A_minus * (mu == 0 ? 1.0 : w0 / rule.w_max) *
                       std::exp(ms / rule.tau_minus_ms);
            const double got = s.w() - w0;
            worst = std::max(worst, std::abs(got - want));
            if (d == 0) EXPECT_EQ(got, 0.0);
        }
        // Machine precision: the weight is a double near w0, so a change is resolved to within
        // half an ulp of w0; the tabulated decay adds a few ulp of A.
        EXPECT_LE(worst, 0x1p-52 * w0) << "mu " << mu;
    }
}

// All-to-all pairing: every earlier pre spike pairs with a post spike, through the sum of traces.
TEST(Plasticity, AllToAllPairsAddUp) {
    const auto rule = pair(0.0);
    One s(rule, 1.0);
    s.step(100, true, false);
    s.step(150, true, false);
    s.step(300, false, true);  // post 20 ms after the first pre, 15 ms after the second
    const double want =
        rule.A_plus * (std::exp(-20.0 / rule.tau_plus_ms) + std::exp(-15.0 / rule.tau_plus_ms));
    EXPECT_NEAR(s.w() - 1.0, want, 1e-15);
}

TEST(Plasticity, WeightsStayWithinTheirBounds) {
    auto rule = pair(0.0);
    rule.A_plus = 5.0;
    rule.A_minus = 5.0;
    One s(rule, 1.0);
    s.step(100, true, false);
    s.step(110, false, true);
    EXPECT_EQ(s.w(), rule.w_max);
    s.step(120, true, false);
    EXPECT_EQ(s.w(), rule.w_min);
}

// Minimal triplet rule (Pfister & Gerstner 2006): potentiation at a post spike is
// x (A2+ + A3+ y2), y2 the slow post trace just before the spike; depression A2- y at a pre spike.
TEST(Plasticity, TripletTermAndDepression) {
    PlasticitySpec r;
    r.rule = PlasticityRule::stdp_triplet;
    r.tau_plus_ms = 16.8;
    r.tau_minus_ms = 33.7;
    r.tau_y_ms = 114.0;
    r.A_plus = 0.005;
    r.A3_plus = 0.0065;
    r.A_minus = 0.007;
    r.w_max = 10.0;
    r.double_weights = true;
    One s(r, 1.0);
    s.step(1000, true, false);  // pre at 100 ms
    s.step(1100, false, true);  // post at 110 ms: pair term only (no earlier post)
    s.step(1200, false, true);  // post at 120 ms: triplet term from the post at 110 ms
    s.step(1300, true, false);  // pre at 130 ms: depression by both posts
    const double x1 = std::exp(-10.0 / 16.8), x2 = std::exp(-20.0 / 16.8);
    const double y2 = std::exp(-10.0 / 114.0);
    const double y = std::exp(-20.0 / 33.7) + std::exp(-10.0 / 33.7);
    const double want = x1 * 0.005 + x2 * (0.005 + 0.0065 * y2) - 0.007 * y;
    EXPECT_NEAR(s.w() - 1.0, want, 1e-15);
}

// Zenke et al. 2013: with the sliding threshold, A2- = A3+ tau+ tau_y nu^2 / (tau- kappa), nu the
// post rate estimate; it starts at kappa, where LTD balances the rule's LTP at rate kappa.
TEST(Plasticity, SlidingThresholdStartsAtTheTargetRate) {
    PlasticitySpec r;
    r.rule = PlasticityRule::stdp_triplet;
    r.tau_plus_ms = 16.8;
    r.tau_minus_ms = 33.7;
    r.tau_y_ms = 114.0;
    r.A3_plus = 0.0065;
    r.sliding_threshold = true;
    r.kappa_Hz = 3.0;
    r.tau_hom_ms = 50000.0;
    r.w_max = 10.0;
    r.double_weights = true;
    One s(r, 1.0);
    s.step(10, false, true);   // a post spike at 1 ms (the hom trace also takes it)
    s.step(110, true, false);  // pre at 11 ms: depression with the post trace
    const double h =
        3.0 * 50.0 * std::exp(-1.0 / 50000.0) + 1.0;  // kappa tau_hom, decayed to the spike, + 1
    const double nu = h * std::exp(-10.0 / 50000.0) / 50.0;  // Hz at the pre spike
    const double a2 = 0.0065 * 0.0168 * 0.114 * nu * nu / (0.0337 * 3.0);
    EXPECT_NEAR(s.w() - 1.0, -a2 * std::exp(-10.0 / 33.7), 1e-14);
}

// Three-factor: pairings build the eligibility, not the weight; a consolidation turns it into
// weight in proportion to the dopamine deviation (no change without one; the sign follows it),
// and the eligibility decays with its time constant.
TEST(Plasticity, ThreeFactorEligibilityAndDopamine) {
    PlasticitySpec r;
    r.rule = PlasticityRule::three_factor;
    r.tau_plus_ms = 20.0;
    r.tau_minus_ms = 20.0;
    r.A_plus = 0.01;
    r.A_minus = 0.0;
    r.tau_eligibility_ms = 1000.0;
    r.learning_rate_per_uM_s = 100.0;
    r.w_max = 10.0;
    r.double_weights = true;
    for (const double da : {0.0, 0.05, -0.05}) {
        One s(r, 1.0);
        s.step(100, true, false);
        s.step(200, false, true);  // post 10 ms after pre: e = A+ exp(-10/20)
        EXPECT_EQ(s.w(), 1.0);     // no weight change at the pairing
        std::vector<double> e;
        s.block->canonical_eligibility(e);
        const double e0 = static_cast<double>(static_cast<float>(0.01 * std::exp(-0.5)));
        EXPECT_NEAR(e[0], e0, 1e-9);
        s.block->consolidate(da, 1000);  // 100 ms
        const double q = std::exp(-0.1);
        EXPECT_NEAR(s.w() - 1.0, 100.0 * da * e0 * 1.0 * (1 - q), 1e-12) << da;
        s.block->canonical_eligibility(e);
        EXPECT_NEAR(e[0], e0 * q, 1e-8);
        if (da == 0) EXPECT_EQ(s.w(), 1.0);
        if (da > 0) EXPECT_GT(s.w(), 1.0);
        if (da < 0) EXPECT_LT(s.w(), 1.0);
    }
}

// Homeostatic scaling: every interval the incoming weights of a neuron are multiplied by
// exp(interval (target - r) / (target tau)), r its rate estimate (trace / rate_tau).
TEST(Plasticity, ScalingFactorFollowsTheRateError) {
    PlasticitySpec r;
    r.rule = PlasticityRule::none;
    r.scaling = true;
    r.scaling_target_Hz = 5.0;
    r.tau_scaling_ms = 10000.0;
    r.scaling_rate_tau_ms = 1000.0;
    r.scaling_interval_ms = 100.0;
    r.w_max = 100.0;
    r.double_weights = true;
    One s(r, 2.0);
    s.block->scale(10000, 1000);  // silent neuron: r = 0, the weight grows
    EXPECT_NEAR(s.w(), 2.0 * std::exp(0.1 * 5.0 / (5.0 * 10.0)), 1e-14);
    const double w1 = s.w();
    for (std::uint64_t n = 10000; n < 20000; n += 1000)
        s.step(n, false, true);  // 10 Hz for 1 s
    s.block->scale(20000, 1000);
    const double rate = [] {
        double v = 0;
        for (int k = 0; k < 10; ++k)
            v += std::exp(-(1000.0 - 100.0 * k) / 1000.0);
        return v;  // trace at 2 s after spikes at 1.0, 1.1, ..., 1.9 s, in Hz (rate_tau 1 s)
    }();
    EXPECT_NEAR(s.w(), w1 * std::exp(0.1 * (5.0 - rate) / (5.0 * 10.0)), 1e-13);
}

// Forgetting: relax(q) moves the weight to w0 + (w - w0) q, w0 the initial weight (q = 0: back
// to w0 exactly; q = 1: unchanged); without tau_forget it is a no-op.
TEST(Plasticity, ForgettingRelaxesTowardTheInitialWeight) {
    PlasticitySpec r = pair(0.0);
    r.tau_forget_ms = 3.6e6;
    One one(r, 1.0);
    for (std::uint64_t n = 0; n < 40; n += 2) {  // pre then post 0.1 ms later: potentiation
        one.step(5000 + 100 * n, true, false);
        one.step(5001 + 100 * n, false, true);
    }
    const double w = one.w();
    ASSERT_GT(w, 1.04);
    one.block->relax(1.0);
    EXPECT_EQ(one.w(), w);
    one.block->relax(0.25);
    EXPECT_DOUBLE_EQ(one.w(), 1.0 + (w - 1.0) * 0.25);
    one.block->relax(0.0);
    EXPECT_EQ(one.w(), 1.0);
    One plain(pair(0.0), 1.0);
    plain.step(5000, true, false);
    plain.step(5001, false, true);
    const double p = plain.w();
    plain.block->relax(0.0);
    EXPECT_EQ(plain.w(), p);
}

// Consolidation: relax(q, c) keeps q of the labile change u = w - w0 and moves c of what it
// loses into the stable weight. Without new learning, after n steps u_n = u q^n and the stable
// weight is w0 + c u (1 - q^n): the weight settles at w0 + c u, the kept fraction of the memory.
TEST(Plasticity, ConsolidationKeepsAFractionOfTheLearnedChange) {
    PlasticitySpec r = pair(0.0);
    r.tau_forget_ms = 3.6e6;
    r.tau_consolidate_ms = 3.6e6;
    r.double_weights = true;
    One one(r, 1.0);
    for (std::uint64_t n = 0; n < 40; n += 2) {
        one.step(5000 + 100 * n, true, false);
        one.step(5001 + 100 * n, false, true);
    }
    const double u = one.w() - 1.0;
    ASSERT_GT(u, 0.04);
    const double q = 0.8, c = 0.25;
    for (int n = 1; n <= 60; ++n) {
        one.block->relax(q, c);
        std::vector<double> stable;
        one.block->canonical_stable_weights(stable);
        ASSERT_EQ(stable.size(), 1u);
        const double s = 1.0 + c * u * (1.0 - std::pow(q, n));
        EXPECT_NEAR(stable[0], s, 1e-14) << "step " << n;
        EXPECT_NEAR(one.w(), s + u * std::pow(q, n), 1e-14) << "step " << n;
    }
    EXPECT_NEAR(one.w(), 1.0 + c * u, 1e-6);
    // All consolidated at once (c = 1, q = 0): the weight stays, the stable weight joins it.
    const double w = one.w() + 0.0;
    one.block->set_canonical_stable_weights(std::vector<double>{1.0});
    one.block->relax(0.0, 1.0);
    EXPECT_DOUBLE_EQ(one.w(), w);
    std::vector<double> stable;
    one.block->canonical_stable_weights(stable);
    EXPECT_DOUBLE_EQ(stable[0], w);
}

// The early stage (tau_early): after a slow step, the part 1 - p of the change since the last
// step joins the early change e and decays by q_e per step; the rest forgets and consolidates as
// without it. After learning a change d in one window, then n steps without learning, with
// forgetting (q) and consolidation (c): the early part is (1 - p) d q_e^n, the rest follows the
// consolidation test's law with u = p d.
TEST(Plasticity, UncapturedLearningDecaysInTheEarlyStage) {
    auto learn = [](One& one) {
        for (std::uint64_t n = 0; n < 40; n += 2) {
            one.step(5000 + 100 * n, true, false);
            one.step(5001 + 100 * n, false, true);
        }
    };
    PlasticitySpec r = pair(0.0);
    r.tau_forget_ms = 3.6e6;
    r.tau_consolidate_ms = 3.6e6;
    r.tau_early_ms = 3.6e6;
    One early(r, 1.0);
    ASSERT_TRUE(early.block->has_early_stage());
    learn(early);
    const double d = early.w() - 1.0;
    ASSERT_GT(d, 0.04);
    const double q = 0.8, c = 0.25, p = 0.3, qe = 0.5;
    for (int n = 1; n <= 30; ++n) {
        early.block->relax(q, c, n == 1 ? p : 0.0, qe);  // later steps learn nothing
        std::vector<double> e, stable, prev;
        early.block->canonical_early(e);
        early.block->canonical_stable_weights(stable);
        early.block->canonical_previous_weights(prev);
        const double u = p * d, s = 1.0 + c * u * (1.0 - std::pow(q, n));
        EXPECT_NEAR(e.at(0), (1 - p) * d * std::pow(qe, n), 1e-14) << "step " << n;
        EXPECT_NEAR(stable.at(0), s, 1e-14) << "step " << n;
        EXPECT_NEAR(early.w(), s + u * std::pow(q, n) + e[0], 1e-14) << "step " << n;
        EXPECT_EQ(prev.at(0), early.w());
    }
    // Full capture is the plain two-stage synapse bit for bit, float weights too.
    for (bool as_double : {true, false}) {
        PlasticitySpec plain = pair(0.0);
        plain.tau_forget_ms = 3.6e6;
        plain.tau_consolidate_ms = 7.2e6;
        plain.double_weights = as_double;
        PlasticitySpec with = plain;
        with.tau_early_ms = 1.8e6;
        One a(plain, 1.0), b(with, 1.0);
        for (int k = 0; k < 5; ++k) {
            learn(a);
            learn(b);
            a.block->relax(q, c);
            b.block->relax(q, c, 1.0, qe);
            ASSERT_EQ(a.w(), b.w()) << "step " << k;
        }
    }
    // No capture and no forgetting: the window's change is gone after the early stage; the
    // bounds clip the early change with the weight.
    PlasticitySpec only = pair(0.0);
    only.tau_early_ms = 3.6e6;
    One o(only, 1.0);
    learn(o);
    ASSERT_GT(o.w(), 1.04);
    o.block->relax(1.0, 0.0, 0.0, 0.0);
    EXPECT_EQ(o.w(), 1.0);
    std::vector<double> e;
    o.block->canonical_early(e);
    EXPECT_EQ(e.at(0), 0.0);
    // An uncaptured rise, then a fall to w_min learned at rest: the early change is limited to
    // what lies above w_min, so the slow step creates no weight (without forgetting the weight
    // stays at w_min; with it, it relaxes toward a stable weight that stays in bounds).
    for (bool forgets : {false, true}) {
        PlasticitySpec b = pair(0.0);
        b.tau_early_ms = 3.6e6;
        if (forgets) {
            b.tau_forget_ms = 3.6e6;
            b.tau_consolidate_ms = 3.6e6;
        }
        One low(b, 0.1);
        learn(low);
        low.block->relax(0.9, forgets ? 0.5 : 0.0, 0.0, 0.5);        // all of it early
        low.block->set_canonical_weights(std::vector<double>{0.0});  // then depressed to w_min
        low.block->relax(0.9, forgets ? 0.5 : 0.0, 1.0, 0.5);
        std::vector<double> st;
        low.block->canonical_stable_weights(st);
        if (!forgets) {
            EXPECT_EQ(low.w(), 0.0);
        } else {
            ASSERT_EQ(st.size(), 1u);
            EXPECT_GE(st[0], 0.0);
            EXPECT_LE(low.w(), 0.1 * (1 - 0.9));  // no more than forgetting toward w0 gives
        }
    }
}

// BDNF/TrkB gating of three-factor plasticity ([bdnf.POP] gates, docs/model/slow.md) on
// tests/data/bdnf_gate.ini: the learning-gain column is B^exponent exactly; an exponent of 0
// changes nothing (bitwise), a BDNF of 0 freezes the weights exactly, and the weight change
// grows in proportion to the gain (the post neurons' spiking hardly depends on the weights).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "course_util.hpp"
#include "memory_state.hpp"
#include "neurochem/errors.hpp"
#include "slow/course.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {

struct Trajectory {
    std::vector<double> weight, gain;  // per slow step: mean weight (nS), learning gain
    double initial_weight = 0;
};

Trajectory run(const std::vector<std::string>& sets,
               const char* config = "tests/data/bdnf_gate.ini") {
    const auto m = test::load_model(config, sets);
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    test::SlowRows r;
    course.run(course.total_ticks(), nullptr, &r);
    Trajectory t;
    const auto w = test::slow_column(course, "weight/PRE->POST");
    const bool gated = m.slow.bdnf.front().gates.size() > 0;
    for (const auto& row : r.rows) {
        t.weight.push_back(row[w]);
        if (gated)
            t.gain.push_back(row[test::slow_column(course, "state/bdnf/GRANULE/learning_gain")]);
    }
    t.initial_weight = 0.01;
    return t;
}

/// Loading `config` with `sets` fails with an input error whose message contains `message`.
void expect_refused(const std::string& config, const std::vector<std::string>& sets,
                    const std::string& message) {
    try {
        test::load_model(config, sets);
        ADD_FAILURE() << config << " was accepted; expected: " << message;
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
}

/// The first two slow steps on one thread, then the state saved (at a step boundary); the rows.
std::vector<std::vector<double>> first_two_steps(const ModelSpec& m, test::MemoryState& state) {
    Simulation sim(m, make_serial_context(1));
    Course course(sim);
    test::SlowRows r;
    course.run(course.timeline().end_tick(1), nullptr, &r);
    EXPECT_EQ(course.current_step(), 2u);
    sim.save_state(state);
    return r.rows;
}

/// The rest of the run from `state` on two threads, appended to `rows`; the weight column of
/// the whole run must equal `weight` bit for bit.
void expect_continued(const ModelSpec& m, const test::MemoryState& state,
                      std::vector<std::vector<double>> rows, const std::vector<double>& weight) {
    Simulation sim(m, make_serial_context(2));
    Course course(sim);
    test::MemoryState s = state;
    sim.load_state(s);
    test::SlowRows r;
    course.run(course.total_ticks(), nullptr, &r);
    rows.insert(rows.end(), r.rows.begin(), r.rows.end());
    const auto w = test::slow_column(course, "weight/PRE->POST");
    ASSERT_EQ(rows.size(), weight.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
        EXPECT_EQ(rows[k][w], weight[k]) << "step " << k;
}

}  // namespace

TEST(BdnfGate, LearningRateScalesWithBdnfToTheGateExponent) {
    const Trajectory plain = run({"bdnf.GRANULE.gates=none"});
    const Trajectory one = run({});  // B = 1: gain 1
    const Trajectory zero_exp =
        run({"bdnf.GRANULE.basal=2", "bdnf.GRANULE.initial=2", "bdnf.GRANULE.gate_exponent=0"});
    const Trajectory frozen = run({"bdnf.GRANULE.basal=0", "bdnf.GRANULE.initial=0"});
    const Trajectory doubled = run({"bdnf.GRANULE.basal=2", "bdnf.GRANULE.initial=2"});
    const Trajectory squared =
        run({"bdnf.GRANULE.basal=0.5", "bdnf.GRANULE.initial=0.5", "bdnf.GRANULE.gate_exponent=2"});
    ASSERT_EQ(plain.weight.size(), 5u);
    // Dopamine above baseline: the ungated weights grow every window.
    EXPECT_GT(plain.weight.back(), plain.initial_weight * 1.5);
    // A gain of exactly 1 (B = 1, or any B with exponent 0) is the ungated run, bit for bit.
    EXPECT_EQ(one.weight, plain.weight);
    EXPECT_EQ(zero_exp.weight, plain.weight);
    for (double g : one.gain)
        EXPECT_EQ(g, 1.0);
    for (double g : zero_exp.gain)
        EXPECT_EQ(g, 1.0);
    // B = 0: no learning at all.
    for (double g : frozen.gain)
        EXPECT_EQ(g, 0.0);
    // (the mean-weight column is a fixed-point mean, resolution 2^-32 nS)
    EXPECT_NEAR(frozen.weight.front(), frozen.initial_weight, 1e-9);
    for (double w : frozen.weight)
        EXPECT_EQ(w, frozen.weight.front());
    // B = 2 and B = 0.5 with exponent 2: gains 2 and 0.25 (the column is exact to rounding of
    // exp/log), and the weight changes in that proportion (within the small feedback of the
    // weights on the post spikes).
    for (double g : doubled.gain)
        EXPECT_NEAR(g, 2.0, 1e-12);
    for (double g : squared.gain)
        EXPECT_NEAR(g, 0.25, 1e-12);
    const double d1 = plain.weight.back() - plain.initial_weight;
    EXPECT_NEAR((doubled.weight.back() - doubled.initial_weight) / d1, 2.0, 0.1);
    EXPECT_NEAR((squared.weight.back() - squared.initial_weight) / d1, 0.25, 0.02);
}

// Forgetting ([plasticity] tau_forget, docs/model/plasticity.md): after each slow step of
// dt = 10 h every weight relaxes toward its initial value by q = exp(-dt / tau_forget). The
// first window is the same as without forgetting, so the first row's learned change is the
// plain run's times q; a tau far below the slow step returns the weights to their initial values
// after every step; tau = inf is the plain run, bit for bit. Without [protocol] it is refused.
TEST(BdnfGate, ForgettingRelaxesTheWeightsTowardTheirInitialValues) {
    const Trajectory plain = run({"bdnf.GRANULE.gates=none"});
    const Trajectory inf =
        run({"bdnf.GRANULE.gates=none", "plasticity.PRE->POST.tau_forget=inf h"});
    const Trajectory day = run({"bdnf.GRANULE.gates=none", "plasticity.PRE->POST.tau_forget=20 h"});
    const Trajectory gone =
        run({"bdnf.GRANULE.gates=none", "plasticity.PRE->POST.tau_forget=1 min"});
    EXPECT_EQ(inf.weight, plain.weight);
    const double q = std::exp(-10.0 / 20.0), w0 = plain.initial_weight;
    ASSERT_GT(plain.weight.front() - w0, 1e-3);
    // (fixed-point column: resolution 2^-32 nS)
    EXPECT_NEAR(day.weight.front() - w0, (plain.weight.front() - w0) * q, 1e-9);
    for (double w : gone.weight)
        EXPECT_NEAR(w, w0, 1e-9);
    // Later steps: each adds about the plain run's increment of that step and keeps q of the
    // whole (the weights feed back on the post spikes only weakly): d_k = (d_{k-1} + inc_k) q.
    for (std::size_t k = 1; k < day.weight.size(); ++k) {
        const double inc = plain.weight[k] - plain.weight[k - 1];
        const double expected = (day.weight[k - 1] - w0 + inc) * q;
        EXPECT_NEAR(day.weight[k] - w0, expected, 0.03 * expected) << "step " << k;
    }
    EXPECT_LT(day.weight.back(), plain.weight.back());
    expect_refused("configs/coba_stdp.ini", {"plasticity.E->E.tau_forget=1 h"},
                   "[plasticity.E->E] tau_forget = '3600000 ms': forgetting runs on the slow "
                   "clock: it needs a [protocol] section");
}

// Consolidation ([plasticity] tau_consolidate): with tau_forget = tau_consolidate = 20 h and
// 10-h steps the labile change keeps q = exp(-10 (1/20 + 1/20)) = e^-1 of itself and half of
// what it loses becomes stable, so the first row's learned change is the plain run's times
// (q + (1 - q)/2); the weights stay above those of forgetting alone; a consolidation far faster
// than forgetting keeps nearly everything (the plain run within tau_f / (tau_f + tau_c)).
// The stable weights are state: a run split at a step boundary through a checkpoint continues
// bit for bit. Without a finite tau_forget the key is refused.
TEST(BdnfGate, ConsolidationKeepsPartOfWhatForgettingTakes) {
    const Trajectory plain = run({"bdnf.GRANULE.gates=none"});
    const std::vector<std::string> both = {"bdnf.GRANULE.gates=none",
                                           "plasticity.PRE->POST.tau_forget=20 h",
                                           "plasticity.PRE->POST.tau_consolidate=20 h"};
    const Trajectory kept = run(both);
    const Trajectory forgot =
        run({"bdnf.GRANULE.gates=none", "plasticity.PRE->POST.tau_forget=20 h"});
    const Trajectory fast = run({"bdnf.GRANULE.gates=none", "plasticity.PRE->POST.tau_forget=20 h",
                                 "plasticity.PRE->POST.tau_consolidate=1 min"});
    const double q = std::exp(-1.0), w0 = plain.initial_weight;
    const double d = plain.weight.front() - w0;
    EXPECT_NEAR(kept.weight.front() - w0, d * (q + 0.5 * (1.0 - q)), 1e-9);
    for (std::size_t k = 0; k < kept.weight.size(); ++k) {
        EXPECT_GT(kept.weight[k], forgot.weight[k]) << "step " << k;
        const double retained = 20.0 * 60.0 / (20.0 * 60.0 + 1.0);
        EXPECT_NEAR(fast.weight[k] - w0, (plain.weight[k] - w0) * retained,
                    0.01 * (plain.weight[k] - w0))
            << "step " << k;
    }

    const auto m = test::load_model("tests/data/bdnf_gate.ini", both);
    test::MemoryState state;
    const auto rows = first_two_steps(m, state);
    ASSERT_EQ(state.doubles().count("plasticity/PRE->POST/stable_weights"), 1u);
    expect_continued(m, state, rows, kept.weight);

    expect_refused("tests/data/bdnf_gate.ini", {"plasticity.PRE->POST.tau_consolidate=1 h"},
                   "[plasticity.PRE->POST] tau_consolidate = '3600000 ms': consolidation keeps "
                   "part of what forgetting would take: it needs a finite tau_forget");
}

// An STDP rule gated by BDNF: the potentiation amplitude is A_plus x B^exponent, depression is
// ungated. So B = 1 is the ungated run, B = 0 the run with A_plus = 0 and B = 2 the run with
// A_plus doubled, each bit for bit (x2 and x0 are exact); more BDNF, stronger synapses.
TEST(BdnfGate, BdnfGatesThePotentiationOfAnStdpRule) {
    auto weights = [](const std::vector<std::string>& sets) {
        const auto r = test::run_course(test::load_model("tests/data/bdnf_gate_stdp.ini", sets),
                                        {"weight/PRE->POST"});
        std::vector<double> w;
        for (const auto& row : r.rows)
            w.push_back(row[r.col[0]]);
        return w;
    };
    const auto plain = weights({"bdnf.GRANULE.gates=none"});
    ASSERT_EQ(plain.size(), 5u);
    EXPECT_EQ(weights({}), plain);  // B = 1
    const auto none = weights({"bdnf.GRANULE.basal=0", "bdnf.GRANULE.initial=0"});
    EXPECT_EQ(none, weights({"bdnf.GRANULE.gates=none", "plasticity.PRE->POST.A_plus=0 nS"}));
    const auto twice = weights({"bdnf.GRANULE.basal=2", "bdnf.GRANULE.initial=2"});
    EXPECT_EQ(twice, weights({"bdnf.GRANULE.gates=none", "plasticity.PRE->POST.A_plus=0.002 nS"}));
    // Without BDNF only depression acts; with more BDNF the synapses end stronger.
    EXPECT_LT(none.back(), 0.5 - 0.01);
    EXPECT_LT(none.back(), plain.back());
    EXPECT_GT(twice.back(), plain.back() + 0.01);
    // A projection without plasticity cannot be gated.
    expect_refused("tests/data/bdnf_gate_stdp.ini", {"bdnf.GRANULE.gates=PRE->GRANULE"},
                   "'PRE->GRANULE' has no plasticity");
}

// Sleep loss and the capture of new learning ([sleep] capture_inhibition with [plasticity]
// tau_early) on tests/data/sleep_capture.ini: the pressure stays at 16 nM (to within 0.001), so
// with the reference 15.5 nM and 1 per nM half of each window's change is captured, the other
// half is early and keeps q_e = exp(-10 h / 5 h) of itself per step. The first row is then the
// plain run's change times (1/2 + q_e/2); without capture, times q_e. Pressure below the
// reference, or no inhibition, is the run without an early stage bit for bit. The early change
// is state: a run split through a checkpoint continues bit for bit.
TEST(BdnfGate, SleepLossLeavesPartOfNewLearningUncaptured) {
    const char* cfg = "tests/data/sleep_capture.ini";
    const Trajectory plain =
        run({"plasticity.PRE->POST.tau_early=inf h", "sleep.capture_inhibition=0"}, cfg);
    EXPECT_EQ(run({"sleep.pressure_reference=17"}, cfg).weight, plain.weight);
    EXPECT_EQ(run({"sleep.capture_inhibition=0"}, cfg).weight, plain.weight);
    const Trajectory half = run({}, cfg);
    const Trajectory none = run({"sleep.capture_inhibition=2"}, cfg);
    const double qe = std::exp(-2.0), w0 = plain.initial_weight;
    const double d = plain.weight.front() - w0;
    ASSERT_GT(d, 1e-4);
    EXPECT_NEAR(half.weight.front() - w0, d * (0.5 + 0.5 * qe), 1e-9);
    EXPECT_NEAR(none.weight.front() - w0, d * qe, 1e-9);
    // Later steps (the weights feed back on the post spikes only weakly, hence 3 %): each step
    // learns about the plain run's increment of that step; the captured part adds up, the early
    // part decays: e_k = (e_{k-1} + (1 - p) inc_k) q_e.
    double captured = 0.5 * d, early = 0.5 * d * qe, lost = d * qe;
    for (std::size_t k = 1; k < plain.weight.size(); ++k) {
        const double inc = plain.weight[k] - plain.weight[k - 1];
        captured += 0.5 * inc;
        early = (early + 0.5 * inc) * qe;
        lost = (lost + inc) * qe;
        EXPECT_NEAR(half.weight[k] - w0, captured + early, 0.03 * (captured + early)) << k;
        EXPECT_NEAR(none.weight[k] - w0, lost, 0.03 * lost) << k;
    }
    EXPECT_LT(none.weight.back() - w0, 0.5 * (half.weight.back() - w0));

    const auto m = test::load_model(cfg, {});
    test::MemoryState state;
    const auto rows = first_two_steps(m, state);
    ASSERT_EQ(state.doubles().count("plasticity/PRE->POST/early_change"), 1u);
    ASSERT_EQ(state.doubles().count("plasticity/PRE->POST/previous_weights"), 1u);
    // A hand-edited early change (larger than the weight range) or weight at the last slow step
    // (outside [w_min, w_max]) is refused on restore, naming the field, the index and the value.
    auto refused_on_restore = [&](const std::string& field, std::size_t i, double value,
                                  const std::string& expected) {
        test::MemoryState bad = state;
        bad.doubles()["plasticity/PRE->POST/" + field].at(i) = value;
        Simulation sim(m, make_serial_context(1));
        try {
            sim.load_state(bad);
            ADD_FAILURE() << field << "[" << i << "] = " << value << " was restored";
        } catch (const input_error& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    refused_on_restore("early_change", 3, 11.0,
                       "state plasticity/PRE->POST/early_change[3] = 11.000000 is larger than "
                       "w_max - w_min");
    refused_on_restore("previous_weights", 5, -0.5,
                       "state plasticity/PRE->POST/previous_weights[5] = -0.500000 lies outside "
                       "[w_min, w_max]");
    expect_continued(m, state, rows, half.weight);

    expect_refused(cfg, {"plasticity.PRE->POST.tau_early=inf h", "sleep.capture_inhibition=1"},
                   "[sleep] capture_inhibition = '1': acts on the early stage of learning, and no "
                   "[plasticity] section has a finite tau_early");
    expect_refused("configs/coba_stdp.ini", {"plasticity.E->E.tau_early=1 h"},
                   "[plasticity.E->E] tau_early = '3600000 ms': the early stage decays on the "
                   "slow clock: it needs a [protocol] section");
}

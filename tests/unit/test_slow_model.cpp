// Integration of the slow equations (src/slow/slow_model.hpp) against analytic solutions.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "comm/communicator.hpp"
#include "core/network.hpp"
#include "neurochem/errors.hpp"
#include "slow/slow_model.hpp"
#include "test_util.hpp"

using namespace neurochem;

namespace {
ModelSpec tiny() {
    return test::model_from_text(R"(
[population.A]
model = lif_coba
size = 3
[poisson.drive]
target = A
receptor = exc
rate = 10 Hz
weight = 1 nS
)");
}

NetworkLayout layout_of(const ModelSpec& m) {
    NetworkLayout L;
    L.first_gid = {0, m.populations[0].size};
    L.local = {{0, m.populations[0].size}};
    L.domain = {{{0, m.populations[0].size}}};
    return L;
}
}  // namespace

// dx/dt = a + b x with constant a, b: x(t) = x0 e^{bt} + (a/b)(e^{bt} - 1), for growth, decay,
// b = 0 and |b t| tiny, in one step of any length.
TEST(SlowModel, LinearEquationsAreIntegratedExactly) {
    const auto m = tiny();
    const auto L = layout_of(m);
    auto comm = make_serial_communicator();
    for (const double b : {-3.0, -1e-9, 0.0, 0.5}) {
        for (const double dt : {0.01, 1.0, 7.5}) {
            SlowModel s(m, L, *comm);
            SlowVariable v;
            v.name = "x";
            v.initial = 2.0;
            v.population = 0;  // one value per neuron: the three must agree
            v.linear = [b](const WindowResult&, std::span<const double>, std::span<double> A,
                           std::span<double> B) {
                for (std::size_t i = 0; i < A.size(); ++i) {
                    A[i] = 0.25;
                    B[i] = b;
                }
            };
            s.add(v);
            s.advance(WindowResult{}, dt);
            const double want =
                b == 0.0 ? 2.0 + 0.25 * dt : 2.0 * std::exp(b * dt) + 0.25 / b * std::expm1(b * dt);
            for (const double x : s.value(0))
                EXPECT_NEAR(x, want, 1e-14 * std::max(1.0, std::abs(want))) << b << " " << dt;
        }
    }
}

// The general form by Dormand-Prince 5(4) with error control: the logistic equation and a
// stiff-ish decay against their closed forms, to within the tolerances the docs state.
TEST(SlowModel, GeneralEquationsMeetTheirTolerance) {
    const double r = 0.8, K = 3.0, x0 = 0.1;
    for (const double T : {0.5, 5.0, 40.0}) {
        const double x =
            integrate_dp45([&](double y) { return r * y * (1 - y / K); }, x0, T, 1e-10, 1e-14);
        const double exact = K / (1 + (K / x0 - 1) * std::exp(-r * T));
        EXPECT_NEAR(x, exact, 1e-8 * exact) << T;
    }
    const double y =
        integrate_dp45([](double v) { return -50.0 * (v - 1.0); }, 0.0, 2.0, 1e-9, 1e-12);
    EXPECT_NEAR(y, 1.0 - std::exp(-100.0), 1e-8);
    EXPECT_THROW(integrate_dp45([](double v) { return v * v; }, 1.0, 2.0, 1e-9, 1e-12),
                 internal_error);  // blows up at t = 1
}

// Drive homeostasis: g <- g exp(dt (target - r) / (target tau)), clipped to its bounds; the
// drive's rate for the next step is the protocol's rate times g.
TEST(SlowModel, DriveHomeostasisStepAndInputs) {
    auto m = test::model_from_text(R"(
[simulation]
duration = 2 days
[population.A]
model = lif_coba
size = 3
[poisson.drive]
target = A
receptor = exc
rate = 10 Hz
weight = 1 nS
[protocol]
slow_step = 1 h
[homeostasis.h]
drive = drive
population = A
target = 2 Hz
tau = 10 h
max_gain = 1.5
)");
    const auto L = layout_of(m);
    auto comm = make_serial_communicator();
    SlowModel s(m, L, *comm);
    s.add_processes();
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s.names()[0], "homeostasis/h/gain");
    WindowResult w;
    w.rate_Hz = {3.0};  // above target: the gain falls
    s.advance(w, 2.0);
    const double g1 = std::exp(2.0 * (2.0 - 3.0) / (2.0 * 10.0));
    EXPECT_NEAR(s.value(0)[0], g1, 1e-15);
    StepInputs in{{10.0}};
    s.modify(in);
    EXPECT_NEAR(in.drive_rates_Hz[0], 10.0 * g1, 1e-13);
    w.rate_Hz = {0.0};  // silent: the gain grows until its bound
    s.advance(w, 100.0);
    EXPECT_EQ(s.value(0)[0], 1.5);
}

namespace {
// Two sleep populations S and T (sizes 2 and 6), a wake population W, a drive onto each, and
// the [sleep] section `sleep` (which names the drives and sleep populations it uses).
std::string sleep_model(const std::string& sleep) {
    return R"(
[simulation]
duration = 2 days
[population.S]
model = lif_coba
size = 2
[population.T]
model = lif_coba
size = 6
[population.W]
model = lif_coba
size = 2
[poisson.d1]
target = S
receptor = exc
rate = 1 Hz
weight = 1 nS
[poisson.d2]
target = T
receptor = exc
rate = 2 Hz
weight = 1 nS
[poisson.other]
target = W
receptor = exc
rate = 7 Hz
weight = 1 nS
[protocol]
slow_step = 1 h
[sleep]
wake_populations = W
)" + sleep;
}
}  // namespace

// [sleep] with two drives (the two VLPO types of the limbic circuit): each gets the same rate,
// base + pressure_gain H - circadian_amplitude cos(2 pi (t - peak)/period), at least 0; the
// other drives keep theirs. Sleep pressure above pressure_reference cuts the inhibited drive.
TEST(SlowModel, SleepDrivesEveryNamedDriveAtTheSameRate) {
    const auto m = test::model_from_text(sleep_model(R"(drive = d1, d2
sleep_population = S
initial_pressure = 12
base_rate = 3 Hz
pressure_gain = 0.5
circadian_amplitude = 2 Hz
circadian_peak = 18 h
pressure_inhibits = other
pressure_reference = 10
pressure_inhibition = 0.1
)"));
    const auto L = layout_of(m);
    auto comm = make_serial_communicator();
    SlowModel s(m, L, *comm);
    s.add_processes();
    for (const double t : {0.0, 6.0, 18.0}) {
        StepInputs in{{1.0, 2.0, 7.0}, t};
        s.modify(in);
        const double want =
            3.0 + 0.5 * 12.0 - 2.0 * std::cos(2.0 * std::numbers::pi * (t - 18.0) / 24.0);
        EXPECT_NEAR(in.drive_rates_Hz[0], want, 1e-12) << t;
        EXPECT_EQ(in.drive_rates_Hz[1], in.drive_rates_Hz[0]) << t;
        EXPECT_NEAR(in.drive_rates_Hz[2], 7.0 * (1.0 - 0.1 * 2.0), 1e-12) << t;
    }
    // Named twice, unknown, or also inhibited: clear errors naming the key.
    const std::string twice =
        test::input_error_of(sleep_model("drive = d1, d1\nsleep_population = S\n"));
    EXPECT_NE(twice.find("[sleep] drive"), std::string::npos) << twice;
    EXPECT_NE(twice.find("'d1' is listed twice"), std::string::npos) << twice;
    EXPECT_NE(test::input_error_of(sleep_model("drive = d1, nope\nsleep_population = S\n"))
                  .find("there is no Poisson drive 'nope'"),
              std::string::npos);
    EXPECT_NE(test::input_error_of(
                  sleep_model("drive = d1\nsleep_population = S\npressure_inhibits = d1\n"))
                  .find("names a sleep drive"),
              std::string::npos);
    EXPECT_NE(test::input_error_of(sleep_model("drive = d1\nsleep_population = S, X\n"))
                  .find("[sleep] sleep_population"),
              std::string::npos);
}

// The measured state with two sleep populations: asleep when their size-weighted mean rate
// exceeds asleep_above (here (2 r_S + 6 r_T)/8 > 5 Hz), whatever the other populations fire.
TEST(SlowModel, AsleepWhenTheSleepPopulationsMeanRateIsAboveThreshold) {
    const auto m = test::model_from_text(
        sleep_model("drive = d1\nsleep_population = S, T\nasleep_above = 5 Hz\n"));
    const SleepSensor s = sleep_sensor(m);
    ASSERT_EQ(s.populations.size(), 2u);
    WindowResult w;
    w.rate_Hz = {10.0, 2.0, 100.0};  // mean 4 Hz
    EXPECT_FALSE(window_asleep(w, s));
    w.rate_Hz = {10.0, 4.0, 0.0};  // mean 5.5 Hz
    EXPECT_TRUE(window_asleep(w, s));
    w.rate_Hz = {0.0, 6.0, 0.0};  // mean 4.5 Hz: T alone is not the whole sleep population
    EXPECT_FALSE(window_asleep(w, s));
}

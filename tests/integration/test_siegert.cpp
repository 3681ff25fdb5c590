// LIF f-I curve in the noise-driven regime against the analytic first-passage rate (Siegert
// 1951; Brunel & Hakim 1999, Eq. 21 of Brunel 2000):
//   1/nu = t_ref + tau sqrt(pi) Int_{(V_r - mu)/sigma}^{(theta - mu)/sigma} e^{u^2} (1 + erf u) du
// for a delta-synapse LIF driven by excitatory and inhibitory Poisson input with
// mu = tau J (nu_e - nu_i) and sigma^2 = tau J^2 (nu_e + nu_i). A time step dt moves the
// effective threshold up by sigma * alpha/2 * sqrt(dt/tau), alpha = sqrt(2) |zeta(1/2)|
// (Brunel & Hakim 1999, appendix): the comparison uses that corrected rate.
#include <gtest/gtest.h>

#include <cmath>

#include "test_util.hpp"

using namespace neurochem;

namespace {
double siegert_rate_Hz(double mu, double sigma, double theta, double V_r, double tau_ms,
                       double t_ref_ms) {
    const double a = (V_r - mu) / sigma, b = (theta - mu) / sigma;
    const int n = 20000;  // Simpson's rule; the integrand is smooth on [a, b]
    const double h = (b - a) / n;
    auto f = [](double u) { return std::exp(u * u) * std::erfc(-u); };
    double s = f(a) + f(b);
    for (int i = 1; i < n; ++i)
        s += f(a + i * h) * (i % 2 ? 4 : 2);
    const double integral = s * h / 3;
    return 1000.0 / (t_ref_ms + tau_ms * std::sqrt(M_PI) * integral);
}
}  // namespace

TEST(Validation, NoisyLifRateMatchesSiegertFormula) {
    const double tau = 20, theta = 20, V_r = 10, t_ref = 2, J = 0.1, dt = 0.1;
    struct Case {
        double nu_e, nu_i;  // Hz
    };
    // mu = 18 mV, sigma = 4 mV (fluctuation-driven) and mu = 22 mV, sigma = 2 mV (mean-driven).
    for (const Case c : {Case{44500, 35500}, Case{15500, 4500}}) {
        const double mu = tau * 1e-3 * J * (c.nu_e - c.nu_i);
        const double sigma = std::sqrt(tau * 1e-3 * J * J * (c.nu_e + c.nu_i));
        const double alpha = std::sqrt(2.0) * 1.4603545088095868;  // sqrt(2) |zeta(1/2)|
        const double shift = sigma * alpha / 2 * std::sqrt(dt / tau);
        const double expected = siegert_rate_Hz(mu, sigma, theta + shift, V_r, tau, t_ref);
        const double continuous = siegert_rate_Hz(mu, sigma, theta, V_r, tau, t_ref);

        const std::string text = R"(
[simulation]
duration = 2 s
dt = 0.1 ms
seed = 21
[population.N]
model = lif_cuba_delta
size = 2000
tau_m = 20 ms
E_L = 0 mV
V_th = 20 mV
V_reset = 10 mV
t_ref = 2 ms
V_init = uniform(10 mV, 20 mV)
[poisson.e]
target = N
receptor = exc
weight = 0.1 mV
[poisson.i]
target = N
receptor = inh
weight = -0.1 mV
)";
        const auto m =
            test::model_from_text(text, {"poisson.e.rate=" + std::to_string(c.nu_e) + " Hz",
                                         "poisson.i.rate=" + std::to_string(c.nu_i) + " Hz"});
        Simulation sim(m, make_serial_context(1));
        sim.run();
        const double rate = sim.population_stats()[0].mean_rate_Hz;
        std::printf(
            "mu %.2f mV sigma %.2f mV: simulated %.3f Hz, Siegert %.3f Hz (dt-corrected), "
            "%.3f Hz (continuous time)\n",
            mu, sigma, rate, expected, continuous);
        EXPECT_NEAR(rate / expected, 1.0, 0.03) << "mu " << mu << " sigma " << sigma;
    }
}

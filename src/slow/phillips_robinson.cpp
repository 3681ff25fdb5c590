#include "slow/phillips_robinson.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace neurochem {

double pr_firing_rate(const PhillipsRobinsonParams& p, double V_mV) {
    return p.Q_max_per_s / (1.0 + std::exp(-(V_mV - p.theta_mV) / p.sigma_mV));
}

namespace {

struct Derivative {
    double V_v, V_m, H;  // per second
};

Derivative rhs(const PhillipsRobinsonParams& p, const PhillipsRobinsonState& s, double t_s) {
    const double omega = 2.0 * std::numbers::pi / (p.period_h * 3600.0);
    const double C = 1.0 + std::cos(omega * t_s);
    const double Q_m = pr_firing_rate(p, s.V_m_mV);
    const double Q_v = pr_firing_rate(p, s.V_v_mV);
    const double D_v = p.nu_vc_mV * C + p.nu_vh_mV_per_nM * s.H_nM;
    return {(-s.V_v_mV + p.nu_vm_mV_s * Q_m + D_v) / p.tau_s,
            (-s.V_m_mV + p.nu_mv_mV_s * Q_v + p.nu_ma_Q_a_mV) / p.tau_s,
            (-s.H_nM + p.mu_nM_s * Q_m) / (p.chi_h * 3600.0)};
}

PhillipsRobinsonState add(const PhillipsRobinsonState& s, const Derivative& d, double h) {
    return {s.V_v_mV + h * d.V_v, s.V_m_mV + h * d.V_m, s.H_nM + h * d.H};
}

}  // namespace

void pr_step(const PhillipsRobinsonParams& p, PhillipsRobinsonState& s, double t_s, double dt_s) {
    const Derivative k1 = rhs(p, s, t_s);
    const Derivative k2 = rhs(p, add(s, k1, dt_s / 2), t_s + dt_s / 2);
    const Derivative k3 = rhs(p, add(s, k2, dt_s / 2), t_s + dt_s / 2);
    const Derivative k4 = rhs(p, add(s, k3, dt_s), t_s + dt_s);
    s.V_v_mV += dt_s / 6 * (k1.V_v + 2 * k2.V_v + 2 * k3.V_v + k4.V_v);
    s.V_m_mV += dt_s / 6 * (k1.V_m + 2 * k2.V_m + 2 * k3.V_m + k4.V_m);
    s.H_nM += dt_s / 6 * (k1.H + 2 * k2.H + 2 * k3.H + k4.H);
}

PhillipsRobinsonCycle pr_cycle(const PhillipsRobinsonParams& p, double transient_days, double days,
                               double dt_s) {
    PhillipsRobinsonState s;
    const double day_s = p.period_h * 3600.0;
    const auto transient_steps = static_cast<long>(std::llround(transient_days * day_s / dt_s));
    const auto steps = static_cast<long>(std::llround(days * day_s / dt_s));
    long n = 0;
    for (; n < transient_steps; ++n)
        pr_step(p, s, static_cast<double>(n) * dt_s, dt_s);

    PhillipsRobinsonCycle c;
    c.H_min_nM = c.H_max_nM = s.H_nM;
    double wake_s = 0, sleep_s = 0, Q_wake = 0, Q_sleep = 0;
    bool was_awake = s.V_m_mV > s.V_v_mV;
    for (long i = 0; i < steps; ++i, ++n) {
        pr_step(p, s, static_cast<double>(n) * dt_s, dt_s);
        const double Q_m = pr_firing_rate(p, s.V_m_mV);
        const bool awake = s.V_m_mV > s.V_v_mV;
        if (awake != was_awake) ++c.transitions;
        was_awake = awake;
        (awake ? wake_s : sleep_s) += dt_s;
        (awake ? Q_wake : Q_sleep) += Q_m * dt_s;
        c.H_min_nM = std::min(c.H_min_nM, s.H_nM);
        c.H_max_nM = std::max(c.H_max_nM, s.H_nM);
    }
    c.wake_h_per_day = wake_s / 3600.0 / days;
    c.sleep_h_per_day = sleep_s / 3600.0 / days;
    c.Q_m_wake_per_s = wake_s > 0 ? Q_wake / wake_s : 0.0;
    c.Q_m_sleep_per_s = sleep_s > 0 ? Q_sleep / sleep_s : 0.0;
    return c;
}

}  // namespace neurochem

// The Phillips & Robinson (2007) mean-field sleep-wake model, as a reference for the spiking
// flip-flop of the limbic circuit (docs/model/circuit.md, VT-13):
//
//   tau_v dV_v/dt = -V_v + nu_vm Q_m + D_v,     D_v = nu_vc C(t) + nu_vh H
//   tau_m dV_m/dt = -V_m + nu_mv Q_v + nu_ma Q_a
//   chi   dH/dt   = -H + mu Q_m
//   Q(V) = Q_max / (1 + exp(-(V - theta)/sigma)),   C(t) = 1 + cos(omega t)
//
// V_v, V_m: mean potentials (mV) of the VLPO and monoaminergic (LC/raphe) groups; Q: firing
// rates (1/s); H: homeostatic sleep pressure (nM, a somnogen such as adenosine); C: circadian
// drive (dimensionless). Parameters: BioModels BIOMD0000000917 (curated PR2007), defaults below.
// The spiking model does not use these equations; it takes the same structure (sleep pressure
// driven by monoaminergic firing, a circadian term, and a drive onto VLPO) and lets the network's
// mutual inhibition be the flip-flop.
#pragma once

#include <vector>

namespace neurochem {

struct PhillipsRobinsonParams {
    double Q_max_per_s = 100.0;
    double theta_mV = 10.0;
    double sigma_mV = 3.0;
    double nu_vm_mV_s = -1.9;
    double nu_mv_mV_s = -1.9;
    double nu_ma_Q_a_mV = 1.0;
    double nu_vc_mV = -6.3;
    double nu_vh_mV_per_nM = 0.19;
    double chi_h = 10.8;
    double mu_nM_s = 3.6;
    double tau_s = 10.0;     ///< tau_v = tau_m
    double period_h = 24.0;  ///< omega = 2 pi / period
};

struct PhillipsRobinsonState {
    double V_v_mV = -5.0;
    double V_m_mV = 0.0;
    double H_nM = 13.0;
};

/// Summary of the limit cycle over whole days after a transient.
struct PhillipsRobinsonCycle {
    double wake_h_per_day = 0;  ///< mean time per day with V_m > V_v
    double sleep_h_per_day = 0;
    double Q_m_wake_per_s = 0;  ///< mean Q_m while awake / asleep
    double Q_m_sleep_per_s = 0;
    double H_min_nM = 0, H_max_nM = 0;
    int transitions = 0;  ///< state changes counted over the measured days
};

double pr_firing_rate(const PhillipsRobinsonParams& p, double V_mV);

/// One step of dt seconds (classical Runge-Kutta 4) starting at time t seconds.
void pr_step(const PhillipsRobinsonParams& p, PhillipsRobinsonState& s, double t_s, double dt_s);

/// Integrates `transient_days`, then measures `days`. Awake while the monoaminergic group
/// dominates the flip-flop (V_m > V_v), the state definition of the VT-13 reference numbers.
PhillipsRobinsonCycle pr_cycle(const PhillipsRobinsonParams& p, double transient_days, double days,
                               double dt_s = 1.0);

}  // namespace neurochem

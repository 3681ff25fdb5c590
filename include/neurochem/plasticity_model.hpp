// Synaptic plasticity of a projection (plain data; docs/model/plasticity.md). Weights are in
// the unit of the projection's weight (nS, pA or mV of the target model); times in ms; traces
// jump by 1 at each spike and decay exponentially.
#pragma once

#include <cmath>
#include <limits>

namespace neurochem {

enum class PlasticityRule {
    none,       ///< static weights (only homeostatic scaling, if enabled)
    stdp_pair,  ///< all-to-all pair STDP with Gutig weight dependence (Song et al. 2000; Gutig et
                ///< al. 2003)
    stdp_triplet,  ///< minimal triplet rule (Pfister & Gerstner 2006), optional sliding threshold
                   ///< (Zenke et al. 2013)
    three_factor,  ///< pair STDP into an eligibility trace, turned into weight by dopamine
                   ///< (Izhikevich 2007)
};

struct PlasticitySpec {
    PlasticityRule rule = PlasticityRule::none;
    // Traces: pre x (tau_plus), post y (tau_minus); triplet: post y2 (tau_y).
    double tau_plus_ms = 20.0;
    double tau_minus_ms = 20.0;
    double tau_y_ms = 114.0;
    /// Pair and three-factor: potentiation A_plus x at a post spike, depression A_minus y at a
    /// pre spike. Triplet: A_plus = A2+, A_minus = A2-, and A3_plus the triplet term.
    double A_plus = 0.0;
    double A_minus = 0.0;
    double A3_plus = 0.0;
    /// Weight dependence (pair): dw+ = A_plus (1 - w/w_max)^mu x, dw- = -A_minus (w/w_max)^mu y;
    /// mu = 0 additive (Song 2000), mu = 1 multiplicative (van Rossum 2000).
    double mu = 0.0;
    double w_min = 0.0;
    double w_max = std::numeric_limits<double>::infinity();
    /// Triplet sliding threshold (Zenke 2013): A2- = A3+ tau_plus tau_y nu^2 / (tau_minus kappa),
    /// nu the post rate estimated by a trace of tau_hom.
    bool sliding_threshold = false;
    double kappa_Hz = 3.0;
    double tau_hom_ms = 50000.0;
    /// Three-factor: the eligibility e decays with tau_eligibility; every update_interval the
    /// weight moves by learning_rate * (DA - dopamine_baseline) * integral of e, DA the mean
    /// concentration of the post population's region's DA pool over the interval.
    double tau_eligibility_ms = 1000.0;
    double learning_rate_per_uM_s =
        0.0;  ///< weight change per (uM of DA deviation x eligibility x s)
    double dopamine_baseline_uM = 0.0;
    double update_interval_ms = 10.0;
    /// Homeostatic synaptic scaling of the incoming weights of each post neuron towards a set
    /// point: every scaling_interval, w *= exp(interval (target - r) / (target tau_scaling)),
    /// r the neuron's rate estimated by a trace of scaling_rate_tau.
    bool scaling = false;
    double scaling_target_Hz = 1.0;
    double tau_scaling_ms = 3.6e6;
    double scaling_rate_tau_ms = 1000.0;
    double scaling_interval_ms = 100.0;
    /// Forgetting: on the slow clock ([protocol]), between windows, every weight relaxes toward
    /// its initial value, w <- w0 + (w - w0) exp(-dt / tau_forget) over each slow step of dt
    /// (extinction memories fade: spontaneous recovery). Infinite: no forgetting.
    double tau_forget_ms = std::numeric_limits<double>::infinity();
    bool forgets() const { return std::isfinite(tau_forget_ms); }
    /// Consolidation (with forgetting only): the weight toward which a synapse forgets is not
    /// fixed but follows the weight with this time constant, so a fraction
    /// tau_forget / (tau_forget + tau_consolidate) of a learned change becomes permanent (a
    /// two-stage synapse: labile, then consolidated). Infinite: w0 stays the built weight.
    double tau_consolidate_ms = std::numeric_limits<double>::infinity();
    bool consolidates() const { return std::isfinite(tau_consolidate_ms); }
    /// Early (E-LTP-like) stage of new learning, on the slow clock: after each window, the part
    /// of the window's weight change that is not captured (1 - the capture factor of [sleep],
    /// which sleep loss lowers; 1 otherwise) is early and decays with tau_early over the
    /// following slow steps; the captured part is kept (and forgotten or consolidated as
    /// above). Infinite: every change is captured (no early stage).
    double tau_early_ms = std::numeric_limits<double>::infinity();
    bool has_early_stage() const { return std::isfinite(tau_early_ms); }
    bool double_weights = false;  ///< store weights as double (else float: 4 bytes per synapse)
    bool record_weights = false;  ///< write the final weights to /edges/<projection> (SONATA)

    bool enabled() const { return rule != PlasticityRule::none || scaling; }
};

const char* to_string(PlasticityRule r);

}  // namespace neurochem

// Checks of the plasticity of each projection.
#include <cmath>

#include "model/validate.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

const char* to_string(PlasticityRule r) {
    switch (r) {
        case PlasticityRule::none: return "none";
        case PlasticityRule::stdp_pair: return "stdp_pair";
        case PlasticityRule::stdp_triplet: return "stdp_triplet";
        case PlasticityRule::three_factor: return "three_factor";
    }
    return "?";
}

namespace {
[[noreturn]] void fail(const std::string& msg) { throw input_error(msg); }
bool positive(double x) { return x > 0 && std::isfinite(x); }
}  // namespace

void validate_plasticity(const ModelSpec& m) {
    for (const auto& pr : m.projections) {
        const auto& p = pr.plasticity;
        if (!p.enabled()) continue;
        const std::string who = "plasticity of projection '" + pr.name + "'";
        if (!(p.w_min <= p.w_max)) fail(who + ": w_min must not exceed w_max.");
        if (!(p.w_min >= 0) && pr.weight.mean() > 0) {
            fail(who + ": w_min must be >= 0 for excitatory (positive) weights.");
        }
        if (p.rule != PlasticityRule::none) {
            for (const double tau : {p.tau_plus_ms, p.tau_minus_ms}) {
                if (!positive(tau)) fail(who + ": the trace time constants must be finite and > 0 ms.");
            }
            if (!(p.A_plus >= 0) || !(p.A_minus >= 0) || !(p.A3_plus >= 0)) {
                fail(who + ": A_plus, A_minus and A3_plus are magnitudes (>= 0; depression is subtracted).");
            }
            if (p.mu != 0 && !std::isfinite(p.w_max)) fail(who + ": a weight dependence (mu > 0) needs a finite w_max.");
            if (!(p.mu >= 0 && p.mu <= 1)) fail(who + ": mu must lie in [0, 1].");
        }
        if (p.rule == PlasticityRule::stdp_triplet) {
            if (!positive(p.tau_y_ms)) fail(who + ": tau_y must be finite and > 0 ms.");
            if (p.sliding_threshold && (!positive(p.kappa_Hz) || !positive(p.tau_hom_ms))) {
                fail(who + ": the sliding threshold needs kappa > 0 Hz and tau_hom > 0 ms.");
            }
        }
        if (p.rule == PlasticityRule::three_factor) {
            if (!positive(p.tau_eligibility_ms) || !positive(p.update_interval_ms)) {
                fail(who + ": tau_eligibility and update_interval must be finite and > 0 ms.");
            }
            if (!m.chemistry.enabled) fail(who + ": three_factor needs the chemistry layer (a DA pool).");
            const auto* region = m.region_of(static_cast<std::size_t>(m.population_index(pr.post)));
            bool da = false;
            if (region) {
                for (const auto& pool : region->pools) da |= pool.transmitter == Transmitter::dopamine;
            }
            if (!da) {
                fail(who + ": three_factor reads dopamine from the region of population '" + pr.post +
                     "', which " + (region ? "(region '" + region->name + "') has no DA pool." : "is in no region."));
            }
            const double steps = p.update_interval_ms / m.chemistry.dt_ms;
            if (std::fabs(steps - std::round(steps)) > 1e-6 * std::max(1.0, steps) || steps < 1) {
                fail(who + ": update_interval must be a whole number of chemistry steps.");
            }
        }
        if (p.scaling) {
            if (!positive(p.scaling_target_Hz) || !positive(p.tau_scaling_ms) || !positive(p.scaling_rate_tau_ms) ||
                !positive(p.scaling_interval_ms)) {
                fail(who + ": scaling needs a target rate, tau_scaling, scaling_rate_tau and scaling_interval > 0.");
            }
            const double steps = p.scaling_interval_ms / m.simulation.dt_ms;
            if (std::fabs(steps - std::round(steps)) > 1e-6 * std::max(1.0, steps)) {
                fail(who + ": scaling_interval must be a whole number of time steps.");
            }
        }
    }
}

}  // namespace neurochem

// The sleep-wake process of [sleep] (docs/model/circuit.md): sleep pressure, the circadian drive
// of the sleep-promoting population, the measured state, and the sleep-loss and clearance
// hypotheses.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "chem/chemistry.hpp"
#include "core/network.hpp"
#include "core/rng.hpp"
#include "neurochem/errors.hpp"
#include "slow/slow_model.hpp"
#include "util/detmath.hpp"

namespace neurochem {

SleepSensor sleep_sensor(const ModelSpec& m) {
    SleepSensor s;
    s.asleep_above_Hz = m.slow.sleep.asleep_above_Hz;
    double total = 0;
    for (const auto& name : m.slow.sleep.sleep_populations) {
        const auto p = static_cast<std::size_t>(m.population_index(name));  // validated
        s.populations.emplace_back(p, static_cast<double>(m.populations[p].size));
        total += static_cast<double>(m.populations[p].size);
    }
    for (auto& [p, weight] : s.populations)
        weight /= total;
    return s;
}

void SlowModel::add_sleep() {
    const SleepSpec& sp = model_.slow.sleep;
    std::vector<std::size_t> drives;  // validated
    for (const auto& d : sp.drives)
        drives.push_back(static_cast<std::size_t>(model_.poisson_index(d)));
    const SleepSensor sleeper = sleep_sensor(model_);
    // Q_m: the size-weighted mean rate of the wake-promoting populations (Hz).
    std::vector<std::pair<std::size_t, double>> wake;
    double total = 0;
    for (const auto& name : sp.wake_populations) {
        const auto p = static_cast<std::size_t>(model_.population_index(name));
        wake.emplace_back(p, static_cast<double>(model_.populations[p].size));
        total += static_cast<double>(model_.populations[p].size);
    }
    for (auto& [p, weight] : wake)
        weight /= total;

    SlowVariable h;
    h.name = "sleep/pressure";
    h.unit = "nM";
    h.bounds = {0.0, 1e6};
    h.initial = sp.initial_nM;
    // rate:  chi dH/dt = -H + mu Q_m, Q_m held over the step;
    // state: tau dH/dt = -H + level, level and tau those of the state measured in the step's
    //        window. Both linear in H: integrated exactly over the step.
    h.linear = [sp, wake, sleeper](const WindowResult& w, std::span<const double>,
                                   std::span<double> a, std::span<double> b) {
        if (sp.pressure_from_state) {
            const bool asleep = window_asleep(w, sleeper);
            const double tau = asleep ? sp.chi_asleep_h : sp.chi_h;
            a[0] = (asleep ? sp.asleep_level_nM : sp.awake_level_nM) / tau;
            b[0] = -1.0 / tau;
            return;
        }
        double q = 0;
        for (const auto& [p, weight] : wake)
            q += weight * w.rate_Hz[p];
        a[0] = sp.mu_nM_s * q / sp.chi_h;
        b[0] = -1.0 / sp.chi_h;
    };
    std::vector<std::size_t> inhibited;
    for (const auto& d : sp.pressure_inhibits)
        inhibited.push_back(static_cast<std::size_t>(model_.poisson_index(d)));
    h.inputs = [sp, drives, inhibited](std::span<const double> x, StepInputs& in) {
        const double phase =
            2.0 * std::numbers::pi * (in.mid_h - sp.circadian_peak_h) / sp.period_h;
        const double rate = sp.base_rate_Hz + sp.pressure_gain_Hz_per_nM * x[0] -
                            sp.circadian_amplitude_Hz * std::cos(phase);
        for (const std::size_t d : drives)
            in.drive_rates_Hz[d] = std::max(0.0, rate);
        const double f = std::max(0.0, 1.0 - sp.pressure_inhibition_per_nM *
                                                 std::max(0.0, x[0] - sp.pressure_reference_nM));
        for (const std::size_t d : inhibited)
            in.drive_rates_Hz[d] *= f;
    };
    add(std::move(h));

    SlowVariable asleep;
    asleep.name = "sleep/asleep";
    asleep.unit = "";
    asleep.bounds = {0.0, 1.0};
    asleep.initial = 0.0;
    asleep.measured = [sp, sleeper](const WindowResult& w, std::size_t) {
        return window_asleep(w, sleeper) ? 1.0 : 0.0;
    };
    if (sp.clearance_asleep != 1.0 && chem_) {
        // The state measured in the last window sets the clearance of the next step.
        asleep.apply = [this, f = sp.clearance_asleep](std::span<const double> x) {
            chem_->pools().set_loss_factor(x[0] > 0.5 ? f : 1.0);
        };
    }
    add(std::move(asleep));
}

}  // namespace neurochem

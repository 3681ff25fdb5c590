#include "slow/slow_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "chem/chemistry.hpp"
#include "comm/communicator.hpp"
#include "core/network.hpp"
#include "core/rng.hpp"
#include "neurochem/errors.hpp"
#include "plasticity/plasticity.hpp"
#include "util/detmath.hpp"

namespace neurochem {

namespace {
bool has_fraction(const SlowVariable& v) {
    return v.population != SlowVariable::global &&
           v.fraction_threshold > -std::numeric_limits<double>::infinity();
}
/// (e^z - 1) / z, accurate near 0.
double phi1(double z) {
    return z == 0.0 ? 1.0 : expm1_det(z) / z;
}
}  // namespace

double integrate_dp45(const std::function<double(double)>& f, double x, double dt, double rtol,
                      double atol) {
    // Dormand & Prince (1980) RK5(4)7M coefficients.
    constexpr double a21 = 1.0 / 5, a31 = 3.0 / 40, a32 = 9.0 / 40, a41 = 44.0 / 45,
                     a42 = -56.0 / 15, a43 = 32.0 / 9, a51 = 19372.0 / 6561, a52 = -25360.0 / 2187,
                     a53 = 64448.0 / 6561, a54 = -212.0 / 729, a61 = 9017.0 / 3168,
                     a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                     a65 = -5103.0 / 18656, b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192,
                     b5 = -2187.0 / 6784, b6 = 11.0 / 84, e1 = 71.0 / 57600, e3 = -71.0 / 16695,
                     e4 = 71.0 / 1920, e5 = -17253.0 / 339200, e6 = 22.0 / 525, e7 = -1.0 / 40;
    double t = 0.0, h = dt;
    double k1 = f(x);
    int steps = 0;
    while (t < dt) {
        if (t + h > dt) h = dt - t;
        const double k2 = f(x + h * (a21 * k1));
        const double k3 = f(x + h * (a31 * k1 + a32 * k2));
        const double k4 = f(x + h * (a41 * k1 + a42 * k2 + a43 * k3));
        const double k5 = f(x + h * (a51 * k1 + a52 * k2 + a53 * k3 + a54 * k4));
        const double k6 = f(x + h * (a61 * k1 + a62 * k2 + a63 * k3 + a64 * k4 + a65 * k5));
        const double x5 = x + h * (b1 * k1 + b3 * k3 + b4 * k4 + b5 * k5 + b6 * k6);
        const double k7 = f(x5);
        const double err = h * (e1 * k1 + e3 * k3 + e4 * k4 + e5 * k5 + e6 * k6 + e7 * k7);
        const double tol = atol + rtol * std::max(std::abs(x), std::abs(x5));
        const double ratio = std::abs(err) / tol;
        if (ratio <= 1.0) {
            t += h;
            x = x5;
            k1 = k7;  // first same as last
        }
        const double factor = ratio == 0.0 ? 5.0 : std::clamp(0.9 * pow_det(ratio, -0.2), 0.2, 5.0);
        h *= factor;
        if (!(h > dt * 1e-14) || ++steps > 1000000) {
            throw internal_error(
                "slow equation: the adaptive step underflowed (a stiff or singular right-hand "
                "side)");
        }
    }
    return x;
}

namespace {
// d ln x/dt = (target - r)/(target tau), r the population's window rate held over the step:
// dx/dt = b x, integrated exactly (drive homeostasis and synaptic scaling share it).
auto set_point_law(std::size_t pop, double target_Hz, double tau_h) {
    return [pop, target_Hz, tau_h](const WindowResult& w, std::span<const double>,
                                   std::span<double> a, std::span<double> b) {
        a[0] = 0.0;
        b[0] = (target_Hz - w.rate_Hz[pop]) / (target_Hz * tau_h);
    };
}
}  // namespace

SlowModel::SlowModel(const ModelSpec& model, const NetworkLayout& layout, Communicator& comm,
                     Chemistry* chemistry, Plasticity* plasticity)
    : model_(model), layout_(layout), comm_(comm), chem_(chemistry), plasticity_(plasticity) {}

void SlowModel::add(SlowVariable v) {
    Var var;
    const std::size_t n =
        v.population == SlowVariable::global ? 1 : layout_.local[v.population].size();
    var.x.assign(n, v.initial);
    var.spec = std::move(v);
    vars_.push_back(std::move(var));
}

void SlowModel::add_processes() {
    for (const auto& h : model_.slow.drive_homeostasis) {
        const std::size_t pop = static_cast<std::size_t>(model_.population_index(h.population));
        const auto drive = static_cast<std::size_t>(model_.poisson_index(h.drive));  // validated
        SlowVariable v;
        v.name = "homeostasis/" + h.name + "/gain";
        v.unit = "";
        v.bounds = {h.g_min, h.g_max};
        v.initial = 1.0;
        v.linear = set_point_law(pop, h.target_Hz, h.tau_h);
        v.inputs = [drive](std::span<const double> x, StepInputs& in) {
            in.drive_rates_Hz[drive] *= x[0];
        };
        add(std::move(v));
    }
    for (const auto& sc : model_.slow.scaling)
        add_scaling(sc);
    for (const auto& r : model_.slow.regulation)
        add_regulation(r);
    for (const auto& b : model_.slow.bdnf)
        add_bdnf(b);
    for (const auto& g : model_.slow.neurogenesis)
        add_neurogenesis(g);
    for (const auto& u : model_.slow.uptake_regulation)
        add_uptake_regulation(u);
    for (const auto& s : model_.slow.synthesis)
        add_synthesis(s);
    for (const auto& x : model_.slow.inositol)
        add_inositol(x);
    if (model_.slow.sleep.enabled) add_sleep();
}

void SlowModel::add_scaling(const SynapticScalingSpec& sc) {
    const auto pop = static_cast<std::size_t>(model_.population_index(sc.population));  // validated
    Neuromodulation* nm = chem_ ? chem_->population(pop) : nullptr;
    if (!nm || nm->synaptic_scale().empty())
        throw internal_error("scaling " + sc.population + ": no synaptic scale");
    SlowVariable v;
    v.name = "scaling/" + sc.population + "/factor";
    v.bounds = {sc.s_min, sc.s_max};
    v.initial = 1.0;
    v.apply = [this, pop](std::span<const double> x) {
        auto dst = chem_->population(pop)->synaptic_scale();
        std::fill(dst.begin(), dst.end(), x[0]);
    };
    if (sc.onset_h <= 0 && !sc.awake_only && !sc.measured_set_point()) {
        v.linear = set_point_law(pop, sc.target_Hz, sc.tau_h);
        add(std::move(v));
        return;
    }
    // Variables in this order: the factor, the sensed error (with an onset), the baseline's
    // rate sum and sensed hours (with a measured set point). A law reads the others' values at
    // the step's start (those declared after it have not advanced yet).
    const std::size_t first = vars_.size();
    const std::size_t m = first + 1, sum = first + (sc.onset_h > 0 ? 2 : 1), hours = sum + 1;
    const SleepSensor sleeper = sc.awake_only ? sleep_sensor(model_) : SleepSensor{};
    // Whether window w is sensed: awake (with sense = awake), and for the scaling itself after
    // the baseline (with a measured set point). The scaling acts in sensed windows only.
    const auto awake = [sc, sleeper](const WindowResult& w) {
        return !sc.awake_only || !window_asleep(w, sleeper);
    };
    const auto scaling = [sc, awake](const WindowResult& w) {
        return awake(w) && !(w.begin_h < sc.baseline_until_h);
    };
    // The set point: given, or the mean sensed rate of the baseline (complete once it ends).
    const auto target = [this, sc, sum, hours] {
        if (!sc.measured_set_point()) return sc.target_Hz;
        const double h = vars_[hours].x[0];
        if (!(h > 0) || !(vars_[sum].x[0] > 0))
            throw input_error(sc.origin + ": [scaling." + sc.population +
                              "] set_point = baseline: the population was not sensed firing in "
                              "any slow step of its baseline (no awake step, or no spike); "
                              "lengthen baseline_from..baseline_until or give a target.");
        return vars_[sum].x[0] / h;
    };
    const double tau = sc.tau_h, onset = sc.onset_h;
    if (onset <= 0) {
        // d ln s/dt = (target - r)/(target tau) in sensed windows, 0 otherwise.
        v.linear = [pop, tau, scaling, target](const WindowResult& w, std::span<const double>,
                                               std::span<double> a, std::span<double> b) {
            a[0] = b[0] = 0.0;
            if (!scaling(w)) return;
            const double t = target();
            b[0] = (t - w.rate_Hz[pop]) / (t * tau);
        };
        add(std::move(v));
    } else {
        // Delayed onset: the sensed error m follows e = (target - r)/target with time constant
        // onset, m' = (e - m)/onset, and d ln s/dt = m/tau. Over a step of D hours with e held,
        // m(t) = e + (m0 - e) exp(-t/onset) exactly, so ln s gains (e D + (m0 - e) D
        // phi1(-D/onset)) / tau. In a window not sensed both are held (firing-rate homeostasis
        // acts in wake only: Hengen et al. 2016).
        v.linear = [this, pop, m, tau, onset, scaling, target](
                       const WindowResult& w, std::span<const double>, std::span<double> a,
                       std::span<double> b) {
            a[0] = b[0] = 0.0;
            if (!scaling(w)) return;
            const double m0 = vars_[m].x[0];
            const double t = target(), e = (t - w.rate_Hz[pop]) / t;
            b[0] = (e + (m0 - e) * phi1(-step_h_ / onset)) / tau;
        };
        add(std::move(v));
        SlowVariable sensed;
        sensed.name = "scaling/" + sc.population + "/sensed_error";
        sensed.bounds = {Bounds::finite().min, 1.0};  // e <= 1 (a rate is >= 0), m follows it
        sensed.initial = 0.0;
        sensed.linear = [pop, onset, scaling, target](const WindowResult& w,
                                                      std::span<const double>, std::span<double> a,
                                                      std::span<double> b) {
            a[0] = b[0] = 0.0;
            if (!scaling(w)) return;
            const double t = target();
            a[0] = (t - w.rate_Hz[pop]) / (t * onset);
            b[0] = -1.0 / onset;
        };
        add(std::move(sensed));
    }
    if (!sc.measured_set_point()) return;
    // The baseline: sum of r dt and of dt over the sensed steps that begin in [from, until).
    const auto in_baseline = [sc, awake](const WindowResult& w) {
        return awake(w) && !(w.begin_h < sc.baseline_from_h) && w.begin_h < sc.baseline_until_h;
    };
    SlowVariable rate_sum;
    rate_sum.name = "scaling/" + sc.population + "/baseline_rate_sum";
    rate_sum.unit = "Hz h";
    rate_sum.bounds = Bounds::nonnegative();
    rate_sum.linear = [pop, in_baseline](const WindowResult& w, std::span<const double>,
                                         std::span<double> a, std::span<double> b) {
        a[0] = in_baseline(w) ? w.rate_Hz[pop] : 0.0;
        b[0] = 0.0;
    };
    add(std::move(rate_sum));
    SlowVariable sensed_h;
    sensed_h.name = "scaling/" + sc.population + "/baseline_hours";
    sensed_h.unit = "h";
    sensed_h.bounds = Bounds::nonnegative();
    sensed_h.linear = [in_baseline](const WindowResult& w, std::span<const double>,
                                    std::span<double> a, std::span<double> b) {
        a[0] = in_baseline(w) ? 1.0 : 0.0;
        b[0] = 0.0;
    };
    add(std::move(sensed_h));
}

std::size_t SlowModel::index_of(const std::string& name) const {
    for (std::size_t v = 0; v < vars_.size(); ++v) {
        if (vars_[v].spec.name == name) return v;
    }
    throw internal_error("slow variable " + name);
}

std::vector<double> SlowModel::lognormal_rates(std::size_t pop, const std::string& stream,
                                               double spread) const {
    const auto& local = layout_.local[pop];
    std::vector<double> k(local.size(), 1.0);
    if (spread > 0) {
        const auto key = rng::derive_key(model_.simulation.seed, rng::stream_id(stream));
        for (std::size_t i = 0; i < k.size(); ++i) {
            rng::CounterStream z(key, static_cast<std::uint32_t>(local.begin + i));
            k[i] = exp_det(spread * z.normal());
        }
    }
    return k;
}

double SlowModel::mean(std::size_t v) const {
    std::vector<std::int64_t> s{0};
    for (double x : vars_[v].x)
        s[0] += std::llround(x * 0x1p32);
    comm_.sum(s);
    return static_cast<double>(s[0]) * 0x1p-32 /
           static_cast<double>(model_.populations[vars_[v].spec.population].size);
}

void SlowModel::advance(const WindowResult& w, double dt_h) {
    step_h_ = dt_h;
    // The capture of the window's learning, from the sleep pressure the window ran with (the
    // value before this step updates it).
    const SleepSpec& sleep = model_.slow.sleep;
    const double capture = sleep.enabled && sleep.capture_inhibition_per_nM > 0
                               ? sleep.capture(vars_[index_of("sleep/pressure")].x[0])
                               : 1.0;
    std::vector<double> a, b;
    for (auto& var : vars_) {
        const auto& s = var.spec;
        auto& x = var.x;
        if (s.linear) {
            a.assign(x.size(), 0.0);
            b.assign(x.size(), 0.0);
            s.linear(w, x, a, b);
            for (std::size_t i = 0; i < x.size(); ++i) {
                const double z = b[i] * dt_h;
                x[i] = x[i] * exp_det(z) + a[i] * dt_h * phi1(z);
            }
        } else if (s.measured) {
            for (std::size_t i = 0; i < x.size(); ++i)
                x[i] = s.measured(w, i);
        } else if (s.general) {
            for (std::size_t i = 0; i < x.size(); ++i) {
                x[i] = integrate_dp45([&](double xi) { return s.general(w, i, xi); }, x[i], dt_h,
                                      rtol(), atol());
            }
        }
        for (auto& xi : x)
            xi = std::clamp(xi, s.bounds.min, s.bounds.max);
    }
    // Extinction memories fade (tau_forget); uncaptured new learning decays (tau_early).
    if (plasticity_) plasticity_->forget(dt_h, capture);
}

void SlowModel::modify(StepInputs& in) const {
    for (const auto& var : vars_) {
        if (var.spec.inputs) var.spec.inputs(var.x, in);
        if (var.spec.apply) {
            var.spec.apply(var.x);
            if (var.spec.population != SlowVariable::global)
                chem_->refresh_population(var.spec.population);
        }
    }
}

void SlowModel::register_state(StateRegistry& reg) {
    for (auto& var : vars_) {
        const auto& s = var.spec;
        const std::string path = "slow/" + s.name;
        if (s.population == SlowVariable::global) {
            reg.add_scalar(path, var.x[0], s.unit, s.bounds);
        } else {
            reg.add_slice(path, std::span<double>(var.x), layout_.local[s.population].begin,
                          model_.populations[s.population].size, s.unit, s.bounds);
        }
    }
}

std::vector<std::string> SlowModel::names() const {
    std::vector<std::string> v;
    for (const auto& var : vars_) {
        v.push_back(var.spec.name);
        if (has_fraction(var.spec)) v.push_back(var.spec.name + "_fraction");
    }
    return v;
}

std::vector<std::string> SlowModel::units() const {
    std::vector<std::string> v;
    for (const auto& var : vars_) {
        v.push_back(var.spec.unit);
        if (has_fraction(var.spec)) v.push_back("");
    }
    return v;
}

std::vector<double> SlowModel::values() const {
    std::vector<double> out;
    std::vector<std::int64_t> fixed;
    for (const auto& var : vars_) {
        if (var.spec.population == SlowVariable::global) continue;
        std::int64_t s = 0;
        for (double x : var.x)
            s += std::llround(x * 0x1p32);
        fixed.push_back(s);
        if (has_fraction(var.spec)) {
            std::int64_t c = 0;
            const double t = var.spec.fraction_threshold;
            for (double x : var.x)
                c += (var.spec.fraction_above ? x > t : x < t) ? 1 : 0;
            fixed.push_back(c);
        }
    }
    comm_.sum(fixed);
    std::size_t f = 0;
    for (const auto& var : vars_) {
        if (var.spec.population == SlowVariable::global) {
            out.push_back(var.x[0]);
        } else {
            const double n = static_cast<double>(model_.populations[var.spec.population].size);
            out.push_back(static_cast<double>(fixed[f++]) * 0x1p-32 / n);
            if (has_fraction(var.spec)) out.push_back(static_cast<double>(fixed[f++]) / n);
        }
    }
    return out;
}

}  // namespace neurochem

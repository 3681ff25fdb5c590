// Slow state and its equations. A slow process declares its variables once (name, unit, valid
// range, initial value, one value or one per neuron of a population) with the right-hand side
// of its ODE as a function of the window averages and the variable itself; the scheduler
// integrates every variable over each slow step, writes it to the output, checkpoints it (the
// state registry), and lets each process set the fast model's inputs from it.
//
// Integration over a slow step of dt hours, the window averages held constant:
//   linear   dx/dt = a + b x  (a, b from the averages, per element): exact,
//            x <- x e^{b dt} + a dt phi1(b dt),  phi1(z) = (e^z - 1)/z
//   general  dx/dt = f(x): Dormand-Prince 5(4) with per-element step-size control
//            (|err| <= rtol |x| + atol on every accepted step; docs/slow-engine.md)
// then clipped to the variable's bounds. Elements are integrated independently, so per-neuron
// variables give the same bits on any layout.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/state_registry.hpp"
#include "slow/window_averages.hpp"

namespace neurochem {

class Chemistry;
class Plasticity;
class Communicator;
struct NetworkLayout;

/// What the fast model is set to for a slow step: the protocol's inputs, then each slow
/// process's changes.
struct StepInputs {
    std::vector<double> drive_rates_Hz;  ///< per ModelSpec::poisson
    double mid_h = 0.0;                  ///< calendar time of the step's midpoint
};

/// The sleep-promoting populations of [sleep] with their weights (size shares, summing to 1).
struct SleepSensor {
    std::vector<std::pair<std::size_t, double>> populations;
    double asleep_above_Hz = 0.0;
};
SleepSensor sleep_sensor(const ModelSpec& m);

/// Whether the network slept through window w: the sleep populations' size-weighted mean rate
/// exceeded [sleep] asleep_above. The one definition of the measured state, for the sleep process
/// and everything sensed awake only.
inline bool window_asleep(const WindowResult& w, const SleepSensor& s) {
    double rate = 0;
    for (const auto& [p, weight] : s.populations)
        rate += weight * w.rate_Hz[p];
    return rate > s.asleep_above_Hz;
}

struct SlowVariable {
    static constexpr std::size_t global = std::numeric_limits<std::size_t>::max();
    std::string name;  ///< output /slow/state/<name>, checkpoint slow/<name>
    std::string unit;
    Bounds bounds;
    double initial = 0.0;
    std::size_t population = global;  ///< per neuron of this population, or one global value
    /// dx/dt = a + b x per element (units of x per hour); fills a and b from the window.
    std::function<void(const WindowResult&, std::span<const double> x, std::span<double> a,
                       std::span<double> b)>
        linear;
    /// Or dx/dt = f(element, x) (per hour), for equations that are not linear in x.
    std::function<double(const WindowResult&, std::size_t element, double x)> general;
    /// Or x = g(window, element): a state measured by the window (e.g. asleep or awake), not
    /// integrated.
    std::function<double(const WindowResult&, std::size_t element)> measured;
    /// Sets inputs of the next step from the variable (may be empty).
    std::function<void(std::span<const double> x, StepInputs&)> inputs;
    /// Or writes the variable into the fast model's state for the next step (e.g. a receptor's
    /// per-neuron coupling), before `population` is refreshed (may be empty).
    std::function<void(std::span<const double> x)> apply;
    /// Per-neuron variables: if > -inf, the output also has "<name>_fraction", the fraction of
    /// neurons with x below (or, with fraction_above, above) this value.
    double fraction_threshold = -std::numeric_limits<double>::infinity();
    bool fraction_above = false;  ///< count x above fraction_threshold instead of below it
};

class SlowModel {
  public:
    /// `chemistry` (may be null) receives what receptor regulation writes; `plasticity` (may be
    /// null) the learning gains that BDNF sets.
    SlowModel(const ModelSpec& model, const NetworkLayout& layout, Communicator& comm,
              Chemistry* chemistry = nullptr, Plasticity* plasticity = nullptr);
    /// Declares a variable (before register_state).
    void add(SlowVariable v);
    /// Builds the variables of every slow process in the model description.
    void add_processes();

    /// Advances every variable over `dt_h` hours driven by `w`.
    void advance(const WindowResult& w, double dt_h);
    /// The protocol's inputs for a step, changed by every process; writes what processes set in
    /// the fast model's state (between fast runs).
    void modify(StepInputs& inputs) const;
    void register_state(StateRegistry& registry);

    /// Output: names, units and (collective) current values: global variables as they are,
    /// per-neuron variables as population means.
    std::vector<std::string> names() const;
    std::vector<std::string> units() const;
    std::vector<double> values() const;
    std::size_t size() const { return vars_.size(); }
    std::span<const double> value(std::size_t v) const { return vars_[v].x; }

    static double rtol() { return 1e-8; }
    static double atol() { return 1e-12; }

  private:
    struct Var {
        SlowVariable spec;
        std::vector<double> x;
    };
    const ModelSpec& model_;
    const NetworkLayout& layout_;
    Communicator& comm_;
    Chemistry* chem_;
    Plasticity* plasticity_;
    std::vector<Var> vars_;
    double step_h_ = 0.0;  ///< length of the step being advanced (for laws that need it)
    void add_sleep();
    void add_scaling(const SynapticScalingSpec& s);
    void add_regulation(const ReceptorRegulationSpec& r);
    void add_bdnf(const BdnfSpec& b);
    void add_neurogenesis(const NeurogenesisSpec& g);
    void add_uptake_regulation(const UptakeRegulationSpec& u);
    void add_synthesis(const SynthesisSpec& s);
    void add_inositol(const InositolSpec& spec);
    /// Population mean of per-neuron variable v over all ranks (collective; exact fixed-point sum).
    double mean(std::size_t v) const;
    /// Per-neuron rate factors exp(spread z_i) of the local neurons of population `pop`, z_i
    /// standard normal from (seed, stream, global index): the same on any layout (1 if spread 0).
    std::vector<double> lognormal_rates(std::size_t pop, const std::string& stream,
                                        double spread) const;
    std::size_t index_of(const std::string& name) const;
};

/// One step of dx/dt = f(x) over dt by Dormand-Prince 5(4) with adaptive substeps (exposed for
/// tests). Throws internal_error when the step size underflows.
double integrate_dp45(const std::function<double(double)>& f, double x, double dt, double rtol,
                      double atol);

}  // namespace neurochem

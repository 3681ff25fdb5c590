#include "slow/course.hpp"

#include <algorithm>

#include "chem/chemistry.hpp"
#include "core/state_registry.hpp"
#include "engine/simulation_access.hpp"
#include "neurochem/errors.hpp"
#include "plasticity/plasticity.hpp"
#include "probe/probe.hpp"

namespace neurochem {

Course::Course(Simulation& sim)
    : sim_(sim), protocol_(sim.spec().protocol.enabled), timeline_(sim.spec()) {
    if (!protocol_) return;
    const auto& spec = sim.spec();
    Chemistry* chem = SimulationAccess::chemistry(sim);
    averager_ =
        std::make_unique<WindowAverager>(spec, SimulationAccess::layout(sim),
                                         SimulationAccess::stats(sim), chem, *sim.context().comm);
    SimulationAccess::add_plugin(sim, *averager_);
    slow_ = std::make_unique<SlowModel>(spec, SimulationAccess::layout(sim), *sim.context().comm,
                                        chem, SimulationAccess::plasticity(sim));
    slow_->add_processes();
    auto& reg = SimulationAccess::registry(sim);
    reg.add_scalar("course/step", k_, "slow steps", {0.0, static_cast<double>(timeline_.size())});
    reg.add_scalar("course/in_step", in_step_, "", {0.0, 1.0});
    reg.add_scalar("course/window_begin", window_begin_, "steps");
    slow_->register_state(reg);
    reg.after_load([this] {
        if (in_step_) apply_inputs();
    });

    // The columns of the /slow output, in the order end_step() fills them.
    columns_ = {{"time_h", "h"},
                {"step_h", "h"},
                {"protocol/asleep", ""},
                {"protocol/exercise", ""},
                {"protocol/measured_s", "s"}};
    for (const auto& p : spec.populations)
        columns_.push_back({"rate/" + p.name, "Hz"});
    if (chem) {
        for (std::size_t i = 0; i < chem->pools().size(); ++i) {
            std::string n = chem->pools().name(i);
            n[n.find('.')] = '/';
            columns_.push_back({"pool/" + n, "uM"});
        }
        for (std::size_t d = 0; d < chem->pk().drugs(); ++d) {
            columns_.push_back({"drug/" + chem->pk().name(d) + "/plasma", "uM"});
            columns_.push_back({"drug/" + chem->pk().name(d) + "/target", "uM"});
        }
        if (chem->pk().drugs() > 0) {
            for (int t = 0; t < drug_target_count; ++t) {
                columns_.push_back(
                    {std::string("occupancy/") + to_string(static_cast<DrugTarget>(t)), ""});
            }
        }
        const auto& names = averager_->quantity_names();
        for (std::size_t p = 0; p < names.size(); ++p) {
            for (const auto& q : names[p]) {
                const bool receptor = q.find('/') != std::string::npos;
                columns_.push_back(
                    {(receptor ? "receptor/" : "messenger/") + spec.populations[p].name + "/" + q,
                     ""});
            }
        }
    }
    if (const Plasticity* pl = SimulationAccess::plasticity(sim)) {
        for (const std::size_t k : pl->plastic_projections()) {
            const auto& post = spec.populations[static_cast<std::size_t>(
                spec.population_index(spec.projections[k].post))];
            columns_.push_back({"weight/" + spec.projections[k].name, weight_unit(post.model)});
        }
    }
    const auto names = slow_->names(), units = slow_->units();
    for (std::size_t i = 0; i < names.size(); ++i)
        columns_.push_back({"state/" + names[i], units[i]});
    if (spec.slow.outcomes.enabled) {
        std::vector<std::string> have;
        for (const auto& c : columns_)
            have.push_back(c.path);
        const Probe* probe = nullptr;
        for (const Probe* p : SimulationAccess::probes(sim))
            if (p->spec().name == spec.slow.outcomes.probe) probe = p;
        if (!probe) throw internal_error("outcomes: no probe " + spec.slow.outcomes.probe);
        outcomes_ = std::make_unique<ClinicalOutcomes>(spec.slow.outcomes, have, *probe);
        outcomes_->register_state(reg);
        for (const auto& [name, unit] : ClinicalOutcomes::columns())
            columns_.push_back({"outcome/" + name, unit});
    }
}

Course::~Course() = default;

bool Course::done() const {
    return protocol_ ? k_ >= timeline_.size() : sim_.current_step() >= timeline_.total_ticks();
}

std::uint64_t Course::position_tick() const {
    if (!protocol_) return sim_.current_step();
    return k_ == 0 ? 0 : timeline_.end_tick(k_ - 1);
}

WindowInfo Course::info() const {
    WindowInfo w;
    w.step = k_;
    w.fast_begin = window_begin_;
    w.fast_end = window_begin_ + timeline_.settle_steps(k_) + timeline_.window_steps(k_);
    w.calendar_begin_h = timeline_.hours(timeline_.begin_tick(k_));
    w.calendar_end_h = timeline_.hours(timeline_.end_tick(k_));
    w.recorded = timeline_.recorded(k_);
    return w;
}

// The inputs of step k: the protocol's drive rates changed by the slow processes, and the
// calendar map of its window. Also used after a restore inside a step (the same values).
void Course::apply_inputs() {
    StepInputs in{timeline_.drive_rates(k_), 0.5 * (timeline_.hours(timeline_.begin_tick(k_)) +
                                                    timeline_.hours(timeline_.end_tick(k_)))};
    slow_->modify(in);
    if (Chemistry* chem = SimulationAccess::chemistry(sim_)) {
        // Slice sessions: cut inputs, drugs washed out (set for every step: not state).
        chem->set_washout(timeline_.washout(k_));
        const auto& pops = sim_.spec().populations;
        for (std::size_t p = 0; p < pops.size(); ++p)
            chem->set_isolated(p, timeline_.isolated(k_, pops[p].name));
    }
    for (std::size_t d = 0; d < in.drive_rates_Hz.size(); ++d)
        sim_.set_poisson_rate(d, in.drive_rates_Hz[d]);
    const std::uint64_t fast = timeline_.settle_steps(k_) + timeline_.window_steps(k_);
    const std::uint64_t ticks = timeline_.end_tick(k_) - timeline_.begin_tick(k_);
    sim_.set_calendar(timeline_.hours(timeline_.begin_tick(k_)), window_begin_,
                      static_cast<double>(ticks) / static_cast<double>(fast));
}

void Course::begin_step(CourseObserver* o) {
    window_begin_ = sim_.current_step();
    in_step_ = 1;
    apply_inputs();
    if (o) o->window_begins(info());
}

void Course::end_step(CourseObserver* o) {
    WindowResult w = averager_->end(timeline_.window_steps(k_));
    w.exercise = timeline_.exercise(k_) ? 1.0 : 0.0;
    w.begin_h = timeline_.hours(timeline_.begin_tick(k_));
    const double dt_h = timeline_.hours(timeline_.end_tick(k_) - timeline_.begin_tick(k_));
    slow_->advance(w, dt_h);
    std::vector<double> row = {timeline_.hours(timeline_.end_tick(k_)), dt_h,
                               timeline_.asleep(k_) ? 1.0 : 0.0, w.exercise, w.measured_s};
    row.insert(row.end(), w.rate_Hz.begin(), w.rate_Hz.end());
    row.insert(row.end(), w.pool_uM.begin(), w.pool_uM.end());
    for (std::size_t d = 0; d < w.plasma_uM.size(); ++d) {
        row.push_back(w.plasma_uM[d]);
        row.push_back(w.target_uM[d]);
    }
    if (!w.plasma_uM.empty()) row.insert(row.end(), w.occupancy.begin(), w.occupancy.end());
    for (const auto& p : w.population)
        row.insert(row.end(), p.begin(), p.end());
    if (const Plasticity* pl = SimulationAccess::plasticity(sim_)) {
        for (const std::size_t k : pl->plastic_projections())
            row.push_back(pl->mean_weight(k));  // collective
    }
    const auto state = slow_->values();
    row.insert(row.end(), state.begin(), state.end());
    if (outcomes_) outcomes_->step(row, timeline_.hours(timeline_.end_tick(k_)));
    if (row.size() != columns_.size())
        throw internal_error("slow row and columns differ in length");
    const WindowInfo done = info();
    ++k_;
    in_step_ = 0;
    if (o) {
        o->window_ends(done);
        o->slow_row(row);
    }
}

void Course::run(std::uint64_t until_tick, SimulationObserver* observer, CourseObserver* o) {
    if (!protocol_) {
        sim_.run(std::min(until_tick, timeline_.total_ticks()), observer);
        return;
    }
    while (k_ < timeline_.size()) {
        if (!in_step_) begin_step(o);
        const std::uint64_t settle_end = window_begin_ + timeline_.settle_steps(k_);
        const std::uint64_t end = settle_end + timeline_.window_steps(k_);
        if (sim_.current_step() < settle_end) {
            sim_.run(settle_end, observer);
            if (sim_.stopped_on_request()) return;
        }
        if (!averager_->active() && sim_.current_step() == settle_end) averager_->begin();
        sim_.run(end, observer);
        if (sim_.stopped_on_request() && sim_.current_step() < end) return;
        end_step(o);
        if (sim_.stopped_on_request()) return;
        if (timeline_.end_tick(k_ - 1) >= until_tick) return;
    }
}

}  // namespace neurochem

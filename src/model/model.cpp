// Consistency checks of a ModelSpec that do not depend on where it came from. The config layer
// reports file and key; these messages name the population or projection.
#include <cmath>
#include <set>

#include "model/validate.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

double Distribution::mean() const {
    switch (kind) {
        case Kind::constant:
            return p1;
        case Kind::uniform:
            return 0.5 * (p1 + p2);
        case Kind::normal:
        case Kind::lognormal:
            return p1;
    }
    return p1;
}

const char* to_string(NeuronModel m) {
    switch (m) {
        case NeuronModel::lif_coba:
            return "lif_coba";
        case NeuronModel::lif_cuba_exp:
            return "lif_cuba_exp";
        case NeuronModel::lif_cuba_delta:
            return "lif_cuba_delta";
        case NeuronModel::adex_coba:
            return "adex_coba";
        case NeuronModel::poisson_source:
            return "poisson_source";
    }
    return "?";
}

const char* to_string(ConnectionRule r) {
    switch (r) {
        case ConnectionRule::fixed_indegree:
            return "fixed_indegree";
        case ConnectionRule::fixed_total_number:
            return "fixed_total_number";
        case ConnectionRule::pairwise_bernoulli:
            return "pairwise_bernoulli";
        case ConnectionRule::one_to_one:
            return "one_to_one";
        case ConnectionRule::all_to_all:
            return "all_to_all";
    }
    return "?";
}

const char* to_string(Transmitter t) {
    switch (t) {
        case Transmitter::serotonin:
            return "5HT";
        case Transmitter::dopamine:
            return "DA";
        case Transmitter::norepinephrine:
            return "NE";
        case Transmitter::gaba:
            return "GABA";
    }
    return "?";
}

const char* to_string(DrugTarget t) {
    static const char* names[] = {"SERT",   "NET",    "DAT",  "D2",    "5HT2A",
                                  "alpha1", "IMPase", "GSK3", "5HT1A", "MAOA"};
    return names[static_cast<int>(t)];
}

const char* weight_unit(NeuronModel m) {
    return m == NeuronModel::lif_cuba_exp ? "pA" : m == NeuronModel::lif_cuba_delta ? "mV" : "nS";
}

int drug_target_index(const std::string& name) {
    for (int i = 0; i < drug_target_count; ++i) {
        if (name == to_string(static_cast<DrugTarget>(i))) return i;
    }
    return -1;
}

int PopulationSpec::receptor_index(const std::string& r) const {
    for (std::size_t i = 0; i < receptors.size(); ++i) {
        if (receptors[i].name == r) return static_cast<int>(i);
    }
    return -1;
}

int ModelSpec::population_index(const std::string& name) const {
    for (std::size_t i = 0; i < populations.size(); ++i) {
        if (populations[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

int ModelSpec::projection_index(const std::string& name) const {
    for (std::size_t i = 0; i < projections.size(); ++i) {
        if (projections[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

int ModelSpec::poisson_index(const std::string& name) const {
    for (std::size_t i = 0; i < poisson.size(); ++i) {
        if (poisson[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

int ModelSpec::region_index(const std::string& name) const {
    for (std::size_t i = 0; i < regions.size(); ++i) {
        if (regions[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

const RegionSpec* ModelSpec::region_of(std::size_t population) const {
    for (const auto& r : regions) {
        for (const auto& p : r.populations) {
            if (p == populations.at(population).name) return &r;
        }
    }
    return nullptr;
}

namespace {
[[noreturn]] void fail(const std::string& msg) {
    throw input_error(msg);
}

void check_distribution(const Distribution& d, const std::string& what) {
    using K = Distribution::Kind;
    if (!std::isfinite(d.p1) || (d.kind != K::constant && !std::isfinite(d.p2))) {
        fail(what + ": distribution parameters must be finite numbers.");
    }
    if (d.kind == K::uniform && !(d.p1 <= d.p2)) {
        fail(what + ": uniform(low, high) needs low <= high.");
    }
    if ((d.kind == K::normal || d.kind == K::lognormal) && d.p2 < 0) {
        fail(what + ": the standard deviation must be >= 0.");
    }
    if (d.kind == K::lognormal && d.p1 <= 0) {
        fail(what + ": lognormal(mean, sd) needs mean > 0.");
    }
    if (!(d.min <= d.max)) fail(what + ": the bounds need min <= max.");
}

std::string popname(const PopulationSpec& p) {
    return "population '" + p.name + "'";
}
}  // namespace

void ModelSpec::validate() const {
    const auto& sim = simulation;
    if (!(sim.dt_ms > 0) || !std::isfinite(sim.dt_ms)) fail("simulation.dt must be > 0.");
    if (!(sim.duration_ms >= 0) || !std::isfinite(sim.duration_ms)) {
        fail("simulation.duration must be >= 0 and finite.");
    }
    if (!(output.rate_bin_ms >= sim.dt_ms)) fail("output.rate_bin must be at least one time step.");
    if (populations.empty()) fail("the model has no populations; add a [population.NAME] section.");

    std::set<std::string> names;
    for (const auto& p : populations) {
        if (!names.insert(p.name).second) fail("population '" + p.name + "' is defined twice.");
        if (p.size == 0 || p.size > 0xffffffffULL) {
            fail(popname(p) + ": size must be between 1 and 4294967295.");
        }
        if (!(p.C_m_pF > 0)) fail(popname(p) + ": C_m must be > 0.");
        if (!(p.tau_m_ms > 0)) fail(popname(p) + ": tau_m must be > 0.");
        if (!(p.t_ref_ms >= 0)) fail(popname(p) + ": t_ref must be >= 0.");
        if (p.V_reset_mV >= (p.model == NeuronModel::adex_coba ? p.V_peak_mV : p.V_th_mV)) {
            fail(popname(p) + ": V_reset must lie below the threshold (V_th, or V_peak for AdEx).");
        }
        if (p.model == NeuronModel::poisson_source &&
            !(p.rate_Hz >= 0 && p.rate_Hz * sim.dt_ms * 1e-3 < 1)) {
            fail(popname(p) + ": the rate of a poisson_source must be >= 0 and below 1/dt.");
        }
        if (p.model == NeuronModel::adex_coba) {
            if (!(p.Delta_T_mV > 0)) fail(popname(p) + ": Delta_T must be > 0.");
            if (!(p.tau_w_ms > 0)) fail(popname(p) + ": tau_w must be > 0.");
            if (!(p.V_peak_mV > p.V_th_mV)) fail(popname(p) + ": V_peak must lie above V_th.");
        }
        check_distribution(p.V_init, popname(p) + " V_init");
        check_distribution(p.w_init, popname(p) + " w_init");
        std::set<std::string> rnames;
        for (const auto& r : p.receptors) {
            if (!rnames.insert(r.name).second) {
                fail(popname(p) + ": receptor '" + r.name + "' is defined twice.");
            }
            if (p.model != NeuronModel::lif_cuba_delta && !(r.tau_syn_ms > 0)) {
                fail(popname(p) + " receptor '" + r.name + "': tau_syn must be > 0.");
            }
            check_distribution(r.init, popname(p) + " receptor '" + r.name + "' init");
        }
    }

    auto find_pop = [&](const std::string& name, const std::string& who) -> const PopulationSpec& {
        const int i = population_index(name);
        if (i < 0) fail(who + " refers to population '" + name + "', which is not defined.");
        return populations[static_cast<std::size_t>(i)];
    };
    auto check_receptor = [&](const PopulationSpec& post, const std::string& r,
                              const std::string& who) {
        if (post.receptor_index(r) < 0) {
            std::string have;
            for (const auto& x : post.receptors)
                have += (have.empty() ? "" : ", ") + x.name;
            fail(who + " targets receptor '" + r + "' of population '" + post.name +
                 "', which has only: " + have + ".");
        }
    };

    std::set<std::string> pnames;
    for (const auto& pr : projections) {
        const std::string who = "projection '" + pr.name + "'";
        if (!pnames.insert(pr.name).second) fail(who + " is defined twice.");
        const auto& pre = find_pop(pr.pre, who);
        const auto& post = find_pop(pr.post, who);
        if (post.model == NeuronModel::poisson_source) {
            fail(who + " targets population '" + post.name +
                 "', a poisson_source, which takes no input.");
        }
        check_receptor(post, pr.receptor, who);
        check_distribution(pr.weight, who + " weight");
        check_distribution(pr.delay_ms, who + " delay");
        const double dmin = pr.delay_ms.kind == Distribution::Kind::uniform ? pr.delay_ms.p1
                            : pr.delay_ms.is_constant()                     ? pr.delay_ms.p1
                                                                            : pr.delay_ms.min;
        if (pr.delay_ms.is_constant() && !(dmin >= sim.dt_ms * (1 - 1e-9))) {
            fail(who + ": the delay must be at least one time step (dt).");
        }
        if (pr.delay_ms.is_constant()) {
            const double steps = pr.delay_ms.p1 / sim.dt_ms;
            if (std::fabs(steps - std::round(steps)) > 1e-6 * std::max(1.0, steps)) {
                fail(who + ": a constant delay must be a whole number of time steps (dt).");
            }
        }
        const bool same = pr.pre == pr.post;
        switch (pr.rule) {
            case ConnectionRule::fixed_indegree: {
                const std::uint64_t avail = pre.size - ((same && !pr.autapses) ? 1 : 0);
                if (!pr.multapses && pr.indegree > avail) {
                    fail(who + ": indegree " + std::to_string(pr.indegree) + " exceeds the " +
                         std::to_string(avail) + " distinct sources available without multapses.");
                }
                if (pr.indegree > 0 && avail == 0) fail(who + ": there is no allowed source.");
                break;
            }
            case ConnectionRule::fixed_total_number: {
                const std::uint64_t avail = pre.size - ((same && !pr.autapses) ? 1 : 0);
                if (pr.total_synapses > 0 && avail == 0)
                    fail(who + ": there is no allowed source.");
                break;
            }
            case ConnectionRule::pairwise_bernoulli:
                if (!(pr.probability >= 0 && pr.probability <= 1)) {
                    fail(who + ": probability must lie in [0, 1].");
                }
                break;
            case ConnectionRule::one_to_one:
                if (pre.size != post.size) {
                    fail(who + ": one_to_one needs populations of equal size (" +
                         std::to_string(pre.size) + " and " + std::to_string(post.size) + ").");
                }
                break;
            case ConnectionRule::all_to_all:
                break;
        }
    }

    std::set<std::string> dnames;
    for (const auto& d : poisson) {
        const std::string who = "poisson drive '" + d.name + "'";
        if (!dnames.insert(d.name).second) fail(who + " is defined twice.");
        const auto& post = find_pop(d.target, who);
        if (post.model == NeuronModel::poisson_source) {
            fail(who + " targets population '" + post.name +
                 "', a poisson_source, which takes no input.");
        }
        check_receptor(post, d.receptor, who);
        if (!(d.rate_Hz >= 0) || !std::isfinite(d.rate_Hz)) fail(who + ": rate must be >= 0.");
        if (!(d.start_ms >= 0 && d.stop_ms >= d.start_ms)) {
            fail(who + ": needs 0 <= start <= stop.");
        }
        if (d.pulse_every_ms > 0) {
            const double every = std::round(d.pulse_every_ms / simulation.dt_ms),
                         length = std::round(d.pulse_length_ms / simulation.dt_ms);
            if (!(length >= 1 && length < every)) {
                fail(who +
                     ": pulse_length must be at least one step and shorter than pulse_every.");
            }
        } else if (d.pulse_length_ms > 0) {
            fail(who + ": pulse_length needs pulse_every (the period of the pulses).");
        }
    }
    std::set<std::string> probe_names;
    for (const auto& pr : probes) {
        const std::string who = "probe '" + pr.name + "'";
        if (!probe_names.insert(pr.name).second) fail(who + " is defined twice.");
        if (poisson_index(pr.drive) < 0)
            fail(who + ": no Poisson drive '" + pr.drive +
                 "' (its cue: a [poisson.NAME] section).");
        if (pr.readout.empty()) fail(who + ": readout names no population.");
        for (const auto& r : pr.readout)
            find_pop(r, who);
        if (!(pr.baseline_ms >= simulation.dt_ms && pr.response_ms >= simulation.dt_ms)) {
            fail(who + ": baseline and response must be at least one step (dt).");
        }
        if (pr.baseline_ms + pr.response_ms > 60000.0)
            fail(who + ": baseline + response must be at most 60 s.");
    }
    std::set<std::string> region_names, placed;
    for (const auto& r : regions) {
        if (r.name.empty()) fail("a region has no name.");
        if (!region_names.insert(r.name).second) fail("region '" + r.name + "' is defined twice.");
        for (const auto& p : r.populations) {
            if (population_index(p) < 0)
                fail("region '" + r.name + "': no population '" + p + "'.");
            if (!placed.insert(p).second)
                fail("population '" + p + "' is placed in more than one region.");
        }
    }
    validate_chemistry(*this);
    validate_plasticity(*this);
}

}  // namespace neurochem

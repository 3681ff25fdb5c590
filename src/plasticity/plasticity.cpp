#include "plasticity/plasticity.hpp"

#include <cmath>
#include <numeric>
#include <tuple>

#include "chem/chemistry.hpp"
#include "comm/communicator.hpp"
#include "core/network.hpp"
#include "core/state_registry.hpp"
#include "neurochem/errors.hpp"
#include "util/exp.hpp"

namespace neurochem {

namespace {
std::uint64_t steps(double ms, double dt_ms) {
    return static_cast<std::uint64_t>(std::llround(ms / dt_ms));
}

/// Traces as two arrays (the checkpoint's layout) and back, checked.
void split(const Traces& t, std::vector<double>& value, std::vector<std::uint64_t>& last) {
    value.resize(t.size());
    last.resize(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        value[i] = t.entries[i].value;
        last[i] = t.entries[i].last;
    }
}

void join(const std::vector<double>& value, const std::vector<std::uint64_t>& last,
          const StateSource& src, const std::string& path, std::size_t from, Traces& t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        const double v = value[from + i];
        if (!std::isfinite(v) || v < 0) {
            throw input_error(src.name() + ": state " + path + "/value[" +
                              std::to_string(from + i) + "] is not a finite trace >= 0.");
        }
        t.entries[i] = {v, last[from + i]};
    }
}
}  // namespace

std::uint64_t Plasticity::step_of(const ModelSpec& m) {
    std::uint64_t K = 0;
    const double dt = m.simulation.dt_ms;
    for (const auto& pr : m.projections) {
        const auto& p = pr.plasticity;
        if (p.rule == PlasticityRule::three_factor) {
            K = std::gcd(K, steps(m.chemistry.dt_ms, dt));
            K = std::gcd(K, steps(p.update_interval_ms, dt));
        }
        if (p.scaling) K = std::gcd(K, steps(p.scaling_interval_ms, dt));
    }
    return K;
}

Plasticity::Plasticity(const ModelSpec& m, Network& net, const Chemistry* chem, Communicator& comm)
    : model_(m), net_(net), chem_(chem), comm_(comm), K_(step_of(m)) {
    const double dt = m.simulation.dt_ms;
    if (chem) K_chem_ = chem->steps_per_step();
    for (std::size_t k = 0; k < m.projections.size(); ++k) {
        const auto& p = m.projections[k].plasticity;
        if (!p.enabled()) continue;
        Project x{k};
        if (p.rule == PlasticityRule::three_factor) {
            x.update = steps(p.update_interval_ms, dt);
            const std::string region =
                m.region_of(static_cast<std::size_t>(m.population_index(m.projections[k].post)))
                    ->name;
            x.da_pool = chem->pools().index(region, Transmitter::dopamine);
            x.baseline = p.dopamine_baseline_uM;
        }
        if (p.scaling) x.scale = steps(p.scaling_interval_ms, dt);
        projects_.push_back(x);
    }
}

void Plasticity::step_shared(std::uint64_t end, double) {
    end_ = end;
    for (auto& x : projects_) {
        if (x.update == 0) continue;
        if (end % K_chem_ == 0) {
            x.da_sum +=
                chem_->pools().concentration_uM()[static_cast<std::size_t>(x.da_pool)] - x.baseline;
            ++x.da_samples;
        }
        if (end % x.update == 0) {
            x.modulation = x.da_samples ? x.da_sum / static_cast<double>(x.da_samples) : 0.0;
            x.da_sum = 0.0;
            x.da_samples = 0;
        }
    }
}

void Plasticity::step_neurons(int d, std::size_t p, std::size_t, std::size_t) {
    const auto du = static_cast<std::size_t>(d);
    for (const auto& x : projects_) {
        auto& proj = net_.projection(x.k);
        if (proj.post != p) continue;
        auto& block = proj.plastic[du];
        if (x.update && end_ % x.update == 0)
            block.consolidate(x.modulation * x.learning_gain, x.update);
        if (x.scale && end_ % x.scale == 0) block.scale(end_, x.scale);
    }
}

std::pair<std::uint64_t, std::uint64_t> Plasticity::extent(std::size_t k) const {
    std::uint64_t local = 0;
    for (const auto& b : net_.projection(k).plastic)
        local += b.size();
    const auto counts = comm_.all_values(static_cast<double>(local));
    std::uint64_t offset = 0, total = 0;
    for (int r = 0; r < comm_.size(); ++r) {
        const auto c = static_cast<std::uint64_t>(counts[static_cast<std::size_t>(r)]);
        if (r < comm_.rank()) offset += c;
        total += c;
    }
    return {offset, total};
}

Plasticity::Edges Plasticity::edges(std::size_t k) const {
    Edges e;
    const auto& proj = net_.projection(k);
    const auto& L = net_.layout();
    std::vector<std::uint64_t> s, t;
    std::vector<double> w;
    for (std::size_t d = 0; d < proj.plastic.size(); ++d) {
        proj.plastic[d].canonical_edges(s, t);
        proj.plastic[d].canonical_weights(w);
        const std::uint64_t first = L.local[proj.post].begin + L.domain[proj.post][d].begin;
        for (std::size_t i = 0; i < s.size(); ++i) {
            e.source.push_back(s[i]);
            e.target.push_back(first + t[i]);
            e.weight.push_back(w[i]);
        }
    }
    std::tie(e.offset, e.total) = extent(k);
    return e;
}

void Plasticity::set_learning_gain(std::size_t k, double gain) {
    for (auto& x : projects_) {
        if (x.k == k && x.update) {
            x.learning_gain = gain;
            return;
        }
    }
    const auto rule = model_.projections[k].plasticity.rule;
    if (rule != PlasticityRule::stdp_pair && rule != PlasticityRule::stdp_triplet)
        throw internal_error("learning gain of projection " + model_.projections[k].name +
                             ", which has no three-factor or STDP plasticity");
    for (auto& block : net_.projection(k).plastic)
        block.set_potentiation_gain(gain);
}

void Plasticity::forget(double dt_h, double capture) {
    for (const auto& x : projects_) {
        const auto& p = model_.projections[x.k].plasticity;
        if (!p.forgets() && !p.has_early_stage()) continue;
        // Rates of loss (forgetting) and of transfer into the stable weight (consolidation).
        const double forget = p.forgets() ? 1.0 / p.tau_forget_ms : 0.0;
        const double keep = p.consolidates() ? 1.0 / p.tau_consolidate_ms : 0.0;
        const double q = p.forgets() ? exp_det(-dt_h * 3.6e6 * (forget + keep)) : 1.0;
        const double c = p.forgets() ? keep / (forget + keep) : 0.0;
        const double q_early = p.has_early_stage() ? exp_det(-dt_h * 3.6e6 / p.tau_early_ms) : 0.0;
        for (auto& block : net_.projection(x.k).plastic)
            block.relax(q, c, capture, q_early);
    }
}

std::vector<std::size_t> Plasticity::plastic_projections() const {
    std::vector<std::size_t> v;
    for (const auto& x : projects_)
        v.push_back(x.k);
    return v;
}

double Plasticity::mean_weight(std::size_t k) const {
    // Only the weights (no edge lists): called once per slow step for every plastic projection.
    const auto& proj = net_.projection(k);
    std::vector<double> w;
    std::vector<std::int64_t> s{0};
    for (const auto& block : proj.plastic) {
        block.canonical_weights(w);
        for (double x : w)
            s[0] += std::llround(x * 0x1p32);
    }
    comm_.sum(s);
    const std::uint64_t total = extent(k).second;
    return total == 0 ? 0.0 : static_cast<double>(s[0]) * 0x1p-32 / static_cast<double>(total);
}

void Plasticity::register_state(StateRegistry& reg) {
    const auto& L = net_.layout();
    for (auto& x : projects_) {
        auto& proj = net_.projection(x.k);
        const std::string prefix = "plasticity/" + model_.projections[x.k].name + "/";
        // Per-synapse state in canonical order (this process's targets are one block): the
        // weights, the eligibility (three-factor) and the stable weights (consolidation; without
        // it they are the built weights, rebuilt with the network).
        enum class Field { weights, eligibility, stable_weights, early, previous_weights };
        static constexpr const char* field_name[] = {"weights", "eligibility", "stable_weights",
                                                     "early_change", "previous_weights"};
        using Get = void (PlasticBlock::*)(std::vector<double>&) const;
        using Set = void (PlasticBlock::*)(std::span<const double>);
        static constexpr Get get[] = {
            &PlasticBlock::canonical_weights, &PlasticBlock::canonical_eligibility,
            &PlasticBlock::canonical_stable_weights, &PlasticBlock::canonical_early,
            &PlasticBlock::canonical_previous_weights};
        static constexpr Set set[] = {
            &PlasticBlock::set_canonical_weights, &PlasticBlock::set_canonical_eligibility,
            &PlasticBlock::set_canonical_stable_weights, &PlasticBlock::set_canonical_early,
            &PlasticBlock::set_canonical_previous_weights};
        auto canonical = [this, k = x.k, prefix](StateSink& sink, Field f) {
            const auto& pr = net_.projection(k);
            std::vector<double> all, part;
            for (const auto& b : pr.plastic) {
                (b.*get[static_cast<int>(f)])(part);
                all.insert(all.end(), part.begin(), part.end());
            }
            const auto [offset, total] = extent(k);
            sink.write(prefix + field_name[static_cast<int>(f)], std::span<const double>(all),
                       offset, total);
        };
        auto restore = [this, k = x.k, prefix](StateSource& src, Field f) {
            auto& pr = net_.projection(k);
            const auto [offset, total] = extent(k);
            std::uint64_t local = 0;
            for (const auto& b : pr.plastic)
                local += b.size();
            std::vector<double> all(local);
            const std::string name = prefix + field_name[static_cast<int>(f)];
            src.read(name, std::span<double>(all), offset, total);
            const auto& p = model_.projections[k].plasticity;
            // What each field may hold: weights lie in [w_min, w_max], an early change is at most
            // the width of that range, an eligibility is finite.
            auto invalid = [&p, f](double v) -> const char* {
                if (f == Field::eligibility) return std::isfinite(v) ? nullptr : "is not finite";
                if (f == Field::early)
                    return std::isfinite(v) && std::abs(v) <= p.w_max - p.w_min
                               ? nullptr
                               : "is larger than w_max - w_min or not finite";
                return v >= p.w_min && v <= p.w_max ? nullptr : "lies outside [w_min, w_max]";
            };
            std::size_t at = 0;
            for (auto& b : pr.plastic) {
                const std::span<const double> mine(all.data() + at, b.size());
                for (std::size_t i = 0; i < mine.size(); ++i) {
                    if (const char* why = invalid(mine[i])) {
                        throw input_error(src.name() + ": state " + name + "[" +
                                          std::to_string(offset + at + i) +
                                          "] = " + std::to_string(mine[i]) + " " + why +
                                          " (a damaged or hand-edited checkpoint).");
                    }
                }
                (b.*set[static_cast<int>(f)])(mine);
                at += b.size();
            }
        };
        auto add = [&reg, &canonical, &restore, &prefix](Field f) {
            reg.add_custom(
                prefix + field_name[static_cast<int>(f)],
                [canonical, f](StateSink& s) { canonical(s, f); },
                [restore, f](StateSource& s) { restore(s, f); });
        };
        add(Field::weights);
        if (!proj.plastic.empty() && proj.plastic[0].eligibility()) add(Field::eligibility);
        if (model_.projections[x.k].plasticity.consolidates()) add(Field::stable_weights);
        if (model_.projections[x.k].plasticity.has_early_stage()) {
            add(Field::early);
            add(Field::previous_weights);
        }
        // Presynaptic traces: the same on every thread and process; thread 0's copy is saved,
        // every thread's is restored.
        if (!proj.plastic.empty() && !proj.plastic[0].pre_traces().empty()) {
            const std::uint64_t n = model_.populations[proj.pre].size;
            const bool root = comm_.rank() == 0;
            reg.add_custom(
                prefix + "pre_trace",
                [this, k = x.k, prefix, n, root](StateSink& sink) {
                    std::vector<double> v;
                    std::vector<std::uint64_t> last;
                    split(net_.projection(k).plastic[0].pre_traces(), v, last);
                    sink.write(prefix + "pre_trace/value",
                               root ? std::span<const double>(v) : std::span<const double>(), 0, n);
                    sink.write(prefix + "pre_trace/last",
                               root ? std::span<const std::uint64_t>(last)
                                    : std::span<const std::uint64_t>(),
                               0, n);
                },
                [this, k = x.k, prefix, n](StateSource& src) {
                    auto& blocks = net_.projection(k).plastic;
                    std::vector<double> v(n);
                    std::vector<std::uint64_t> last(n);
                    src.read(prefix + "pre_trace/value", std::span<double>(v), 0, n);
                    src.read(prefix + "pre_trace/last", std::span<std::uint64_t>(last), 0, n);
                    for (auto& b : blocks)
                        join(v, last, src, prefix + "pre_trace", 0, b.pre_traces());
                });
        }
        // Postsynaptic traces: each thread holds its targets', together this process's slice.
        if (!proj.plastic.empty()) {
            const auto names = proj.plastic[0].post_trace_names();
            const std::uint64_t n = model_.populations[proj.post].size,
                                at = L.local[proj.post].begin;
            for (std::size_t j = 0; j < names.size(); ++j) {
                const std::string path = prefix + names[j];
                reg.add_custom(
                    path,
                    [this, k = x.k, j, path, n, at](StateSink& sink) {
                        std::vector<double> v, pv;
                        std::vector<std::uint64_t> last, pl;
                        for (auto& b : net_.projection(k).plastic) {
                            split(*b.post_traces()[j], pv, pl);
                            v.insert(v.end(), pv.begin(), pv.end());
                            last.insert(last.end(), pl.begin(), pl.end());
                        }
                        sink.write(path + "/value", std::span<const double>(v), at, n);
                        sink.write(path + "/last", std::span<const std::uint64_t>(last), at, n);
                    },
                    [this, k = x.k, j, path, n, at](StateSource& src) {
                        auto& blocks = net_.projection(k).plastic;
                        std::size_t total = 0;
                        for (auto& b : blocks)
                            total += b.post_traces()[j]->size();
                        std::vector<double> v(total);
                        std::vector<std::uint64_t> last(total);
                        src.read(path + "/value", std::span<double>(v), at, n);
                        src.read(path + "/last", std::span<std::uint64_t>(last), at, n);
                        std::size_t o = 0;
                        for (auto& b : blocks) {
                            Traces& t = *b.post_traces()[j];
                            join(v, last, src, path, o, t);
                            o += t.size();
                        }
                    });
            }
        }
        if (x.update) {
            reg.add_scalar(prefix + "dopamine_sum", x.da_sum, "uM", Bounds::finite());
            reg.add_scalar(prefix + "dopamine_samples", x.da_samples, "chemistry steps");
        }
    }
}

}  // namespace neurochem

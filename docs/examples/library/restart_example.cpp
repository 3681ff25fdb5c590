// A network built in code, run, checkpointed half-way, restored into a new simulation and run
// to the end: the spikes after the restart are those of an uninterrupted run, bit for bit.
// Then a model from a config file. Runs on any number of MPI ranks (docs/library.md).
//   restart_example CHECKPOINT_DIR [CONFIG]
#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <neurochem/checkpoint.hpp>
#include <neurochem/config.hpp>
#include <neurochem/mpi.hpp>
#include <neurochem/simulation.hpp>
#include <neurochem/version.hpp>

using namespace neurochem;

namespace {

/// Records every spike of the network (all ranks see all spikes, in (step, gid) order).
class SpikeRecorder final : public SimulationObserver {
  public:
    void epoch(const EpochView& view) override {
        spikes.insert(spikes.end(), view.all_spikes.begin(), view.all_spikes.end());
    }
    std::vector<Spike> spikes;
};

/// 800 excitatory and 200 inhibitory conductance-based LIF neurons (Vogels & Abbott 2005
/// parameters) driven by Poisson input: every quantity in the unit its field name carries.
ModelSpec balanced_network() {
    ModelSpec m;
    m.simulation.dt_ms = 0.1;
    m.simulation.duration_ms = 400.0;
    m.simulation.seed = 2026;
    PopulationSpec e;
    e.name = "E";
    e.size = 800;
    e.model = NeuronModel::lif_coba;
    e.C_m_pF = 200.0;
    e.tau_m_ms = 20.0;
    e.E_L_mV = -60.0;
    e.V_th_mV = -50.0;
    e.V_reset_mV = -60.0;
    e.t_ref_ms = 5.0;
    e.receptors = {{"exc", 5.0, 0.0, {}}, {"inh", 10.0, -80.0, {}}};
    e.V_init = Distribution::uniform(-60.0, -50.0);
    PopulationSpec i = e;
    i.name = "I";
    i.size = 200;
    m.populations = {e, i};
    for (const char* pre : {"E", "I"}) {
        for (const char* post : {"E", "I"}) {
            ProjectionSpec p;
            p.name = std::string(pre) + "->" + post;
            p.pre = pre;
            p.post = post;
            p.receptor = pre == std::string("E") ? "exc" : "inh";
            p.rule = ConnectionRule::fixed_indegree;
            p.indegree = pre == std::string("E") ? 40 : 10;
            p.weight = Distribution::constant(pre == std::string("E") ? 0.6 : 6.0);  // nS
            p.delay_ms = Distribution::uniform(1.0, 2.0);
            m.projections.push_back(p);
        }
    }
    for (const char* post : {"E", "I"}) {
        PoissonSpec d;
        d.name = std::string("background_") + post;
        d.target = post;
        d.receptor = "exc";
        d.rate_Hz = 10.0;
        d.sources = 100;
        d.weight = 0.5;  // nS
        m.poisson.push_back(d);
    }
    return m;
}

/// The spikes emitted after `step` (a spike's step is the end of the step it was emitted in).
std::vector<Spike> after(const std::vector<Spike>& spikes, std::uint64_t step) {
    std::vector<Spike> out;
    for (const auto& s : spikes)
        if (s.step > step) out.push_back(s);
    return out;
}

int run(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: restart_example CHECKPOINT_DIR [CONFIG]\n");
        return 2;
    }
    const Context ctx = make_mpi_context(1, MPI_COMM_WORLD);
    const bool talk = ctx.rank() == 0;
    const ModelSpec model = balanced_network();

    // 1. The uninterrupted run.
    Simulation whole(model, ctx);
    SpikeRecorder all;
    whole.run(&all);

    // 2. Half-way, a checkpoint; a new simulation restores it and runs to the end.
    std::string checkpoint;
    const std::uint64_t half = whole.duration_steps() / 2;
    {
        Simulation first(model, ctx);
        first.run(half);
        checkpoint = save_checkpoint(first, argv[1]);
    }
    Simulation second(model, ctx);
    load_checkpoint(second, checkpoint);
    const std::uint64_t resumed_at = second.current_step();
    SpikeRecorder rest;
    second.run(&rest);
    const bool same = after(all.spikes, resumed_at) == rest.spikes;
    const auto stats = whole.population_stats();
    if (talk) {
        std::printf("neurochem %s on %d rank(s)\n", version(), ctx.ranks());
        for (const auto& p : stats)
            std::printf("  %s: %.2f Hz, CV %.2f\n", p.name.c_str(), p.mean_rate_Hz, p.mean_cv_isi);
        std::printf("checkpoint %s at step %llu; %zu spikes after it, restart %s\n",
                    checkpoint.c_str(), static_cast<unsigned long long>(resumed_at),
                    rest.spikes.size(), same ? "identical" : "DIFFERENT");
    }
    if (!same || rest.spikes.empty()) return 1;

    // 3. A model from a config file, with an override as `neurochem run --set` takes.
    if (argc > 2) {
        const LoadedModel loaded = load_model(argv[2], {"simulation.duration=100 ms"});
        Simulation sim(loaded.spec, ctx);
        sim.run();
        const auto s = sim.population_stats();
        if (talk) {
            std::printf("%s (config %.12s...):", argv[2], loaded.hash.c_str());
            for (const auto& p : s)
                std::printf(" %s %.2f Hz", p.name.c_str(), p.mean_rate_Hz);
            std::printf("\n");
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int code = 0;
    try {
        code = run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "restart_example: %s\n", e.what());
        code = 1;
    }
    MPI_Finalize();
    return code;
}

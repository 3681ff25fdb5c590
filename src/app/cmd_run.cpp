#include <sys/resource.h>
#include <unistd.h>

#include <boost/program_options.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "app/progress.hpp"
#include "io/output_writer.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/simulation.hpp"
#include "neurochem/version.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace neurochem::app {

namespace {
double peak_rss_mb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux reports KiB
}

std::string default_output(const std::string& config_path) {
    if (config_path.empty()) return "default.h5";
    return fs::path(config_path).stem().string() + ".h5";
}

void check_output_path(const std::string& out) {
    const fs::path p = fs::absolute(out);
    const fs::path dir = p.parent_path();
    if (!fs::is_directory(dir)) {
        throw input_error("-o " + out + ": the directory " + dir.string() + " does not exist.");
    }
    if (access(dir.c_str(), W_OK) != 0) {
        throw input_error("-o " + out + ": the directory " + dir.string() + " is not writable.");
    }
    if (fs::is_directory(p)) throw input_error("-o " + out + ": is a directory, not a file name.");
}

void print_summary(const Simulation& sim, const std::vector<PopulationStats>& stats,
                   std::uint64_t events, std::uint64_t synapses, double wall, const std::string& out) {
    const double sim_s = static_cast<double>(sim.current_step()) * sim.dt_ms() * 1e-3;
    const auto t = sim.phase_times();
    std::printf("\n%-12s %10s %12s %10s %8s\n", "population", "neurons", "spikes", "rate [Hz]", "CV ISI");
    for (const auto& s : stats) {
        std::printf("%-12s %10llu %12llu %10.3f %8.3f\n", s.name.c_str(),
                    static_cast<unsigned long long>(s.size), static_cast<unsigned long long>(s.spikes),
                    s.mean_rate_Hz, s.mean_cv_isi);
    }
    std::printf("\nsimulated %.3f s in %.3f s wall (real-time factor %.3f)\n", sim_s, wall,
                sim_s > 0 ? wall / sim_s : 0.0);
    std::printf("synapses %llu, synaptic events %llu (%.3g per second of wall time)\n",
                static_cast<unsigned long long>(synapses), static_cast<unsigned long long>(events),
                wall > 0 ? static_cast<double>(events) / wall : 0.0);
    std::printf("phases on rank 0: build %.3f s, update %.3f s, exchange %.3f s, deliver %.3f s\n",
                t.build, t.update, t.exchange, t.deliver);
    std::printf("peak memory (rank 0) %.1f MB\n", peak_rss_mb());
    std::printf("output: %s\n", fs::absolute(out).c_str());
}
}  // namespace

int cmd_run(const Args& args, const std::string& command_line) {
    po::options_description opts("neurochem run [CONFIG] [options]");
    std::string path, out, seed;
    std::vector<std::string> sets;
    int threads = 0;
    bool quiet = false, help = false;
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "output,o", po::value(&out), "output HDF5 file (default: CONFIG's stem + .h5)")(
        "set", po::value(&sets)->composing(), "override a key: section.key=value (repeatable)")(
        "seed", po::value(&seed), "override simulation.seed")(
        "threads", po::value(&threads), "OpenMP threads (default: OMP_NUM_THREADS or all cores)")(
        "quiet,q", po::bool_switch(&quiet), "print errors only");
    po::options_description hidden;
    hidden.add_options()("config", po::value(&path));
    po::options_description all;
    all.add(opts).add(hidden);
    po::positional_options_description pos;
    pos.add("config", 1);
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
    if (help) {
        std::cout << "Runs a simulation of CONFIG (or of the embedded default model, Brette et al. "
                     "2007 COBA)\nand writes spikes, rates, a summary and provenance to an HDF5 "
                     "file.\n\n"
                  << opts;
        return 0;
    }
    if (vm.count("threads") && threads < 1) {
        throw input_error("--threads " + std::to_string(threads) + ": must be at least 1.");
    }

    const auto cfg = load_config(path, sets, seed);
    const ModelSpec model = config::to_model(cfg);
    if (out.empty()) out = default_output(path);
    check_output_path(out);

    const auto t0 = std::chrono::steady_clock::now();
    const Context ctx = make_serial_context(threads);
    const bool talk = !quiet && ctx.rank() == 0;
    if (talk) {
        std::printf("neurochem %s (%s, %s)\nconfig %s  hash %.16s\n", version(), git_revision(),
                    build_type(), cfg.source.c_str(), cfg.hash.c_str());
        std::fflush(stdout);
    }
    Simulation sim(model, ctx);
    const auto net = sim.local_network();
    if (talk) {
        std::printf("built %llu neurons and %llu synapses in %.3f s on %d rank(s) x %d thread(s)\n",
                    static_cast<unsigned long long>(net.neurons),
                    static_cast<unsigned long long>(net.synapses), sim.phase_times().build,
                    ctx.ranks(), sim.context().threads);
        if (fs::exists(out)) std::printf("note: %s exists and will be replaced when the run completes\n", out.c_str());
        std::fflush(stdout);
    }

    OutputWriter writer(out, sim, {cfg.canonical_text, cfg.hash, cfg.source, command_line});
    ProgressReporter progress(sim.duration_steps(), sim.dt_ms(), talk);
    ObserverList observers;
    observers.add(&writer);
    observers.add(&progress);
    sim.run(&observers);
    progress.done();

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    writer.finish(wall);
    const auto stats = sim.population_stats();
    const auto events = sim.synaptic_events();
    const auto synapses = sim.total_synapses();
    if (talk) print_summary(sim, stats, events, synapses, wall, out);
    return 0;
}

}  // namespace neurochem::app

#include <unistd.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>

#include "app/commands.hpp"
#include "app/progress.hpp"
#include "comm/communicator.hpp"
#include "comm/environment.hpp"
#include "io/output_writer.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/simulation.hpp"
#include "neurochem/version.hpp"
#include "util/memory.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace neurochem::app {

namespace {
std::string default_output(const std::string& config_path) {
    if (config_path.empty()) return "default.h5";
    return fs::path(config_path).stem().string() + ".h5";
}

/// "" if OUT can be written, else the reason.
std::string output_path_problem(const std::string& out) {
    const fs::path p = fs::absolute(out);
    const fs::path dir = p.parent_path();
    if (!fs::is_directory(dir)) return "-o " + out + ": the directory " + dir.string() + " does not exist.";
    if (access(dir.c_str(), W_OK) != 0) return "-o " + out + ": the directory " + dir.string() + " is not writable.";
    if (fs::is_directory(p)) return "-o " + out + ": is a directory, not a file name.";
    return "";
}

/// Testing switch --inject-fault RANK:STEP: throws on RANK once the run passes STEP.
class FaultInjector final : public SimulationObserver {
public:
    FaultInjector(int rank, std::uint64_t step, int my_rank) : rank_(rank), step_(step), me_(my_rank) {}
    void epoch(const EpochView& v) override {
        if (me_ == rank_ && v.end_step >= step_) {
            throw std::runtime_error("injected fault (--inject-fault) at step " + std::to_string(v.end_step));
        }
    }

private:
    int rank_;
    std::uint64_t step_;
    int me_;
};

/// A failure on one rank must not leave the others waiting in a collective call, and must be
/// handled before any destructor makes a collective call (closing a parallel HDF5 file): print
/// this rank's message and end the whole job. A single process just rethrows.
void end_job_if_distributed(Communicator& comm, const std::exception& e) {
    if (comm.size() == 1) return;
    const int code = dynamic_cast<const input_error*>(&e) ? 2 : 1;
    std::fprintf(stderr, "neurochem: error on rank %d of %d: %s\nneurochem: aborting all ranks\n",
                 comm.rank(), comm.size(), e.what());
    std::fflush(stderr);
    comm.abort(code);
}

struct Balance {
    std::vector<double> neurons, synapses, update, exchange, deliver, sent, rss;
};

Balance gather_balance(const Simulation& sim) {
    auto& comm = *sim.context().comm;
    const auto net = sim.local_network();
    const auto t = sim.phase_times();
    const auto x = sim.exchange_stats();
    const double sent = x.epochs ? static_cast<double>(x.spikes_sent * ExchangeStats::bytes_per_spike) /
                                       static_cast<double>(x.epochs)
                                 : 0.0;
    return {comm.all_values(static_cast<double>(net.neurons)), comm.all_values(static_cast<double>(net.synapses)),
            comm.all_values(t.update), comm.all_values(t.exchange), comm.all_values(t.deliver),
            comm.all_values(sent), comm.all_values(peak_rss_mb())};
}

void print_summary(const Simulation& sim, const std::vector<PopulationStats>& stats,
                   std::uint64_t events, std::uint64_t synapses, double wall, const std::string& out,
                   const Balance& bal, double peak_rss_max) {
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
    std::printf("synapses %llu, synaptic events %llu (%.3g per second of run time)\n",
                static_cast<unsigned long long>(synapses), static_cast<unsigned long long>(events),
                t.run > 0 ? static_cast<double>(events) / t.run : 0.0);
    std::printf("rank 0: build %.3f s; run %.3f s = update %.3f s + exchange %.3f s + deliver "
                "%.3f s + output/other %.3f s\n",
                t.build, t.run, t.update, t.exchange, t.deliver,
                t.run - t.update - t.exchange - t.deliver);
    const std::size_t R = bal.neurons.size();
    if (R > 1) {
        auto row = [&](const char* what, const std::vector<double>& v, const char* fmt) {
            const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
            const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
            std::printf("  %-10s", what);
            std::printf(fmt, *lo);
            std::printf(fmt, mean);
            std::printf(fmt, *hi);
            std::printf("\n");
        };
        std::printf("balance over %zu ranks:   min        mean       max\n", R);
        row("neurons", bal.neurons, " %10.0f");
        row("synapses", bal.synapses, " %10.0f");
        row("update s", bal.update, " %10.3f");
        row("exchange s", bal.exchange, " %10.3f");
        row("deliver s", bal.deliver, " %10.3f");
        row("sent B/ep", bal.sent, " %10.0f");
        row("peak MB", bal.rss, " %10.1f");
    }
    const auto x = sim.exchange_stats();
    if (x.epochs) {
        std::printf("spike exchange: %llu epochs of %u steps; per epoch %.0f B received by each rank\n",
                    static_cast<unsigned long long>(x.epochs), sim.epoch_steps(),
                    static_cast<double>(x.spikes_received * ExchangeStats::bytes_per_spike) /
                        static_cast<double>(x.epochs));
    }
    std::printf("peak memory %.1f MB (largest rank)\n", peak_rss_max);
    std::printf("output: %s\n", fs::absolute(out).c_str());
}
}  // namespace

int cmd_run(const Args& args, const std::string& command_line, const MpiSession& mpi) {
    po::options_description opts("neurochem run [CONFIG] [options]");
    std::string path, out, seed, fault;
    std::vector<std::string> sets;
    int threads = 0;
    bool quiet = false, help = false;
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "output,o", po::value(&out), "output HDF5 file (default: CONFIG's stem + .h5)")(
        "set", po::value(&sets)->composing(), "override a key: section.key=value (repeatable)")(
        "seed", po::value(&seed), "override simulation.seed")(
        "threads", po::value(&threads), "OpenMP threads per rank (default: OMP_NUM_THREADS or all cores)")(
        "quiet,q", po::bool_switch(&quiet), "print errors only");
    po::options_description hidden;
    hidden.add_options()("config", po::value(&path))(
        "inject-fault", po::value(&fault), "testing: RANK:STEP throws on RANK after STEP");
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
                     "file. Under mpirun the\npopulations are distributed over the ranks.\n\n"
                  << opts;
        return 0;
    }
    if (vm.count("threads") && threads < 1) {
        throw input_error("--threads " + std::to_string(threads) + ": must be at least 1.");
    }
    int fault_rank = -1;
    std::uint64_t fault_step = 0;
    if (!fault.empty()) {
        const auto colon = fault.find(':');
        try {
            fault_rank = std::stoi(fault.substr(0, colon));
            fault_step = std::stoull(fault.substr(colon + 1));
        } catch (const std::exception&) {
            throw input_error("--inject-fault " + fault + ": expected RANK:STEP.");
        }
    }

    // Everything up to here is identical on every rank, and so are its errors.
    const auto cfg = load_config(path, sets, seed);
    const ModelSpec model = config::to_model(cfg);
    if (out.empty()) out = default_output(path);
    const Context ctx = mpi.context(threads);
    auto& comm = *ctx.comm;
    std::string problem = comm.rank() == 0 ? output_path_problem(out) : "";
    comm.broadcast(problem, 0);
    if (!problem.empty()) throw input_error(problem);

    const bool talk = !quiet && comm.rank() == 0;
    try {
        const auto t0 = std::chrono::steady_clock::now();
        if (talk) {
            std::printf("neurochem %s (%s, %s)\nconfig %s  hash %.16s\n", version(), git_revision(),
                        build_type(), cfg.source.c_str(), cfg.hash.c_str());
            std::fflush(stdout);
        }
        Simulation sim(model, ctx);
        const std::uint64_t synapses_built = sim.total_synapses();
        if (talk) {
            std::printf("built %llu neurons and %llu synapses in %.3f s on %d rank(s) x %d thread(s)\n",
                        static_cast<unsigned long long>(sim.spec().populations.empty() ? 0 : [&] {
                            std::uint64_t n = 0;
                            for (const auto& p : sim.spec().populations) n += p.size;
                            return n;
                        }()),
                        static_cast<unsigned long long>(synapses_built), sim.phase_times().build,
                        ctx.ranks(), sim.context().threads);
            if (fs::exists(out)) std::printf("note: %s exists and will be replaced when the run completes\n", out.c_str());
            std::fflush(stdout);
        }

        OutputWriter writer(out, sim, {cfg.canonical_text, cfg.hash, cfg.source, command_line});
        ProgressReporter progress(sim.duration_steps(), sim.dt_ms(), talk);
        FaultInjector injector(fault_rank, fault_step, comm.rank());
        ObserverList observers;
        observers.add(&writer);
        observers.add(&progress);
        if (fault_rank >= 0) observers.add(&injector);
        double wall = 0;
        try {
            sim.run(&observers);
            progress.done();
            wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            writer.finish(wall);
        } catch (const std::exception& e) {
            end_job_if_distributed(comm, e);
            throw;
        }
        const auto stats = sim.population_stats();
        const auto events = sim.synaptic_events();
        const auto balance = gather_balance(sim);
        const double rss = comm.max(peak_rss_mb());
        if (talk) print_summary(sim, stats, events, synapses_built, wall, out, balance, rss);
        return 0;
    } catch (const std::exception& e) {
        end_job_if_distributed(comm, e);
        throw;
    }
}

}  // namespace neurochem::app

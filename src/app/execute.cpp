#include "app/execute.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "app/disk_watch.hpp"
#include "app/memory_check.hpp"
#include "app/output_estimate.hpp"
#include "comm/communicator.hpp"
#include "io/checkpoint.hpp"
#include "io/h5.hpp"
#include "io/output_writer.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/simulation.hpp"
#include "neurochem/version.hpp"
#include "util/memory.hpp"

namespace fs = std::filesystem;

namespace neurochem::app {

namespace {
/// Testing switch --inject-fault RANK:STEP: throws on RANK once the run passes STEP.
class FaultInjector final : public SimulationObserver {
  public:
    FaultInjector(int rank, std::uint64_t step, int my_rank)
        : rank_(rank), step_(step), me_(my_rank) {}
    void epoch(const EpochView& v) override {
        if (me_ == rank_ && v.end_step >= step_) {
            throw std::runtime_error("injected fault (--inject-fault) at step " +
                                     std::to_string(v.end_step));
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
    const double sent = x.epochs
                            ? static_cast<double>(x.spikes_sent * ExchangeStats::bytes_per_spike) /
                                  static_cast<double>(x.epochs)
                            : 0.0;
    return {comm.all_values(static_cast<double>(net.neurons)),
            comm.all_values(static_cast<double>(net.synapses)),
            comm.all_values(t.update),
            comm.all_values(t.exchange),
            comm.all_values(t.deliver),
            comm.all_values(sent),
            comm.all_values(peak_rss_mb())};
}

void print_summary(const Simulation& sim, const Course& course,
                   const std::vector<PopulationStats>& stats, std::uint64_t events,
                   std::uint64_t synapses, double wall, const std::string& out,
                   const Balance& bal) {
    const double sim_s = static_cast<double>(sim.current_step()) * sim.dt_ms() * 1e-3;
    const auto t = sim.phase_times();
    std::printf("\n%-12s %10s %12s %10s %8s\n", "population", "neurons", "spikes", "rate [Hz]",
                "CV ISI");
    for (const auto& s : stats) {
        std::printf("%-12s %10llu %12llu %10.3f %8.3f\n", s.name.c_str(),
                    static_cast<unsigned long long>(s.size),
                    static_cast<unsigned long long>(s.spikes), s.mean_rate_Hz, s.mean_cv_isi);
    }
    if (course.has_protocol()) {
        const auto& tl = course.timeline();
        const double days = tl.hours(course.position_tick()) / 24;
        std::printf(
            "(rates over the simulated windows)\n\nsimulated %.4g days in %zu slow steps: %.3f s "
            "of fast time "
            "in %.3f s wall (%.3g s wall per simulated day, real-time factor of the windows "
            "%.3f)\n",
            days, course.current_step(), sim_s, wall, days > 0 ? wall / days : 0.0,
            sim_s > 0 ? wall / sim_s : 0.0);
    } else {
        std::printf("\nsimulated %.3f s in %.3f s wall (real-time factor %.3f)\n", sim_s, wall,
                    sim_s > 0 ? wall / sim_s : 0.0);
    }
    std::printf("synapses %llu, synaptic events %llu (%.3g per second of run time)\n",
                static_cast<unsigned long long>(synapses), static_cast<unsigned long long>(events),
                t.run > 0 ? static_cast<double>(events) / t.run : 0.0);
    std::printf(
        "rank 0: build %.3f s; run %.3f s = update %.3f s + exchange %.3f s + deliver "
        "%.3f s + output/other %.3f s\n",
        t.build, t.run, t.update, t.exchange, t.deliver, t.run - t.update - t.exchange - t.deliver);
    const std::size_t R = bal.neurons.size();
    if (R > 1) {
        auto row = [&](const char* what, const std::vector<double>& v, const char* fmt) {
            const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
            const double mean =
                std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
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
        std::printf(
            "spike exchange: %llu epochs of %u steps; per epoch %.0f B received by each rank\n",
            static_cast<unsigned long long>(x.epochs), sim.epoch_steps(),
            static_cast<double>(x.spikes_received * ExchangeStats::bytes_per_spike) /
                static_cast<double>(x.epochs));
    }
    std::printf("peak memory %.1f MB (largest rank)\n",
                *std::max_element(bal.rss.begin(), bal.rss.end()));
    std::printf("output: %s\n", fs::absolute(out).c_str());
}
}  // namespace

std::string output_problem(const std::string& out, Communicator& comm) {
    std::string problem;
    if (comm.rank() == 0) {
        const fs::path p = fs::absolute(out);
        const fs::path dir = p.parent_path();
        std::error_code ec;
        const auto st = fs::status(p, ec);
        if (out.empty()) {
            problem = "-o '': an empty file name; name the output file (OUT.h5).";
        } else if (!ec && fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st)) {
            problem = "-o " + out +
                      ": is not a regular file (a device, FIFO or socket); neurochem " +
                      "replaces only output files it wrote.";
        } else if (!ec && fs::is_regular_file(st) && !is_output_file(p.string())) {
            problem = "-o " + out + ": exists and is not a neurochem output file; neurochem " +
                      "replaces only output files it wrote (choose another name, or remove it).";
        } else if (!fs::is_directory(dir)) {
            problem = "-o " + out + ": the directory " + dir.string() + " does not exist.";
        } else if (access(dir.c_str(), W_OK) != 0) {
            problem = "-o " + out + ": the directory " + dir.string() + " is not writable.";
        } else if (fs::is_directory(p)) {
            problem = "-o " + out + ": is a directory, not a file name.";
        }
    }
    comm.broadcast(problem, 0);
    return problem;
}

std::string checkpoint_dir_problem(const std::string& dir, Communicator& comm) {
    std::string problem;
    if (comm.rank() == 0 && fs::is_directory(dir)) {
        const auto old = list_checkpoints(dir);
        if (!old.empty()) {
            std::string newest = fs::path(old.front()).filename().string();
            try {
                const CheckpointHeader h = read_checkpoint_header(old.front());
                char when[64];
                std::snprintf(when, sizeof when, ", t = %.6g s", h.time_ms * 1e-3);
                newest += when + std::string(", output ") + h.output_path;
            } catch (const std::exception&) {
            }
            problem = dir + " holds " + std::to_string(old.size()) +
                      " checkpoint(s) of an earlier run (newest: " + newest +
                      "); a new run would mix its checkpoints with them. Continue that run with "
                      "`neurochem resume " +
                      dir +
                      "`, or remove the directory, or give another "
                      "--checkpoint-dir.";
        }
    }
    comm.broadcast(problem, 0);
    return problem;
}

std::string default_checkpoint_dir(const std::string& out) {
    fs::path p(out);
    if (p.extension() == ".h5") p.replace_extension();
    return p.string() + ".checkpoints";
}

void parse_fault(const std::string& text, ExecuteOptions& o) {
    const auto colon = text.find(':');
    try {
        if (text.rfind("checkpoint-stall:", 0) == 0) {
            o.checkpoints.stall_at_checkpoint = std::stoi(text.substr(17));
        } else {
            o.fault_rank = std::stoi(text.substr(0, colon));
            o.fault_step = std::stoull(text.substr(colon + 1));
        }
    } catch (const std::exception&) {
        throw input_error("--inject-fault " + text + ": expected RANK:STEP or checkpoint-stall:N.");
    }
}

int execute(const config::ResolvedConfig& cfg, const ModelSpec& model, const Context& ctx,
            const ExecuteOptions& o) {
    auto& comm = *ctx.comm;
    const bool talk = !o.quiet && comm.rank() == 0;
    // Before anything is allocated, and alike on every rank (so it is an input error, not an
    // abort): a model that cannot fit is refused with the numbers.
    if (const std::string problem = memory_problem(model, comm); !problem.empty())
        throw input_error(problem);
    try {
        const auto t0 = std::chrono::steady_clock::now();
        if (talk) {
            std::printf("neurochem %s (%s, %s)\nconfig %s  hash %.16s\n", version(), git_revision(),
                        build_type(), cfg.source.c_str(), cfg.hash.c_str());
            std::fflush(stdout);
        }
        Simulation sim(model, ctx);
        Course course(sim);  // before a restore: it registers its state
        const std::uint64_t synapses = sim.total_synapses();
        if (talk) {
            std::uint64_t neurons = 0;
            for (const auto& p : model.populations)
                neurons += p.size;
            std::printf(
                "built %llu neurons and %llu synapses in %.3f s on %d rank(s) x %d thread(s)%s\n",
                static_cast<unsigned long long>(neurons), static_cast<unsigned long long>(synapses),
                sim.phase_times().build, ctx.ranks(), sim.context().threads,
                ctx.threads > 0
                    ? ""
                    : " (threads chosen from the work per epoch; --threads N sets them)");
            std::fflush(stdout);
        }
        const Provenance prov{cfg.canonical_text, cfg.hash, cfg.run_id, cfg.source, o.command_line};
        std::unique_ptr<CheckpointReader> reader;
        std::unique_ptr<OutputWriter> writer;
        if (!o.resume_checkpoint.empty()) {
            const auto t_load = std::chrono::steady_clock::now();
            reader = std::make_unique<CheckpointReader>(o.resume_checkpoint, comm);
            sim.load_state(*reader);
            const double load_s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();
            const OutputResume resume{o.resume_output, reader.get()};
            writer = std::make_unique<OutputWriter>(o.output, sim, prov, &resume, &course);
            reader.reset();
            if (talk) {
                std::printf("resumed from %s at t = %.6g s (state loaded in %.2f s)\n",
                            o.resume_checkpoint.c_str(),
                            static_cast<double>(course.position_tick()) * sim.dt_ms() * 1e-3,
                            load_s);
            }
        } else {
            writer = std::make_unique<OutputWriter>(o.output, sim, prov, nullptr, &course);
        }
        if (talk && fs::exists(o.output)) {
            std::printf("note: %s exists and will be replaced when the run completes\n",
                        o.output.c_str());
            std::fflush(stdout);
        }

        CheckpointHeader header;
        header.config_text = cfg.canonical_text;
        header.config_hash = cfg.hash;
        header.run_id = cfg.run_id;
        header.output_path = fs::absolute(o.output).string();
        if (talk && course.has_protocol()) {
            const auto& tl = course.timeline();
            std::printf(
                "course: %.4g days in %zu slow steps, %.4g s of fast time in windows (%zu "
                "recorded)\n",
                tl.hours(tl.total_ticks()) / 24, tl.size(),
                static_cast<double>(tl.total_fast_steps()) * sim.dt_ms() * 1e-3, [&] {
                    std::size_t n = 0;
                    for (std::size_t k = 0; k < tl.size(); ++k)
                        n += tl.recorded(k);
                    return n;
                }());
            std::fflush(stdout);
        }
        if (comm.rank() == 0) {
            const auto estimate =
                estimate_output(model, course.timeline(), sim.chemistry_trace_names().size(),
                                sim.chemistry_sample_steps(),
                                course.has_protocol() ? course.slow_columns().size() : 0);
            const FreeSpace free = free_space(o.output);
            if (talk) std::printf("%s\n", describe_estimate(estimate, free).c_str());
            std::fflush(stdout);
            // A resumed run has written part of it already: the in-run watch covers it.
            if (const auto w = output_space_warning(estimate, o.output, free);
                !w.empty() && o.resume_checkpoint.empty()) {
                std::fprintf(stderr, "%s\n", w.c_str());
                std::fflush(stderr);
            }
        }
        writer->keep_partial_on_failure(o.checkpoints.every_ms > 0 || !o.resume_checkpoint.empty());
        RunDriver driver(sim, course, *writer, o.checkpoints, header, talk);
        ProgressReporter progress(course.timeline().total_fast_steps(), sim.dt_ms(), talk,
                                  course.has_protocol() ? &sim : nullptr,
                                  course.timeline().hours(course.total_ticks()));
        FaultInjector injector(o.fault_rank, o.fault_step, comm.rank());
        DiskSpaceWatch disk(writer->partial_path(), course.timeline().total_fast_steps(),
                            comm.rank() == 0);
        driver.add_observer(&progress);
        driver.add_observer(&disk);
        if (o.fault_rank >= 0) driver.add_observer(&injector);
        int code = 0;
        double wall = 0;
        try {
            code = driver.run();
            progress.done(course.done());
            if (code != 0) return code;  // stopped on a signal: the output stays .partial
            wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            writer->finish(wall);
        } catch (const std::exception& e) {
            // A failed write of the output (HDF5's own error, e.g. a full disk): the unfinished
            // file is removed (kept where checkpoints can resume it), an older output stays.
            if (std::string(e.what()).rfind("HDF5:", 0) == 0) {
                const std::runtime_error named(writer->abandon(e.what()));
                end_job_if_distributed(comm, named);
                throw named;
            }
            end_job_if_distributed(comm, e);
            throw;
        }
        const auto stats = sim.population_stats();
        const auto events = sim.synaptic_events();
        const auto balance = gather_balance(sim);
        if (talk) print_summary(sim, course, stats, events, synapses, wall, o.output, balance);
        return 0;
    } catch (const std::exception& e) {
        end_job_if_distributed(comm, e);
        throw;
    }
}

}  // namespace neurochem::app

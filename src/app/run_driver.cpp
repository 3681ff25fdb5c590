#include "app/run_driver.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/sleep_watch.hpp"
#include "comm/communicator.hpp"
#include "neurochem/errors.hpp"
#include "util/stop_signal.hpp"

namespace neurochem::app {

/// Turns a signal on any rank into a stop of every rank after the same epoch. Under MPI the
/// ranks agree every `interval` epochs (a small Allreduce), so a signal is acted on within
/// that many epochs.
class RunDriver::StopWatcher final : public SimulationObserver {
  public:
    StopWatcher(Simulation& sim, Communicator& comm) : sim_(sim), comm_(comm) {}
    void epoch(const EpochView&) override {
        if (comm_.size() > 1 && ++epochs_ % interval != 0) return;
        const double s = comm_.size() > 1 ? comm_.max(static_cast<double>(stop_signal_received()))
                                          : stop_signal_received();
        if (s != 0) {
            signal_ = static_cast<int>(s);
            sim_.request_stop();
        }
    }
    int signal() const { return signal_; }
    static constexpr std::uint64_t interval = 8;

  private:
    Simulation& sim_;
    Communicator& comm_;
    std::uint64_t epochs_ = 0;
    int signal_ = 0;
};

RunDriver::RunDriver(Simulation& sim, Course& course, OutputWriter& writer,
                     CheckpointOptions options, CheckpointHeader header_template, bool talk)
    : sim_(sim),
      course_(course),
      writer_(writer),
      options_(std::move(options)),
      header_(std::move(header_template)),
      talk_(talk) {
    observers_.add(&writer_);
}

std::string RunDriver::checkpoint() {
    const auto t0 = std::chrono::steady_clock::now();
    auto& comm = *sim_.context().comm;
    CheckpointHeader h = header_;
    h.step = sim_.current_step();
    h.time_ms =
        static_cast<double>(course_.position_tick()) * sim_.dt_ms();  // calendar with a protocol
    h.every_ms = options_.every_ms;
    h.keep = options_.keep;
    h.ranks = static_cast<std::uint64_t>(comm.size());
    h.threads = static_cast<std::uint64_t>(sim_.context().threads);
    ++checkpoints_written_;
    const int stall = options_.stall_at_checkpoint == checkpoints_written_ ? 3 : 0;
    std::string path;
    struct OutputFailure : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    try {
        CheckpointWriter w(options_.dir, h, comm, stall);
        sim_.save_state(w);
        try {
            writer_.save_state(w);  // flushes the output file first
        } catch (const std::runtime_error& e) {
            throw OutputFailure(e.what());
        }
        path = w.commit(options_.keep);
    } catch (const OutputFailure& e) {
        throw std::runtime_error(e.what());  // the output's failure (execute names it so)
    } catch (const input_error&) {
        throw;  // e.g. the directory cannot be created: the message says why
    } catch (const internal_error&) {
        throw;
    } catch (const std::runtime_error& e) {
        // An I/O failure of the checkpoint (not of the output): named so, and the output file
        // stays for a resume from an older checkpoint.
        const std::string what = e.what();
        if (what.rfind("writing the checkpoint", 0) == 0) throw;
        std::error_code ec;
        const auto space = std::filesystem::space(options_.dir, ec);
        throw std::runtime_error(
            "writing a checkpoint in " + options_.dir + ": " + what + " (" +
            std::to_string(ec ? 0 : space.available >> 20) +
            " MB free: no space left on the device?); the older checkpoints are kept");
    }
    if (talk_) {
        std::error_code ec;
        const auto bytes = std::filesystem::file_size(path, ec);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "checkpoint: t = %.6g s -> %s (%.1f MB in %.2f s)\n", h.time_ms * 1e-3,
                     path.c_str(), static_cast<double>(bytes) / 1048576.0, s);
    }
    return path;
}

int RunDriver::run() {
    auto& comm = *sim_.context().comm;
    StopWatcher watcher(sim_, comm);
    observers_.add(&watcher);
    SleepLockWatch sleep_watch(writer_, course_.slow_columns(), comm.rank() == 0);
    const std::uint64_t end = course_.total_ticks();
    const auto every = static_cast<std::uint64_t>(std::llround(options_.every_ms / sim_.dt_ms()));
    auto next_checkpoint = [&] {
        return every > 0 ? (course_.position_tick() / every + 1) * every : ~0ULL;
    };
    std::uint64_t next = next_checkpoint();
    // A checkpoint at every multiple of the interval, as asked; a very fine interval is
    // allowed (tests use it) but said aloud with the count it implies.
    if (every > 0 && talk_ && (end - course_.position_tick()) / every > 1000) {
        std::fprintf(stderr,
                     "note: --checkpoint-every %.6g ms writes about %llu checkpoints in this run "
                     "(each a full copy of the state, the newest --keep kept)\n",
                     options_.every_ms,
                     static_cast<unsigned long long>((end - course_.position_tick()) / every));
    }
    while (!course_.done()) {
        course_.run(std::min(end, next), &observers_, &sleep_watch);
        if (watcher.signal() != 0) {
            const std::string path = checkpoint();
            if (talk_) {
                std::fprintf(stderr,
                             "neurochem: stopped on %s at t = %.6g s after writing %s\n"
                             "neurochem: continue with: neurochem resume %s\n",
                             stop_signal_name(watcher.signal()),
                             static_cast<double>(course_.position_tick()) * sim_.dt_ms() * 1e-3,
                             path.c_str(), options_.dir.c_str());
            }
            return exit_checkpointed;
        }
        if (course_.position_tick() >= next) {
            checkpoint();
            next = next_checkpoint();
        }
    }
    return 0;
}

}  // namespace neurochem::app

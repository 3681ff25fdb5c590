#include "probe/probe.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/network.hpp"
#include "core/poisson_drive.hpp"
#include "core/state_registry.hpp"
#include "neurochem/errors.hpp"

namespace neurochem {

Probe::Probe(const ProbeSpec& spec, const ModelSpec& model, const NetworkLayout& layout, const PoissonDrive& drive,
             std::uint32_t epoch_steps, bool root)
    : spec_(spec), drive_(drive), dt_ms_(model.simulation.dt_ms), root_(root) {
    baseline_steps_ = static_cast<std::uint64_t>(std::llround(spec.baseline_ms / dt_ms_));
    response_steps_ = static_cast<std::uint64_t>(std::llround(spec.response_ms / dt_ms_));
    // The ring must reach back from the end of the epoch that completes a response to the start
    // of its baseline.
    ring_steps_ = baseline_steps_ + response_steps_ + 2 * static_cast<std::uint64_t>(epoch_steps) + 1;
    for (const auto& name : spec.readout) {
        const int p = model.population_index(name);
        if (p < 0) throw internal_error("probe readout " + name);
        readout_.push_back(static_cast<std::size_t>(p));
        first_gid_.push_back(layout.first_gid.at(static_cast<std::size_t>(p)));
        size_.push_back(model.populations[static_cast<std::size_t>(p)].size);
    }
    ring_.assign(ring_steps_ * readout_.size(), 0);
}

void Probe::epoch_done(std::uint64_t begin, std::uint64_t end, std::span<const Spike> all, double calendar_h) {
    // Spikes of the epoch carry steps in (begin, end]: clear those slots, then count.
    for (std::uint64_t s = begin + 1; s <= end; ++s) {
        for (std::size_t r = 0; r < readout_.size(); ++r) slot(s, r) = 0;
    }
    for (const Spike& sp : all) {
        for (std::size_t r = 0; r < readout_.size(); ++r) {
            if (sp.gid >= first_gid_[r] && sp.gid < first_gid_[r] + size_[r]) {
                ++slot(sp.step, r);
                break;
            }
        }
    }
    // Onsets: the first step of each stretch in which the drive delivers input.
    for (std::uint64_t n = begin; n < end; ++n) {
        const std::uint64_t on = drive_.on(n) ? 1 : 0;
        if (on && !was_on_) {
            pending_.push_back(n);
            pending_calendar_h_.push_back(calendar_h);  // at the epoch's end: within an epoch of the onset
        }
        was_on_ = on;
    }
    // Responses whose window has closed (every spike up to onset + response has been counted).
    std::size_t kept = 0;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
        if (pending_[i] + response_steps_ <= end) {
            complete(pending_[i], pending_calendar_h_[i]);
        } else {
            pending_[kept] = pending_[i];
            pending_calendar_h_[kept] = pending_calendar_h_[i];
            ++kept;
        }
    }
    pending_.resize(kept);
    pending_calendar_h_.resize(kept);
}

void Probe::complete(std::uint64_t onset, double calendar_h) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    rows_.push_back(static_cast<double>(onset) * dt_ms_);
    rows_.push_back(calendar_h);
    // The baseline window (onset - B, onset], shortened at the start of the run.
    const std::uint64_t b_steps = std::min(baseline_steps_, onset);
    for (std::size_t r = 0; r < readout_.size(); ++r) {
        const double N = static_cast<double>(size_[r]);
        std::uint64_t base = 0;
        for (std::uint64_t s = onset - b_steps + 1; s <= onset; ++s) base += slot(s, r);
        std::uint64_t resp = 0;
        for (std::uint64_t s = onset + 1; s <= onset + response_steps_; ++s) resp += slot(s, r);
        const double B_s = static_cast<double>(b_steps) * dt_ms_ * 1e-3;
        const double R_s = static_cast<double>(response_steps_) * dt_ms_ * 1e-3;
        const double base_Hz = b_steps > 0 ? static_cast<double>(base) / (N * B_s) : nan;
        const double resp_Hz = static_cast<double>(resp) / (N * R_s);
        const double evoked = (resp_Hz - base_Hz) * R_s;
        // Latency: the start of the first two consecutive 5 ms bins whose counts both exceed the
        // baseline expectation by 3 Poisson standard deviations.
        double latency = nan;
        const std::uint64_t bin = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(5.0 / dt_ms_)));
        if (b_steps > 0) {
            const double expect = base_Hz * N * static_cast<double>(bin) * dt_ms_ * 1e-3;
            const double threshold = expect + 3.0 * std::sqrt(std::max(expect, 1.0));
            bool previous = false;
            for (std::uint64_t k = 0; k + bin <= response_steps_; k += bin) {
                std::uint64_t c = 0;
                for (std::uint64_t s = onset + k + 1; s <= onset + k + bin; ++s) c += slot(s, r);
                const bool above = static_cast<double>(c) > threshold;
                if (above && previous) {
                    latency = static_cast<double>(k - bin) * dt_ms_;
                    break;
                }
                previous = above;
            }
        }
        rows_.insert(rows_.end(), {base_Hz, resp_Hz, evoked, latency});
    }
}

void Probe::register_state(StateRegistry& reg) {
    const std::string prefix = "probes/" + spec_.name + "/";
    reg.add_shared(prefix + "ring", ring_, "spikes");
    reg.add_scalar(prefix + "was_on", was_on_, "", {0.0, 1.0});
    // Pending onsets and completed rows change length: saved with their length.
    reg.add_custom(
        prefix + "pending",
        [this, prefix](StateSink& sink) {  // the same everywhere: the root writes it
            auto mine = [this](const auto& v) { return root_ ? std::span(v) : std::span(v).first(0); };
            sink.write(prefix + "pending", mine(pending_), 0, pending_.size());
            sink.write(prefix + "pending_calendar_h", mine(pending_calendar_h_), 0, pending_calendar_h_.size());
            sink.write(prefix + "rows", mine(rows_), 0, rows_.size());
        },
        [this, prefix](StateSource& src) {
            const std::uint64_t n = src.size_of(prefix + "pending");
            pending_.assign(n, 0);
            pending_calendar_h_.assign(n, 0.0);
            src.read(prefix + "pending", std::span<std::uint64_t>(pending_), 0, n);
            src.read(prefix + "pending_calendar_h", std::span<double>(pending_calendar_h_), 0, n);
            const std::uint64_t m = src.size_of(prefix + "rows");
            if (m % row_width() != 0) {
                throw input_error(src.name() + ": " + prefix + "rows has " + std::to_string(m) +
                                  " values, not a multiple of the row width " + std::to_string(row_width()) +
                                  " (the probe's readout differs from the saved one).");
            }
            rows_.assign(m, 0.0);
            src.read(prefix + "rows", std::span<double>(rows_), 0, m);
        });
}

}  // namespace neurochem

// A probe measures how populations respond to a cue: every onset of a Poisson drive (a pulse of
// a pulsed drive, or a session switching its rate on) starts a readout. For each readout
// population it compares the rate in the `response` window after the onset with the rate in
// the `baseline` window before it:
//   baseline_Hz, response_Hz     spikes / (neurons x window)
//   evoked                       (response_Hz - baseline_Hz) x response window: extra spikes per
//                                neuron per cue (negative: the cue silences the population)
//   latency_ms                   start of the first two consecutive 5 ms bins whose population
//                                counts both exceed the baseline expectation by 3 Poisson SDs
//                                (sqrt of the expectation, at least 1); NaN if none
// It counts from the spikes of every process (the same everywhere), so its state and results do
// not depend on the layout; a ring of per-step counts holds the recent past.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/plugin.hpp"
#include "neurochem/model.hpp"

namespace neurochem {

class PoissonDrive;
struct NetworkLayout;

class Probe final : public FastPlugin {
public:
    /// `drive`: the cue drive (must outlive the probe); `root`: this process writes the saved state.
    Probe(const ProbeSpec& spec, const ModelSpec& model, const NetworkLayout& layout, const PoissonDrive& drive,
          std::uint32_t epoch_steps, bool root);

    void epoch_done(std::uint64_t begin, std::uint64_t end, std::span<const Spike> all, double calendar_h) override;
    void register_state(StateRegistry& registry) override;

    const ProbeSpec& spec() const { return spec_; }
    /// Columns of a result row: onset_ms, calendar_h, then per readout population
    /// baseline_Hz, response_Hz, evoked, latency_ms.
    std::size_t row_width() const { return 2 + 4 * spec_.readout.size(); }
    /// One row per completed cue (the same on every process).
    const std::vector<double>& rows() const { return rows_; }

private:
    void complete(std::uint64_t onset, double calendar_h);
    std::uint64_t& slot(std::uint64_t step, std::size_t r) { return ring_[(step % ring_steps_) * readout_.size() + r]; }

    ProbeSpec spec_;
    const PoissonDrive& drive_;
    double dt_ms_;
    std::uint64_t baseline_steps_, response_steps_, ring_steps_;
    std::vector<std::size_t> readout_;         // population indices
    std::vector<std::uint64_t> first_gid_, size_;  // of each readout population
    std::vector<std::uint64_t> ring_;          // spikes per (step mod ring, readout population)
    std::vector<std::uint64_t> pending_;       // onsets whose response window is still open
    std::vector<double> pending_calendar_h_;
    std::uint64_t was_on_ = 0;                 // the drive was on in the last step seen
    bool root_;
    std::vector<double> rows_;
};

}  // namespace neurochem

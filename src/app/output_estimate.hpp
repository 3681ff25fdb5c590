// The size of a run's output before it starts (issue 15: a 2-hour Brunel run wrote ~53 GB
// without a word). Everything but the spikes is known from the config: rate bins, chemistry
// traces, /slow rows, recorded weights. The spikes depend on the firing rates the run will
// have, so they are given per Hz of mean rate of the recorded populations (16 B per spike: a
// float64 time and a uint64 id). `neurochem run` prints both and warns when the output would
// not fit the free space even at 1 Hz; during the run DiskSpaceWatch projects from the file's
// actual growth.
#pragma once

#include <cstdint>
#include <string>

#include "neurochem/model.hpp"

namespace neurochem {
class Timeline;
}

namespace neurochem::app {

struct OutputEstimate {
    double fixed_bytes = 0;       ///< rates, traces, /slow rows, recorded weights
    double bytes_per_Hz = 0;      ///< spikes per Hz of mean rate of the recorded populations
    double recorded_seconds = 0;  ///< fast time whose spikes, rates and traces are written (s)
    double bytes_at(double rate_Hz) const { return fixed_bytes + bytes_per_Hz * rate_Hz; }
};

/// `timeline`: the run's slow steps (its recorded windows decide what is written).
/// `traces`: chemistry traces per sample; `sample_steps`: fast steps between samples (0: none).
/// `slow_columns`: columns of /slow (0 without a protocol).
OutputEstimate estimate_output(const ModelSpec& m, const Timeline& timeline, std::size_t traces,
                               std::uint64_t sample_steps, std::size_t slow_columns);

/// The free space of the file system of `output`'s directory (bytes < 0: unknown).
struct FreeSpace {
    double bytes = -1;
    std::string dir;
};
FreeSpace free_space(const std::string& output);

/// "" or a warning that `output` (at 1 Hz) will not fit `free`, with the numbers.
std::string output_space_warning(const OutputEstimate& e, const std::string& output,
                                 const FreeSpace& free);

/// One line for the run's header: "output: ~X MB + Y MB per Hz of mean rate (Z GB free in DIR)".
std::string describe_estimate(const OutputEstimate& e, const FreeSpace& free);

}  // namespace neurochem::app

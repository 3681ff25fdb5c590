// The run's HDF5 output file (layout: docs/output-format.md):
//   /                         magic = 0x0A7A, version = [0, 1]   (SONATA spike-report header)
//   /spikes/<pop>/timestamps  float64, ms;  /spikes/<pop>/node_ids uint64 (population-local)
//   /rates/<pop>              float64, Hz, one value per output.rate_bin
//   /summary                  per-population spike counts, mean rates, CV of ISI; events
//   /probes/<name>            responses to each cue of a probe (written at the end)
//   /provenance               resolved config, hash, seed, versions, build, layout, wall time
//   /slow/...                 with a protocol: one row per slow step (time, averages, slow state)
//   /windows/...              with a protocol: the recorded windows (fast and calendar times)
// With a protocol only the recorded windows write spikes, rates and traces.
// The file is written as PATH.partial and renamed to PATH when the run completes, so an
// existing PATH is only replaced by a complete result. Under MPI all ranks write the spike
// datasets collectively (parallel HDF5); rank 0 adds the summary and provenance at the end.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "neurochem/simulation.hpp"
#include "slow/course.hpp"

namespace neurochem {

/// The mark at the root of every output: /@magic (the SONATA spike-report magic).
inline constexpr std::uint64_t output_magic = 0x0A7A;
/// Whether the open HDF5 file `file` carries the output mark. Never throws.
bool has_output_mark(long long file);
/// Whether `path` is an HDF5 file carrying the output mark (a file neurochem wrote). Never throws.
bool is_output_file(const std::string& path);

struct Provenance {
    std::string config_text;  ///< canonical resolved config
    std::string config_hash;
    std::string run_id;  ///< config hash without simulation.duration (stays when extended)
    std::string config_source;
    std::string command_line;
};

/// Where a resumed run continues its output: the earlier run's file (PATH.partial or PATH) and
/// the writer's saved position.
struct OutputResume {
    std::string source_file;
    StateSource* state = nullptr;
};

class OutputWriter final : public SimulationObserver, public CourseObserver {
  public:
    /// Collective. Creates PATH.partial, or with `resume` continues the earlier run's file
    /// (copied to PATH.partial if it is elsewhere), cut back to the checkpoint's position.
    /// `course` (may be null) gives the /slow columns.
    OutputWriter(std::string path, const Simulation& sim, Provenance provenance,
                 const OutputResume* resume = nullptr, const Course* course = nullptr);
    ~OutputWriter() override;
    OutputWriter(const OutputWriter&) = delete;
    OutputWriter& operator=(const OutputWriter&) = delete;

    void epoch(const EpochView& view) override;
    void window_begins(const WindowInfo& w) override;
    void window_ends(const WindowInfo& w) override;
    void slow_row(std::span<const double> values) override;
    /// Collective: writes out buffered data and saves the writer's position into a checkpoint.
    void save_state(StateSink& sink);
    /// Writes the remaining data, the summary and the provenance, then renames the file into
    /// place. Collective.
    void finish(double wall_seconds);

    const std::string& path() const { return path_; }
    std::string partial_path() const { return path_ + ".partial"; }
    /// After a failed write: removes the partial file (rank 0) unless keep_partial_on_failure,
    /// so that an older output stays as it was, and returns the message (with the free space).
    std::string abandon(const std::string& why) const;
    /// Keep the partial file after a failed write (a run with checkpoints, or a resumed run:
    /// `neurochem resume` continues from it and the newest checkpoint).
    void keep_partial_on_failure(bool keep) { keep_partial_ = keep; }

  private:
    void create_layout();
    void create_slow_layout(const Course& course);
    void write_edges();
    void write_probes();
    void open_for_resume(const OutputResume& resume, long long fapl);
    void write_summary_and_provenance(const std::vector<PopulationStats>& stats,
                                      std::uint64_t events, std::uint64_t synapses,
                                      std::uint64_t synapse_bytes, double peak_rss_MB,
                                      double wall_seconds);
    struct Impl;
    std::string path_;
    bool keep_partial_ = false;
    std::unique_ptr<Impl> impl_;
};

}  // namespace neurochem

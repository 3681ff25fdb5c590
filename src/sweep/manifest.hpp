// The sweep directory and its manifest (docs/sweeps.md):
//
//   DIR/manifest.tsv             '#'-comment lines "# key = value", then a tab-separated table:
//                                point sample replicate seed config_hash config output log AXIS...
//   DIR/spec.ini                 a copy of the spec it was planned from
//   DIR/points/NNNN/config.ini   the point's resolved config (stands alone: `neurochem run` it)
//   DIR/points/NNNN/out.h5       its output; log.txt its log; status its last state;
//                                out.checkpoints/ its checkpoints
//
// Paths in the manifest are relative to DIR, so a sweep directory can be moved or copied. The
// manifest is written once when the sweep is planned and never changed; the state of each point
// is in its files (status, output), so array tasks on many nodes never write a shared file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sweep/expand.hpp"

namespace neurochem::sweep {

struct ManifestRow {
    std::uint64_t point = 0, sample = 0, replicate = 0, seed = 0;
    std::string config_hash;
    std::string config, output, log;  ///< relative to the sweep directory
    std::vector<std::string> values;  ///< value per axis, as applied ("20 Hz", "21.7 h")
};

struct Manifest {
    std::string dir;                          ///< the sweep directory
    std::map<std::string, std::string> meta;  ///< the "# key = value" lines
    std::vector<std::string> axes;
    std::vector<ManifestRow> rows;  ///< in point order

    std::string path(const std::string& relative) const;  ///< DIR/relative
    std::string point_dir(const ManifestRow& row) const;
    std::string sweep_hash() const;
};

inline constexpr const char* manifest_name = "manifest.tsv";

/// The manifest of a plan to be written to `dir`.
Manifest make_manifest(const Plan& plan, const std::string& dir);
/// Writes DIR/manifest.tsv atomically (temporary file, then rename).
void write_manifest(const Manifest& m);
/// Reads MANIFEST or DIR/manifest.tsv; input_error names the file and line of a problem.
Manifest read_manifest(const std::string& manifest_or_dir);
/// Whether a done point's row is what its output was run with: `config_text` is the output's
/// /provenance/config. Its SHA-256 must be the row's config_hash, and the row's seed and every
/// axis value must be the ones written in it (values compared by meaning, "15 Hz" = "0.015 kHz"),
/// so that a manifest edited by hand cannot put other values into a results table. Read without
/// the current schema, so outputs of older versions are checked too. "" if it is, else the
/// problem ("point 3 says seed 12, but DIR/points/0003/out.h5 was run with seed 7").
std::string check_row_provenance(const Manifest& m, const ManifestRow& row,
                                 const std::string& config_text);
/// True if `path` is a sweep directory (holds a manifest.tsv).
bool is_sweep_dir(const std::string& path);

/// Creates the sweep directory for a plan, or checks that an existing one was planned from the
/// same points (same sweep hash); writes the manifest, the spec copy and each point's config.
/// Nothing is replaced that differs: an existing directory of another plan is an input_error.
Manifest prepare_sweep_dir(const Plan& plan, const std::string& dir, const std::string& spec_text);

/// Parses a point selection such as "0-3,7,10-12" against n points.
std::vector<std::size_t> parse_point_list(const std::string& text, std::size_t n);

/// Writes `content` to `path` via a temporary file and rename (readers see old or new); an
/// existing non-regular `path` is an input_error, and a failed write leaves no temporary.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace neurochem::sweep

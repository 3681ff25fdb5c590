// The results table of a sweep (`neurochem collect`): one row per point of the manifest, in
// point order, whatever its state; columns
//   point, status, sample, replicate, seed, config_hash, output, log, error,
//   every axis ("poisson.ext_E.rate [Hz]": numeric with its unit when every value is a number
//   in one unit, else text), then the outcome columns (sweep/outcomes.hpp).
// Outcomes of points that are not done are missing (NaN; an empty CSV field). The table holds
// nothing that depends on where or when the points ran, so a sweep run on a cluster and the
// same sweep run locally give identical tables.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sweep/manifest.hpp"

namespace neurochem::sweep {

struct Column {
    std::string name;
    std::string unit;  ///< "" for none (also in the name, in brackets)
    bool numeric = true;
    std::vector<double> numbers;
    std::vector<std::string> strings;
};

struct Table {
    std::vector<Column> columns;
    std::size_t rows = 0;
    std::size_t count(const std::string& status) const;
    const Column* find(const std::string& name) const;
};

struct CollectOptions {
    bool timing = false;  ///< add wall time, core-hours, peak memory
};

Table collect_table(const Manifest& m, const CollectOptions& o = {});

/// RFC 4180 CSV: a header line, numbers as shortest round-trip decimals, NaN as an empty field.
std::string table_csv(const Table& t);
/// HDF5: group /table with one dataset per column (float64 or variable-length UTF-8 strings),
/// attributes columns (the order), rows, units per dataset. No timestamps: equal tables give
/// equal files.
void write_table_h5(const Table& t, const std::string& path, const std::string& sweep_hash);
/// Writes .csv or .h5 by extension (atomically); input_error for another extension.
void write_table(const Table& t, const std::string& path, const std::string& sweep_hash);

}  // namespace neurochem::sweep

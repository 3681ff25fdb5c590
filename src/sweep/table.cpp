#include "sweep/table.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <vector>

#include <unistd.h>

#include "config/units.hpp"
#include "io/h5.hpp"
#include "neurochem/errors.hpp"
#include "sweep/axis_values.hpp"
#include "sweep/outcomes.hpp"
#include "sweep/status.hpp"
#include "util/stop_signal.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace neurochem::sweep {

namespace {
constexpr double missing = std::numeric_limits<double>::quiet_NaN();

Column numbers(std::string name, std::string unit = "") {
    Column c;
    c.name = unit.empty() ? name : name + " [" + unit + "]";
    c.unit = std::move(unit);
    return c;
}

Column strings(std::string name) {
    Column c;
    c.name = std::move(name);
    c.numeric = false;
    return c;
}

/// An axis column: numeric in the values' unit if they all share one ("10 mg, 20 mg"), numeric
/// in the internal unit if they are quantities of one dimension ("500 ms, 1 s"), else text.
Column axis_column(const Manifest& m, std::size_t k) {
    const std::size_t n = m.rows.size();
    std::vector<double> v(n);
    bool same_unit = n > 0, same_dim = n > 0;
    const std::string unit = n ? unit_of(m.rows[0].values[k]) : "";
    config::Dimension dim = config::Dimension::none;
    for (std::size_t r = 0; r < n && (same_unit || same_dim); ++r) {
        const std::string& text = m.rows[r].values[k];
        try {
            const config::Dimension d = dimension_of(text);
            if (r == 0) dim = d;
            same_dim = same_dim && d == dim;
            same_unit = same_unit && unit_of(text) == unit;
        } catch (const config::ValueError&) {
            same_unit = same_dim = false;
        }
    }
    if (!same_unit && !same_dim) {
        Column c = strings(m.axes[k]);
        for (const auto& row : m.rows)
            c.strings.push_back(row.values[k]);
        return c;
    }
    const double per_unit =
        same_unit && !unit.empty() ? config::parse_quantity("1 " + unit, dim) : 1.0;
    Column c = numbers(m.axes[k], same_unit ? unit : config::internal_unit(dim));
    for (std::size_t r = 0; r < n; ++r) {
        const std::string& text = m.rows[r].values[k];
        c.numbers.push_back(same_unit ? config::parse_number(std::string_view(text).substr(
                                            0, text.size() - unit.size()))
                                      : config::parse_quantity(text, dim) / per_unit);
    }
    return c;
}
}  // namespace

std::size_t Table::count(const std::string& status) const {
    const Column* c = find("status");
    std::size_t n = 0;
    for (const auto& s : c->strings)
        n += s == status;
    return n;
}

const Column* Table::find(const std::string& name) const {
    for (const auto& c : columns) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

Table collect_table(const Manifest& m, const CollectOptions& o) {
    Table t;
    t.rows = m.rows.size();
    Column point = numbers("point"), status = strings("status"), sample = numbers("sample"),
           replicate = numbers("replicate"), seed = numbers("seed"), hash = strings("config_hash"),
           output = strings("output"), log = strings("log"), error = strings("error");
    std::vector<Column> outcomes;
    std::map<std::string, std::size_t> outcome_index;
    std::vector<std::string> mismatches;  // rows that are not what their outputs ran
    for (std::size_t r = 0; r < m.rows.size(); ++r) {
        if (r % 64 == 0) throw_if_stopped("collecting " + m.dir);
        const auto& row = m.rows[r];
        point.numbers.push_back(static_cast<double>(row.point));
        sample.numbers.push_back(static_cast<double>(row.sample));
        replicate.numbers.push_back(static_cast<double>(row.replicate));
        seed.numbers.push_back(static_cast<double>(row.seed));
        hash.strings.push_back(row.config_hash);
        output.strings.push_back(row.output);
        log.strings.push_back(row.log);
        PointStatus st = inspect_point(m, row);
        std::string err = st.state == PointState::failed ? st.record.message : st.detail;
        if (st.state == PointState::done) {
            // One open of the output for its config and its outcomes. The row's seed and values
            // go into the table: they must be the output's own.
            const std::string out = m.path(row.output);
            h5::quiet_errors();
            const hid_t id = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
            if (id < 0) {
                mismatches.push_back("point " + std::to_string(row.point) + ": " + out +
                                     ": cannot be opened as HDF5.");
            } else {
                const h5::Handle f(id, H5Fclose);
                try {
                    const std::string problem =
                        check_row_provenance(m, row, provenance_config(f, out));
                    if (!problem.empty()) mismatches.push_back(problem);
                } catch (const input_error& e) {
                    mismatches.push_back("point " + std::to_string(row.point) + ": " + e.what());
                }
                try {
                    for (const auto& v : read_outcomes(f, o.timing)) {
                        auto [it, fresh] = outcome_index.emplace(v.column, outcomes.size());
                        if (fresh) {
                            Column c = numbers(v.column);
                            const auto open = v.column.rfind(" [");
                            if (open != std::string::npos)
                                c.unit = v.column.substr(open + 2, v.column.size() - open - 3);
                            c.numbers.assign(m.rows.size(), missing);
                            outcomes.push_back(std::move(c));
                        }
                        outcomes[it->second].numbers[r] = v.value;
                    }
                } catch (const std::exception& e) {
                    st.state = PointState::stale;
                    err = row.output + ": cannot read its results: " + e.what();
                }
            }
        }
        status.strings.push_back(state_name(st.state));
        error.strings.push_back(err);
    }
    if (!mismatches.empty()) {
        std::string msg = m.path(manifest_name) + ": " + std::to_string(mismatches.size()) +
                          " done point(s) are not what the manifest says (a manifest edited by "
                          "hand?); no table is written:";
        for (std::size_t i = 0; i < std::min<std::size_t>(mismatches.size(), 10); ++i)
            msg += "\n  " + mismatches[i];
        if (mismatches.size() > 10)
            msg += "\n  ... and " + std::to_string(mismatches.size() - 10) + " more";
        throw input_error(msg);
    }
    t.columns = {point, status, sample, replicate, seed, hash, output, log, error};
    for (std::size_t k = 0; k < m.axes.size(); ++k)
        t.columns.push_back(axis_column(m, k));
    for (auto& c : outcomes)
        t.columns.push_back(std::move(c));
    return t;
}

std::string table_csv(const Table& t) {
    auto field = [](const std::string& s) {
        if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
        std::string q = "\"";
        for (char c : s)
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    auto number = [](double v) -> std::string {
        if (std::isnan(v)) return "";
        if (v == std::floor(v) && std::fabs(v) < 1e15)
            return std::to_string(static_cast<long long>(v));
        return text::format_double(v);
    };
    std::string out;
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        out += (c ? "," : "") + field(t.columns[c].name);
    out += "\n";
    for (std::size_t r = 0; r < t.rows; ++r) {
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            const Column& col = t.columns[c];
            if (c) out += ",";
            out += col.numeric ? number(col.numbers[r]) : field(col.strings[r]);
        }
        out += "\n";
    }
    return out;
}

void write_table(const Table& t, const std::string& path, const std::string& sweep_hash) {
    const std::string ext = fs::path(path).extension().string();
    if (ext == ".csv") {
        write_file_atomically(path, table_csv(t));
    } else if (ext == ".h5" || ext == ".hdf5") {
        // A temporary of this process beside the table, removed if writing fails: the old
        // table stays as it was until the new one is complete.
        const std::string tmp = path + ".tmp." + std::to_string(::getpid());
        try {
            write_table_h5(t, tmp, sweep_hash);
            fs::rename(tmp, path);
        } catch (...) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw;
        }
    } else {
        throw input_error("-o " + path + ": unknown table format '" + ext +
                          "'; allowed: .csv, .h5 (or .hdf5).");
    }
}

}  // namespace neurochem::sweep

#include "sweep/manifest.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "config/values.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/version.hpp"
#include "sweep/axis_values.hpp"
#include "util/sha256.hpp"
#include "util/stop_signal.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace neurochem::sweep {

namespace {
const std::vector<std::string> fixed_columns = {"point",       "sample", "replicate", "seed",
                                                "config_hash", "config", "output",    "log"};

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}

std::string point_name(std::uint64_t index, std::uint64_t count) {
    const std::size_t width =
        std::max<std::size_t>(4, std::to_string(count > 0 ? count - 1 : 0).size());
    std::string s = std::to_string(index);
    return "points/" + std::string(width - std::min(width, s.size()), '0') + s;
}

std::string read_text(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::uint64_t number(const std::string& s, const std::string& where) {
    if (s.empty() || s.size() > 20 || s.find_first_not_of("0123456789") != std::string::npos) {
        throw input_error(where + ": '" + s + "' is not a whole number.");
    }
    return std::stoull(s);
}

std::string point_config_text(const Plan& plan, const Point& p) {
    std::string head = "# neurochem sweep " + plan.spec.name + ", point " +
                       std::to_string(p.index) + " of " + std::to_string(plan.total_points) +
                       " (sample " + std::to_string(p.sample) + ", replicate " +
                       std::to_string(p.replicate) + ", seed " + std::to_string(p.seed) + ")\n";
    for (std::size_t k = 0; k < plan.axis_keys.size(); ++k)
        head += "#   " + plan.axis_keys[k] + " = " + p.values[k] + "\n";
    head += "# config_hash = " + p.config_hash + "\n\n";
    return head + p.config_text;
}
/// A manifest's axis value must be a valid value of its config key (what the planner wrote);
/// collect turns the values into table columns, so a hand-edited "banana" is refused here.
void check_axis_value(const std::string& key, const std::string& value, const std::string& where) {
    if (!key_spec(key)) {
        throw input_error(where + ": column '" + text::escape_for_message(key) +
                          "' is not a config key (a manifest edited by hand?).");
    }
    try {
        (void)canonical_value(key, value);
    } catch (const config::ValueError& e) {
        throw input_error(where + ": " + key + " = '" + text::escape_for_message(value) +
                          "' is not a valid value of that key: " + e.what() +
                          " (a manifest edited by hand?).");
    }
}
}  // namespace

std::string Manifest::path(const std::string& relative) const {
    return (fs::path(dir) / relative).string();
}

std::string Manifest::point_dir(const ManifestRow& row) const {
    return fs::path(path(row.output)).parent_path().string();
}

std::string Manifest::sweep_hash() const {
    std::string listing;
    for (const auto& r : rows)
        listing += std::to_string(r.point) + "\t" + r.config_hash + "\n";
    return sha256_hex(listing);
}

void write_file_atomically(const std::string& path, const std::string& content) {
    // Only a regular file is ever replaced (a device, FIFO or directory named as a table or
    // config is refused), and a failed write leaves nothing behind: the temporary is removed.
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (!ec && fs::exists(st) && !fs::is_regular_file(st)) {
        throw input_error(path +
                          ": exists and is not a regular file (a directory, device or FIFO"
                          "); neurochem replaces only regular files.");
    }
    const std::string tmp = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << content;
        f.close();
        if (!f) {
            fs::remove(tmp, ec);
            throw std::runtime_error("cannot write " + tmp + " (disk full or not writable?)");
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        const std::string why = ec.message();
        fs::remove(tmp, ec);
        throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + why);
    }
}

Manifest make_manifest(const Plan& plan, const std::string& dir) {
    Manifest m;
    m.dir = dir;
    m.axes = plan.axis_keys;
    const Spec& s = plan.spec;
    m.meta = {{"format", "1"},
              {"name", s.name},
              {"spec", fs::absolute(s.path).lexically_normal().string()},
              {"base_config", s.base_config.empty() ? "<embedded default>" : s.base_config},
              {"sweep_seed", std::to_string(s.seed)},
              {"seeds", seed_mode_name(s.seeds)},
              {"replicates", std::to_string(s.replicates)},
              {"samples", std::to_string(s.samples)},
              {"grid_size", std::to_string(s.grid_size())},
              {"points", std::to_string(plan.total_points)},
              {"sweep_hash", plan.sweep_hash},
              {"neurochem", std::string(version()) + " (" + git_revision() + ")"},
              {"created", utc_now()}};
    for (const auto& p : plan.points) {
        const std::string base = point_name(p.index, plan.total_points);
        m.rows.push_back({p.index, p.sample, p.replicate, p.seed, p.config_hash,
                          base + "/config.ini", base + "/out.h5", base + "/log.txt", p.values});
    }
    return m;
}

void write_manifest(const Manifest& m) {
    std::string out =
        "# neurochem sweep manifest: one row per point; paths are relative to this file's "
        "directory.\n"
        "# Read with pandas.read_csv(path, sep='\\t', comment='#'). Format: docs/sweeps.md.\n";
    for (const auto& [k, v] : m.meta)
        out += "# " + k + " = " + v + "\n";
    std::vector<std::string> header = fixed_columns;
    header.insert(header.end(), m.axes.begin(), m.axes.end());
    out += text::join(header, "\t") + "\n";
    for (const auto& r : m.rows) {
        std::vector<std::string> f = {std::to_string(r.point),
                                      std::to_string(r.sample),
                                      std::to_string(r.replicate),
                                      std::to_string(r.seed),
                                      r.config_hash,
                                      r.config,
                                      r.output,
                                      r.log};
        for (const auto& v : r.values) {
            if (v.find_first_of("\t\n#") != std::string::npos) {
                throw input_error(
                    "the value '" + v +
                    "' cannot be written to a manifest (it holds a tab, newline or '#').");
            }
            f.push_back(v);
        }
        out += text::join(f, "\t") + "\n";
    }
    write_file_atomically(m.path(manifest_name), out);
}

bool is_sweep_dir(const std::string& path) {
    return fs::is_regular_file(fs::path(path) / manifest_name);
}

Manifest read_manifest(const std::string& manifest_or_dir) {
    const fs::path file = fs::is_directory(manifest_or_dir)
                              ? fs::path(manifest_or_dir) / manifest_name
                              : fs::path(manifest_or_dir);
    if (!fs::is_regular_file(file)) {
        throw input_error(file.string() +
                          ": no such sweep manifest (give a sweep directory or its manifest.tsv).");
    }
    Manifest m;
    m.dir = file.parent_path().empty() ? "." : file.parent_path().string();
    std::istringstream in(read_text(file.string()));
    std::string line;
    int n = 0;
    std::vector<std::string> header, row_lines;
    while (std::getline(in, line)) {
        ++n;
        const std::string where = file.string() + ":" + std::to_string(n);
        if (line.empty()) continue;
        if (line[0] == '#') {
            const auto eq = line.find(" = ");
            if (eq != std::string::npos)
                m.meta[std::string(text::trim(line.substr(1, eq - 1)))] = line.substr(eq + 3);
            continue;
        }
        std::vector<std::string> f;
        std::size_t start = 0;
        for (;;) {
            const auto tab = line.find('\t', start);
            f.push_back(line.substr(start, tab - start));
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        if (header.empty()) {
            header = f;
            if (header.size() < fixed_columns.size() ||
                !std::equal(fixed_columns.begin(), fixed_columns.end(), header.begin())) {
                throw input_error(where +
                                  ": not a neurochem sweep manifest: the header must start with " +
                                  text::join(fixed_columns, ", ") + ".");
            }
            m.axes.assign(header.begin() + static_cast<long>(fixed_columns.size()), header.end());
            continue;
        }
        if (f.size() != header.size()) {
            throw input_error(where + ": " + std::to_string(f.size()) +
                              " fields, but the header has " + std::to_string(header.size()) +
                              " (a damaged manifest?).");
        }
        ManifestRow r{number(f[0], where),
                      number(f[1], where),
                      number(f[2], where),
                      number(f[3], where),
                      f[4],
                      f[5],
                      f[6],
                      f[7],
                      {f.begin() + 8, f.end()}};
        if (r.config_hash.size() != 64 ||
            r.config_hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
            throw input_error(where + ": config_hash '" + text::escape_for_message(r.config_hash) +
                              "' is not a SHA-256 (64 lowercase hex digits; a manifest edited by "
                              "hand?).");
        }
        for (std::size_t k = 0; k < m.axes.size(); ++k)
            check_axis_value(m.axes[k], r.values[k], where);
        if (r.point != m.rows.size()) {
            throw input_error(where + ": point " + f[0] + " where point " +
                              std::to_string(m.rows.size()) +
                              " was expected (points are listed in order from 0).");
        }
        m.rows.push_back(std::move(r));
        row_lines.push_back(where);
    }
    if (header.empty()) throw input_error(file.string() + ": an empty manifest (no header line).");
    // Never trust what a file says about paths: a point's files are the ones the planner names,
    // inside the sweep directory, whatever the manifest says.
    for (std::size_t i = 0; i < m.rows.size(); ++i) {
        const auto& r = m.rows[i];
        const std::string base = point_name(r.point, m.rows.size());
        if (r.config != base + "/config.ini" || r.output != base + "/out.h5" ||
            r.log != base + "/log.txt") {
            throw input_error(row_lines[i] + ": point " + std::to_string(r.point) +
                              " names the files '" + r.config + "', '" + r.output + "', '" + r.log +
                              "'; a sweep's points keep their files in " + base +
                              "/ (config.ini, out.h5, log.txt) inside the sweep directory (a "
                              "manifest edited by hand?).");
        }
    }
    if (m.meta.count("points") && m.meta["points"] != std::to_string(m.rows.size())) {
        throw input_error(file.string() + ": lists " + std::to_string(m.rows.size()) +
                          " points but says points = " + m.meta["points"] +
                          " (a truncated manifest?).");
    }
    // The points' config hashes are what the sweep was planned with (a row's hash edited to
    // match another output would otherwise pass as done).
    if (!m.meta.count("sweep_hash")) {
        throw input_error(file.string() +
                          ": has no '# sweep_hash = ...' line, which every manifest is written "
                          "with (a manifest edited by hand?).");
    }
    if (m.meta["sweep_hash"] != m.sweep_hash()) {
        throw input_error(file.string() + ": the points' config hashes give sweep hash " +
                          m.sweep_hash().substr(0, 12) + ", but the manifest says sweep_hash = " +
                          text::escape_for_message(m.meta["sweep_hash"].substr(0, 64)) +
                          " (a manifest edited by hand?).");
    }
    return m;
}

std::string check_row_provenance(const Manifest& m, const ManifestRow& row,
                                 const std::string& config_text) {
    // Read as written, without the current schema: an output of an older neurochem (whose
    // config lacks keys added since) is checked as well as a new one.
    const std::string output = m.path(row.output);
    const std::string point = "point " + std::to_string(row.point);
    const std::string hash = sha256_hex(config_text);
    if (hash != row.config_hash) {
        return point + ": " + output + ": its /provenance/config hashes to " + hash.substr(0, 12) +
               ", not to its config hash " + row.config_hash.substr(0, 12) +
               " (an output edited by hand?)";
    }
    config::RawConfig raw;
    try {
        raw = config::parse_config_text(config_text, output + ":/provenance/config");
    } catch (const input_error& e) {
        return point + ": " + output + ": its /provenance/config cannot be read: " + e.what();
    }
    const auto written = [&](const std::string& section, const std::string& key) {
        const auto s = raw.sections.find(section);
        if (s == raw.sections.end() || !s->second.count(key)) return std::string("(no such key)");
        return s->second.at(key).value;
    };
    const std::string seed = written("simulation", "seed");
    if (seed != std::to_string(row.seed)) {
        return point + " says seed " + std::to_string(row.seed) + ", but " + output +
               " was run with seed " + seed;
    }
    // Values compare by meaning ("15 Hz" is "0.015 kHz"); text that the current schema cannot
    // read compares as written.
    const auto canonical = [](const std::string& key, const std::string& value) {
        try {
            return canonical_value(key, value);
        } catch (const config::ValueError&) {
            return std::string(text::trim(value));
        }
    };
    for (std::size_t k = 0; k < m.axes.size(); ++k) {
        const auto [section, key] = split_key(m.axes[k]);
        const std::string ran = written(section, key);
        if (canonical(m.axes[k], row.values[k]) != canonical(m.axes[k], ran)) {
            return point + " says " + m.axes[k] + " = '" + text::escape_for_message(row.values[k]) +
                   "', but " + output + " was run with '" + text::escape_for_message(ran) + "'";
        }
    }
    return "";
}

Manifest prepare_sweep_dir(const Plan& plan, const std::string& dir, const std::string& spec_text) {
    if (plan.partial()) throw internal_error("prepare_sweep_dir: a partial plan cannot be written");
    Manifest m = make_manifest(plan, dir);
    const bool existing = is_sweep_dir(dir);
    if (existing) {
        Manifest old = read_manifest(dir);
        if (old.sweep_hash() != plan.sweep_hash) {
            throw input_error(dir +
                              " holds a sweep planned from a different spec or base config (" +
                              std::to_string(old.rows.size()) + " points, sweep hash " +
                              old.sweep_hash().substr(0, 12) + "; the spec now gives " +
                              std::to_string(plan.points.size()) + " points, sweep hash " +
                              plan.sweep_hash.substr(0, 12) + "). Use another --dir, or delete " +
                              dir + " to start over.");
        }
        // The same points: the directory's own manifest stays the record (an axis that only
        // restates the base config's value, say, does not change any point).
        for (const auto& row : old.rows) {
            if (!fs::exists(old.path(row.config))) {
                fs::create_directories(old.point_dir(row));
                write_file_atomically(old.path(row.config),
                                      point_config_text(plan, plan.points[row.point]));
            }
        }
        return old;
    } else if (fs::exists(dir) && (!fs::is_directory(dir) || !fs::is_empty(dir))) {
        throw input_error(dir + " exists and is not a sweep directory (it has no " + manifest_name +
                          "); choose another --dir or remove it.");
    }
    // The nearest existing ancestor must be a directory (--dir a.ini/x is a mistake, not a
    // file-system failure).
    for (fs::path p = fs::absolute(dir).parent_path(); !p.empty(); p = p.parent_path()) {
        std::error_code ec;
        const auto st = fs::status(p, ec);
        if (fs::exists(st)) {
            if (!fs::is_directory(st))
                throw input_error(dir + ": cannot be a sweep directory, " + p.string() +
                                  " is not a directory; choose another --dir.");
            break;
        }
        if (p == p.root_path()) break;
    }
    // A plan that cannot be written completely (a full disk, a signal) leaves no directory
    // behind: it was absent or empty, so everything in it is this plan's.
    const bool created = !fs::exists(dir);
    try {
        fs::create_directories(dir);
        for (std::size_t i = 0; i < plan.points.size(); ++i) {
            if (i % 256 == 0) throw_if_stopped("writing the points of sweep " + dir);
            fs::create_directories(m.point_dir(m.rows[i]));
            write_file_atomically(m.path(m.rows[i].config),
                                  point_config_text(plan, plan.points[i]));
        }
        write_file_atomically(m.path("spec.ini"), spec_text);
        write_manifest(m);  // last: a manifest marks a complete plan
    } catch (...) {
        std::error_code ec;
        if (created) {
            fs::remove_all(dir, ec);
        } else {
            for (const auto& e : fs::directory_iterator(dir, ec))
                fs::remove_all(e.path(), ec);
        }
        throw;
    }
    return m;
}

std::vector<std::size_t> parse_point_list(const std::string& text, std::size_t n) {
    std::vector<std::size_t> out;
    std::vector<bool> taken(n, false);
    for (const auto& item : text::split(text, ',')) {
        const auto dash = item.find('-');
        auto num = [&](const std::string& s) -> std::size_t {
            if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos ||
                s.size() > 12) {
                throw input_error("--points " + text + ": '" + item +
                                  "' is not a point number or range (e.g. 0-3,7).");
            }
            const std::size_t v = std::stoull(s);
            if (v >= n) {
                throw input_error("--points " + text + ": point " + s +
                                  " does not exist (the sweep has points 0 to " +
                                  std::to_string(n == 0 ? 0 : n - 1) + ").");
            }
            return v;
        };
        const std::size_t a = num(item.substr(0, dash));
        const std::size_t b = dash == std::string::npos ? a : num(item.substr(dash + 1));
        if (b < a) throw input_error("--points " + text + ": the range '" + item + "' is empty.");
        for (std::size_t i = a; i <= b; ++i)
            taken[i] = true;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (taken[i]) out.push_back(i);
    }
    return out;
}

}  // namespace neurochem::sweep

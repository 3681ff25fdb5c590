#include "io/output_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "comm/communicator.hpp"
#include "engine/simulation_access.hpp"
#include "io/h5.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/version.hpp"
#include "plasticity/plasticity.hpp"
#include "probe/probe.hpp"
#include "util/memory.hpp"

namespace neurochem {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t flush_threshold = 1 << 20;  // buffered spikes before writing
constexpr std::size_t slow_flush_rows = 256;      // buffered slow rows before writing
const char* const window_columns[] = {
    "step",           "fast_begin_ms",  "fast_end_ms", "calendar_begin_h",
    "calendar_end_h", "first_rate_bin", "rate_bins"};
const char* const window_units[] = {"", "ms", "ms", "h", "h", "", ""};

// Rank 0 alone, before the collective open of a resumed run's output: checks that `source` is
// the checkpointed run's output and holds at least the rows of `cuts`, through a read-only
// handle (a read-write one would rewrite the header of an interrupted file even when the resume
// is refused), then cuts each dataset back to its row count and removes what the end of the
// run writes again: in place when `partial` is `source`, else in a copy that becomes `partial`
// only once it is cut and closed. Returns the problem, or "" when `partial` is ready.
std::string check_and_cut_back(const std::string& source, const std::string& partial,
                               const std::string& run_id,
                               const std::vector<std::pair<std::string, std::uint64_t>>& cuts) {
    if (!fs::exists(source))
        return source +
               ": the output file of the checkpointed run is missing; it is needed to continue "
               "the output.";
    {
        const hid_t src = H5Fopen(source.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        if (src < 0)
            return source + ": cannot be opened as HDF5 (truncated or corrupted output file).";
        const h5::Handle f(src, H5Fclose);
        if (H5Aexists(f, "run_id") <= 0 || h5::read_attr_string(f, "run_id") != run_id)
            return source +
                   ": this output file belongs to another run (its run_id differs from the "
                   "checkpoint's).";
        for (const auto& [p5, n] : cuts) {
            if (!h5::exists(f, p5))
                return source + ": has no /" + p5 + "; it is not this run's output.";
            const h5::Handle d(H5Dopen2(f, p5.c_str(), H5P_DEFAULT), H5Dclose);
            if (d < 0)
                return source + ": /" + p5 +
                       " cannot be opened as a dataset; it is not this run's output.";
            const h5::Handle space(H5Dget_space(d), H5Sclose);
            hsize_t rows[1] = {0};
            if (space < 0 || H5Sget_simple_extent_ndims(space) != 1 ||
                H5Sget_simple_extent_dims(space, rows, nullptr) < 0)
                return source + ": /" + p5 +
                       " is not a one-dimensional dataset; it is not this run's output.";
            if (rows[0] < n)
                return source + ": /" + p5 + " holds " + std::to_string(rows[0]) +
                       " rows, fewer than the " + std::to_string(n) +
                       " the checkpoint has written: the file was cut or edited after the "
                       "checkpoint.";
        }
    }
    const bool in_place = fs::absolute(source) == fs::absolute(partial);
    // A copy is cut under a temporary name, so a failure (a full disk) leaves no half-cut
    // `partial` that a later resume would prefer to the intact source.
    const std::string target = in_place ? partial : partial + ".cutting";
    auto fail = [&](const std::string& why) {
        if (!in_place) {
            std::error_code ec;
            fs::remove(target, ec);
        }
        return why;
    };
    if (!in_place) {
        std::error_code ec;
        if (fs::exists(fs::symlink_status(target)) &&
            !fs::is_regular_file(fs::symlink_status(target)))
            return target + ": exists and is not a regular file; move it away to resume here.";
        fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec);
        if (ec) return fail("cannot copy " + source + " to " + target + ": " + ec.message());
    }
    const std::string cut_note =
        in_place ? " (the file may be cut back in part: resume it from this checkpoint again)" : "";
    {
        const hid_t fid = H5Fopen(target.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        if (fid < 0) return fail(target + ": cannot be opened for writing as HDF5.");
        h5::Handle f(fid, H5Fclose);
        for (const auto& [p5, n] : cuts) {
            const h5::Handle d(H5Dopen2(f, p5.c_str(), H5P_DEFAULT), H5Dclose);
            const hsize_t cut[1] = {n};
            if (d < 0 || H5Dset_extent(d, cut) < 0)
                return fail(target + ": cannot cut /" + p5 + " back to the checkpoint's " +
                            std::to_string(n) + " rows" + cut_note + ".");
        }
        for (const char* g : {"summary", "provenance", "edges"}) {
            if (h5::exists(f, g) && H5Ldelete(f, g, H5P_DEFAULT) < 0)
                return fail(target + ": cannot remove the old /" + g + cut_note + ".");
        }
        try {  // the close writes what is cached: a full disk shows here
            f.close("closing the cut-back " + target);
        } catch (const std::exception& e) {
            return fail(e.what() + cut_note);
        }
    }
    if (!in_place) {
        std::error_code ec;
        fs::rename(target, partial, ec);
        if (ec) return fail("cannot rename " + target + " to " + partial + ": " + ec.message());
    }
    return "";
}

h5::Handle sorting_enum_type() {
    h5::Handle t(h5::check(H5Tenum_create(H5T_NATIVE_UINT8), "enum type"), H5Tclose);
    const std::uint8_t none = 0, by_id = 1, by_time = 2;
    H5Tenum_insert(t, "none", &none);
    H5Tenum_insert(t, "by_id", &by_id);
    H5Tenum_insert(t, "by_time", &by_time);
    return t;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return buf;
}
}  // namespace

struct OutputWriter::Impl {
    const Simulation& sim;
    Provenance prov;
    h5::Handle file;
    struct Pop {
        bool record = false;
        h5::Handle group, timestamps, node_ids, rate;
        std::vector<double> ts;
        std::vector<std::uint64_t> ids;
        std::vector<std::uint64_t> counts;  // spikes per pending rate bin
        std::uint64_t written = 0;          // spikes in the file
    };
    std::vector<Pop> pops;
    // Chemistry traces: one dataset per name plus time_ms; rows buffered until a flush.
    std::vector<std::string> trace_names;
    std::vector<h5::Handle> traces;               // time_ms first
    std::vector<std::vector<double>> trace_rows;  // per dataset
    std::uint64_t trace_written = 0;
    std::uint64_t bin_steps = 1;
    std::uint64_t bins_done = 0;  // rate bins of the current segment already written
    std::uint64_t last_step = 0;
    // Recording segments: the whole run, or with a protocol each recorded window. Rate bins
    // start at the segment's first step.
    std::uint64_t recording = 1;
    std::uint64_t seg_start = 0;
    std::uint64_t bins_total = 0;  // rate bins in the file (all segments)
    // With a protocol: the recorded windows and the slow rows.
    std::vector<std::string> slow_paths;
    std::vector<h5::Handle> slow;                // one dataset per column
    std::vector<std::vector<double>> slow_rows;  // per column, buffered
    std::uint64_t slow_written = 0;
    std::vector<h5::Handle> windows;  // step, fast_begin_ms, fast_end_ms, calendar_begin_h,
                                      // calendar_end_h, first_rate_bin, rate_bins
    std::vector<std::vector<double>> window_rows;
    std::uint64_t windows_written = 0;
    std::uint64_t window_first_bin = 0;
    std::size_t buffered = 0;
    bool root = true;         // rank 0: writes rates, summary and provenance
    int rank = 0, ranks = 1;  // every rank writes its share of each spike window
    h5::Handle dxpl;          // collective transfers under MPI

    Impl(const Simulation& s, Provenance p) : sim(s), prov(std::move(p)) {}

    std::vector<std::uint64_t> first_gid;  // per population

    std::size_t population_of(std::uint64_t gid) const {
        const auto it = std::upper_bound(first_gid.begin(), first_gid.end(), gid);
        return static_cast<std::size_t>(it - first_gid.begin()) - 1;
    }
    void flush(bool final);
    void flush_slow();
    void add_trace_row(double time_ms, const std::vector<double>& values) {
        trace_rows[0].push_back(time_ms);
        for (std::size_t i = 0; i < values.size(); ++i)
            trace_rows[i + 1].push_back(values[i]);
    }
};

OutputWriter::OutputWriter(std::string path, const Simulation& sim, Provenance provenance,
                           const OutputResume* resume, const Course* course)
    : path_(std::move(path)), impl_(std::make_unique<Impl>(sim, std::move(provenance))) {
    auto& m = *impl_;
    const auto& spec = sim.spec();
    auto& comm = *sim.context().comm;
    m.rank = comm.rank();
    m.ranks = comm.size();
    m.root = m.rank == 0;
    m.bin_steps =
        static_cast<std::uint64_t>(std::llround(spec.output.rate_bin_ms / spec.simulation.dt_ms));
    m.pops.resize(spec.populations.size());
    for (std::size_t p = 0; p < m.pops.size(); ++p) {
        m.first_gid.push_back(sim.first_gid(p));
        m.pops[p].record = spec.output.spikes && spec.populations[p].record_spikes;
    }
    m.trace_names = sim.chemistry_trace_names();
    m.trace_rows.resize(m.trace_names.empty() ? 0 : m.trace_names.size() + 1);
    const bool protocol = course && course->has_protocol();
    if (protocol) {
        for (const auto& c : course->slow_columns())
            m.slow_paths.push_back(c.path);
        m.slow_rows.resize(m.slow_paths.size());
        m.window_rows.resize(7);
        m.recording = 0;  // until a recorded window begins
    }

    // Every rank takes part in creating or opening the file and its objects (collective).
    h5::quiet_errors();
    h5::Handle fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "file access list"), H5Pclose);
    comm.configure_hdf5_file_access(fapl);
    m.dxpl = h5::Handle(h5::check(H5Pcreate(H5P_DATASET_XFER), "transfer list"), H5Pclose);
    comm.configure_hdf5_transfer(m.dxpl);
    const std::string partial = partial_path();
    if (resume) {
        open_for_resume(*resume, fapl);
    } else {
        const hid_t f = H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
        if (f < 0) {
            throw std::runtime_error(partial +
                                     ": cannot create the output file (does the directory "
                                     "exist and is it writable?)");
        }
        m.file = h5::Handle(f, H5Fclose);
        create_layout();
        if (protocol) create_slow_layout(*course);
        if (!m.trace_names.empty() && !protocol) {
            m.add_trace_row(static_cast<double>(sim.current_step()) * sim.dt_ms(),
                            sim.chemistry_sample());
        }
    }
}

void OutputWriter::create_layout() {
    auto& m = *impl_;
    const auto& spec = m.sim.spec();
    h5::attr_u32(m.file, "magic", output_magic);  // SONATA spike-report magic
    h5::attr_u32_array(m.file, "version", {output_format_version[0], output_format_version[1]});
    h5::attr_string(m.file, "format", "neurochem output");
    h5::attr_string(m.file, "run_id", m.prov.run_id);
    h5::Handle spikes = h5::create_group(m.file, "spikes");
    h5::Handle rates = h5::create_group(m.file, "rates");
    const auto sorting = sorting_enum_type();
    for (std::size_t p = 0; p < spec.populations.size(); ++p) {
        const auto& ps = spec.populations[p];
        auto& pop = m.pops[p];
        if (pop.record) {
            pop.group = h5::create_group(spikes, ps.name);
            h5::Handle space(H5Screate(H5S_SCALAR), H5Sclose);
            h5::Handle a(h5::check(H5Acreate2(pop.group, "sorting", sorting, space, H5P_DEFAULT,
                                              H5P_DEFAULT),
                                   "sorting"),
                         H5Aclose);
            const std::uint8_t by_time = 2;
            h5::check(H5Awrite(a, sorting, &by_time), "writing sorting");
            pop.timestamps =
                h5::create_extendible(pop.group, "timestamps", H5T_IEEE_F64LE, 1 << 16);
            h5::attr_string(pop.timestamps, "units", "ms");
            pop.node_ids = h5::create_extendible(pop.group, "node_ids", H5T_STD_U64LE, 1 << 16);
        }
        pop.rate = h5::create_extendible(rates, ps.name, H5T_IEEE_F64LE, 1 << 14);
        h5::attr_string(pop.rate, "units", "Hz");
        h5::attr_double(pop.rate, "bin_ms", spec.output.rate_bin_ms);
        h5::attr_u64(pop.rate, "neurons", ps.size);
    }
    if (!m.trace_names.empty()) {
        h5::Handle chem = h5::create_group(m.file, "chemistry");
        std::vector<std::string> paths{"time_ms"};
        for (const auto& n : m.trace_names)
            paths.push_back(n);
        for (const auto& path : paths) {
            for (std::size_t pos = path.find('/'); pos != std::string::npos;
                 pos = path.find('/', pos + 1)) {
                if (!h5::exists(chem, path.substr(0, pos)))
                    h5::create_group(chem, path.substr(0, pos));
            }
            m.traces.push_back(h5::create_extendible(chem, path, H5T_IEEE_F64LE, 1 << 12));
        }
        h5::attr_string(m.traces[0], "units", "ms");
        h5::attr_double(chem, "interval_ms", spec.chemistry.trace_interval_ms);
    }
}

void OutputWriter::create_slow_layout(const Course& course) {
    auto& m = *impl_;
    h5::Handle slow = h5::create_group(m.file, "slow");
    h5::attr_string(
        slow, "description",
        "one row per slow step: time_h is its end; averages are over its window (after settling); "
        "state/* are the slow variables at time_h (per-neuron ones as population means)");
    for (const auto& c : course.slow_columns()) {
        for (std::size_t pos = c.path.find('/'); pos != std::string::npos;
             pos = c.path.find('/', pos + 1)) {
            if (!h5::exists(slow, c.path.substr(0, pos)))
                h5::create_group(slow, c.path.substr(0, pos));
        }
        m.slow.push_back(h5::create_extendible(slow, c.path, H5T_IEEE_F64LE, 1 << 10));
        h5::attr_string(m.slow.back(), "units", c.unit);
    }
    h5::Handle win = h5::create_group(m.file, "windows");
    h5::attr_string(
        win, "description",
        "the recorded windows: their fast-clock span (spike timestamps and trace times lie in it), "
        "the calendar span they stand for, and their rows of /rates");
    for (std::size_t i = 0; i < std::size(window_columns); ++i) {
        m.windows.push_back(h5::create_extendible(win, window_columns[i], H5T_IEEE_F64LE, 1 << 10));
        h5::attr_string(m.windows.back(), "units", window_units[i]);
    }
}

// The weights of plastic projections with record_weights, as SONATA edges: one edge per
// synapse in canonical (target, source, draw) order, every rank writing its targets' block.
void OutputWriter::write_edges() {
    auto& m = *impl_;
    const Plasticity* plasticity = SimulationAccess::plasticity(m.sim);
    if (!plasticity) return;
    const auto& spec = m.sim.spec();
    for (std::size_t k = 0; k < spec.projections.size(); ++k) {
        const auto& pr = spec.projections[k];
        if (!pr.plasticity.record_weights) continue;
        const auto e = plasticity->edges(k);
        if (!h5::exists(m.file, "edges")) h5::create_group(m.file, "edges");
        h5::Handle edges = h5::open_group(m.file, "edges");
        // "PRE->POST:LABEL" as a group name: PRE_to_POST or PRE_to_POST_LABEL.
        const auto colon = pr.name.find(':');
        const std::string name =
            pr.pre + "_to_" + pr.post +
            (colon != std::string::npos ? "_" + pr.name.substr(colon + 1) : "");
        h5::Handle g = h5::create_group(edges, name);
        h5::attr_string(g, "projection", pr.name);
        const std::uint64_t n = e.weight.size();
        auto put_u64 = [&](hid_t parent, const char* ds, const std::vector<std::uint64_t>& v) {
            h5::Handle d = h5::create_extendible(parent, ds, H5T_STD_U64LE, 1 << 16);
            h5::append_part(d, H5T_NATIVE_UINT64, v.data(), e.total, e.offset, n, m.dxpl);
            return d;
        };
        h5::Handle src = put_u64(g, "source_node_id", e.source);
        h5::attr_string(src, "node_population", pr.pre);
        h5::Handle tgt = put_u64(g, "target_node_id", e.target);
        h5::attr_string(tgt, "node_population", pr.post);
        std::vector<std::uint64_t> zeros(n, 0), index(n);
        for (std::uint64_t i = 0; i < n; ++i)
            index[i] = e.offset + i;
        put_u64(g, "edge_type_id", zeros);
        put_u64(g, "edge_group_id", zeros);
        put_u64(g, "edge_group_index", index);
        h5::Handle g0 = h5::create_group(g, "0");
        h5::Handle w = h5::create_extendible(g0, "syn_weight", H5T_IEEE_F64LE, 1 << 16);
        h5::append_part(w, H5T_NATIVE_DOUBLE, e.weight.data(), e.total, e.offset, n, m.dxpl);
        const auto post =
            spec.populations[static_cast<std::size_t>(spec.population_index(pr.post))].model;
        h5::attr_string(w, "units", weight_unit(post));
    }
}

void OutputWriter::window_begins(const WindowInfo& w) {
    auto& m = *impl_;
    if (!w.recorded) return;
    m.recording = 1;
    m.seg_start = w.fast_begin;
    m.last_step = w.fast_begin;
    m.bins_done = 0;
    m.window_first_bin = m.bins_total;
    for (auto& pop : m.pops)
        pop.counts.clear();
}

void OutputWriter::window_ends(const WindowInfo& w) {
    auto& m = *impl_;
    if (!m.recording) return;
    m.flush(true);
    const double dt = m.sim.dt_ms();
    const double row[] = {static_cast<double>(w.step),
                          static_cast<double>(w.fast_begin) * dt,
                          static_cast<double>(w.fast_end) * dt,
                          w.calendar_begin_h,
                          w.calendar_end_h,
                          static_cast<double>(m.window_first_bin),
                          static_cast<double>(m.bins_total - m.window_first_bin)};
    for (std::size_t i = 0; i < m.window_rows.size(); ++i)
        m.window_rows[i].push_back(row[i]);
    m.recording = 0;
}

void OutputWriter::slow_row(std::span<const double> values) {
    auto& m = *impl_;
    for (std::size_t i = 0; i < values.size(); ++i)
        m.slow_rows[i].push_back(values[i]);
    if (m.slow_rows[0].size() >= slow_flush_rows) m.flush_slow();
}

// Collective; the values are the same on every rank: rank 0 writes them.
void OutputWriter::Impl::flush_slow() {
    if (slow.empty()) return;
    for (std::size_t k = 0; k < slow.size(); ++k) {
        const auto n = slow_rows[k].size();
        h5::append_part(slow[k], H5T_NATIVE_DOUBLE, slow_rows[k].data(), n, 0, root ? n : 0, dxpl);
    }
    slow_written += slow_rows[0].size();
    for (auto& r : slow_rows)
        r.clear();
    for (std::size_t k = 0; k < windows.size(); ++k) {
        const auto n = window_rows[k].size();
        h5::append_part(windows[k], H5T_NATIVE_DOUBLE, window_rows[k].data(), n, 0, root ? n : 0,
                        dxpl);
    }
    windows_written += window_rows[0].size();
    for (auto& r : window_rows)
        r.clear();
}

void OutputWriter::open_for_resume(const OutputResume& resume, long long fapl) {
    auto& m = *impl_;
    const auto& spec = m.sim.spec();
    auto& comm = *m.sim.context().comm;
    const std::string partial = partial_path();
    auto& st = *resume.state;
    // Where each extendible dataset is cut back to: the checkpoint's position.
    std::vector<std::pair<std::string, std::uint64_t>> cuts;
    m.bins_done = st.read_value("output/bins_done");
    m.last_step = st.read_value("output/last_step");
    m.bins_total = st.read_value("output/rate_bins");
    for (std::size_t p = 0; p < spec.populations.size(); ++p) {
        const std::string name = spec.populations[p].name;
        const std::string key = "output/" + name + "/";
        auto& pop = m.pops[p];
        pop.written = st.read_value(key + "spikes_written");
        pop.counts.resize(st.size_of(key + "pending_counts"));
        st.read(key + "pending_counts", std::span<std::uint64_t>(pop.counts), 0, pop.counts.size());
        if (pop.record) {
            cuts.emplace_back("spikes/" + name + "/timestamps", pop.written);
            cuts.emplace_back("spikes/" + name + "/node_ids", pop.written);
        }
        cuts.emplace_back("rates/" + name, m.bins_total);
    }
    if (!m.trace_names.empty()) {
        m.trace_written = st.read_value("output/chemistry_samples");
        cuts.emplace_back("chemistry/time_ms", m.trace_written);
        for (const auto& n : m.trace_names)
            cuts.emplace_back("chemistry/" + n, m.trace_written);
    }
    m.recording = st.read_value("output/recording");
    m.seg_start = st.read_value("output/segment_start");
    if (!m.slow_paths.empty()) {
        m.slow_written = st.read_value("output/slow_rows");
        m.windows_written = st.read_value("output/windows");
        m.window_first_bin = st.read_value("output/window_first_bin");
        for (const auto& c : m.slow_paths)
            cuts.emplace_back("slow/" + c, m.slow_written);
        for (const char* w : window_columns)
            cuts.emplace_back(std::string("windows/") + w, m.windows_written);
    }

    // Rank 0 checks the earlier output before anything is written, copies it if needed and cuts
    // it back, alone and through a serial handle: a chunked dataset shrunk through the MPI-IO
    // driver and then extended and written collectively lost the new data of the shrunk chunk
    // (it read back as zeros after a resume on 2 ranks from an earlier checkpoint; HDF5 1.10.8).
    std::string problem;
    if (m.root) {
        try {  // whatever goes wrong here must reach the other ranks, which wait in broadcast
            problem = check_and_cut_back(resume.source_file, partial, m.prov.run_id, cuts);
        } catch (const std::exception& e) {
            problem = "resuming " + resume.source_file + " into " + partial + ": " + e.what();
        }
    }
    comm.broadcast(problem, 0);
    if (!problem.empty()) throw input_error(problem);
    const hid_t f = H5Fopen(partial.c_str(), H5F_ACC_RDWR, fapl);
    if (f < 0)
        throw input_error(partial +
                          ": cannot be opened as HDF5 (truncated or corrupted output file).");
    m.file = h5::Handle(f, H5Fclose);
    auto open = [&](const std::string& p5) {
        return h5::Handle(h5::check(H5Dopen2(m.file, p5.c_str(), H5P_DEFAULT), "opening " + p5),
                          H5Dclose);
    };
    std::size_t c = 0;  // the datasets in the order of `cuts`
    for (auto& pop : m.pops) {
        if (pop.record) {
            pop.group = h5::open_group(m.file, cuts[c].first.substr(0, cuts[c].first.rfind('/')));
            pop.timestamps = open(cuts[c++].first);
            pop.node_ids = open(cuts[c++].first);
        }
        pop.rate = open(cuts[c++].first);
    }
    if (!m.trace_names.empty()) {
        for (std::size_t k = 0; k <= m.trace_names.size(); ++k)
            m.traces.push_back(open(cuts[c++].first));
    }
    for (const auto& col [[maybe_unused]] : m.slow_paths)
        m.slow.push_back(open(cuts[c++].first));
    if (!m.slow_paths.empty()) {
        for (std::size_t k = 0; k < std::size(window_columns); ++k)
            m.windows.push_back(open(cuts[c++].first));
    }
}

void OutputWriter::save_state(StateSink& sink) {
    auto& m = *impl_;
    m.flush(false);
    const bool root = m.root;
    sink.write_value("output/bins_done", m.bins_done);
    sink.write_value("output/last_step", m.last_step);
    for (std::size_t p = 0; p < m.pops.size(); ++p) {
        const auto& pop = m.pops[p];
        const std::string key = "output/" + m.sim.spec().populations[p].name + "/";
        sink.write_value(key + "spikes_written", pop.written);
        sink.write(
            key + "pending_counts",
            root ? std::span<const std::uint64_t>(pop.counts) : std::span<const std::uint64_t>(), 0,
            pop.counts.size());
    }
    sink.write_value("output/chemistry_samples", m.trace_written);
    sink.write_value("output/recording", m.recording);
    sink.write_value("output/segment_start", m.seg_start);
    sink.write_value("output/rate_bins", m.bins_total);
    if (!m.slow_paths.empty()) {
        m.flush_slow();
        sink.write_value("output/slow_rows", m.slow_written);
        sink.write_value("output/windows", m.windows_written);
        sink.write_value("output/window_first_bin", m.window_first_bin);
    }
    h5::check(H5Fflush(m.file, H5F_SCOPE_GLOBAL), "flushing the output file");
}

OutputWriter::~OutputWriter() = default;

void OutputWriter::epoch(const EpochView& view) {
    auto& m = *impl_;
    if (!m.recording) return;
    const double dt = m.sim.dt_ms();
    m.last_step = view.end_step;
    const std::uint64_t bins_needed = (view.end_step - m.seg_start + m.bin_steps - 1) / m.bin_steps;
    for (auto& pop : m.pops) {
        if (pop.counts.size() < bins_needed - m.bins_done)
            pop.counts.resize(bins_needed - m.bins_done, 0);
    }
    for (const Spike& s : view.all_spikes) {
        const std::size_t p = m.population_of(s.gid);
        auto& pop = m.pops[p];
        ++pop.counts[(s.step - 1 - m.seg_start) / m.bin_steps - m.bins_done];
        if (pop.record) {
            pop.ts.push_back(static_cast<double>(s.step) * dt);
            pop.ids.push_back(s.gid - m.first_gid[p]);
            ++m.buffered;
        }
    }
    if (!view.chemistry.empty()) {
        m.add_trace_row(static_cast<double>(view.end_step) * dt,
                        {view.chemistry.begin(), view.chemistry.end()});
    }
    if (m.buffered >= flush_threshold || (!m.trace_rows.empty() && m.trace_rows[0].size() >= 4096))
        m.flush(false);
}

// Collective: every rank holds the same spike windows (they were gathered from all ranks) and
// writes a contiguous share of each; rank 0 writes the rate bins.
void OutputWriter::Impl::flush(bool final) {
    const auto& spec = sim.spec();
    const double dt = spec.simulation.dt_ms;
    const std::uint64_t span = last_step - seg_start;
    const std::uint64_t complete = final ? (span + bin_steps - 1) / bin_steps : span / bin_steps;
    const std::uint64_t n_bins = complete > bins_done ? complete - bins_done : 0;
    const auto R = static_cast<std::uint64_t>(ranks), r = static_cast<std::uint64_t>(rank);
    for (std::size_t p = 0; p < pops.size(); ++p) {
        auto& pop = pops[p];
        if (pop.record) {
            const std::uint64_t n = pop.ts.size();
            const std::uint64_t lo = n * r / R, hi = n * (r + 1) / R;
            h5::append_part(pop.timestamps, H5T_NATIVE_DOUBLE, pop.ts.data() + lo, n, lo, hi - lo,
                            dxpl);
            h5::append_part(pop.node_ids, H5T_NATIVE_UINT64, pop.ids.data() + lo, n, lo, hi - lo,
                            dxpl);
            pop.written += n;
        }
        pop.ts.clear();
        pop.ids.clear();
        std::vector<double> rate(n_bins);
        const double size = static_cast<double>(spec.populations[p].size);
        for (std::uint64_t b = 0; b < n_bins; ++b) {
            const std::uint64_t first = seg_start + (bins_done + b) * bin_steps;
            const std::uint64_t steps = std::min(bin_steps, last_step - first);
            const double width_s = static_cast<double>(steps) * dt * 1e-3;
            rate[b] = static_cast<double>(pop.counts[b]) / (size * width_s);
        }
        h5::append_part(pop.rate, H5T_NATIVE_DOUBLE, rate.data(), n_bins, 0, root ? n_bins : 0,
                        dxpl);
        pop.counts.erase(pop.counts.begin(),
                         pop.counts.begin() + static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(
                                                  n_bins, pop.counts.size())));
    }
    bins_done += n_bins;
    bins_total += n_bins;
    buffered = 0;
    // Chemistry traces: identical on every rank; rank 0 writes them.
    for (std::size_t k = 0; k < traces.size(); ++k) {
        const auto n = trace_rows[k].size();
        h5::append_part(traces[k], H5T_NATIVE_DOUBLE, trace_rows[k].data(), n, 0, root ? n : 0,
                        dxpl);
    }
    if (!trace_rows.empty()) trace_written += trace_rows[0].size();
    for (auto& row : trace_rows)
        row.clear();
}

bool has_output_mark(long long file) {
    try {
        return H5Aexists(file, "magic") > 0 && h5::read_attr_u64(file, "magic") == output_magic;
    } catch (const std::exception&) {
        return false;
    }
}

bool is_output_file(const std::string& path) {
    h5::quiet_errors();
    if (H5Fis_hdf5(path.c_str()) <= 0) return false;
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) return false;
    const h5::Handle f(id, H5Fclose);
    return has_output_mark(f);
}

std::string OutputWriter::abandon(const std::string& why) const {
    namespace fs = std::filesystem;
    std::error_code ec_dir, ec_space, ec_size, ec_rm, ec_old;
    const auto dir = fs::absolute(path_, ec_dir).parent_path();
    const auto space = fs::space(dir, ec_space);
    const auto partial_bytes = fs::file_size(partial_path(), ec_size);
    std::string fate;
    if (keep_partial_) {
        fate = "; " + partial_path() +
               " is kept: free space, then `neurochem resume` from the newest checkpoint";
    } else if (impl_->root) {
        fate = fs::remove(partial_path(), ec_rm) && !ec_rm
                   ? "; the unfinished file was removed"
                   : "; the unfinished " + partial_path() + " could not be removed";
    } else {
        fate = "; rank 0 removes the unfinished file";
    }
    char buf[200];
    std::snprintf(buf, sizeof buf, "%.1f MB free in %s; the output had reached %.1f MB",
                  ec_space ? 0.0 : static_cast<double>(space.available) / 1048576.0, dir.c_str(),
                  ec_size ? 0.0 : static_cast<double>(partial_bytes) / 1048576.0);
    return "writing " + path_ + ": " + why + " (" + buf + ": no space left on the device?)" + fate +
           (fs::exists(path_, ec_old) ? "; the previous " + path_ + " is untouched" : "");
}

void OutputWriter::finish(double wall_seconds) {
    auto& m = *impl_;
    if (m.recording) m.flush(true);
    m.flush_slow();
    m.slow.clear();
    m.windows.clear();
    write_edges();
    // Collective statistics first: every process takes part.
    const auto stats = m.sim.population_stats();
    const std::uint64_t events = m.sim.synaptic_events();
    const std::uint64_t synapses = m.sim.total_synapses();
    const std::uint64_t synapse_bytes = m.sim.total_synapse_bytes();
    auto& comm = *m.sim.context().comm;
    const double peak_rss_MB = comm.max(peak_rss_mb());
    m.traces.clear();
    for (auto& pop : m.pops) {  // every object must be closed for the file to close
        pop.timestamps.reset();
        pop.node_ids.reset();
        pop.rate.reset();
        pop.group.reset();
    }
    m.dxpl.reset();
    try {
        m.file.close("closing " + partial_path());  // collective; writes what is cached
    } catch (const std::exception& e) {
        throw std::runtime_error(abandon(e.what()));
    }
    comm.barrier();
    if (m.root)
        write_summary_and_provenance(stats, events, synapses, synapse_bytes, peak_rss_MB,
                                     wall_seconds);
    comm.barrier();  // the file is complete on every rank's return
}

// /probes/NAME: one row per cue (rank 0; the results are the same on every process).
void OutputWriter::write_probes() {
    auto& m = *impl_;
    const auto probes = SimulationAccess::probes(m.sim);
    if (probes.empty()) return;
    // A resumed run's file already holds the probes of its first part; the probes' rows cover
    // the whole run (they are restored from the checkpoint), so they replace them.
    if (h5::exists(m.file, "probes"))
        h5::check(H5Ldelete(m.file, "probes", H5P_DEFAULT), "deleting /probes");
    h5::Handle top = h5::create_group(m.file, "probes");
    for (const Probe* p : probes) {
        const auto& spec = p->spec();
        h5::Handle g = h5::create_group(top, spec.name);
        h5::attr_string(g, "drive", spec.drive);
        h5::attr_double(g, "baseline_ms", spec.baseline_ms);
        h5::attr_double(g, "response_ms", spec.response_ms);
        const std::size_t W = p->row_width(), n = p->rows().size() / W;
        auto column = [&](std::size_t c) {
            std::vector<double> v(n);
            for (std::size_t i = 0; i < n; ++i)
                v[i] = p->rows()[i * W + c];
            return v;
        };
        auto write = [&](hid_t where, const char* name, std::size_t c, const char* unit) {
            const auto v = column(c);
            h5::write_dataset(where, name, H5T_NATIVE_DOUBLE, v.data(), v.size());
            h5::Handle d(h5::check(H5Dopen2(where, name, H5P_DEFAULT), name), H5Dclose);
            h5::attr_string(d, "units", unit);
        };
        write(g, "onset_ms", 0, "ms");
        write(g, "calendar_h", 1, "h");
        for (std::size_t r = 0; r < spec.readout.size(); ++r) {
            h5::Handle pg = h5::create_group(g, spec.readout[r]);
            write(pg, "baseline_Hz", 2 + 4 * r, "Hz");
            write(pg, "response_Hz", 3 + 4 * r, "Hz");
            write(pg, "evoked", 4 + 4 * r, "spikes per neuron per cue");
            write(pg, "latency_ms", 5 + 4 * r, "ms");
        }
    }
}

void OutputWriter::write_summary_and_provenance(const std::vector<PopulationStats>& stats,
                                                std::uint64_t events, std::uint64_t synapses,
                                                std::uint64_t synapse_bytes, double peak_rss_MB,
                                                double wall_seconds) {
    // Rank 0 alone, serial HDF5: values that differ between ranks (host, times) come from rank 0.
    auto& m = *impl_;
    m.file = h5::Handle(h5::check(H5Fopen(partial_path().c_str(), H5F_ACC_RDWR, H5P_DEFAULT),
                                  "reopening " + partial_path()),
                        H5Fclose);
    h5::Handle summary = h5::create_group(m.file, "summary");
    h5::attr_u64(summary, "synaptic_events", events);
    h5::attr_u64(summary, "synapses", synapses);
    h5::attr_double(summary, "simulated_ms",
                    static_cast<double>(m.sim.current_step()) * m.sim.dt_ms());
    for (const auto& s : stats) {
        h5::Handle g = h5::create_group(summary, s.name);
        h5::attr_u64(g, "neurons", s.size);
        h5::attr_u64(g, "spikes", s.spikes);
        h5::attr_double(g, "mean_rate_Hz", s.mean_rate_Hz);
        h5::attr_double(g, "mean_cv_isi", s.mean_cv_isi);
        h5::attr_u64(g, "cv_neurons", s.cv_neurons);
    }

    write_probes();

    h5::Handle prov = h5::create_group(m.file, "provenance");
    h5::write_string_dataset(prov, "config", m.prov.config_text);
    h5::attr_string(prov, "config_hash", m.prov.config_hash);
    h5::attr_string(prov, "config_source", m.prov.config_source);
    h5::attr_u64(prov, "seed", m.sim.spec().simulation.seed);
    h5::attr_string(prov, "neurochem_version", version());
    h5::attr_string(prov, "git_revision", git_revision());
    h5::attr_string(prov, "build_type", build_type());
    h5::attr_string(prov, "compiler", compiler());
    h5::attr_string(prov, "compile_flags", compile_flags());
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    h5::attr_string(prov, "hdf5_version",
                    std::to_string(maj) + "." + std::to_string(min) + "." + std::to_string(rel));
    h5::attr_u64(prov, "threads", static_cast<std::uint64_t>(m.sim.context().threads));
    h5::attr_u64(prov, "ranks", static_cast<std::uint64_t>(m.sim.context().ranks()));
    h5::attr_double(prov, "wall_time_s", wall_seconds);
    const auto times = m.sim.phase_times();
    h5::attr_double(prov, "build_time_s", times.build);
    h5::attr_double(prov, "run_time_s", times.run);
    h5::attr_double(prov, "peak_rss_MB", peak_rss_MB);  // the largest of any rank
    h5::attr_u64(prov, "synapse_bytes", synapse_bytes);
    h5::attr_string(prov, "command_line", m.prov.command_line);
    h5::attr_string(prov, "finished_utc", utc_now());
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    h5::attr_string(prov, "hostname", host);

    try {
        m.file.close("closing " + partial_path());
    } catch (const std::exception& e) {
        throw std::runtime_error(abandon(e.what()));
    }
    std::error_code ec;
    std::filesystem::rename(partial_path(), path_, ec);
    if (ec) {
        throw std::runtime_error("cannot rename " + partial_path() + " to " + path_ + ": " +
                                 ec.message());
    }
}

}  // namespace neurochem

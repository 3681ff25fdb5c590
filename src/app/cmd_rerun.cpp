// neurochem rerun OUT.h5: re-executes a run from the provenance in its output (the resolved
// config, which holds the seed) into a new file and checks that the result is bitwise the same
// (`compare`). A file written by another binary (version, git revision, build type, compiler or
// flags) is refused, since bitwise reproduction is promised by the same binary only, unless
// --allow-version-change, which runs anyway and reports the differences.
#include <boost/program_options.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/compare.hpp"
#include "app/execute.hpp"
#include "comm/communicator.hpp"
#include "comm/environment.hpp"
#include "io/h5.hpp"
#include "io/output_writer.hpp"
#include "neurochem/errors.hpp"
#include "neurochem/version.hpp"
#include "util/sha256.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace neurochem::app {

namespace {
struct Recorded {
    std::string config, config_hash, source;
    std::vector<std::pair<std::string, std::string>> build;  // (attribute, value) that must match
    bool has_seed = false;
    std::uint64_t seed = 0;  ///< /provenance@seed: must equal the config's simulation.seed
};

std::vector<std::pair<std::string, std::string>> this_build() {
    return {{"neurochem_version", version()},
            {"git_revision", git_revision()},
            {"build_type", build_type()},
            {"compiler", compiler()},
            {"compile_flags", compile_flags()}};
}

/// A string attribute, fixed-length (as neurochem writes it) or variable-length (as h5py does).
std::string string_attr(hid_t obj, const std::string& name, const std::string& file) {
    if (H5Aexists(obj, name.c_str()) <= 0) return "(missing)";
    h5::Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose);
    h5::Handle t(a.valid() ? H5Aget_type(a) : -1, H5Tclose);
    if (!t.valid() || H5Tget_class(t) != H5T_STRING) {
        throw input_error(file + ": /provenance attribute " + name + " is not a string.");
    }
    if (H5Tis_variable_str(t) <= 0) return h5::read_attr_string(obj, name);
    char* value = nullptr;
    h5::Handle mt(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5Tget_cset(t));  // HDF5 does not convert between ASCII and UTF-8
    if (H5Aread(a, mt, &value) < 0 || !value)
        throw input_error(file + ": cannot read /provenance attribute " + name + ".");
    std::string out = value;
    H5free_memory(value);
    return out;
}

Recorded read_provenance(const std::string& path) {
    if (!fs::is_regular_file(path)) throw input_error(path + ": no such file.");
    h5::quiet_errors();
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) throw input_error(path + ": not an HDF5 file (or unreadable).");
    h5::Handle f(id, H5Fclose);
    if (!has_output_mark(f) || !h5::exists(f, "provenance") ||
        !h5::exists(f, "provenance/config")) {
        throw input_error(
            path +
            ": not a complete neurochem output (no /provenance with the resolved config); "
            "only a finished run can be rerun.");
    }
    h5::Handle p = h5::open_group(f, "provenance");
    Recorded r;
    try {
        r.config = h5::read_string_dataset(p, "config");
    } catch (const std::exception& e) {
        throw input_error(path + ": cannot read /provenance/config: " + e.what() + ".");
    }
    for (const char* a : {"config_hash", "config_source"}) {
        if (H5Aexists(p, a) <= 0)
            throw input_error(path + ": /provenance has no attribute " + a + ".");
    }
    r.config_hash = string_attr(p, "config_hash", path);
    r.source = string_attr(p, "config_source", path);
    for (const auto& [name, mine] : this_build())
        r.build.emplace_back(name, string_attr(p, name, path));
    if (H5Aexists(p, "seed") > 0) {
        try {
            r.seed = h5::read_attr_u64(p, "seed");
            r.has_seed = true;
        } catch (const std::exception& e) {
            throw input_error(path + ": cannot read /provenance attribute seed: " + e.what() + ".");
        }
    }
    return r;
}

/// Per population: spikes, rate and CV of both files, for the report of a changed result.
void print_summary_differences(const std::string& a, const std::string& b) {
    h5::Handle fa(H5Fopen(a.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    h5::Handle fb(H5Fopen(b.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!fa.valid() || !fb.valid() || !h5::exists(fa, "summary") || !h5::exists(fb, "summary"))
        return;
    h5::Handle sa = h5::open_group(fa, "summary"), sb = h5::open_group(fb, "summary");
    std::printf("%-12s %14s %14s %12s %12s %9s %9s\n", "population", "spikes (orig)",
                "spikes (new)", "rate (orig)", "rate (new)", "CV (orig)", "CV (new)");
    for (const auto& pop : h5::list_links(sa)) {
        if (!h5::exists(sb, pop)) continue;
        h5::Handle ga = h5::open_group(sa, pop), gb = h5::open_group(sb, pop);
        std::printf(
            "%-12s %14llu %14llu %12.4f %12.4f %9.4f %9.4f\n", pop.c_str(),
            static_cast<unsigned long long>(h5::read_attr_u64(ga, "spikes")),
            static_cast<unsigned long long>(h5::read_attr_u64(gb, "spikes")),
            h5::read_attr_double(ga, "mean_rate_Hz"), h5::read_attr_double(gb, "mean_rate_Hz"),
            h5::read_attr_double(ga, "mean_cv_isi"), h5::read_attr_double(gb, "mean_cv_isi"));
    }
}
}  // namespace

int cmd_rerun(const Args& args, const std::string& command_line, const MpiSession& mpi) {
    po::options_description opts("neurochem rerun OUT.h5 [options]");
    std::string original, out;
    int threads = 0;
    bool help = false, quiet = false, allow = false;
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "output,o", po::value(&out)->value_name("NEW.h5"),
        "the new output (default: OUT.rerun.h5; never OUT itself)")(
        "threads", po::value(&threads)->value_name("N"),
        "OpenMP threads per rank (results do not depend on it)")(
        "allow-version-change", po::bool_switch(&allow),
        "rerun a file written by another binary and report the differences")(
        "quiet,q", po::bool_switch(&quiet), "print the verdict only");
    po::options_description hidden;
    hidden.add_options()("original", po::value(&original));
    const auto vm = parse_command_line(args, opts, hidden, "original");
    if (help) {
        std::cout
            << "Re-executes a run from its own /provenance (resolved config with its seed) into a "
               "new\n"
               "file and compares the two bitwise. A file written by another binary (version, git\n"
               "revision, build type, compiler, flags) is refused unless --allow-version-change.\n"
               "Exit 0 reproduced, 1 different, 2 bad input or refused (nothing written).\n\n"
            << opts;
        return 0;
    }
    if (original.empty()) throw po::error("rerun needs an output file: neurochem rerun OUT.h5");
    require_valid_threads(vm, threads, mpi);
    const Recorded rec = read_provenance(original);
    if (sha256_hex(rec.config) != rec.config_hash) {
        throw input_error(
            original +
            ": /provenance/config does not match its config_hash (the file was changed "
            "after the run); it cannot be rerun.");
    }
    std::vector<std::string> changes;
    const auto mine = this_build();
    for (std::size_t i = 0; i < mine.size(); ++i) {
        if (rec.build[i].second != mine[i].second) {
            changes.push_back("  " + mine[i].first + ": '" + rec.build[i].second +
                              "' in the file, '" + mine[i].second + "' in this binary");
        }
    }
    const Context ctx = mpi.context(threads);
    const bool talk = ctx.comm->rank() == 0;
    if (!changes.empty() && !allow) {
        std::string msg = original + " was written by another neurochem binary:\n";
        for (const auto& c : changes)
            msg += c + "\n";
        throw input_error(
            msg +
            "A bitwise reproduction is promised by the same binary only. Use the binary that wrote "
            "it, or --allow-version-change to rerun anyway and see what changed.");
    }
    if (out.empty()) {
        fs::path p(original);
        out = (p.parent_path() / (p.stem().string() + ".rerun.h5")).string();
    }
    std::error_code ec;
    if (fs::weakly_canonical(out, ec) == fs::weakly_canonical(original, ec) ||
        (fs::exists(out) && fs::equivalent(out, original))) {
        throw input_error("-o " + out +
                          ": is the file being rerun; rerun never overwrites the original.");
    }
    config::RawConfig raw = config::parse_config_text(rec.config, original + ":/provenance/config");
    const auto cfg = config::resolve(raw);
    const ModelSpec model = config::to_model(cfg);
    // Every recorded fact must agree with the config (a rewritten seed "reproduced" before).
    if (rec.has_seed && rec.seed != model.simulation.seed) {
        throw input_error(original + ": /provenance@seed = " + std::to_string(rec.seed) +
                          " disagrees with its config's simulation.seed = " +
                          std::to_string(model.simulation.seed) +
                          " (the file was changed after the run); it cannot be rerun.");
    }
    if (talk && !quiet) {
        std::printf("rerun of %s (config %s, hash %.16s)\n", original.c_str(), rec.source.c_str(),
                    rec.config_hash.c_str());
        if (!changes.empty()) {
            std::printf("written by another binary (--allow-version-change):\n");
            for (const auto& c : changes)
                std::printf("%s\n", c.c_str());
        }
        if (cfg.hash != rec.config_hash) {
            std::printf(
                "note: this binary resolves the config to another hash (%.16s): its keys or "
                "defaults changed\n",
                cfg.hash.c_str());
        }
        std::fflush(stdout);
    }
    ExecuteOptions o;
    o.output = out;
    o.command_line = command_line;
    o.quiet = quiet;
    o.checkpoints.dir = default_checkpoint_dir(out);
    if (const auto problem = output_problem(o.output, *ctx.comm); !problem.empty())
        throw input_error(problem);
    const int code = execute(cfg, model, ctx, o);
    if (code != 0 || !talk) return code;
    const CompareResult r = compare_outputs(original, out);
    if (r.same) {
        std::printf("REPRODUCED bitwise: %s\n  original: %s\n  rerun:    %s\n", r.summary.c_str(),
                    fs::absolute(original).c_str(), fs::absolute(out).c_str());
        return 0;
    }
    std::printf("DIFFERENT: %s\n", r.difference.c_str());
    print_summary_differences(original, out);
    std::printf("  original: %s\n  rerun:    %s\n", fs::absolute(original).c_str(),
                fs::absolute(out).c_str());
    return 1;
}

}  // namespace neurochem::app

// neurochem collect MANIFEST|DIR -o table.csv|table.h5: one table of every point's parameters,
// state and outcomes (src/sweep/table.hpp); missing and failed points are rows with their
// state, not dropped.
#include <boost/program_options.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "neurochem/errors.hpp"
#include "slow/sleep_lock.hpp"
#include "sweep/table.hpp"
#include "sweep/trial.hpp"
#include "util/text.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace neurochem::app {

int cmd_collect(const Args& args) {
    po::options_description opts("neurochem collect MANIFEST|DIR [options]");
    std::string where;
    std::vector<std::string> outputs;
    bool help = false, timing = false, complete = false, quiet = false;
    std::string arm;
    double min_baseline = -std::numeric_limits<double>::infinity();
    opts.add_options()("help,h", po::bool_switch(&help), "show this help")(
        "output,o", po::value(&outputs)->composing()->value_name("FILE"),
        "table file: .csv or .h5 (repeatable; default DIR/table.csv)")(
        "timing", po::bool_switch(&timing),
        "add wall time, core-hours and peak memory (not reproducible)")(
        "require-complete", po::bool_switch(&complete), "exit code 1 unless every point is done")(
        "quiet,q", po::bool_switch(&quiet), "print errors only")(
        "arm", po::value(&arm)->value_name("KEY[,KEY...]"),
        "trials: the columns of the arms (default: the varied keys that differ between the rows "
        "of one sampled patient)")(
        "min-baseline", po::value(&min_baseline)->value_name("R"),
        "trials: enrol only patients whose baseline rating is at least R");
    po::options_description hidden;
    hidden.add_options()("manifest", po::value(&where));
    parse_command_line(args, opts, hidden, "manifest");
    if (help) {
        std::cout
            << "Gathers a sweep's points into one table: point, status (done, failed, "
               "interrupted,\n"
               "running, pending, stale), seed, config hash, output and log paths, the error of a\n"
               "failed point, every varied key (with its unit in the header) and the outcomes of\n"
               "each output (per population rate, CV of ISI, spikes; synaptic events; chemistry).\n"
               "Points that are not done keep their row, with empty outcomes. pandas:\n"
               "  pd.read_csv('table.csv', float_precision='round_trip')\n"
               "  (h5: docs/sweeps.md). Exit 0 (1 with --require-complete and an unfinished "
               "point).\n"
               "For courses with [outcomes] (a virtual trial) it also summarises each arm: "
               "response and\n"
               "remission with Wilson 95 % intervals, Kaplan-Meier days to response, remission "
               "and\n"
               "relapse, the mean rating week by week; printed, and written beside the first table "
               "as\n"
               "NAME_arms.csv and NAME_km.csv (docs/model/outcomes.md).\n\n"
            << opts;
        return 0;
    }
    if (where.empty()) throw po::error("collect needs a sweep directory or its manifest.tsv");
    const sweep::Manifest m = sweep::read_manifest(where);
    if (outputs.empty()) outputs.push_back((fs::path(m.dir) / "table.csv").string());
    for (const auto& o : outputs) {
        const auto ext = fs::path(o).extension();
        if (ext != ".csv" && ext != ".h5" && ext != ".hdf5") {
            throw input_error("-o " + o + ": unknown table format '" + ext.string() +
                              "'; allowed: .csv, .h5 (or .hdf5).");
        }
        const auto parent = fs::absolute(o).parent_path();
        if (!fs::is_directory(parent))
            throw input_error("-o " + o + ": the directory " + parent.string() +
                              " does not exist.");
        // Nothing is written before every output is known to be writable as a table: an
        // existing path must be a regular file, and never one of the sweep's own files (its
        // manifest, or anything under points/: a point's output, config or log).
        std::error_code ec;
        const auto st = fs::status(o, ec);
        if (fs::exists(st) && !fs::is_regular_file(st))
            throw input_error("-o " + o +
                              ": exists and is not a regular file (a directory or a "
                              "device); the table is written as a new or replaced file.");
        const fs::path target = fs::weakly_canonical(fs::absolute(o));
        const fs::path dir = fs::weakly_canonical(fs::absolute(m.dir));
        const fs::path rel = target.lexically_relative(dir);
        const std::string first = rel.empty() ? std::string() : rel.begin()->string();
        if (first == "points" || rel == "manifest.tsv")
            throw input_error("-o " + o + ": is one of the sweep's own files (" +
                              (dir / rel).string() + "); write the table beside them, e.g. " +
                              (dir / "table.csv").string() + ".");
    }
    if (std::isnan(min_baseline) || min_baseline == std::numeric_limits<double>::infinity())
        throw input_error("--min-baseline " + text::format_double(min_baseline) +
                          ": allowed is a finite rating (e.g. 15).");
    const sweep::Table t = sweep::collect_table(m, {timing});
    // The trial summary first: a bad --arm is refused before anything is written.
    std::optional<sweep::TrialSummary> trial;
    if (sweep::has_clinical_outcomes(t) && t.count("done") > 0) {
        trial = sweep::summarize_trial(t, m.axes, {arm, min_baseline});
    } else {
        // Trial options on a sweep without clinical outcomes are a mistake, not something to
        // ignore; before any point is done they cannot be judged yet (a progress collect).
        std::string option;
        if (!arm.empty()) {
            option = "--arm " + arm;
        } else if (min_baseline > -std::numeric_limits<double>::infinity()) {
            option = "--min-baseline " + text::format_double(min_baseline);
        }
        if (!option.empty() && t.count("done") == 0) {
            if (!quiet)
                std::fprintf(stderr,
                             "collect: note: no point of %s is done yet; %s applies to the trial "
                             "summary once points are done.\n",
                             m.dir.c_str(), option.c_str());
        } else if (!option.empty()) {
            throw input_error(option +
                              ": the table has no clinical outcomes (courses with [outcomes]); "
                              "--arm and --min-baseline apply to trials only.");
        }
    }
    for (const auto& o : outputs)
        sweep::write_table(t, o, m.sweep_hash());
    std::vector<std::string> trial_files;
    std::string report;
    if (trial) {
        report = sweep::trial_report(*trial);
        const fs::path first(outputs.front());
        const std::string stem = (first.parent_path() / first.stem()).string();
        sweep::write_file_atomically(stem + "_arms.csv", sweep::trial_arms_csv(*trial));
        sweep::write_file_atomically(stem + "_km.csv", sweep::trial_km_csv(*trial));
        trial_files = {stem + "_arms.csv", stem + "_km.csv"};
    }
    const std::size_t done = t.count("done");
    if (!quiet) {
        std::printf("%zu points: %zu done", t.rows, done);
        for (const char* s : {"failed", "interrupted", "running", "stale", "pending"}) {
            if (t.count(s)) std::printf(", %zu %s", t.count(s), s);
        }
        std::printf("; %zu columns\n", t.columns.size());
        const auto* status = t.find("status");
        const auto* log = t.find("log");
        for (std::size_t r = 0; r < t.rows; ++r) {
            if (status->strings[r] == "failed") {
                std::printf("  point %zu failed; log: %s\n", r,
                            fs::absolute(m.path(log->strings[r])).c_str());
            }
        }
        std::printf("%s", report.c_str());
        for (const auto& o : outputs)
            std::printf("wrote %s\n", fs::absolute(o).c_str());
        for (const auto& o : trial_files)
            std::printf("wrote %s\n", fs::absolute(o).c_str());
    }
    // A locked flip-flop is not a result to average over unnoticed: said even with -q.
    if (const auto* locked = t.find("sleep.locked"); locked && locked->numeric) {
        const auto* point = t.find("point");
        std::string points;
        std::size_t n = 0;
        for (std::size_t r = 0; r < t.rows; ++r) {
            if (locked->numbers[r] > 0.5) {
                const auto p = point && point->numeric
                                   ? static_cast<unsigned long long>(point->numbers[r])
                                   : static_cast<unsigned long long>(r);
                points += (n++ ? ", " : "") + std::to_string(p);
            }
        }
        if (n > 0)
            std::fprintf(stderr,
                         "collect: warning: %zu point(s) slept %.0f h or more in a row (column "
                         "sleep.locked): their sleep-wake flip-flop locked, and what follows is "
                         "not sleep (docs/model/circuit.md, \"A locked flip-flop\"); points: "
                         "%s\n",
                         n, sleep_lock_after_h, points.c_str());
    }
    return complete && done != t.rows ? 1 : 0;
}

}  // namespace neurochem::app

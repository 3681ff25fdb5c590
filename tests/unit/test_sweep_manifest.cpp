// The sweep directory: manifest round trip and damage, planning into an existing directory, the
// state of a point from its files and what happens next, and the results table of a partial
// sweep (missing and failed points are rows with their state, not dropped).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "io/h5.hpp"
#include "neurochem/errors.hpp"
#include "sweep/manifest.hpp"
#include "sweep/status.hpp"
#include "sweep/table.hpp"
#include "test_util.hpp"
#include "util/sha256.hpp"

using namespace neurochem;
using namespace neurochem::sweep;
namespace fs = std::filesystem;

namespace {
const std::string base = neurochem::test::source_path("tests/data/brunel_small.ini");
const char* body = "replicates = 2\n[grid]\npoisson.ext_E.rate = 15 Hz, 20 Hz\n";

Plan plan(const std::string& b = body) {
    const Spec s = parse_spec_text("[sweep]\nconfig = " + base + "\n" + b, "/tmp/s.ini");
    return expand(s, read_base_config(s));
}

/// A minimal neurochem output: /@magic, /provenance@config_hash, /provenance/config
/// (`config_text`; none if empty) and a summary.
void fake_output(const std::string& path, const std::string& hash, double rate_E,
                 const std::string& config_text = "") {
    h5::Handle f(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    h5::attr_u32(f, "magic", 0x0A7A);
    h5::Handle p = h5::create_group(f, "provenance");
    h5::attr_string(p, "config_hash", hash);
    if (!config_text.empty()) h5::write_string_dataset(p, "config", config_text);
    h5::Handle s = h5::create_group(f, "summary");
    h5::attr_u64(s, "synaptic_events", 1000000);
    h5::attr_double(s, "simulated_ms", 100);
    for (const char* pop : {"E", "I"}) {
        h5::Handle g = h5::create_group(s, pop);
        h5::attr_double(g, "mean_rate_Hz", rate_E);
        h5::attr_double(g, "mean_cv_isi", 0.5);
        h5::attr_u64(g, "spikes", 42);
    }
}

std::string read(const std::string& path) {
    std::ifstream f(path);
    return {std::istreambuf_iterator<char>(f), {}};
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const input_error& e) {
        return e.what();
    }
    return "no error";
}
#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)
}  // namespace

TEST(SweepManifest, RoundTrip) {
    const auto dir = test::scratch_dir("manifest_round_trip");
    const Plan p = plan();
    const Manifest m = prepare_sweep_dir(p, dir, "spec text");
    EXPECT_EQ(read(dir + "/spec.ini"), "spec text");
    const Manifest r = read_manifest(dir);
    EXPECT_EQ(read_manifest(dir + "/manifest.tsv").rows.size(), 4u);
    EXPECT_EQ(r.axes, (std::vector<std::string>{"poisson.ext_E.rate"}));
    ASSERT_EQ(r.rows.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(r.rows[i].point, i);
        EXPECT_EQ(r.rows[i].seed, p.points[i].seed);
        EXPECT_EQ(r.rows[i].replicate, i % 2);
        EXPECT_EQ(r.rows[i].config_hash, p.points[i].config_hash);
        EXPECT_EQ(r.rows[i].values, p.points[i].values);
        EXPECT_EQ(r.rows[i].output, "points/000" + std::to_string(i) + "/out.h5");
        // The frozen config of each point is there and is the point's resolved config.
        EXPECT_NE(read(r.path(r.rows[i].config)).find(p.points[i].config_text), std::string::npos);
    }
    EXPECT_EQ(r.sweep_hash(), p.sweep_hash);
    EXPECT_EQ(r.meta.at("sweep_hash"), p.sweep_hash);
    EXPECT_EQ(r.meta.at("seeds"), "per_point");
    // The manifest reads as a table: a header and tab-separated rows after '#' comments.
    const std::string text = read(dir + "/manifest.tsv");
    EXPECT_HAS(text,
               "\npoint\tsample\treplicate\tseed\tconfig_hash\tconfig\toutput\tlog\tpoisson.ext_E."
               "rate\n0\t0\t0\t");
}

TEST(SweepManifest, PlanningIntoAnExistingDirectory) {
    const auto dir = test::scratch_dir("manifest_existing");
    prepare_sweep_dir(plan(), dir, "");
    const auto mtime = fs::last_write_time(dir + "/manifest.tsv");
    // The same plan again: accepted, nothing rewritten; a lost point config is restored.
    fs::remove(dir + "/points/0001/config.ini");
    EXPECT_NO_THROW(prepare_sweep_dir(plan(), dir, ""));
    EXPECT_EQ(fs::last_write_time(dir + "/manifest.tsv"), mtime);
    EXPECT_TRUE(fs::exists(dir + "/points/0001/config.ini"));
    // Another plan: refused, naming the directory.
    EXPECT_HAS(error_of([&] { prepare_sweep_dir(plan("replicates = 3\n"), dir, ""); }),
               dir + " holds a sweep planned from a different spec or base config (4 points");
    // A directory that is not a sweep directory is not used.
    const auto other = test::scratch_dir("manifest_other");
    std::ofstream(other + "/precious.txt") << "data";
    EXPECT_HAS(error_of([&] { prepare_sweep_dir(plan(), other, ""); }),
               "exists and is not a sweep directory");
    EXPECT_EQ(read(other + "/precious.txt"), "data");
}

TEST(SweepManifest, DamageIsReportedWithFileAndLine) {
    const auto dir = test::scratch_dir("manifest_damage");
    prepare_sweep_dir(plan(), dir, "");
    const std::string path = dir + "/manifest.tsv";
    const std::string good = read(path);
    std::string bad = good;
    bad.replace(
        bad.rfind("\t15 Hz") == std::string::npos ? bad.rfind("\t20 Hz") : bad.rfind("\t15 Hz"), 0,
        "\textra");
    std::ofstream(path) << bad;
    EXPECT_HAS(error_of([&] { read_manifest(dir); }),
               " fields, but the header has 9 (a damaged manifest?)");
    std::ofstream(path) << good.substr(0, good.rfind("\n3\t") + 1);
    EXPECT_HAS(error_of([&] { read_manifest(dir); }),
               "lists 3 points but says points = 4 (a truncated manifest?)");
    std::ofstream(path) << "a\tb\n";
    EXPECT_HAS(error_of([&] { read_manifest(dir); }),
               "manifest.tsv:1: not a neurochem sweep manifest");
    EXPECT_HAS(error_of([&] { read_manifest(dir + "/nothing"); }), "no such sweep manifest");
    // Paths outside the sweep directory (issue 15: `sweep --local` overwrote ../victim.txt).
    for (const char* hostile : {"../victim.txt", "/etc/passwd", "points/0001/out.h5"}) {
        std::string edited = good;
        edited.replace(edited.find("points/0000/out.h5"), std::string("points/0000/out.h5").size(),
                       hostile);
        std::ofstream(path) << edited;
        EXPECT_HAS(error_of([&] { read_manifest(dir); }), "point 0 names the files");
    }
    // Values and hashes are re-validated (issue 15: collect accepted 'banana' as a rate).
    const std::vector<std::pair<std::string, std::string>> forged = {
        {"\t15 Hz", "\tbanana"},
        {"\t15 Hz", "\t15 mV"},
        {"\t15 Hz", "\t-3 Hz"},
    };
    for (const auto& [from, to] : forged) {
        std::string edited = good;
        edited.replace(edited.find(from), from.size(), to);
        std::ofstream(path) << edited;
        const std::string e = error_of([&] { read_manifest(dir); });
        EXPECT_HAS(e,
                   "poisson.ext_E.rate = '" + to.substr(1) + "' is not a valid value of that key");
        EXPECT_HAS(e, "(a manifest edited by hand?)");
    }
    {
        std::string edited = good;
        const auto tab = edited.find('\t', edited.find("\n0\t0\t0\t") + 7);  // after the seed
        edited.replace(tab + 1, 64, std::string(64, 'Z'));
        std::ofstream(path) << edited;
        EXPECT_HAS(error_of([&] { read_manifest(dir); }), "is not a SHA-256");
    }
    std::ofstream(path) << good;
    EXPECT_EQ(read_manifest(dir).rows.size(), 4u);
}

TEST(SweepManifest, PointLists) {
    EXPECT_EQ(parse_point_list("0-2,5,4", 8), (std::vector<std::size_t>{0, 1, 2, 4, 5}));
    EXPECT_EQ(parse_point_list("3", 8), (std::vector<std::size_t>{3}));
    EXPECT_HAS(error_of([] { parse_point_list("0-9", 8); }),
               "point 9 does not exist (the sweep has points 0 to 7)");
    EXPECT_HAS(error_of([] { parse_point_list("a", 8); }), "'a' is not a point number or range");
    EXPECT_HAS(error_of([] { parse_point_list("5-2", 8); }), "the range '5-2' is empty");
}

// What a point's files say, and what a re-run does with it.
TEST(SweepState, FromThePointsFiles) {
    const auto dir = test::scratch_dir("sweep_state");
    const Manifest m = prepare_sweep_dir(plan(), dir, "");
    auto state = [&](std::size_t i) { return inspect_point(m, m.rows[i]); };
    EXPECT_EQ(state(0).state, PointState::pending);
    EXPECT_EQ(next_action(state(0)), Action::run);
    // A complete output of the point's config: done, skipped.
    fake_output(m.path(m.rows[0].output), m.rows[0].config_hash, 5);
    EXPECT_EQ(state(0).state, PointState::done);
    EXPECT_EQ(next_action(state(0)), Action::skip);
    // An output of another config: stale, run again.
    fake_output(m.path(m.rows[1].output), m.rows[0].config_hash, 5);
    EXPECT_EQ(state(1).state, PointState::stale);
    EXPECT_HAS(state(1).detail, "holds config " + m.rows[0].config_hash.substr(0, 12));
    EXPECT_EQ(next_action(state(1)), Action::run);
    // Not an output at all: stale too.
    std::ofstream(m.path(m.rows[2].output)) << "not hdf5";
    EXPECT_EQ(state(2).state, PointState::stale);
    // The status file of a failed attempt, and its round trip.
    StatusRecord rec{
        "failed", 1, 2, "node7", 1234, "2026-01-01T00:00:00Z", "injected fault\nat step 3", ""};
    write_status(status_path(m, m.rows[3]), rec);
    const StatusRecord back = read_status(status_path(m, m.rows[3]));
    EXPECT_EQ(back.state, "failed");
    EXPECT_EQ(back.exit_code, 1);
    EXPECT_EQ(back.attempt, 2u);
    EXPECT_EQ(back.host, "node7");
    EXPECT_EQ(back.pid, 1234);
    EXPECT_EQ(back.message, "injected fault at step 3");
    EXPECT_EQ(state(3).state, PointState::failed);
    EXPECT_EQ(next_action(state(3)), Action::run);
    rec.state = "running";
    write_status(status_path(m, m.rows[3]), rec);
    EXPECT_EQ(state(3).state, PointState::running);
    // "done" but the output has gone: failed, with the reason.
    rec.state = "done";
    write_status(status_path(m, m.rows[3]), rec);
    EXPECT_EQ(state(3).state, PointState::failed);
    EXPECT_HAS(state(3).detail, "is missing");
    // "interrupted" without a checkpoint left: failed too (a checkpoint makes it resume; tested
    // with real checkpoints in tests/integration/test_sweep.cpp).
    rec.state = "interrupted";
    write_status(status_path(m, m.rows[3]), rec);
    EXPECT_EQ(state(3).state, PointState::failed);
}

// collect on a partial sweep: every point is a row; outcomes only for done points.
TEST(SweepCollect, PartialSweepKeepsEveryPoint) {
    const auto dir = test::scratch_dir("sweep_collect");
    const Plan p = plan();
    const Manifest m = prepare_sweep_dir(p, dir, "");
    fake_output(m.path(m.rows[0].output), m.rows[0].config_hash, 5.5, p.points[0].config_text);
    fake_output(m.path(m.rows[3].output), m.rows[3].config_hash, 7.25, p.points[3].config_text);
    write_status(status_path(m, m.rows[1]), {"failed", 1, 1, "h", 1, "t", "it broke, badly", ""});
    const Table t = collect_table(m);
    ASSERT_EQ(t.rows, 4u);
    const Column* status = t.find("status");
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(status->strings, (std::vector<std::string>{"done", "failed", "pending", "done"}));
    EXPECT_EQ(t.count("done"), 2u);
    const Column* rate = t.find("E.rate [Hz]");
    ASSERT_NE(rate, nullptr);
    EXPECT_EQ(rate->numbers[0], 5.5);
    EXPECT_TRUE(std::isnan(rate->numbers[1]));
    EXPECT_TRUE(std::isnan(rate->numbers[2]));
    EXPECT_EQ(rate->numbers[3], 7.25);
    const Column* axis = t.find("poisson.ext_E.rate [Hz]");
    ASSERT_NE(axis, nullptr);
    EXPECT_TRUE(axis->numeric);
    EXPECT_EQ(axis->numbers, (std::vector<double>{15, 15, 20, 20}));
    EXPECT_EQ(t.find("error")->strings[1], "it broke, badly");
    EXPECT_EQ(t.find("log")->strings[1], "points/0001/log.txt");
    EXPECT_NE(t.find("synaptic_events"), nullptr);
    EXPECT_EQ(t.find("wall_time [s]"), nullptr);  // only with --timing
    // CSV: header, quoted text with commas, empty fields for missing values, integers as such.
    const std::string csv = table_csv(t);
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "point,status,sample,replicate,seed,config_hash,output,log,error,poisson.ext_E.rate "
              "[Hz],E.rate [Hz],"
              "E.cv_isi,E.spikes,I.rate [Hz],I.cv_isi,I.spikes,synaptic_events,simulated [ms]");
    EXPECT_HAS(csv, "\n1,failed,0,1," + std::to_string(m.rows[1].seed) + "," +
                        m.rows[1].config_hash +
                        ",points/0001/out.h5,points/0001/log.txt,\"it broke, badly\",15,,,,,,,,\n");
    EXPECT_HAS(csv, ",5.5,0.5,42,5.5,0.5,42,1000000,100\n");
    // HDF5: one dataset per column, same rows; writing twice gives the same bytes.
    write_table(t, dir + "/t.h5", m.sweep_hash());
    write_table(t, dir + "/t2.h5", m.sweep_hash());
    EXPECT_EQ(read(dir + "/t.h5"), read(dir + "/t2.h5"));
    h5::Handle f(H5Fopen((dir + "/t.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    ASSERT_TRUE(f.valid());
    EXPECT_EQ(h5::read_u64s(f, "table/point"), (std::vector<std::uint64_t>{0, 1, 2, 3}));
    EXPECT_EQ(h5::read_doubles(f, "table/poisson.ext_E.rate"),
              (std::vector<double>{15, 15, 20, 20}));
    h5::Handle d(H5Dopen2(f, "table/E.rate", H5P_DEFAULT), H5Dclose);
    EXPECT_EQ(h5::read_attr_string(d, "units"), "Hz");
    EXPECT_HAS(error_of([&] { write_table(t, dir + "/t.xlsx", ""); }),
               "unknown table format '.xlsx'");
}

// A manifest edited by hand cannot put other seeds, values or hashes into a results table: the
// rows are checked against the sweep hash and against each done output's own config.
TEST(SweepCollect, RowsAreCheckedAgainstTheOutputsConfig) {
    const auto dir = test::scratch_dir("sweep_provenance");
    const Plan p = plan();
    const Manifest m = prepare_sweep_dir(p, dir, "");
    const std::string out0 = m.path(m.rows[0].output);
    fake_output(out0, m.rows[0].config_hash, 5.5, p.points[0].config_text);
    EXPECT_EQ(collect_table(m).count("done"), 1u);
    const std::string path = dir + "/manifest.tsv";
    const std::string good = read(path);
    const std::string row0 = "\n0\t0\t0\t" + std::to_string(m.rows[0].seed) + "\t";
    ASSERT_NE(good.find(row0), std::string::npos);
    auto edited = [&](const std::string& from, const std::string& to) {
        std::string e = good;
        e.replace(e.find(from), from.size(), to);
        std::ofstream(path) << e;
        return read_manifest(dir);
    };
    // Another seed, or another (valid) axis value, than the output was run with.
    Manifest bad = edited(row0, "\n0\t0\t0\t12345\t");
    std::string e = error_of([&] { collect_table(bad); });
    EXPECT_HAS(e,
               "manifest.tsv: 1 done point(s) are not what the manifest says (a manifest "
               "edited by hand?)");
    EXPECT_HAS(e, "\n  point 0 says seed 12345, but " + out0 + " was run with seed " +
                      std::to_string(m.rows[0].seed));
    bad = edited("\tpoints/0000/log.txt\t15 Hz", "\tpoints/0000/log.txt\t20 Hz");
    e = error_of([&] { collect_table(bad); });
    EXPECT_HAS(e,
               "point 0 says poisson.ext_E.rate = '20 Hz', but " + out0 + " was run with '15 Hz'");
    // The same value in other words is the same value.
    bad = edited("\tpoints/0000/log.txt\t15 Hz", "\tpoints/0000/log.txt\t0.015 kHz");
    EXPECT_EQ(collect_table(bad).count("done"), 1u);
    // Every mismatch is listed at once, not one per run.
    const std::string out3 = m.path(m.rows[3].output);
    fake_output(out3, m.rows[3].config_hash, 5.5, p.points[3].config_text);
    bad = edited(row0, "\n0\t0\t0\t12345\t");
    bad.rows[3].seed = 777;
    e = error_of([&] { collect_table(bad); });
    EXPECT_HAS(e, "2 done point(s) are not what the manifest says");
    EXPECT_HAS(e, "\n  point 3 says seed 777, but " + out3);
    fs::remove(out3);
    // A config hash swapped for another point's: the sweep hash no longer matches; and the
    // sweep hash line is required.
    EXPECT_HAS(error_of([&] { edited(m.rows[0].config_hash, m.rows[1].config_hash); }),
               "the points' config hashes give sweep hash");
    EXPECT_HAS(error_of([&] { edited("# sweep_hash = ", "# sweep_hash_gone = "); }),
               "has no '# sweep_hash = ...' line");
    std::ofstream(path) << good;
    // The output of an older version: its config has a key this schema does not know (it has
    // none of the keys added since, say). It is checked as written, not re-resolved.
    {
        std::string old_text = p.points[0].config_text;
        const auto sim = old_text.find("[simulation]\n");
        ASSERT_NE(sim, std::string::npos);
        old_text.insert(sim + 13, "retired_key = 3\n");
        Manifest older = read_manifest(dir);
        older.rows[0].config_hash = sha256_hex(old_text);
        older.meta["sweep_hash"] = older.sweep_hash();
        write_manifest(older);
        fake_output(out0, older.rows[0].config_hash, 5.5, old_text);
        EXPECT_EQ(collect_table(read_manifest(dir)).count("done"), 1u);
        std::ofstream(path) << good;
    }
    // An output whose config is not the one its hash names, or that has none.
    fake_output(out0, m.rows[0].config_hash, 5.5, p.points[1].config_text);
    EXPECT_HAS(error_of([&] { collect_table(m); }),
               "its /provenance/config hashes to " + m.rows[1].config_hash.substr(0, 12));
    fake_output(out0, m.rows[0].config_hash, 5.5);
    EXPECT_HAS(error_of([&] { collect_table(m); }), "has no /provenance/config");
}

// A "running" status stops a point from being started again only while the process it names
// is a task of this sweep: a pid taken over by another process, or a hand-made status file
// naming any live process, does not block the point.
TEST(SweepState, ARunningPointIsOneWhoseProcessRunsThisSweep) {
    if (!fs::exists("/proc/self/cmdline")) GTEST_SKIP() << "needs Linux's /proc";
    const auto dir = test::scratch_dir("sweep_running");
    const Manifest m = prepare_sweep_dir(plan(), dir, "");
    StatusRecord rec{"running", 0, 1, host_name(), static_cast<long>(getpid()), "t", "", ""};
    EXPECT_FALSE(runs_point_here(m, rec));  // this test binary is no sweep task
    rec.pid = 1;
    EXPECT_FALSE(runs_point_here(m, rec));  // init
    // A stand-in task: a shell whose command line is "sh -c ... sweep DIR --task 0", started in
    // `cwd`; killed and reaped when it goes out of scope (also when an assertion fails).
    struct Task {
        pid_t pid = -1;
        Task(const std::string& sweep_dir, const std::string& cwd) {
            pid = fork();
            if (pid == 0) {
                if (chdir(cwd.c_str()) != 0) _exit(126);
                execl("/bin/sh", "sh", "-c", "sleep 60; exit 0", "sweep", sweep_dir.c_str(),
                      "--task", "0", static_cast<char*>(nullptr));
                _exit(127);
            }
        }
        // Its command line is its own once exec has happened: wait for that, or for the child
        // to have ended (a failed exec), however long either takes (no time limit).
        bool started() {
            while (pid > 0) {
                std::ifstream f("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
                const std::string cmd{std::istreambuf_iterator<char>(f), {}};
                if (cmd.find("--task") != std::string::npos) return true;
                int status = 0;
                if (waitpid(pid, &status, WNOHANG) == pid)
                    pid = -1;  // exited: reaped here
                else
                    usleep(1000);
            }
            return false;
        }
        void stop() {
            if (pid <= 0) return;
            kill(pid, SIGKILL);
            int status = 0;
            waitpid(pid, &status, 0);
            pid = -1;
        }
        ~Task() { stop(); }
    };
    const fs::path abs = fs::absolute(dir);
    {
        Task task(abs.string(), "/");
        ASSERT_TRUE(task.started());
        rec.pid = task.pid;
        EXPECT_TRUE(runs_point_here(m, rec));
        rec.host = "another-host";
        EXPECT_FALSE(runs_point_here(m, rec));
        rec.host = host_name();
        rec.state = "failed";
        EXPECT_FALSE(runs_point_here(m, rec));
        rec.state = "running";
        task.stop();
        EXPECT_FALSE(runs_point_here(m, rec));  // gone
    }
    // The same directory named relative to the task's working directory, or through a symlink.
    const fs::path link = abs.parent_path() / "sweep_running_link";
    fs::remove(link);
    fs::create_directory_symlink(abs, link);
    for (const auto& [arg, cwd] : {std::pair{abs.filename().string(), abs.parent_path().string()},
                                   std::pair{link.string(), std::string("/")}}) {
        Task task(arg, cwd);
        ASSERT_TRUE(task.started());
        rec.pid = task.pid;
        EXPECT_TRUE(runs_point_here(m, rec)) << arg << " in " << cwd;
    }
    // A task of another sweep.
    Task elsewhere(test::scratch_dir("sweep_running_other"), "/");
    ASSERT_TRUE(elsewhere.started());
    rec.pid = elsewhere.pid;
    EXPECT_FALSE(runs_point_here(m, rec));
}

// The writer of manifests, point configs and collect's tables replaces regular files only: a
// FIFO or a directory under the name is refused and left as it was, with no temporary behind.
TEST(SweepManifest, AtomicWritesReplaceOnlyRegularFiles) {
    const auto dir = test::scratch_dir("atomic_write");
    write_file_atomically(dir + "/a.csv", "one");
    write_file_atomically(dir + "/a.csv", "two");
    EXPECT_EQ(read(dir + "/a.csv"), "two");
    ASSERT_EQ(mkfifo((dir + "/fifo.csv").c_str(), 0600), 0);
    fs::create_directories(dir + "/d.csv");
    for (const char* name : {"/fifo.csv", "/d.csv"}) {
        EXPECT_HAS(error_of([&] { write_file_atomically(dir + name, "x"); }),
                   "exists and is not a regular file");
    }
    EXPECT_TRUE(fs::is_fifo(dir + "/fifo.csv"));
    EXPECT_TRUE(fs::is_directory(dir + "/d.csv"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir))
        ++files;
    EXPECT_EQ(files, 3u);  // a.csv, fifo.csv, d.csv: no temporaries
}

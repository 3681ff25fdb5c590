// The command-line tool as a user meets it: exit codes, messages, and the output file.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/schema.hpp"
#include "io/h5.hpp"
#include "test_util.hpp"

using namespace neurochem;
namespace fs = std::filesystem;

namespace {
std::string write_file(const std::string& dir, const std::string& name, const std::string& text) {
    const std::string p = dir + "/" + name;
    std::ofstream(p) << text;
    return p;
}

const char* small = R"(
[simulation]
duration = 200 ms
[output]
rate_bin = 5 ms
[population.E]
model = lif_cuba_delta
size = 100
V_init = uniform(-70 mV, -56 mV)
[population.I]
model = lif_cuba_delta
size = 25
record_spikes = false
[projection.E->I]
rule = fixed_indegree
indegree = 10
weight = 0.5 mV
delay = 1.5 ms
receptor = exc
[poisson.bg]
target = E
receptor = exc
rate = 2 kHz
weight = 1 mV
)";
}  // namespace

TEST(Cli, VersionHelpAndUnknownCommand) {
    auto r = test::run_neurochem("--version");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("neurochem 0."), std::string::npos);
    EXPECT_NE(r.output.find("git revision"), std::string::npos);
    // A build-tree binary uses the data files of its source tree (installed: tests/install).
    EXPECT_NE(r.output.find("build tree: binary "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("data " NEUROCHEM_SOURCE_DIR), std::string::npos) << r.output;
    r = test::run_neurochem("--help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("config-reference"), std::string::npos);
    r = test::run_neurochem("frobnicate");
    EXPECT_EQ(r.exit_code, 2);
    r = test::run_neurochem("run --threads 0");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("--threads 0: must be at least 1"), std::string::npos) << r.output;
    // A config that is a device or directory, or an include of one, is refused (issue 15:
    // /dev/zero grew memory without bound).
    for (const char* bad : {"/dev/zero", "/dev/urandom", "/tmp"}) {
        r = test::run_neurochem(std::string("check ") + bad);
        EXPECT_EQ(r.exit_code, 2) << bad;
        EXPECT_NE(r.output.find(std::string(bad) + ": is not a regular file"), std::string::npos)
            << r.output;
    }
    const std::string inc = test::scratch_dir("cli_include_device") + "/inc.ini";
    std::ofstream(inc) << "[include]\nfiles = /dev/zero\n";
    r = test::run_neurochem("check " + inc);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("/dev/zero: is not a regular file"), std::string::npos) << r.output;
    // Outputs that are not neurochem's own files are never replaced (issue 15: `-o /dev/null`
    // as root replaced the device node; `-o CONFIG` overwrote the config). A FIFO stands in for
    // a device here.
    {
        const std::string d = test::scratch_dir("cli_hostile_outputs");
        const std::string cfg = d + "/model.ini", notes = d + "/notes.txt", fifo = d + "/pipe";
        std::ofstream(cfg)
            << "[population.E]\nmodel = lif_coba\nsize = 10\n[simulation]\nduration = 10 ms\n";
        std::ofstream(notes) << "my notes\n";
        ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
        const std::pair<std::string, std::string> cases[] = {
            {fifo, "is not a regular file"},
            {cfg, "exists and is not a neurochem output file"},
            {notes, "exists and is not a neurochem output file"},
            {"''", "-o '': an empty file name"}};
        for (const auto& [out, why] : cases) {
            r = test::run_neurochem("run " + cfg + " -q -o " + out);
            EXPECT_EQ(r.exit_code, 2) << out;
            EXPECT_NE(r.output.find(why), std::string::npos) << r.output;
        }
        EXPECT_TRUE(std::filesystem::is_fifo(fifo));
        std::ifstream n(notes);
        EXPECT_EQ(std::string((std::istreambuf_iterator<char>(n)), {}), "my notes\n");
        // A neurochem output is replaced as before.
        ASSERT_EQ(test::run_neurochem("run " + cfg + " -q -o " + d + "/out.h5").exit_code, 0);
        r = test::run_neurochem("run " + cfg + " -q -o " + d + "/out.h5");
        EXPECT_EQ(r.exit_code, 0) << r.output;
    }
    // Absurd thread counts are refused before anything is built (issue 15: 10^5 crashed).
    for (const char* n : {"100000", "10000"}) {
        r = test::run_neurochem("run " + test::source_path("configs/coba.ini") +
                                " -o x.h5 --threads " + n);
        EXPECT_EQ(r.exit_code, 2) << n;
        EXPECT_NE(r.output.find(std::string("--threads ") + n + " is more than"), std::string::npos)
            << r.output;
    }
    r = test::run_neurochem("run --no-such-option");
    EXPECT_EQ(r.exit_code, 2);
}

TEST(Cli, CheckPrintsTheResolvedConfigAndHash) {
    const auto r = test::run_neurochem("check " + test::source_path("configs/brunel.ini") +
                                       " --set simulation.seed=9");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("# config_hash = "), std::string::npos);
    EXPECT_NE(r.output.find("seed = 9\n"), std::string::npos);
    EXPECT_NE(r.output.find("[poisson.ext_E]\n"), std::string::npos);
}

TEST(Cli, ConfigReferenceListsEveryKeyAndMatchesTheDocs) {
    const auto r = test::run_neurochem("config-reference");
    ASSERT_EQ(r.exit_code, 0);
    for (const auto& s : config::schema()) {
        for (const auto& k : s.keys)
            EXPECT_NE(r.output.find("  " + k.key + "\n"), std::string::npos) << k.key;
    }
    std::ifstream f(test::source_path("docs/config-reference.md"));
    const std::string doc((std::istreambuf_iterator<char>(f)), {});
    const auto b = doc.find("```text\n");
    const auto e = doc.rfind("```");
    ASSERT_NE(b, std::string::npos);
    EXPECT_EQ(doc.substr(b + 8, e - b - 8), r.output)
        << "docs/config-reference.md is out of date: run tools/gen-config-reference.sh";
}

// Bad input: exit code 2, a message naming file, key and value, and nothing written or lost.
TEST(Cli, BadConfigWritesNothingAndKeepsExistingOutput) {
    const auto dir = test::scratch_dir("cli_bad");
    std::string text = small;
    text.replace(text.find("size = 100"), 10, "size = 100 neurons");
    const auto cfg = write_file(dir, "bad.ini", text);
    const auto out = dir + "/out.h5";
    write_file(dir, "out.h5", "precious earlier result");
    for (const std::string& cmd : {"run " + cfg + " -o " + out, "check " + cfg}) {
        const auto r = test::run_neurochem(cmd);
        EXPECT_EQ(r.exit_code, 2) << r.output;
        EXPECT_NE(r.output.find(
                      "bad.ini:8: [population.E] size = '100 neurons': expected a whole number"),
                  std::string::npos)
            << r.output;
    }
    std::ifstream f(out);
    std::string content((std::istreambuf_iterator<char>(f)), {});
    EXPECT_EQ(content, "precious earlier result");
    EXPECT_FALSE(fs::exists(out + ".partial"));
    // A missing file, a bad override and a missing output directory are input errors too.
    EXPECT_EQ(test::run_neurochem("run " + dir + "/missing.ini -o " + out).exit_code, 2);
    EXPECT_EQ(test::run_neurochem("run " + write_file(dir, "ok.ini", small) + " -o " + out +
                                  " --set population.E.tau_m=3")
                  .exit_code,
              2);
    const auto r = test::run_neurochem("run " + dir + "/ok.ini -o " + dir + "/no/such/dir/x.h5");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
}

// The output file: SONATA header and layout, rates consistent with spikes, summary, provenance.
TEST(Cli, RunWritesTheDocumentedOutputLayout) {
    const auto dir = test::scratch_dir("cli_run");
    const auto cfg = write_file(dir, "small.ini", small);
    const auto out = dir + "/small.h5";
    const auto r = test::run_neurochem("run " + cfg + " -o " + out + " --threads 2 --seed 3");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("output: " + fs::absolute(out).string()), std::string::npos)
        << r.output;
    ASSERT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out + ".partial"));

    h5::quiet_errors();
    h5::Handle f(H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    ASSERT_TRUE(f.valid());
    EXPECT_EQ(h5::read_attr_u64(f, "magic"), 0x0A7Au);
    h5::Handle spikes = h5::open_group(f, "spikes/E");
    const auto ts = h5::read_doubles(spikes, "timestamps");
    const auto ids = h5::read_u64s(spikes, "node_ids");
    ASSERT_EQ(ts.size(), ids.size());
    ASSERT_GT(ts.size(), 100u);
    EXPECT_TRUE(std::is_sorted(ts.begin(), ts.end()));
    for (auto id : ids)
        ASSERT_LT(id, 100u);
    {
        h5::Handle d(H5Dopen2(spikes, "timestamps", H5P_DEFAULT), H5Dclose);
        EXPECT_EQ(h5::read_attr_string(d, "units"), "ms");
        h5::Handle a(H5Aopen(spikes, "sorting", H5P_DEFAULT), H5Aclose);
        h5::Handle t(H5Aget_type(a), H5Tclose);
        ASSERT_EQ(H5Tget_class(t), H5T_ENUM);
        std::uint8_t v = 0;
        H5Aread(a, t, &v);
        char name[32];
        H5Tenum_nameof(t, &v, name, sizeof name);
        EXPECT_STREQ(name, "by_time");
    }
    EXPECT_FALSE(h5::exists(f, "spikes/I"));  // record_spikes = false

    // Rates: 40 bins of 5 ms; their sum times the bin width and size gives the spike count.
    h5::Handle summary = h5::open_group(f, "summary/E");
    const auto spikes_E = h5::read_attr_u64(summary, "spikes");
    EXPECT_EQ(spikes_E, ts.size());
    const auto rates = h5::read_doubles(f, "rates/E");
    ASSERT_EQ(rates.size(), 40u);
    double count = 0;
    for (double x : rates)
        count += x * 0.005 * 100;
    EXPECT_NEAR(count, static_cast<double>(spikes_E), 1e-6);
    EXPECT_EQ(h5::read_doubles(f, "rates/I").size(), 40u);
    EXPECT_NEAR(h5::read_attr_double(summary, "mean_rate_Hz"), spikes_E / (100 * 0.2), 1e-9);

    h5::Handle prov = h5::open_group(f, "provenance");
    EXPECT_EQ(h5::read_attr_u64(prov, "seed"), 3u);
    EXPECT_EQ(h5::read_attr_u64(prov, "threads"), 2u);
    EXPECT_EQ(h5::read_attr_string(prov, "config_hash").size(), 64u);
    const auto text = h5::read_string_dataset(prov, "config");
    EXPECT_NE(text.find("seed = 3\n"), std::string::npos);
    EXPECT_NE(h5::read_attr_string(prov, "git_revision"), "");
}

// The main job runs without a config file: both arms from the embedded configs (compressed
// here: a tenth of the scale, short windows, 4-hour steps, 17 days = burn-in, baseline and one
// week), then the weekly table of both arms and the PNG.
TEST(Cli, MainJobRunsBothArmsAndWritesTheWeeklyTable) {
    const auto dir = test::scratch_dir("cli_default");
    // Checkpoints an interrupted main job left: moved aside (the main job starts afresh), kept.
    fs::create_directories(dir + "/d.checkpoints");
    std::ofstream(dir + "/d.checkpoints/ckpt_00000000000100.h5") << "old";
    const std::string compressed =
        " --set simulation.duration=17days --set simulation.scale=0.1 "
        "--set protocol.window=20ms --set protocol.settle=10ms --set protocol.slow_step=4h";
    const auto r = test::run_neurochem("run -o " + dir + "/d.h5" + compressed);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir + "/d.h5"));
    EXPECT_TRUE(fs::exists(dir + "/d_untreated.h5"));
    EXPECT_TRUE(fs::exists(dir + "/d.png")) << r.output;
    EXPECT_NE(r.output.find("note: moved the checkpoints of an earlier main job to " + dir +
                            "/d.checkpoints.old-"),
              std::string::npos)
        << r.output;
    bool kept = false;
    for (const auto& e : fs::directory_iterator(dir))
        kept = kept || (e.path().filename().string().rfind("d.checkpoints.old-", 0) == 0 &&
                        fs::exists(e.path() / "ckpt_00000000000100.h5"));
    EXPECT_TRUE(kept);
    EXPECT_NE(r.output.find("arm escitalopram:"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("arm untreated:"), std::string::npos) << r.output;
    std::ifstream csv(dir + "/d_weekly.csv");
    std::string line;
    std::vector<std::string> lines;
    while (std::getline(csv, line))
        lines.push_back(line);
    ASSERT_EQ(lines.size(), 5u);  // header, baseline and week 1 of each arm
    EXPECT_EQ(lines[0].rfind("arm,week,DRN [Hz]", 0), 0u);
    EXPECT_EQ(lines[2].rfind("escitalopram,1.0", 0), 0u);
    EXPECT_EQ(lines[4].rfind("untreated,1.0", 0), 0u);
    // The untreated arm has no drug: its SERT occupancy cell is empty.
    EXPECT_NE(lines[4].find(",,"), std::string::npos);
    // Week 1 of the treated arm from its /slow rows: sleep and amygdala output are the means of
    // the daily readouts at the ends of the week's days, the score the rating at its end.
    {
        auto cells = [](const std::string& l) {
            std::vector<std::string> v;
            std::stringstream ss(l);
            for (std::string c; std::getline(ss, c, ',');)
                v.push_back(c);
            return v;
        };
        const auto head = cells(lines[0]), week1 = cells(lines[2]);
        auto value = [&](const std::string& name) {
            const auto at = std::find(head.begin(), head.end(), name);
            EXPECT_NE(at, head.end()) << name;
            return at == head.end() ? -1.0 : std::stod(week1[at - head.begin()]);
        };
        h5::Handle f(H5Fopen((dir + "/d.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
        const auto time = h5::read_doubles(f, "slow/time_h"),
                   sleep = h5::read_doubles(f, "slow/outcome/sleep"),
                   cea = h5::read_doubles(f, "slow/outcome/amygdala_response"),
                   rating = h5::read_doubles(f, "slow/outcome/rating");
        double z = 0, a = 0, score = -1;
        for (std::size_t i = 0; i < time.size(); ++i) {
            if (time[i] == 408) score = rating[i];  // week 1: hours 240-408 (days 10-16)
            if (time[i] <= 240 || time[i] > 408 || std::fmod(time[i], 24.0) != 0) continue;
            z += sleep[i] / 7;
            a += cea[i] / 7;
        }
        EXPECT_NEAR(value("sleep [h/day]"), z, 1e-5);
        EXPECT_NEAR(value("CeA [Hz]"), a, 1e-5);
        EXPECT_NEAR(value("score"), score, 1e-5);
        EXPECT_GT(z, 0);  // the compressed course sleeps in its first treated week
    }

    // With two cores the untreated arm ran in a second process (its log beside the outputs);
    // one after the other in this process (--arms-in-turn) both arms are the same, bit for bit.
    // (the main job's rule: at least two cores in the process's affinity mask)
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) >= 2) {
        EXPECT_TRUE(fs::exists(dir + "/d_untreated.log"));
        EXPECT_NE(r.output.find("in a second process"), std::string::npos) << r.output;
    }
    const auto turn = test::run_neurochem("run -q --arms-in-turn -o " + dir + "/t.h5" + compressed);
    ASSERT_EQ(turn.exit_code, 0) << turn.output;
    EXPECT_FALSE(fs::exists(dir + "/t_untreated.log"));
    for (const char* arm : {"", "_untreated"}) {
        const auto same =
            test::run_neurochem("compare " + dir + "/d" + arm + ".h5 " + dir + "/t" + arm + ".h5");
        EXPECT_EQ(same.exit_code, 0) << same.output;
    }
    const auto refused = test::run_neurochem(
        "run --arms-in-turn " + test::source_path("configs/limbic.ini") + " -o " + dir + "/x.h5");
    EXPECT_EQ(refused.exit_code, 2) << refused.output;
    EXPECT_NE(refused.output.find("--arms-in-turn is for the main job"), std::string::npos)
        << refused.output;
}

// The main job refuses, before running, a weekly-table path that is not a regular file.
TEST(Cli, MainJobRefusesANonRegularWeeklyTablePath) {
    const auto dir = test::scratch_dir("cli_main_refuse");
    fs::create_directories(dir + "/d_weekly.csv");
    const auto r = test::run_neurochem("run -q -o " + dir + "/d.h5");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("d_weekly.csv: exists and is not a regular file"), std::string::npos)
        << r.output;
    EXPECT_FALSE(fs::exists(dir + "/d.h5"));
    EXPECT_TRUE(fs::is_directory(dir + "/d_weekly.csv"));
}

// More threads than the OpenMP runtime allows: a clear error naming the limit, exit 2, no
// output (not a short team that would leave neurons without a thread).
TEST(Cli, ThreadsAboveTheOpenMPLimitAreRefused) {
    const auto dir = test::scratch_dir("cli_thread_limit");
    const auto r =
        test::run_neurochem("run -q " + test::source_path("configs/limbic.ini") + " -o " + dir +
                                "/t.h5 --threads 2 --set simulation.duration=10ms",
                            "OMP_THREAD_LIMIT=1");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(
        r.output.find("--threads 2 is more than the OpenMP thread limit 1 (OMP_THREAD_LIMIT)"),
        std::string::npos)
        << r.output;
    EXPECT_FALSE(fs::exists(dir + "/t.h5"));
    EXPECT_FALSE(fs::exists(dir + "/t.h5.partial"));
    // OMP_DYNAMIC may not shrink the team either: the run completes on 2 threads.
    const auto d =
        test::run_neurochem("run -q " + test::source_path("configs/limbic.ini") + " -o " + dir +
                                "/d.h5 --threads 2 --set simulation.duration=10ms",
                            "OMP_DYNAMIC=true");
    EXPECT_EQ(d.exit_code, 0) << d.output;
}

// Issue 15: a model that cannot fit is refused before anything is allocated (it ended in
// std::bad_alloc), with the numbers; runs beyond 2^53 steps and --keep outside 1-1000 are
// refused too; nothing is written.
TEST(Cli, ModelsThatCannotFitAndAbsurdRunOptionsAreRefused) {
    const auto dir = test::scratch_dir("cli_absurd");
    const std::string brunel = test::source_path("configs/brunel.ini");
    struct Case {
        std::string args, says;
    };
    for (const Case& c :
         {Case{"--set population.E.size=4294967295",
               "the model needs at least 4.31e+04 GB per rank (4.29e+09 neurons and 5.37e+12 "
               "expected synapses over 1 rank(s)), more than the "},
          Case{"--set 'simulation.duration=1e300 day'", "a run can count exactly"},
          Case{"--keep 0", "--keep 0: keep 1 to 1000 checkpoints"},
          Case{"--keep -1", "--keep 18446744073709551615: keep 1 to 1000"}}) {
        const auto r = test::run_neurochem("run -q " + brunel + " -o " + dir + "/t.h5 " + c.args);
        EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
        EXPECT_NE(r.output.find(c.says), std::string::npos) << r.output;
        EXPECT_EQ(r.output.find("bad_alloc"), std::string::npos) << r.output;
        EXPECT_FALSE(fs::exists(dir + "/t.h5"));
        EXPECT_FALSE(fs::exists(dir + "/t.h5.partial"));
    }
}

// Same config and seed on 1 and 2 threads: identical spike datasets in the files.
TEST(Cli, OutputFilesAreThreadInvariant) {
    const auto dir = test::scratch_dir("cli_threads");
    const auto cfg = write_file(dir, "small.ini", small);
    ASSERT_EQ(test::run_neurochem("run -q " + cfg + " -o " + dir + "/t1.h5 --threads 1").exit_code,
              0);
    ASSERT_EQ(test::run_neurochem("run -q " + cfg + " -o " + dir + "/t2.h5 --threads 2").exit_code,
              0);
    h5::Handle a(H5Fopen((dir + "/t1.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    h5::Handle b(H5Fopen((dir + "/t2.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    EXPECT_EQ(h5::read_doubles(a, "spikes/E/timestamps"),
              h5::read_doubles(b, "spikes/E/timestamps"));
    EXPECT_EQ(h5::read_u64s(a, "spikes/E/node_ids"), h5::read_u64s(b, "spikes/E/node_ids"));
    EXPECT_EQ(h5::read_doubles(a, "rates/I"), h5::read_doubles(b, "rates/I"));
}

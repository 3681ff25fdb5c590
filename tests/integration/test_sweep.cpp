// `neurochem sweep` and `neurochem collect` as a user meets them, on a tiny network (2500
// neurons, 50-100 ms: well under a second per point): dry runs that write nothing, local runs
// that isolate a crashing point, skip what is done, resume what left a checkpoint and keep a
// stale output aside; the job-array script; the results table read back (and by pandas).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "io/h5.hpp"
#include "test_util.hpp"

using namespace neurochem;
namespace fs = std::filesystem;

namespace {
std::string write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
    return path;
}
std::string read(const std::string& path) {
    std::ifstream f(path);
    return {std::istreambuf_iterator<char>(f), {}};
}
/// A spec of 3 rates x 2 replicates on tests/data/brunel_small.ini, 60 ms per point.
std::string tiny_spec(const std::string& dir, const std::string& extra = "") {
    return write_file(
        dir + "/tiny.ini",
        "# a tiny sweep\n[sweep]\nconfig = " + test::source_path("tests/data/brunel_small.ini") +
            "\nseed = 7\nreplicates = 2\n[set]\nsimulation.duration = 60 ms\n"
            "[grid]\npoisson.ext_E.rate = 15 Hz, 20 Hz, 25 Hz\n" +
            extra);
}
std::string state_of(const std::string& point_dir) {
    const std::string s = read(point_dir + "/status");
    const auto a = s.find("state = ");
    return a == std::string::npos ? "" : s.substr(a + 8, s.find('\n', a) - a - 8);
}
#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)
}  // namespace

TEST(Sweep, DryRunListsThePointsAndWritesNothing) {
    const auto dir = test::scratch_dir("sweep_dry");
    const auto spec = tiny_spec(dir);
    const auto r = test::run_neurochem("sweep " + spec + " --dir " + dir + "/s --dry-run");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(r.output, "sweep tiny: 6 points = 3 grid points x 2 replicates");
    EXPECT_HAS(r.output, "every point's config is valid (6 resolved, all distinct)");
    EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\n5 +1 +\d+ +25 Hz +pending\n)")))
        << r.output;
    EXPECT_HAS(r.output, "6 pending");
    EXPECT_HAS(r.output, "cost: unknown until a point has run");
    EXPECT_FALSE(fs::exists(dir + "/s"));
    // A bad axis value: exit code 2, the spec's line, the section, the key and the value, nothing
    // written.
    const auto bad = tiny_spec(dir, "poisson.ext_I.rate = 20 Hz, 20 mV\n");
    for (const std::string mode : {"--dry-run", "--local", "--slurm"}) {
        const auto e = test::run_neurochem("sweep " + bad + " --dir " + dir + "/s " + mode);
        EXPECT_EQ(e.exit_code, 2) << e.output;
        EXPECT_HAS(e.output,
                   "tiny.ini:10: [grid] poisson.ext_I.rate (value 2 of 2): [poisson.ext_I] rate = "
                   "'20 mV': "
                   "'mV' is a unit of a voltage, but a frequency or rate is needed");
        EXPECT_FALSE(fs::exists(dir + "/s"));
    }
    // A point that does not exist: refused before the sweep directory is created (issue 15).
    const auto good = tiny_spec(dir);
    for (const std::string mode : {"--local", "--slurm"}) {
        const auto e =
            test::run_neurochem("sweep " + good + " --dir " + dir + "/s " + mode + " --points 999");
        EXPECT_EQ(e.exit_code, 2) << e.output;
        EXPECT_HAS(e.output,
                   "--points 999: point 999 does not exist (the sweep has points 0 to 5)");
        EXPECT_FALSE(fs::exists(dir + "/s"));
    }
    // An empty --points (an unset shell variable) is refused, not taken as "every point"; a
    // device is no spec.
    const auto empty =
        test::run_neurochem("sweep " + good + " --dir " + dir + "/s --local --points ''");
    EXPECT_EQ(empty.exit_code, 2) << empty.output;
    EXPECT_HAS(empty.output, "--points is empty");
    EXPECT_FALSE(fs::exists(dir + "/s"));
    const auto under_file = test::run_neurochem("sweep " + good + " --dir " + good + "/s --local");
    EXPECT_EQ(under_file.exit_code, 2) << under_file.output;
    EXPECT_HAS(under_file.output, "is not a directory; choose another --dir");
    const auto dev = test::run_neurochem("sweep /dev/zero --dry-run");
    EXPECT_EQ(dev.exit_code, 2) << dev.output;
    EXPECT_HAS(dev.output, "/dev/zero: is not a regular file");
    EXPECT_EQ(test::run_neurochem("sweep " + spec).exit_code, 2);  // no mode
    EXPECT_EQ(test::run_neurochem("sweep " + spec + " --dry-run --local").exit_code, 2);
    const auto h = test::run_neurochem("sweep --help");
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_HAS(h.output, "--points-per-task");
}

// The documented maximum (10^7 points): --dry-run checks the first 10 000 points, lists the
// plan's two ends in seconds and bounded memory (it took > 10 min and 9 GB, issue 15) and
// writes nothing; the points it lists are the ones the full plan has (same seed and value as
// in a plan of 10 000 samples).
TEST(Sweep, DryRunOfTheLargestPlanIsBounded) {
    const auto dir = test::scratch_dir("sweep_dry_large");
    auto cohort = [&](const std::string& count) {
        return write_file(dir + "/c" + count + ".ini",
                          "[sweep]\nconfig = " + test::source_path("tests/data/brunel_small.ini") +
                              "\nseed = 3\n[sample]\ncount = " + count +
                              "\npoisson.ext_E.rate = uniform(10 Hz, 40 Hz)\n");
    };
    // 2 GB of address space is far below what building every point took.
    const auto big = test::run_neurochem("sweep " + cohort("10000000") + " --dir " + dir +
                                             "/s --dry-run --points 0-2,9999,9999990-9999999",
                                         "ulimit -v 2000000;");
    ASSERT_EQ(big.exit_code, 0) << big.output;
    EXPECT_HAS(big.output, "sweep c10000000: 10000000 points");
    EXPECT_HAS(big.output, "checked: the resolved configs of points 0-9999 are valid and distinct");
    EXPECT_HAS(big.output, "the other 9990000 are checked when the sweep is planned");
    EXPECT_HAS(big.output, "\n14 pending\n");
    EXPECT_TRUE(std::regex_search(big.output,
                                  std::regex(R"(\n9999999 +9999999 +\d+ +[0-9.]+ Hz +pending\n)")))
        << big.output;
    const auto all =
        test::run_neurochem("sweep " + cohort("10000000") + " --dir " + dir + "/s --dry-run");
    ASSERT_EQ(all.exit_code, 0) << all.output;
    EXPECT_HAS(all.output, "... 9999980 more points between these are not listed");
    const auto small = test::run_neurochem("sweep " + cohort("10000") + " --dir " + dir +
                                           "/t --dry-run --points 9999");
    ASSERT_EQ(small.exit_code, 0) << small.output;
    std::smatch a, b;
    const std::regex row(R"(\n(9999 +9999 +\d+ +[0-9.]+ Hz) +pending\n)");
    ASSERT_TRUE(std::regex_search(big.output, a, row)) << big.output;
    ASSERT_TRUE(std::regex_search(small.output, b, row)) << small.output;
    EXPECT_EQ(std::regex_replace(a[1].str(), std::regex(" +"), " "),
              std::regex_replace(b[1].str(), std::regex(" +"), " "));
    EXPECT_FALSE(fs::exists(dir + "/s"));
    EXPECT_FALSE(fs::exists(dir + "/t"));
}

// A crashing point is recorded as failed with its log; the others complete; a re-run runs only
// what is not done; collect marks the failed point instead of dropping it.
TEST(Sweep, LocalRunIsolatesFailuresAndRestartsIdempotently) {
    const auto dir = test::scratch_dir("sweep_local");
    const auto spec = tiny_spec(dir);
    const std::string sdir = dir + "/s";
    auto r = test::run_neurochem("sweep " + spec + " --dir " + sdir +
                                 " --local -j 2 --inject-fault 2:abort");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_HAS(r.output, "sweep: point 2 FAILED (signal 6): the process was killed by signal 6");
    EXPECT_HAS(r.output, "log: " + fs::absolute(sdir).string() + "/points/0002/log.txt");
    EXPECT_HAS(r.output, "5 done, 1 failed");
    EXPECT_EQ(state_of(sdir + "/points/0002"), "failed");
    for (int i : {0, 1, 3, 4, 5}) {
        EXPECT_TRUE(fs::exists(sdir + "/points/000" + std::to_string(i) + "/out.h5")) << i;
        EXPECT_HAS(read(sdir + "/points/000" + std::to_string(i) + "/log.txt"), "output: ");
    }
    // collect on the partial sweep: six rows, the failed one marked with its error.
    r = test::run_neurochem("collect " + sdir + " -o " + dir + "/partial.csv");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(r.output, "6 points: 5 done, 1 failed");
    const std::string partial = read(dir + "/partial.csv");
    EXPECT_TRUE(std::regex_search(
        partial, std::regex("\n2,failed,0,0,\\d+,[0-9a-f]{64},points/0002/out.h5,points/0002/"
                            "log.txt,the process was killed by signal 6 \\(Aborted\\),20,,")))
        << partial;
    EXPECT_EQ(test::run_neurochem("collect " + sdir + " -o " + dir + "/p.csv --require-complete")
                  .exit_code,
              1);

    // Again: only point 2 runs; done outputs are not touched.
    const auto before = fs::last_write_time(sdir + "/points/0000/out.h5");
    r = test::run_neurochem("sweep " + spec + " --dir " + sdir + " --local -j 2");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(r.output, "1 points to run (5 already done)");
    EXPECT_HAS(r.output, "sweep " + sdir + ": 6 done");
    EXPECT_EQ(fs::last_write_time(sdir + "/points/0000/out.h5"), before);
    EXPECT_EQ(state_of(sdir + "/points/0002"), "done");
    // A point config edited after planning is not run: failed, with the reason in its log.
    fs::remove(sdir + "/points/0005/out.h5");
    std::ofstream(sdir + "/points/0005/config.ini", std::ios::app)
        << "[poisson.extra]\ntarget = E\nreceptor = exc\n"
           "rate = 1 Hz\nweight = 0.1 mV\n";
    r = test::run_neurochem("sweep " + sdir + " --local");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_HAS(r.output, "points/0005/config.ini was changed after the sweep was planned");
    EXPECT_HAS(read(sdir + "/points/0005/log.txt"), "was changed after the sweep was planned");
    EXPECT_EQ(state_of(sdir + "/points/0005"), "failed");
    fs::remove(sdir + "/points/0005/config.ini");  // planning again restores it
    r = test::run_neurochem("sweep " + spec + " --dir " + sdir + " --local");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    // And again: nothing to do.
    r = test::run_neurochem("sweep " + sdir + " --local");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(r.output, "0 points to run (6 already done)");
    // The status of a directory.
    r = test::run_neurochem("sweep " + sdir);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(r.output, "6 done");

    // The table: numeric axis with its unit, outcomes, one row per point; .h5 holds the same.
    r = test::run_neurochem("collect " + sdir + " -o " + dir + "/t.csv -o " + dir + "/t.h5");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string csv = read(dir + "/t.csv");
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "point,status,sample,replicate,seed,config_hash,output,log,error,poisson.ext_E.rate "
              "[Hz],E.rate [Hz],"
              "E.cv_isi,E.spikes,I.rate [Hz],I.cv_isi,I.spikes,synaptic_events,simulated [ms]");
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
    EXPECT_EQ(csv.find("failed"), std::string::npos);
    // Outputs that would destroy data are refused before anything is written: a point's own
    // output (or anything under points/), and a directory named like a table (the .csv named
    // first is not written either); a rating threshold that is not a number.
    const std::string point_out = read(sdir + "/points/0000/out.h5");
    for (const std::string& bad :
         {sdir + "/points/0000/out.h5", dir + "/t_new.csv -o " + sdir + "/points/0001/x.csv"}) {
        const auto e = test::run_neurochem("collect " + sdir + " -o " + bad);
        EXPECT_EQ(e.exit_code, 2) << e.output;
        EXPECT_HAS(e.output, "is one of the sweep's own files");
    }
    EXPECT_EQ(read(sdir + "/points/0000/out.h5"), point_out);
    EXPECT_FALSE(fs::exists(dir + "/t_new.csv"));
    fs::create_directories(dir + "/dir.h5");
    r = test::run_neurochem("collect " + sdir + " -o " + dir + "/t_new.csv -o " + dir + "/dir.h5");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, "dir.h5: exists and is not a regular file");
    EXPECT_FALSE(fs::exists(dir + "/t_new.csv"));
    EXPECT_TRUE(fs::is_empty(dir + "/dir.h5"));
    r = test::run_neurochem("collect " + sdir + " -o " + dir + "/t_new.csv --min-baseline nan");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, "--min-baseline nan: allowed is a finite rating");
    // Trial options on a sweep without clinical outcomes are refused, not ignored.
    r = test::run_neurochem("collect " + sdir + " -o " + dir + "/t_new.csv --min-baseline 15");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, "the table has no clinical outcomes");
    EXPECT_FALSE(fs::exists(dir + "/t_new.csv"));
    h5::Handle f(H5Fopen((dir + "/t.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    ASSERT_TRUE(f.valid());
    EXPECT_EQ(h5::read_doubles(f, "table/poisson.ext_E.rate"),
              (std::vector<double>{15, 15, 20, 20, 25, 25}));
    // The rates in the table are those of the outputs.
    h5::Handle o(H5Fopen((sdir + "/points/0004/out.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                 H5Fclose);
    h5::Handle g = h5::open_group(o, "summary/E");
    EXPECT_EQ(h5::read_doubles(f, "table/E.rate")[4], h5::read_attr_double(g, "mean_rate_Hz"));
    // Another spec into the same directory is refused.
    r = test::run_neurochem("sweep " + tiny_spec(dir, "poisson.ext_I.rate = 25 Hz\n") + " --dir " +
                            sdir + " --local");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_HAS(r.output, "holds a sweep planned from a different spec or base config");
}

// A point that stopped with a checkpoint resumes from it, with the same result as a run in one
// go; a stale output (another config) is kept aside, not overwritten.
TEST(Sweep, ResumesFromCheckpointsAndKeepsStaleOutputs) {
    const auto dir = test::scratch_dir("sweep_resume");
    const auto spec = tiny_spec(dir);
    const std::string sdir = dir + "/s";
    auto r = test::run_neurochem("sweep " + spec + " --dir " + sdir +
                                 " --local -j 2 --points 0-1 "
                                 "--checkpoint-every 20ms --inject-fault 1:450");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_HAS(r.output, "injected fault");
    EXPECT_TRUE(fs::exists(sdir + "/points/0001/out.checkpoints/ckpt_00000000000400.h5"));
    EXPECT_FALSE(fs::exists(sdir + "/points/0000/out.checkpoints"));  // removed once complete
    r = test::run_neurochem("sweep " + sdir + " --points 0-2");
    EXPECT_HAS(r.output, "failed (has a checkpoint)");
    // Point 3 holds the output of another config.
    fs::copy_file(sdir + "/points/0000/out.h5", sdir + "/points/0003/out.h5");
    r = test::run_neurochem("sweep " + sdir + " --local -j 2 --checkpoint-every 20ms");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    const std::string log1 = read(sdir + "/points/0001/log.txt");
    EXPECT_HAS(log1, "attempt 2: resume");
    EXPECT_HAS(log1, "resumed from " + fs::absolute(sdir).string() +
                         "/points/0001/out.checkpoints/ckpt_00000000000400.h5");
    EXPECT_FALSE(fs::exists(sdir + "/points/0001/out.checkpoints"));
    const auto ref =
        test::run_neurochem("run -q " + sdir + "/points/0001/config.ini -o " + dir + "/ref1.h5");
    ASSERT_EQ(ref.exit_code, 0) << ref.output;
    r = test::run_neurochem("compare " + dir + "/ref1.h5 " + sdir + "/points/0001/out.h5");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(r.output, "SAME bitwise");
    // The stale file was renamed, and point 3 was run.
    bool kept = false;
    for (const auto& e : fs::directory_iterator(sdir + "/points/0003"))
        kept |= e.path().filename().string().rfind("out.stale-", 0) == 0;
    EXPECT_TRUE(kept);
    EXPECT_EQ(state_of(sdir + "/points/0003"), "done");
    EXPECT_HAS(read(sdir + "/points/0003/log.txt"), "attempt 1: run");
}

// SIGTERM (or Ctrl-C) to a local sweep: the running points write a checkpoint and stop (exit
// code 3); the next run resumes them, with the result of an uninterrupted run.
TEST(Sweep, LocalRunStopsOnASignalAndResumes) {
    const auto dir = test::scratch_dir("sweep_stop");
    const std::string spec = write_file(
        dir + "/long.ini", "[sweep]\nconfig = " + test::source_path("tests/data/brunel_small.ini") +
                               "\nreplicates = 2\n[set]\nsimulation.duration = 3 s\n");
    const std::string sdir = dir + "/s";
    const std::string script =
        write_file(dir + "/stop.sh",
                   std::string(NEUROCHEM_EXE) + " sweep " + spec + " --dir " + sdir +
                       " --local -j 2 > " + dir + "/out.txt 2>&1 &\n" +
                       "p=$!\nfor i in $(seq 1 400); do\n  grep -q 'state = running' " + sdir +
                       "/points/0001/status 2> /dev/null && break\n  sleep 0.05\ndone\nsleep "
                       "0.3\nkill -TERM $p\nwait $p\n" +
                       "echo \"exit $?\" >> " + dir + "/out.txt\n");
    ASSERT_EQ(std::system(("bash " + script).c_str()), 0);
    const std::string out = read(dir + "/out.txt");
    EXPECT_HAS(out, "sweep: stopping: the running points write a checkpoint and stop");
    EXPECT_HAS(out, "2 interrupted");
    EXPECT_HAS(out, "exit 3");
    EXPECT_EQ(state_of(sdir + "/points/0000"), "interrupted");
    EXPECT_EQ(state_of(sdir + "/points/0001"), "interrupted");
    const auto r = test::run_neurochem("sweep " + sdir + " --local -j 2 -q");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(read(sdir + "/points/0000/log.txt"), "attempt 2: resume");
    ASSERT_EQ(
        test::run_neurochem("run -q " + sdir + "/points/0000/config.ini -o " + dir + "/ref.h5")
            .exit_code,
        0);
    EXPECT_EQ(
        test::run_neurochem("compare " + dir + "/ref.h5 " + sdir + "/points/0000/out.h5").exit_code,
        0);
}

// A point of an array task run in this process (what the job script does), and the script.
TEST(Sweep, SlurmScriptFollowsTheTemplate) {
    const auto dir = test::scratch_dir("sweep_slurm");
    const auto spec = tiny_spec(dir);
    const std::string sdir = fs::absolute(dir + "/s").string();
    auto r = test::run_neurochem(
        "sweep " + spec + " --slurm " + sdir +
        " --threads 2 --time '90 min' --mem 2G "
        "--points-per-task 2 --module gcc/12 --sbatch-option=--qos=short --max-parallel 2");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(
        r.output,
        "6 point(s) to run (6 pending) in 3 array task(s): --array=0-2%2 (2 points per task)");
    const std::string script = read(sdir + "/sweep_array.sbatch");
    const std::string tmpl = read(test::source_path("jobs/sweep_array.sbatch"));
    for (const char* line :
         {"#SBATCH --array=0-2%2\n", "#SBATCH --cpus-per-task=2\n", "#SBATCH --ntasks=1\n",
          "#SBATCH --time=01:30:00\n", "#SBATCH --mem=2G\n", "#SBATCH --qos=short\n",
          "#SBATCH --requeue\n", "#SBATCH --signal=B:USR1@120\n", "module load gcc/12\n",
          "POINTS_PER_TASK=${POINTS_PER_TASK:-\"2\"}\n"}) {
        EXPECT_HAS(script, line);
    }
    EXPECT_HAS(script, "SWEEP_DIR=${SWEEP_DIR:-\"" + sdir + "\"}\n");
    EXPECT_HAS(script, "#SBATCH --output=" + sdir + "/slurm/%x-%A_%a.log\n");
    // The rest of the script is the template's, line for line.
    const std::string body = tmpl.substr(tmpl.find("set -uo pipefail"));
    EXPECT_HAS(script, body.substr(body.find("export OMP_NUM_THREADS")));
    EXPECT_EQ(std::system(("bash -n " + sdir + "/sweep_array.sbatch").c_str()), 0);
    // Task 1 (points 2 and 3) run here, as an array task would.
    r = test::run_neurochem("sweep " + sdir + " --task 1 --points-per-task 2 --threads 1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(state_of(sdir + "/points/0002"), "done");
    EXPECT_EQ(state_of(sdir + "/points/0003"), "done");
    EXPECT_HAS(r.output,
               "point 2: done in");  // the task's log; the run's own output is in the point's
    EXPECT_HAS(read(sdir + "/points/0002/log.txt"),
               "==== neurochem sweep: point 2, attempt 1: run on ");
    // The script now covers the remaining tasks only; a bad --time is an input error.
    r = test::run_neurochem("sweep " + sdir + " --slurm --points-per-task 2");
    EXPECT_HAS(r.output, "--array=0,2 ");
    // A point that a SLURM job on another node runs (its status names the job) is not put into
    // a new script while squeue lists that job; once the job is gone it is. squeue is a stand-in
    // here that lists job 777_2 as running (and 778_1 as ended).
    const std::string bin = dir + "/bin";
    fs::create_directories(bin);
    write_file(bin + "/squeue", "#!/bin/sh\necho '777_2 RUNNING'\necho '778_1 COMPLETED'\n");
    fs::permissions(bin + "/squeue", fs::perms::owner_all);
    const std::string path = "PATH=" + bin + ":$PATH";
    for (const auto& [job, to_run] :
         {std::pair{"777_2", "3 point(s) to run"}, std::pair{"778_2", "4 point(s) to run"},
          std::pair{"777_2;touch_x", "4 point(s) to run"}}) {
        write_file(sdir + "/points/0004/status",
                   std::string("state = running\nexit_code = 0\nattempt = 1\nhost = "
                               "node-elsewhere\npid = 4242\nupdated = t\nmessage = \n"
                               "slurm_job = ") +
                       job + "\n");
        r = test::run_neurochem("sweep " + sdir + " --slurm --points-per-task 2", path);
        EXPECT_EQ(r.exit_code, 0) << r.output;
        EXPECT_HAS(r.output, to_run);
        if (std::string(job) == "777_2") {
            EXPECT_HAS(r.output, "point 4 is being run by SLURM job 777_2 (squeue lists it)");
        }
    }
    EXPECT_FALSE(fs::exists(dir + "/touch_x"));
    // A task that gets the point anyway (a second array submitted by hand) leaves it to the job
    // that runs it, and runs the task's other point.
    write_file(sdir + "/points/0004/status",
               "state = running\nexit_code = 0\nattempt = 1\nhost = node-elsewhere\npid = "
               "4242\nupdated = t\nmessage = \nslurm_job = 777_2\n");
    r = test::run_neurochem("sweep " + sdir + " --task 2 --points-per-task 2 --threads 1", path);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_HAS(r.output, "point 4: being run by SLURM job 777_2 (squeue lists it); left to it");
    EXPECT_EQ(state_of(sdir + "/points/0004"), "running");
    EXPECT_FALSE(fs::exists(sdir + "/points/0004/out.h5"));
    EXPECT_EQ(state_of(sdir + "/points/0005"), "done");
    fs::remove(sdir + "/points/0004/status");
    EXPECT_EQ(test::run_neurochem("sweep " + sdir + " --slurm --time soon").exit_code, 2);
    EXPECT_EQ(test::run_neurochem("sweep " + sdir + " --task 9").exit_code, 2);
}

// The documented pandas snippets read the tables (skipped without pandas and h5py).
TEST(Sweep, TablesReadWithPandas) {
    if (std::system("/usr/bin/python3 -c 'import pandas, h5py' 2> /dev/null") != 0) {
        GTEST_SKIP() << "needs /usr/bin/python3 with pandas and h5py (apt-get install "
                        "python3-pandas python3-h5py)";
    }
    const auto dir = test::scratch_dir("sweep_pandas");
    const std::string sdir = dir + "/s";
    ASSERT_EQ(test::run_neurochem("sweep " + tiny_spec(dir) + " --dir " + sdir +
                                  " --local -j 2 --points 0-3 -q")
                  .exit_code,
              0);
    ASSERT_EQ(
        test::run_neurochem("collect -q " + sdir + " -o " + dir + "/t.csv -o " + dir + "/t.h5")
            .exit_code,
        0);
    const std::string py = write_file(dir + "/read.py", R"(import sys, h5py, pandas as pd
d = sys.argv[1]
csv = pd.read_csv(d + "/t.csv", float_precision="round_trip")
with h5py.File(d + "/t.h5") as f:
    t = f["table"]
    h5 = pd.DataFrame({c: t[k].asstr()[()] if t[k].dtype.kind == "O" else t[k][()] for c, k in zip(t.attrs["columns"], t.attrs["datasets"])})
man = pd.read_csv(d + "/s/manifest.tsv", sep="\t", comment="#")
assert list(csv.columns) == list(h5.columns), (csv.columns, h5.columns)
assert len(csv) == len(h5) == len(man) == 6
assert list(csv["status"]) == ["done"] * 4 + ["pending"] * 2
assert csv["E.rate [Hz]"][:4].notna().all() and csv["E.rate [Hz]"][4:].isna().all()
assert (csv["E.rate [Hz]"][:4] == h5["E.rate [Hz]"][:4]).all()
assert list(man["poisson.ext_E.rate"]) == ["15 Hz", "15 Hz", "20 Hz", "20 Hz", "25 Hz", "25 Hz"]
assert (csv["seed"] == man["seed"]).all() and (h5["seed"] == man["seed"]).all()
print("pandas ok")
)");
    FILE* p = popen(("/usr/bin/python3 " + py + " " + dir + " 2>&1").c_str(), "r");
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, p))
        out += buf;
    EXPECT_EQ(pclose(p), 0) << out;
    EXPECT_HAS(out, "pandas ok");
}

// A virtual trial end to end (issue 17): 1 patient x 2 arms of a compressed main-job course,
// run locally; collect prints the per-arm summary and writes NAME_arms.csv and NAME_km.csv
// beside the table, byte-identical when collected again; --arm and --min-baseline are checked.
TEST(Sweep, CollectSummarisesATrialByArm) {
    const auto dir = test::scratch_dir("sweep_trial");
    // The main job's course, compressed (a tenth of the scale, short windows, 4-hour steps), in
    // two arms.
    const std::string course =
        "[sweep]\nconfig = " + test::source_path("configs/main/escitalopram.ini") +
        "\nseed = 5\nseeds = common\n[grid]\nregimen.escitalopram.dose = "
        "0 mg, 20 mg\n[set]\nsimulation.scale = 0.1\nprotocol.window = 20 "
        "ms\nprotocol.settle = 10 ms\nprotocol.slow_step = 4 h\n";
    const auto spec =
        write_file(dir + "/trial.ini",
                   course +
                       "simulation.duration = 24 days\n"
                       "outcomes.remission_below = 30\noutcomes.relapse_above = 35\n"
                       "outcomes.remission_for = 2 days\noutcomes.relapse_for = 2 days\n"
                       "outcomes.rating_window = 3 days\noutcomes.continuation_from = 20 days\n"
                       "[sample]\ncount = 1\npatient.sert_density = normal(1, 0.15, 0.6, 1.4)\n");
    const auto run =
        test::run_neurochem("sweep " + spec + " --dir " + dir + "/s --local -j 2 --threads 1 -q");
    ASSERT_EQ(run.exit_code, 0) << run.output;
    const auto c = test::run_neurochem("collect " + dir + "/s -o " + dir + "/t.csv");
    ASSERT_EQ(c.exit_code, 0) << c.output;
    EXPECT_HAS(c.output, "trial by regimen.escitalopram.dose [mg]: 2 patients-arms");
    EXPECT_TRUE(std::regex_search(c.output, std::regex(R"(\n  0 mg +1  )"))) << c.output;
    EXPECT_TRUE(std::regex_search(c.output, std::regex(R"(\n  20 mg +1  )"))) << c.output;
    const std::string arms = read(dir + "/t_arms.csv"), km = read(dir + "/t_km.csv");
    EXPECT_EQ(arms.rfind("arm,n,response,response_rate,response_lo95,", 0), 0u) << arms;
    EXPECT_NE(arms.find("\n0 mg,1,"), std::string::npos) << arms;
    EXPECT_NE(arms.find("\n20 mg,1,"), std::string::npos) << arms;
    EXPECT_NE(arms.find(",mean_rating_week_2"), std::string::npos) << arms;
    EXPECT_NE(km.find("0 mg,response,0,1,1,0\n"), std::string::npos) << km;
    // The per-patient columns the summary rests on.
    const std::string table = read(dir + "/t.csv");
    for (const char* col :
         {"clinical.baseline_day [day]", "clinical.rating_week_0", "clinical.rating_week_2",
          "clinical.continuation_day [day]", "clinical.remission_at_continuation",
          "clinical.relapse_in_continuation_day [day]"})
        EXPECT_HAS(table, col);
    // Relapse prevention from day 20 ([outcomes] continuation_from): a line per arm.
    EXPECT_TRUE(
        std::regex_search(c.output, std::regex(R"(continuation from day 20: \d+ in remission)")))
        << c.output;
    EXPECT_NE(arms.find(",continuation_day,in_remission_at_continuation,"), std::string::npos)
        << arms;
    // Deterministic: collected again, the same bytes.
    ASSERT_EQ(test::run_neurochem("collect " + dir + "/s -q -o " + dir + "/u.csv").exit_code, 0);
    EXPECT_EQ(read(dir + "/u.csv"), table);
    EXPECT_EQ(read(dir + "/u_arms.csv"), arms);
    EXPECT_EQ(read(dir + "/u_km.csv"), km);
    // Enrolment above every baseline leaves no patient; an unknown arm column is refused.
    const auto none =
        test::run_neurochem("collect " + dir + "/s -o " + dir + "/v.csv --min-baseline 1000");
    EXPECT_EQ(none.exit_code, 0) << none.output;
    EXPECT_HAS(none.output, "0 patients-arms with a baseline rating >= 1000 (of 2 done)");
    const auto bad = test::run_neurochem("collect " + dir + "/s -o " + dir + "/w.csv --arm nope");
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_HAS(bad.output, "--arm nope: no such column");
    EXPECT_FALSE(fs::exists(dir + "/w.csv"));

    // Enrolment as part of the trial ([outcomes] enrol_min_baseline in the runs' config): a
    // threshold above any rating screens the patient out of both arms, and collect says so (a
    // short course: the baseline is known on day 10).
    const auto spec2 = write_file(dir + "/enrol.ini", course +
                                                          "simulation.duration = 11 days\n"
                                                          "outcomes.enrol_min_baseline = 1000\n");
    const auto r2 =
        test::run_neurochem("sweep " + spec2 + " --dir " + dir + "/e --local -j 2 --threads 1 -q");
    ASSERT_EQ(r2.exit_code, 0) << r2.output;
    const auto e = test::run_neurochem("collect " + dir + "/e -o " + dir + "/e.csv");
    ASSERT_EQ(e.exit_code, 0) << e.output;
    EXPECT_HAS(e.output,
               "0 patients-arms; 2 not enrolled by the trial's [outcomes] enrol_min_baseline");
    EXPECT_HAS(read(dir + "/e.csv"), "clinical.enrolled");

    // tools/trial_summary.py --sweep: the mean trajectories from the points' outputs, and only
    // from the sweep the table was collected from (e/ has the same point numbers, other configs).
    if (std::system("/usr/bin/python3 -c 'import numpy, pandas, h5py' 2> /dev/null") != 0) {
        GTEST_SKIP() << "the trial_summary.py part needs /usr/bin/python3 with numpy, pandas and "
                        "h5py (apt-get install python3-pandas python3-h5py)";
    }
    const std::string tool = "/usr/bin/python3 " + test::source_path("tools/trial_summary.py") +
                             " " + dir + "/t.csv --sweep ";
    const auto ok = test::run_shell(tool + dir + "/s");
    EXPECT_EQ(ok.exit_code, 0) << ok.output;
    EXPECT_HAS(ok.output, "(n = 1; week 0 = baseline)");
    const auto wrong = test::run_shell(tool + dir + "/e");
    EXPECT_NE(wrong.exit_code, 0) << wrong.output;
    EXPECT_HAS(wrong.output, "(is --sweep the sweep the table was collected from?)");
}

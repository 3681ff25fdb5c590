// Checkpoint/restart through the command-line tool: bitwise continuation, crash safety,
// integrity checks, signals.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <thread>

#include "io/checkpoint.hpp"
#include "io/h5.hpp"
#include "neurochem/errors.hpp"
#include "test_util.hpp"
#include "util/checksum.hpp"
#include "util/stop_signal.hpp"

using namespace neurochem;
namespace fs = std::filesystem;

namespace {
const std::string coba = test::source_path("configs/coba.ini");

std::string run_args(const std::string& out, const std::string& duration,
                     const std::string& extra = "") {
    return "run " + coba + " -q -o " + out + " --set simulation.duration=" + duration + " " + extra;
}

void expect_same(const std::string& a, const std::string& b) {
    const auto r = test::run_neurochem("compare " + a + " " + b);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("SAME"), std::string::npos) << r.output;
}

std::string file_bytes(const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

/// Starts neurochem in the background; returns its pid.
pid_t spawn(const std::string& args) {
    const pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        const std::string cmd =
            std::string("exec ") + NEUROCHEM_EXE + " " + args + " >/dev/null 2>&1";
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool wait_for(const std::function<bool()>& cond, double seconds) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}
}  // namespace

// run 2T == run T, checkpoint, resume until 2T (also on another number of threads).
TEST(Checkpoint, ResumeContinuesBitwise) {
    const auto dir = test::scratch_dir("ckpt_resume");
    ASSERT_EQ(test::run_neurochem(run_args(dir + "/full.h5", "400ms", "--threads 2")).exit_code, 0);
    const auto half = test::run_neurochem(
        run_args(dir + "/half.h5", "200ms", "--threads 1 --checkpoint-every 200ms"));
    ASSERT_EQ(half.exit_code, 0) << half.output;
    const auto ckpts = list_checkpoints(dir + "/half.checkpoints");
    ASSERT_EQ(ckpts.size(), 1u);
    EXPECT_EQ(read_checkpoint_header(ckpts[0]).step, 2000u);
    const auto r =
        test::run_neurochem("resume " + dir + "/half.checkpoints --until 400ms --threads 2 -q -o " +
                            dir + "/resumed.h5");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_same(dir + "/full.h5", dir + "/resumed.h5");
    // The first run's output is untouched when the resumed run writes elsewhere.
    h5::Handle f(H5Fopen((dir + "/half.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    EXPECT_EQ(h5::read_doubles(f, "rates/E").size(), 200u);
}

// Resume from a checkpoint in the middle of a run, in the run's own output file.
TEST(Checkpoint, ResumeFromAnEarlierCheckpointInPlace) {
    const auto dir = test::scratch_dir("ckpt_middle");
    ASSERT_EQ(test::run_neurochem(run_args(dir + "/full.h5", "300ms")).exit_code, 0);
    ASSERT_EQ(
        test::run_neurochem(run_args(dir + "/run.h5", "300ms", "--checkpoint-every 100ms --keep 5"))
            .exit_code,
        0);
    const auto ckpts = list_checkpoints(dir + "/run.checkpoints");
    ASSERT_EQ(ckpts.size(), 3u);  // 100, 200, 300 ms
    // Named bare, from inside the checkpoint directory (issue 15: "cannot create the checkpoint
    // directory ( )").
    const std::string first = fs::path(ckpts.back()).filename().string();
    const auto r = test::run_neurochem("resume " + first + " -q --threads 2",
                                       "cd " + dir + "/run.checkpoints &&");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_same(dir + "/full.h5", dir + "/run.h5");
    EXPECT_FALSE(fs::exists(dir + "/run.h5.partial"));
}

TEST(Checkpoint, KeepsTheNewestK) {
    const auto dir = test::scratch_dir("ckpt_keep");
    ASSERT_EQ(
        test::run_neurochem(run_args(dir + "/k.h5", "100ms", "--checkpoint-every 10ms --keep 3"))
            .exit_code,
        0);
    const auto ckpts = list_checkpoints(dir + "/k.checkpoints");
    ASSERT_EQ(ckpts.size(), 3u);
    EXPECT_EQ(read_checkpoint_header(ckpts[0]).step, 1000u);
    EXPECT_EQ(read_checkpoint_header(ckpts[2]).step, 800u);
}

// A 300 ms run whose second checkpoint stalls mid-write; `end` ends the stuck process and
// returns the exit status expected. Then the newest complete checkpoint (and the .partial
// output) must resume to a result bitwise that of an uninterrupted run.
namespace {
void end_a_stuck_run(const std::string& name, const std::function<int(pid_t)>& end) {
    const auto dir = test::scratch_dir(name);
    ASSERT_EQ(test::run_neurochem(run_args(dir + "/full.h5", "300ms")).exit_code, 0);
    const pid_t pid = spawn(run_args(dir + "/run.h5", "300ms",
                                     "--checkpoint-every 100ms --inject-fault checkpoint-stall:2"));
    const std::string tmp = dir + "/run.checkpoints/.ckpt_00000000002000.h5.tmp";
    ASSERT_TRUE(wait_for([&] { return fs::exists(tmp); }, 60))
        << "the stalled checkpoint never appeared";
    const int expected = end(pid);
    EXPECT_EQ(wait_exit(pid), expected);
    ASSERT_EQ(list_checkpoints(dir + "/run.checkpoints").size(), 1u);
    EXPECT_THROW(read_checkpoint_header(tmp), input_error);  // incomplete
    EXPECT_TRUE(fs::exists(dir + "/run.h5.partial"));
    const auto r = test::run_neurochem("resume " + dir + "/run.checkpoints -q");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    expect_same(dir + "/full.h5", dir + "/run.h5");
}
}  // namespace

// kill -9 while a checkpoint is being written: the newest complete one is used, and the
// result is still bitwise that of an uninterrupted run.
TEST(Checkpoint, KillDuringCheckpointWriteLeavesTheLastOneUsable) {
    end_a_stuck_run("ckpt_kill", [](pid_t pid) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        kill(-pid, SIGKILL);
        return 128 + SIGKILL;
    });
}

// A process stuck where it cannot act on SIGTERM (a checkpoint write that hangs): a second
// SIGTERM at least 5 s after the first ends it without SIGKILL; a repeat within the grace does
// not.
TEST(Checkpoint, ASecondSigtermEndsAStuckRun) {
    end_a_stuck_run("ckpt_second_term", [](pid_t pid) {
        kill(pid, SIGTERM);
        kill(pid, SIGTERM);  // the same request again (srun and a batch script may both send one)
        std::this_thread::sleep_for(
            std::chrono::milliseconds(static_cast<long long>(second_sigterm_grace_ms) + 1000));
        int status = 0;
        EXPECT_EQ(waitpid(pid, &status, WNOHANG), 0) << "a repeated first SIGTERM ended the run";
        kill(pid, SIGTERM);
        return 128 + SIGTERM;
    });
}

// SIGUSR1 and SIGTERM: finish the epoch, checkpoint, exit with code 3; resume completes the run.
TEST(Checkpoint, SignalWritesACheckpointAndExitsWithCode3) {
    for (int sig : {SIGUSR1, SIGTERM}) {
        const auto dir = test::scratch_dir("ckpt_signal_" + std::to_string(sig));
        ASSERT_EQ(test::run_neurochem(run_args(dir + "/full.h5", "3s", "--set simulation.seed=4"))
                      .exit_code,
                  0);
        const pid_t pid = spawn(run_args(dir + "/run.h5", "3s", "--set simulation.seed=4"));
        ASSERT_TRUE(wait_for([&] { return fs::exists(dir + "/run.h5.partial"); }, 30));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        kill(pid, sig);
        ASSERT_EQ(wait_exit(pid), 3) << "signal " << sig;
        const auto ckpts = list_checkpoints(dir + "/run.checkpoints");
        ASSERT_EQ(ckpts.size(), 1u);
        EXPECT_LT(read_checkpoint_header(ckpts[0]).step, 30000u);
        EXPECT_TRUE(fs::exists(dir + "/run.h5.partial"));
        const auto r = test::run_neurochem("resume " + dir + "/run.checkpoints -q --threads 1");
        ASSERT_EQ(r.exit_code, 0) << r.output;
        expect_same(dir + "/full.h5", dir + "/run.h5");
    }
}

// Damaged, foreign, incompatible or missing checkpoints: exit code 2, the file and the problem
// named, and nothing overwritten.
TEST(Checkpoint, BadCheckpointsAreRefusedWithoutTouchingAnything) {
    const auto dir = test::scratch_dir("ckpt_bad");
    ASSERT_EQ(test::run_neurochem(run_args(dir + "/run.h5", "100ms", "--checkpoint-every 100ms"))
                  .exit_code,
              0);
    const std::string good = list_checkpoints(dir + "/run.checkpoints").at(0);
    const std::string output_before = file_bytes(dir + "/run.h5");
    auto expect_refused = [&](const std::string& ckpt, const std::string& message) {
        const auto r = test::run_neurochem("resume " + ckpt + " --until 200ms");
        EXPECT_EQ(r.exit_code, 2) << r.output;
        EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
        EXPECT_EQ(file_bytes(dir + "/run.h5"), output_before);
        EXPECT_FALSE(fs::exists(dir + "/run.h5.partial"));
    };
    // Truncated.
    fs::copy_file(good, dir + "/trunc.h5");
    fs::resize_file(dir + "/trunc.h5", fs::file_size(good) / 2);
    expect_refused(dir + "/trunc.h5", "cannot be opened as HDF5");
    // A value changed behind the checksum's back.
    fs::copy_file(good, dir + "/flip.h5");
    {
        h5::Handle f(H5Fopen((dir + "/flip.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        h5::Handle d(H5Dopen2(f, "state/populations/E/V", H5P_DEFAULT), H5Dclose);
        std::vector<double> v(3200);
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        v[1234] += 1e-9;
        H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    }
    expect_refused(dir + "/flip.h5", "/state/populations/E/V is corrupted (checksum mismatch)");
    // A refractory counter beyond the refractory period, with a checksum that matches: the
    // state itself is checked (the fused COBA kernel relies on counters <= the period).
    fs::copy_file(good, dir + "/counter.h5");
    {
        h5::Handle f(H5Fopen((dir + "/counter.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        h5::Handle d(H5Dopen2(f, "state/populations/E/ref_left", H5P_DEFAULT), H5Dclose);
        std::vector<std::int32_t> v(3200);
        H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        v[77] = 51;  // t_ref = 5 ms at dt = 0.1 ms: at most 50
        H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        H5Adelete(d, "checksum");
        h5::attr_u64(d, "checksum",
                     checksum::part_of(std::span<const std::int32_t>(v), 0) % checksum::P);
    }
    expect_refused(dir + "/counter.h5",
                   "counter.h5: state populations/E/ref_left[77] = 51 lies outside its valid range "
                   "[0, 50] steps");
    // A membrane potential that is not a number, with a matching checksum: every restored array
    // is checked against its declared range (the state registry), not only the counters.
    fs::copy_file(good, dir + "/nan.h5");
    {
        h5::Handle f(H5Fopen((dir + "/nan.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        h5::Handle d(H5Dopen2(f, "state/populations/I/V", H5P_DEFAULT), H5Dclose);
        std::vector<double> v(800);
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        v[5] = std::numeric_limits<double>::quiet_NaN();
        H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        H5Adelete(d, "checksum");
        h5::attr_u64(d, "checksum", checksum::part_of(std::span<const double>(v), 0) % checksum::P);
    }
    expect_refused(dir + "/nan.h5",
                   "nan.h5: state populations/I/V[5] = nan lies outside its valid range");
    // Another format version.
    fs::copy_file(good, dir + "/version.h5");
    {
        h5::Handle f(H5Fopen((dir + "/version.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        H5Adelete(f, "format_version");
        h5::attr_u32(f, "format_version", 99);
    }
    expect_refused(dir + "/version.h5", "has checkpoint format version 99");
    // Not a checkpoint at all.
    expect_refused(dir + "/run.h5", "not a neurochem checkpoint");
    expect_refused(dir + "/missing.h5", "no such checkpoint");
    // A directory whose newest checkpoint is damaged falls back to the previous one.
    fs::create_directories(dir + "/mixed");
    fs::copy_file(good, dir + "/mixed/ckpt_00000000000500.h5");
    fs::copy_file(dir + "/flip.h5", dir + "/mixed/ckpt_00000000001000.h5");
    const auto r = test::run_neurochem("resume " + dir + "/mixed -o " + dir + "/other.h5 -q");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("skipping"), std::string::npos) << r.output;
}

// A checkpoint refuses to continue an output file of another run.
TEST(Checkpoint, ForeignOutputFileIsRefused) {
    const auto dir = test::scratch_dir("ckpt_foreign");
    ASSERT_EQ(
        test::run_neurochem(run_args(dir + "/a.h5", "100ms", "--checkpoint-every 100ms")).exit_code,
        0);
    ASSERT_EQ(test::run_neurochem(run_args(dir + "/b.h5", "100ms", "--seed 9")).exit_code, 0);
    fs::copy_file(dir + "/b.h5", dir + "/a.h5", fs::copy_options::overwrite_existing);
    const std::string before = file_bytes(dir + "/a.h5");
    const auto r = test::run_neurochem("resume " + dir + "/a.checkpoints --until 200ms");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("belongs to another run"), std::string::npos) << r.output;
    EXPECT_EQ(file_bytes(dir + "/a.h5"), before);
}

// An output file shorter than its checkpoint says (a dataset cut by hand after the checkpoint)
// is refused on resume, naming the dataset and both lengths; extending it back would have filled
// the gap with zeros. The file is left as it was.
TEST(Checkpoint, OutputShorterThanTheCheckpointIsRefused) {
    const auto dir = test::scratch_dir("ckpt_short_output");
    ASSERT_EQ(
        test::run_neurochem(run_args(dir + "/a.h5", "100ms", "--checkpoint-every 100ms")).exit_code,
        0);
    {
        h5::Handle f(H5Fopen((dir + "/a.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        h5::Handle d(H5Dopen2(f, "spikes/E/timestamps", H5P_DEFAULT), H5Dclose);
        const hsize_t ten[1] = {10};
        ASSERT_GE(H5Dset_extent(d, ten), 0);
    }
    const std::string before = file_bytes(dir + "/a.h5");
    const auto r = test::run_neurochem("resume " + dir + "/a.checkpoints --until 200ms -q");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("/spikes/E/timestamps holds 10 rows, fewer than the "),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("the file was cut or edited after the checkpoint"), std::string::npos)
        << r.output;
    EXPECT_EQ(file_bytes(dir + "/a.h5"), before);
    EXPECT_FALSE(fs::exists(dir + "/a.h5.partial"));  // checked before it is copied
    // In place (an interrupted run's OUT.partial, here run on past its first checkpoint): every
    // dataset is checked before any is cut, so the refused resume leaves the file byte for byte
    // as it was (E's datasets come before I's and would otherwise be cut already).
    ASSERT_EQ(
        test::run_neurochem(run_args(dir + "/b.h5", "200ms", "--checkpoint-every 100ms --keep 2"))
            .exit_code,
        0);
    fs::rename(dir + "/b.h5", dir + "/b.h5.partial");
    {
        h5::Handle f(H5Fopen((dir + "/b.h5.partial").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        h5::Handle d(H5Dopen2(f, "spikes/I/timestamps", H5P_DEFAULT), H5Dclose);
        const hsize_t ten[1] = {10};
        ASSERT_GE(H5Dset_extent(d, ten), 0);
    }
    {  // as a killed run leaves it: the superblock's "open for writing" flag set (byte 20 of a
       // version-0 superblock), which a read-write open would clear on closing
        std::fstream f(dir + "/b.h5.partial", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(20);
        f.put(1);
    }
    const std::string partial_before = file_bytes(dir + "/b.h5.partial");
    ASSERT_EQ(partial_before[8], 0);  // superblock version 0
    const auto again = test::run_neurochem(
        "resume " + dir + "/b.checkpoints/ckpt_00000000001000.h5 --until 200ms -q");
    EXPECT_EQ(again.exit_code, 2) << again.output;
    EXPECT_NE(again.output.find("/spikes/I/timestamps holds 10 rows"), std::string::npos)
        << again.output;
    EXPECT_EQ(file_bytes(dir + "/b.h5.partial"), partial_before);
}

// A run tree copied elsewhere (OUT beside OUT.checkpoints) continues the copy of OUT beside the
// checkpoints, never the original at the path the checkpoint records (which another run may be
// writing); checkpoints copied without their output are refused, naming both places.
TEST(Checkpoint, ACopiedRunTreeContinuesItsOwnOutput) {
    const auto dir = test::scratch_dir("ckpt_copied_tree");
    fs::create_directories(dir + "/A");
    ASSERT_EQ(test::run_neurochem(run_args(dir + "/full.h5", "200ms")).exit_code, 0);
    ASSERT_EQ(
        test::run_neurochem(run_args(dir + "/A/a.h5", "200ms", "--checkpoint-every 100ms --keep 2"))
            .exit_code,
        0);
    fs::copy(dir + "/A", dir + "/B", fs::copy_options::recursive);
    const std::string original = file_bytes(dir + "/A/a.h5");
    const auto r = test::run_neurochem("resume " + dir +
                                       "/B/a.checkpoints/ckpt_00000000001000.h5 --until 200ms -q");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(file_bytes(dir + "/A/a.h5") == original) << "the original output was changed";
    EXPECT_FALSE(fs::exists(dir + "/A/a.h5.partial"));
    expect_same(dir + "/full.h5", dir + "/B/a.h5");

    fs::create_directories(dir + "/C");
    fs::copy(dir + "/A/a.checkpoints", dir + "/C/a.checkpoints", fs::copy_options::recursive);
    const auto lone = test::run_neurochem("resume " + dir + "/C/a.checkpoints --until 200ms -q");
    EXPECT_EQ(lone.exit_code, 2) << lone.output;
    EXPECT_NE(lone.output.find("its run wrote " +
                               fs::absolute(dir + "/A/a.h5").lexically_normal().string()),
              std::string::npos)
        << lone.output;
    EXPECT_NE(lone.output.find("there is no a.h5"), std::string::npos) << lone.output;
    EXPECT_TRUE(file_bytes(dir + "/A/a.h5") == original) << "the original output was changed";
    EXPECT_FALSE(fs::exists(dir + "/C/a.h5")) << "nothing is written where the resume was refused";
}

// A checkpoint of another run copied into a run's checkpoint directory is not resumed in its
// place (issue 15): `resume DIR` names the other run and refuses; the file itself still resumes
// when given explicitly.
TEST(Checkpoint, ACheckpointOfAnotherRunInTheDirectoryIsRefused) {
    const auto dir = test::scratch_dir("ckpt_two_runs");
    ASSERT_EQ(
        test::run_neurochem(run_args(dir + "/a.h5", "100ms", "--checkpoint-every 100ms")).exit_code,
        0);
    ASSERT_EQ(
        test::run_neurochem(run_args(dir + "/b.h5", "100ms", "--checkpoint-every 100ms --seed 9"))
            .exit_code,
        0);
    std::vector<std::string> a_ckpts, b_ckpts;
    for (const auto& e : fs::directory_iterator(dir + "/a.checkpoints"))
        a_ckpts.push_back(e.path());
    for (const auto& e : fs::directory_iterator(dir + "/b.checkpoints"))
        b_ckpts.push_back(e.path());
    ASSERT_EQ(a_ckpts.size(), 1u);
    ASSERT_EQ(b_ckpts.size(), 1u);
    const std::string before = file_bytes(dir + "/a.h5");
    // Beside a's own checkpoint (another file name): both runs are named.
    const std::string beside = dir + "/a.checkpoints/ckpt_00000000000999.h5";
    fs::copy_file(b_ckpts[0], beside);
    auto r = test::run_neurochem("resume " + dir + "/a.checkpoints --until 200ms -q");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("holds checkpoints of 2 different runs"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("output " + dir + "/b.h5"), std::string::npos) << r.output;
    fs::remove(beside);
    // In its place (same name): refused as another run's, not resumed as if it were a's.
    fs::copy_file(b_ckpts[0], a_ckpts[0], fs::copy_options::overwrite_existing);
    const std::string b_before = file_bytes(dir + "/b.h5");
    r = test::run_neurochem("resume " + dir + "/a.checkpoints --until 200ms -q");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("is a checkpoint of the run writing " + dir + "/b.h5"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(file_bytes(dir + "/a.h5"), before);
    EXPECT_EQ(file_bytes(dir + "/b.h5"), b_before);
    // Given explicitly, it resumes its own run (b).
    r = test::run_neurochem("resume " + a_ckpts[0] + " --until 200ms -q");
    EXPECT_EQ(r.exit_code, 0) << r.output;
}
